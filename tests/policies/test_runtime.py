"""The pack through the policy SDK's own analyzer servicer: what `pulumi preview --policy-pack` runs."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest
import yaml
from pulumi.runtime import proto

from lync_pchat.offline.graph import Resource, named
from lync_pchat.policies import ADVISORY, MANDATORY, PACK_NAME, SPECS
from lync_pchat.policies.offline import evaluate

from .support import analyze_request, analyze_stack_request, diagnostics, edited, struct

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"
DESCRIPTION = {spec.name: spec.description for spec in SPECS}


def analyze(servicer: Any, resource: Resource) -> list[tuple[str, str, str]]:
    return diagnostics(servicer.Analyze(analyze_request(resource), None))


def analyze_stack(servicer: Any, resources: Any) -> list[tuple[str, str, str]]:
    return diagnostics(servicer.AnalyzeStack(analyze_stack_request(resources), None))


def mandatory(resource: Resource, policy: str, start: str) -> list[tuple[str, str, str]]:
    """The diagnostics the pack must give: the pure check's exact messages under the policy's description."""
    found = [f.message for f in evaluate([resource]) if f.policy == policy]
    assert found and found[0].startswith(start), found
    return [(policy, "MANDATORY", f"{DESCRIPTION[policy]}\n{message}") for message in found]


def test_analyzer_info_lists_every_policy_with_its_level_and_config(servicer: Any) -> None:
    info = servicer.GetAnalyzerInfo(None, None)
    levels = {p.name: proto.EnforcementLevel.Name(p.enforcementLevel) for p in info.policies}
    assert info.name == PACK_NAME
    assert levels == {**dict.fromkeys(MANDATORY, "MANDATORY"), **dict.fromkeys(ADVISORY, "ADVISORY")}
    [rdp] = [p for p in info.policies if p.name == "pchat-rdp-management-only"]
    assert dict(rdp.configSchema.properties)["managementCidr"]["type"] == "string"
    assert rdp.url == (
        "https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/"
        "lync-server-2013-ports-and-protocols-for-internal-servers"
    )


def test_every_recorded_resource_of_the_enterprise_stack_passes(servicer: Any, graph: Any) -> None:
    resources = graph("enterprise")
    assert [d for r in resources for d in analyze(servicer, r)] == []
    assert analyze_stack(servicer, resources) == []


def test_resource_policies_report_mandatory_diagnostics(servicer: Any, graph: Any) -> None:
    resources = graph("enterprise")
    vm, nic = named(resources, "pchat01-a1-vm"), named(resources, "pchat01-a1-nic")
    nsg, disk = named(resources, "pchat-dublin-pchat-nsg"), named(resources, "pchat01-a1-data")
    join = named(resources, "pchat01-a1-join")
    internet = edited(nsg, "securityRules.[1].sourceAddressPrefix", "Internet")
    cases = {
        "pchat-no-public-ip": (
            edited(nic, "ipConfigurations.[0].publicIPAddress", {"id": "/pip"}),
            "IP configuration 'ipconfig1' attaches a public IP address",
        ),
        "pchat-vm-size": (
            edited(vm, "hardwareProfile.vmSize", "Standard_F16s_v2"),
            "Standard_F16s_v2 has 16 vCPUs (hyper-threaded), i.e. 8 physical cores",
        ),
        "pchat-stateful-protected": (
            edited(disk, "diskName", disk.inputs["diskName"], protect=False),
            "This managed disk (a server's data volume) is not protected",
        ),
        "pchat-no-internet-inbound": (internet, "NSG rule 'pchat01-sip' allows inbound traffic from 'Internet'"),
        "pchat-secrets": (edited(join, "settings.Password", "Join-Secret-1"), "Extension settings.Password is stored"),
    }
    for policy, (resource, start) in cases.items():
        assert analyze(servicer, resource) == mandatory(resource, policy, start), policy


def test_rdp_policy_reads_its_config(servicer: Any, graph: Any) -> None:
    nsg = named(graph("enterprise"), "pchat-dublin-pchat-nsg")
    assert analyze(servicer, nsg) == []
    servicer.Configure(
        proto.ConfigureAnalyzerRequest(
            policyConfig={
                "pchat-rdp-management-only": proto.PolicyConfig(
                    enforcementLevel=proto.MANDATORY, properties=struct({"managementCidr": "10.99.0.0/24"})
                )
            }
        ),
        None,
    )
    [(policy, level, message)] = analyze(servicer, nsg)
    assert (policy, level) == ("pchat-rdp-management-only", "MANDATORY")
    assert message == (
        f"{DESCRIPTION[policy]}\nNSG rule 'allow-rdp-management' allows RDP (3389) from '10.0.0.0/24', which is not "
        "inside the management range 10.99.0.0/24: an administrator's RDP must come from the management network "
        "only [L:lync-server-2013-ports-and-protocols-for-internal-servers]"
    )


def test_a_disabled_policy_reports_nothing(servicer: Any, graph: Any) -> None:
    vm = edited(named(graph("enterprise"), "pchat01-a1-vm"), "hardwareProfile.vmSize", "Standard_F16s_v2")
    servicer.Configure(
        proto.ConfigureAnalyzerRequest(
            policyConfig={"pchat-vm-size": proto.PolicyConfig(enforcementLevel=proto.DISABLED)}
        ),
        None,
    )
    assert analyze(servicer, vm) == []


def test_secretness_is_invisible_to_policies(servicer: Any, graph: Any) -> None:
    """The SDK strips the secret markers, so a plain-text password passes at runtime (offline route only)."""
    vm = named(graph("enterprise"), "pchat01-a1-vm")
    assert analyze(servicer, edited(vm, "osProfile.adminPassword", "Plain-Text-1!")) == []


def test_unknown_values_during_preview_become_advisories(servicer: Any, graph: Any) -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    vm = edited(named(graph("enterprise"), "pchat01-a1-vm"), "hardwareProfile.vmSize", unknown)
    assert analyze(servicer, vm) == [
        (
            "pchat-vm-size",
            "ADVISORY",
            "can't run policy 'pchat-vm-size' from policy pack "
            f"'{PACK_NAME}@v0.1.0' during preview: "
            "string value at .hardwareProfile.vmSize can't be known during preview",
        )
    ]


def test_stack_policies_report_with_their_level_and_urn(servicer: Any, graph: Any) -> None:
    resources = list(graph("enterprise"))
    bak = named(resources, "pchat01-bak-vm")
    moved = [edited(r, "location", "northeurope") if r is bak else r for r in resources]
    response = servicer.AnalyzeStack(analyze_stack_request(moved), None)
    assert {(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.urn) for d in response.diagnostics} == {
        ("pchat-site-placement", "MANDATORY", named(resources, name).urn)
        for name in ("pchat01-bak-vm", "pchat01-bakm-vm", "pchat01-bakw-vm", "pchat01-cbak-vm")
    }
    a1 = named(resources, "pchat01-a1-vm")
    fifth = edited(a1, "vmName", "pchat01-a5", name="pchat01-a5-vm", urn=a1.urn.replace("a1-vm", "a5-vm"))
    assert [(p, level, m.split(" (")[0]) for p, level, m in analyze_stack(servicer, [*resources, fifth])] == [
        (
            "pchat-pool-size",
            "MANDATORY",
            f"{DESCRIPTION['pchat-pool-size']}\nPool 'pchat01' has 5 active Persistent Chat servers",
        ),
        (
            "pchat-pool-size",
            "MANDATORY",
            f"{DESCRIPTION['pchat-pool-size']}\nPool 'pchat01' has 9 Persistent Chat servers",
        ),
    ]
    single = analyze_stack(servicer, graph("single"))
    assert [(policy, level) for policy, level, _ in single] == [("pchat-dedicated-sql", "ADVISORY")]


def test_the_pack_entry_point_builds_the_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    """``policy/__main__.py`` without serving: PolicyPack is replaced by a recorder."""
    seen: dict[str, Any] = {}
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda **kwargs: seen.update(kwargs))
    monkeypatch.setattr(sys, "path", [str(POLICY_DIR.parent), *sys.path])
    runpy.run_path(str(POLICY_DIR / "__main__.py"), run_name="__main__")
    assert seen["name"] == PACK_NAME
    assert [p.name for p in seen["policies"]] == [spec.name for spec in SPECS]


def test_the_pack_folder_is_complete() -> None:
    manifest = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert manifest["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    assert manifest["description"] and manifest["version"]
    requirements = (POLICY_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert {"pulumi-policy>=1.21,<2", ".."} <= set(requirements)
    assert "--policy-pack policy" in (POLICY_DIR / "README.md").read_text(encoding="utf-8")


def test_the_pure_checks_do_not_import_the_policy_sdk() -> None:
    code = (
        "import sys, lync_pchat.policies.offline, lync_pchat.policies.specs; sys.exit('pulumi_policy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
