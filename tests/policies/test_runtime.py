"""The pack through the policy SDK's own analyzer servicer: what `pulumi preview --policy-pack` runs."""

from __future__ import annotations

import dataclasses
import runpy
import subprocess
import sys
from typing import Any

import pulumi_policy
import pytest
import yaml
from pulumi.runtime import proto

from lync_pchat.offline.graph import Resource, named
from lync_pchat.policies import ADVISORY, MANDATORY, PACK_NAME, SPECS
from lync_pchat.policies.offline import evaluate

from .support import (
    NE,
    POLICY_DIR,
    UNKNOWN_VALUE,
    analyze_request,
    analyze_stack_request,
    configure_request,
    deployment,
    diagnostics,
    edited,
    pack_config,
    pool,
    pools,
    recorded,
    server,
    stripped,
    struct,
    vm,
)

DESCRIPTION = {spec.name: spec.description for spec in SPECS}


def analyze(servicer: Any, resource: Resource) -> list[tuple[str, str, str]]:
    return diagnostics(servicer.Analyze(analyze_request(resource), None))


SQL2014_ADVISORY = "pchat-sql-outside-lync2013"
"""Every lync2013 stack on the default SQL image gets it (tests/policies/test_images.py); left out here."""


def analyze_stack(servicer: Any, resources: Any) -> list[tuple[str, str, str]]:
    found = diagnostics(servicer.AnalyzeStack(analyze_stack_request(resources), None))
    return [d for d in found if d[0] != SQL2014_ADVISORY]


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
    [size] = [p for p in info.policies if p.name == "pchat-vm-size"]
    assert {k: dict(v)["type"] for k, v in dict(size.configSchema.properties).items()} == {
        "evaluationPools": "array",
        "evaluationVms": "array",
        "customVmSizes": "object",
    }


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
        "pchat-stateful-protected": (
            edited(disk, "diskName", disk.inputs["diskName"], protect=False),
            "This managed disk (a server's data volume) is not protected",
        ),
        "pchat-no-internet-inbound": (internet, "NSG rule 'pchat01-sip' allows inbound traffic from 'Internet'"),
        "pchat-secrets": (edited(join, "settings.Password", "Join-Secret-1"), "Extension settings.Password is stored"),
    }
    for policy, (resource, start) in cases.items():
        assert analyze(servicer, resource) == mandatory(resource, policy, start), policy
    assert analyze(servicer, edited(vm, "hardwareProfile.vmSize", "Standard_F16s_v2")) == [], (
        "pchat-vm-size is a stack policy"
    )


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
    resources = graph("enterprise")
    small = [
        edited(r, "hardwareProfile.vmSize", "Standard_F16s_v2") if r.name == "pchat01-a1-vm" else r for r in resources
    ]
    assert [policy for policy, _, _ in analyze_stack(servicer, small)] == ["pchat-vm-size"]
    servicer.Configure(configure_request({"pchat-vm-size": "disabled"}), None)
    assert analyze_stack(servicer, small) == []


def test_secretness_is_invisible_to_policies(servicer: Any, graph: Any) -> None:
    """The SDK strips the secret markers, so a plain-text password passes at runtime (offline route only)."""
    vm = named(graph("enterprise"), "pchat01-a1-vm")
    assert analyze(servicer, edited(vm, "osProfile.adminPassword", "Plain-Text-1!")) == []


def test_unknown_values_during_preview_make_a_resource_policy_advisory(servicer: Any, graph: Any) -> None:
    nsg = named(graph("enterprise"), "pchat-dublin-pchat-nsg")
    unknown = edited(nsg, "securityRules.[1].sourceAddressPrefix", UNKNOWN_VALUE)
    assert analyze(servicer, unknown) == [
        (
            policy,
            "ADVISORY",
            f"can't run policy '{policy}' from policy pack '{PACK_NAME}@v0.1.0' during preview: "
            "string value at .securityRules.1.sourceAddressPrefix can't be known during preview",
        )
        for policy in ("pchat-no-internet-inbound",)
    ]


