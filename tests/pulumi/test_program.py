"""The Pulumi program: outputs a Lync admin needs, and secrets it refuses to go without."""

from __future__ import annotations

import pulumi
import pytest

from lync_pchat.errors import TopologyConfigError
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.program import run as program

from ..model.configs import changed, enterprise
from ..oracles.arm import COMPUTE, KEY_VAULT, NETWORK, resource_id

OUTPUTS: dict[str, object] = {}


def capture_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each exported value as the engine would store it: every Output in it resolved."""

    def export(name: str, value: object) -> None:
        pulumi.Output.from_input(value).apply(lambda resolved: OUTPUTS.__setitem__(name, resolved))

    monkeypatch.setattr(pulumi, "export", export)


def test_domain_join_needs_its_password_before_any_resource() -> None:
    monitor = RecordingMonitor(AzureMocks())
    config = {"pchat:topology": changed(enterprise(), domainJoin={"user": "CORP\\join"})}
    with pytest.raises(TopologyConfigError, match=r"^pchat:domainJoinPassword is not set"):
        run(program, config, monitor)
    assert monitor.registered == []


def subnet_id(site: str, subnet: str) -> str:
    group, vnet = f"rg-pchat-test-{site}", f"vnet-pchat-test-{site}"
    return resource_id(group, NETWORK, "virtualNetworks", vnet, "subnets", f"snet-{subnet}")


def nsg_id(site: str, subnet: str) -> str:
    return resource_id(f"rg-pchat-test-{site}", NETWORK, "networkSecurityGroups", f"nsg-pchat-test-{site}-{subnet}")


def ids(server: str, group: str, subnet: str) -> dict[str, str]:
    """What a platform wires to: the VM, its identity (the mocks' principal id), its NIC and its subnet's NSG."""
    return {
        "vmId": resource_id(group, COMPUTE, "virtualMachines", server),
        "principalId": f"principal-{server}-vm",
        "nicId": resource_id(group, NETWORK, "networkInterfaces", f"nic-{server}"),
        "nsgId": nsg_id("dublin", subnet),
    }


def test_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    capture_exports(monkeypatch)
    run(program, {"pchat:topology": enterprise()})
    assert sorted(OUTPUTS) == [
        "adminPasswordSecretIds", "poolFqdns", "servers", "sites", "sqlStores", "vaultId", "vaultUri"]  # fmt: skip
    assert OUTPUTS["sites"] == {
        "dublin": {
            "resourceGroupName": "rg-pchat-test-dublin",
            "dataResourceGroupName": "rg-pchat-test-dublin-data",
            "vnetId": resource_id("rg-pchat-test-dublin", NETWORK, "virtualNetworks", "vnet-pchat-test-dublin"),
            "pchatSubnetId": subnet_id("dublin", "pchat"),
            "sqlSubnetId": subnet_id("dublin", "sql"),
            "pchatNsgId": nsg_id("dublin", "pchat"),
            "sqlNsgId": nsg_id("dublin", "sql"),
        },
        "amsterdam": {
            "resourceGroupName": "rg-pchat-test-amsterdam",
            "dataResourceGroupName": None,
            "vnetId": resource_id("rg-pchat-test-amsterdam", NETWORK, "virtualNetworks", "vnet-pchat-test-amsterdam"),
            "pchatSubnetId": subnet_id("amsterdam", "pchat"),
            "sqlSubnetId": subnet_id("amsterdam", "sql"),
            "pchatNsgId": nsg_id("amsterdam", "pchat"),
            "sqlNsgId": nsg_id("amsterdam", "sql"),
        },
    }
    # The vault lives with the stores; k3y5u7f1 is what the mocks' RandomString returns.
    assert OUTPUTS["vaultId"] == resource_id("rg-pchat-test-dublin-data", KEY_VAULT, "vaults", "kv-pchat-k3y5u7f1")
    assert OUTPUTS["poolFqdns"] == {"pchat01": "pchat01.corp.contoso.com"}
    assert OUTPUTS["servers"] == {
        "pchat01-a1": {
            "role": "active",
            "site": "dublin",
            "fqdn": "pchat01-a1.corp.contoso.com",
            "address": "10.10.0.8",
            **ids("pchat01-a1", "rg-pchat-test-dublin", "pchat"),
        },
        "pchat01-a2": {
            "role": "active",
            "site": "dublin",
            "fqdn": "pchat01-a2.corp.contoso.com",
            "address": "10.10.0.9",
            **ids("pchat01-a2", "rg-pchat-test-dublin", "pchat"),
        },
        "pchat01-sql": {
            "role": "store",
            "site": "dublin",
            "fqdn": "pchat01-sql.corp.contoso.com",
            "address": "10.10.1.8",
            **ids("pchat01-sql", "rg-pchat-test-dublin-data", "sql"),
        },
    }
    assert OUTPUTS["sqlStores"] == {
        "pchat01": {
            "mgc": {
                "primary": "pchat01-sql.corp.contoso.com",
                "mirror": None,
                "witness": None,
                "backup": None,
                "backupMirror": None,
                "backupWitness": None,
            }
        }
    }
    assert sorted(OUTPUTS["adminPasswordSecretIds"]) == [  # type: ignore[call-overload]
        "pchat01-a1-admin-password",
        "pchat01-a2-admin-password",
        "pchat01-sql-admin-password",
    ]


def test_given_admin_password_replaces_the_random_ones() -> None:
    from lync_pchat.offline.graph import flatten

    monitor = RecordingMonitor(AzureMocks())
    run(program, {"pchat:topology": enterprise(), "pchat:adminPassword": "Given-Pw-123!"}, monitor)
    graph = flatten(monitor)
    assert not [r for r in graph if r.type.startswith("random:index/randomPassword")]
    vms = [r for r in graph if r.type == "azure-native:compute:VirtualMachine"]
    assert {r.inputs["osProfile"]["adminPassword"]["value"] for r in vms} == {"Given-Pw-123!"}


def test_guardrails_are_planned_with_their_secure_defaults() -> None:
    from datetime import date

    from lync_pchat.model import plan_topology

    def guardrails(raw: dict[str, object]) -> tuple[object, ...]:
        plan = plan_topology(raw)
        return (plan.lock_stores, plan.secret_expiry_days, plan.secrets_not_after, plan.diagnostics_workspace_id)

    assert guardrails(enterprise()) == (True, 365, None, None)
    workspace = (
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
        "Microsoft.OperationalInsights/workspaces/law"
    )
    assert guardrails(
        changed(
            enterprise(), lockStores=False, secretsNotAfter="2027-06-30", diagnostics={"workspaceResourceId": workspace}
        )
    ) == (False, 365, date(2027, 6, 30), workspace)