def test_unknown_values_during_preview_fail_closed_in_stack_policies(servicer: Any, graph: Any) -> None:
    """Stack policies read names, tags, images, locations and sizes without raising: an unknown value is
    a violation of its own (or matches nothing), and the other servers are still checked."""
    resources = list(graph("enterprise"))
    unknowns = {
        "pchat01-a1-vm": ("hardwareProfile.vmSize", UNKNOWN_VALUE),
        "pchat01-a2-vm": ("tags", UNKNOWN_VALUE),
        "pchat01-sql-sqlvm": ("sqlVirtualMachineName", UNKNOWN_VALUE),
        "pchat01-s1-vm": ("hardwareProfile.vmSize", "Standard_F16s_v2"),
    }
    changed = [edited(r, *unknowns[r.name]) if r.name in unknowns else r for r in resources]
    found = {
        (policy, level, message.split("\n")[1].split(";")[0])
        for policy, level, message in analyze_stack(servicer, changed)
    }
    assert found == {
        (
            "pchat-vm-size",
            "MANDATORY",
            "The VM size of Persistent Chat server 'pchat01-a1' of pool 'pchat01' is not known yet (a preview "
            "computes it from another resource's output), so it cannot be checked against the documented hardware",
        ),
        (
            "pchat-vm-size",
            "MANDATORY",
            "Standard_F16s_v2 has 16 vCPUs (hyper-threaded), i.e. 8 physical cores, and 32 GiB: Persistent Chat "
            "server 'pchat01-s1' of pool 'pchat01' needs the documented hardware, 2 x hex-core (12 physical cores",
        ),
        (
            "pchat-site-placement",
            "MANDATORY",
            "Persistent Chat server 'pchat01-a2' of pool 'pchat01' has no pchat-role tag (or an unknown one) while "
            "other servers of the pool have one",
        ),
    }


def test_stack_policies_report_with_their_level_and_urn(servicer: Any, graph: Any) -> None:
    resources = list(graph("enterprise"))
    bak = named(resources, "pchat01-bak-vm")
    moved = [edited(r, "location", "northeurope") if r is bak else r for r in resources]
    response = servicer.AnalyzeStack(analyze_stack_request(moved), None)
    levels = {(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.urn) for d in response.diagnostics}
    assert {level for level in levels if level[0] != SQL2014_ADVISORY} == {
        ("pchat-site-placement", "MANDATORY", named(resources, name).urn if name else "")
        for name in ("pchat01-bak-vm", "pchat01-bakm-vm", "pchat01-bakw-vm", "pchat01-cbak-vm")
    }
    a1 = named(resources, "pchat01-a1-vm")
    fifth = edited(a1, "vmName", "pchat01-a5", name="pchat01-a5-vm", urn=a1.urn.replace("a1-vm", "a5-vm"))
    found = analyze_stack(servicer, [*resources, fifth])
    assert all(m.startswith(f"{DESCRIPTION[p]}\n") for p, _, m in found)
    assert [(p, level, m.split("\n")[1].split(" (")[0]) for p, level, m in found] == [
        ("pchat-pool-size", "MANDATORY", f"Pool 'pchat01' has {count}")
        for count in (
            "9 Persistent Chat servers",
            "5 Persistent Chat servers in northeurope",
            "5 Persistent Chat servers tagged active",
        )
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


def test_the_lab_passes_with_its_policy_pack_config(servicer: Any, graph: Any) -> None:
    """As `pulumi preview --policy-pack policy --policy-pack-config policy/config.lab.json` runs it."""
    lab = graph("lab")
    [(policy, level, message)] = analyze_stack(servicer, lab)
    assert (policy, level) == ("pchat-vm-size", "MANDATORY")
    assert "Persistent Chat server 'lyncse01' of pool 'lyncse01' needs the documented hardware" in message
    servicer.Configure(configure_request(pack_config(POLICY_DIR / "config.lab.json")), None)
    assert analyze_stack(servicer, lab) == []
    assert [level for _, level, _ in analyze_stack(servicer, stripped(lab))] == ["ADVISORY"], (
        "untagged, the Standard Edition server looks like a pool without a store: advised only"
    )
    assert [d for r in lab for d in analyze(servicer, r)] == []


def test_the_example_config_is_accepted(servicer: Any, graph: Any) -> None:
    servicer.Configure(configure_request(pack_config(POLICY_DIR / "config.example.json")), None)
    assert analyze_stack(servicer, graph("enterprise")) == []


@pytest.mark.parametrize("stack", ["enterprise", "residency", "single"])
def test_stripping_the_tags_only_makes_a_stretched_pool_unverifiable(servicer: Any, graph: Any, stack: str) -> None:
    def everything(resources: Any) -> list[tuple[str, str, str]]:
        return sorted([*analyze_stack(servicer, resources), *(d for r in resources for d in analyze(servicer, r))])

    extra = [
        (policy, level, message)
        for policy, level, message in everything(stripped(graph(stack)))
        if "none carries a pchat-role tag" in message
    ]
    assert [(p, level) for p, level, _ in extra] == (
        [("pchat-site-placement", "MANDATORY")] if stack == "enterprise" else []
    )
    assert sorted(everything(graph(stack)) + extra) == everything(stripped(graph(stack)))


def test_the_audit_findings_are_caught_by_the_pack(servicer: Any) -> None:
    """Five untagged VMs of one pool in one region; a SQL store tagged as evaluation hardware, too small."""
    untagged = recorded(deployment(pool("p1", *(server(f"p1-v{i}") for i in range(1, 6)))))
    store = vm("store", "Standard_F8s_v2", pool="p2", name="p2-sql")
    store = dataclasses.replace(
        store, props={**store.props, "tags": {**store.props["tags"], "pchat-hardware": "evaluation"}}
    )
    found = [
        (policy, level, message.split("\n")[1].split(";")[0])
        for policy, level, message in analyze_stack(servicer, [*untagged, *recorded(pools(store))[1:]])
        if level == "MANDATORY"
    ]
    assert found == [
        (
            "pchat-pool-size",
            "MANDATORY",
            f"Pool 'p1' has 5 Persistent Chat servers in {NE} (p1-v1, p1-v2, p1-v3, p1-v4, p1-v5)",
        ),
        (
            "pchat-vm-size",
            "MANDATORY",
            "Standard_F8s_v2 has 8 vCPUs (hyper-threaded), i.e. 4 physical cores, and 16 GiB: SQL Server 'p2-sql' of "
            "pool 'p2' needs the documented hardware, 2 x hex-core (12 physical cores",
        ),
    ]


def test_a_contradicting_tag_is_reported_by_the_pack(servicer: Any, graph: Any) -> None:
    resources = graph("enterprise")
    sql = named(resources, "pchat01-sql-vm")
    changed = [edited(r, "tags.pchat-role", "active") if r is sql else r for r in resources]
    expected = (
        "VM 'pchat01-sql' of pool 'pchat01' is tagged pchat-role: active, but it is a SQL Server (image "
        "MicrosoftSQLServer/SQL2014SP3-WS2012R2/Enterprise); a tag that contradicts its resource is not trusted, and "
        "the pool cannot be checked from it: correct or remove the tag"
    )
    response = servicer.AnalyzeStack(analyze_stack_request(changed), None)
    reported = [d for d in response.diagnostics if d.policyName != SQL2014_ADVISORY]
    assert [(d.policyName, d.urn, d.message.split("\n")[1].rsplit(" [", 1)[0]) for d in reported] == [
        ("pchat-pool-size", sql.urn, expected),
        ("pchat-site-placement", sql.urn, expected),
    ]
