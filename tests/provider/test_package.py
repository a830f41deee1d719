"""Reuse from any Pulumi language: the package schema, the construct path and the examples."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.provider.experimental.component import ComponentInitError

from components.persistent_chat import TYPE
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import flatten, of_type
from lync_pchat.provider import COMPONENTS, provider, schema

from ..oracles.arm import NETWORK, resource_id

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "provider" / "schema.json"
YAML_EXAMPLE = ROOT / "examples" / "yaml" / "Pulumi.yaml"


def test_schema_snapshot() -> None:
    """Regenerate after an intended API change: python -m lync_pchat.provider > provider/schema.json"""
    assert json.loads(SNAPSHOT.read_text()) == schema()


def test_schema_names_every_public_component() -> None:
    resources = schema()["resources"]
    assert sorted(resources) == sorted(f"lync-pchat:index:{c.__name__}" for c in COMPONENTS) == [TYPE]
    chat = resources[TYPE]
    assert chat["isComponent"] is True
    assert chat["requiredInputs"] == ["domain", "pools", "sites"]
    assert sorted(chat["properties"]) == [
        "adminPasswordSecretIds",
        "poolFqdns",
        "serverAddresses",
        "serverRoles",
        "servers",
        "sites",
        "sqlStores",
        "vaultId",
        "vaultUri",
    ]
    pool = schema()["types"]["lync-pchat:index:PoolInput"]["properties"]
    assert pool["users"] == {
        "type": "integer",
        "description": "Concurrent users: 20,000 per active server, 80,000 at most.",
        "plain": True,
    }
    assert pool["hardware"] == {"$ref": "#/types/lync-pchat:index:Hardware", "plain": True}


def yaml_properties() -> dict[str, Any]:
    properties: dict[str, Any] = yaml.safe_load(YAML_EXAMPLE.read_text())["resources"]["chat"]["properties"]
    return {**properties, "adminPassword": "From-Config-1!"}


def construct(inputs: dict[str, Any], monitor: RecordingMonitor) -> Any:
    def program() -> Any:
        return provider().construct("chat", TYPE, inputs, pulumi.ResourceOptions())

    return run(program, {}, monitor)[0]


def test_yaml_example_constructs_with_integers_as_floats() -> None:
    inputs = yaml_properties()
    inputs["pools"]["pchat01"]["users"] = 40000.0
    monitor = RecordingMonitor(AzureMocks())
    result = construct(inputs, monitor)
    graph = flatten(monitor)
    assert result.urn is not None
    vms = of_type(graph, "azure-native:compute:VirtualMachine")
    assert sorted(vm.name for vm in vms) == sorted(
        f"pchat01-{s}-vm" for s in ("a1", "a2", "s1", "s2", "sql", "sqlm", "sqlw", "bak", "bakm", "bakw")
    )
    assert graph[0].type == TYPE
    assert {vm.inputs["osProfile"]["adminPassword"]["value"] for vm in vms} == {"From-Config-1!"}


def test_invalid_inputs_fail_with_the_model_messages() -> None:
    inputs = yaml_properties()
    inputs["pools"]["pchat01"]["users"] = 90000.0
    monitor = RecordingMonitor(AzureMocks())
    with pytest.raises(ComponentInitError) as caught:
        construct(inputs, monitor)
    lines = str(caught.value.args[0]).splitlines()
    assert lines[0] == "pchat:topology is not a supported Persistent Chat topology (1 problem):"
    assert lines[1].startswith("  - pools.pchat01.users: 90,000 concurrent users")
    assert [r.type for r in flatten(monitor)] == []


def test_python_example_runs() -> None:
    monitor = RecordingMonitor(AzureMocks())
    run(
        lambda: runpy.run_path(str(ROOT / "examples" / "python" / "__main__.py")),
        {"pchat:adminPassword": "Example-Pw-1!"},
        monitor,
    )
    names = [r.name for r in flatten(monitor) if r.type == "azure-native:compute:VirtualMachine"]
    assert sorted(names) == ["pchat01-a1-vm", "pchat01-cmp-vm", "pchat01-sql-vm"]


def test_secure_defaults_can_be_opted_out_of_from_any_language() -> None:
    inputs = {**yaml_properties(), "lockStores": False, "secretsNotAfter": "2027-06-30"}
    monitor = RecordingMonitor(AzureMocks())
    construct(inputs, monitor)
    graph = flatten(monitor)
    assert of_type(graph, "azure-native:authorization:ManagementLockByScope") == []
    secrets = of_type(graph, "azure-native:keyvault:Secret")
    assert {s.inputs["properties"]["attributes"]["expires"] for s in secrets} == {1814313600.0}


def test_the_component_asks_for_the_domain_join_password_as_the_program_does() -> None:
    inputs = {**yaml_properties(), "domainJoin": {"user": "CORP\\svc-join"}}
    monitor = RecordingMonitor(AzureMocks())
    with pytest.raises(ComponentInitError) as caught:
        construct(inputs, monitor)
    assert str(caught.value.args[0]) == (
        "domainJoinPassword is not set: domainJoin names an account, which needs its password; "
        "pass it as a secret input"
    )
    assert flatten(monitor) == []
    construct({**inputs, "domainJoinPassword": "Join-Pw-1!"}, RecordingMonitor(AzureMocks()))


def two(second: dict[str, Any]) -> tuple[Any, RecordingMonitor]:
    """Two PersistentChat components in one stack: the YAML example's, and ``second``."""
    monitor = RecordingMonitor(AzureMocks())

    def program() -> None:
        provider().construct("chat", TYPE, yaml_properties(), pulumi.ResourceOptions())
        provider().construct("chat2", TYPE, second, pulumi.ResourceOptions())

    return run(program, {}, monitor), monitor


def test_two_components_with_their_own_pools_and_names_live_in_one_stack() -> None:
    second = {
        "acceptUnsupported": {"reason": "a test of Lync Server 2013 on its default images"},
        "domain": "corp.contoso.com",
        "namePrefix": "pchat-zurich",
        "sites": {"zurich": {"region": "switzerlandnorth", "addressSpace": "10.40.0.0/16"}},
        "pools": {"pchatzrh": {"site": "zurich", "users": 100.0, "nextHop": "fezrh.corp.contoso.com"}},
        "adminPassword": "Second-Pw-1!",
    }
    _, monitor = two(second)
    graph = flatten(monitor)
    assert len({r.urn for r in graph}) == len(graph)
    assert sorted(r.name for r in of_type(graph, TYPE)) == ["chat", "chat2"]
    groups = {r.inputs["resourceGroupName"] for r in of_type(graph, "azure-native:resources:ResourceGroup")}
    assert "rg-pchat-zurich-zurich" in groups and "rg-pchat-test-dublin" in groups


def test_the_component_validates_name_prefix_as_the_program_does() -> None:
    """One preparation path (issue 26): namePrefix goes through the model's pattern (stack-config.md, namePrefix),
    with the model's message, before any resource exists."""
    monitor = RecordingMonitor(AzureMocks())
    with pytest.raises(ComponentInitError) as caught:
        construct({**yaml_properties(), "namePrefix": "Chat_Zurich"}, monitor)
    assert str(caught.value.args[0]).splitlines() == [
        "pchat:topology is not a supported Persistent Chat topology (1 problem):",
        "  - name_prefix: names are lowercase letters, digits and hyphens, starting with a letter",
    ]
    assert flatten(monitor) == []


def test_two_components_with_the_same_pool_fail_with_a_clear_message() -> None:
    with pytest.raises(ComponentInitError) as caught:
        two({**yaml_properties(), "adminPassword": "Second-Pw-1!"})
    message = str(caught.value.args[0])
    assert message.splitlines()[0] == "'chat2' clashes with another Persistent Chat deployment in this stack:"
    assert "  - pool pchat01 already belongs to 'chat'" in message.splitlines()
    assert "  - computer pchat01-a1 already belongs to 'chat'" in message.splitlines()
    assert "  - resource group rg-pchat-test-dublin already belongs to 'chat'" in message.splitlines()


def test_categories_and_add_ins_reach_the_plan_from_any_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema's camelCase keys become the config's; map keys (category and add-in names) stay as typed."""
    import components.persistent_chat as component

    planned: list[Any] = []
    real = component.plan_topology
    monkeypatch.setattr(component, "plan_topology", lambda raw: planned.append(real(raw)) or planned[-1])
    inputs = yaml_properties()
    inputs["pools"]["pchat01"]["categories"] = {
        "Finance Team": {"allowedMembers": ["OU=Finance,DC=corp,DC=contoso,DC=com"], "fileUpload": True}
    }
    inputs["pools"]["pchat01"]["addIns"] = {"Help Desk": {"url": "https://apps.corp.contoso.com/help"}}
    construct(inputs, RecordingMonitor(AzureMocks()))
    (pool,) = planned[0].pools
    assert [(c.name, c.allowed_members, c.file_upload) for c in pool.categories] == [
        ("Finance Team", ("OU=Finance,DC=corp,DC=contoso,DC=com",), True)
    ]
    assert [(a.name, a.url) for a in pool.add_ins] == [("Help Desk", "https://apps.corp.contoso.com/help")]


OUTPUT_INPUTS = {
    ("PersistentChat", "keyVaultId"), ("SiteInput", "dnsServers"), ("SiteInput", "hubVirtualNetworkId"),
    ("SiteInput", "routeTableId"), ("ExistingNetworkInput", "pchatSubnetId"), ("ExistingNetworkInput", "sqlSubnetId"),
    ("DiagnosticsInput", "workspaceResourceId"), ("PersistentChat", "userAssignedIdentityId"),
    ("ResourceGroupsInput", "servers"), ("ResourceGroupsInput", "data"), ("MonitoringInput", "actionGroupId"),
    ("BackupInput", "storageAccountId"), ("SoftwareInput", "storageAccountId"), ("PrivateEndpointInput", "subnetId"),
}  # fmt: skip
"""What a larger stack may hand over as Outputs (issues 12 and 25): every estate id, DNS servers, the workspace
(and each private DNS zone id: an item of a plain list, checked below)."""


def test_the_schema_says_what_is_plain_and_what_is_secret() -> None:
    document = schema()
    chat = document["resources"][TYPE]["inputProperties"]
    assert {name for name, prop in chat.items() if prop.get("secret")} == {
        "adminPassword", "domainJoinPassword", "setupPassword"}  # fmt: skip
    properties = {("PersistentChat", name): prop for name, prop in chat.items()}
    properties |= {
        (token.rsplit(":", 1)[-1], name): prop
        for token, body in document["types"].items()
        for name, prop in body.get("properties", {}).items()
        if token.endswith("Input")
    }
    not_plain = {key for key, prop in properties.items() if not prop.get("plain")}
    assert not_plain == OUTPUT_INPUTS | {
        ("PersistentChat", secret) for secret in ("adminPassword", "domainJoinPassword", "setupPassword")
    }
    zones = properties[("PrivateEndpointInput", "privateDnsZoneIds")]
    assert (zones.get("plain"), zones["items"].get("plain")) == (True, None), "the count is plain, each id an Output"


HUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/"


@pytest.mark.parametrize("sql_as_output", [True, False], ids=["both subnets outputs", "one output, one string"])
def test_a_larger_stack_hands_over_its_ids_and_dns_servers_as_outputs(sql_as_output: bool) -> None:
    """From Python, the spoke's subnets, the hub's DNS servers and vault come from the larger stack; a subnet id
    may be an Output while the other is a string."""
    from components import PersistentChat

    def program() -> None:
        hub = pulumi.Output.from_input(HUB + "virtualNetworks/vnet-hub")
        PersistentChat(
            "chat",
            {
                "accept_unsupported": {"reason": "a test of Lync Server 2013 on its default images"},
                "domain": "corp.contoso.com",
                "domain_join": {"user": "CORP\\svc-join"},
                "domain_join_password": pulumi.Output.secret("Join-Pw-1!"),
                "key_vault_id": pulumi.Output.from_input(
                    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/"
                    "Microsoft.KeyVault/vaults/kv-hub"
                ),
                "sites": {
                    "dublin": {
                        "region": "northeurope",
                        "address_space": "10.10.0.0/16",
                        "dns_servers": [pulumi.Output.from_input("10.0.0.4"), "10.0.0.5"],
                        "existing_network": {
                            "pchat_subnet_id": hub.apply(lambda v: v.replace("vnet-hub", "vnet-spoke") + "/subnets/a"),
                            "pchat_subnet_prefix": "10.10.0.0/24",
                            "sql_subnet_id": hub.apply(lambda v: v.replace("vnet-hub", "vnet-spoke") + "/subnets/b")
                            if sql_as_output
                            else HUB + "virtualNetworks/vnet-spoke/subnets/b",
                            "sql_subnet_prefix": "10.10.1.0/24",
                        },
                    }
                },
                "pools": {"pchat01": {"site": "dublin", "users": 100, "next_hop": "fe01.corp.contoso.com"}},
            },
        )

    monitor = RecordingMonitor(AzureMocks())
    run(program, {}, monitor)
    graph = flatten(monitor)
    assert of_type(graph, "azure-native:network:VirtualNetwork") == []
    assert of_type(graph, "azure-native:network:Subnet") == []
    assert of_type(graph, "azure-native:keyvault:Vault") == []
    nics = {r.name: r for r in of_type(graph, "azure-native:network:NetworkInterface")}
    spoke = HUB + "virtualNetworks/vnet-spoke/subnets/"
    assert nics["pchat01-a1-nic"].inputs["ipConfigurations"][0]["subnet"]["id"] == spoke + "a"
    assert nics["pchat01-sql-nic"].inputs["ipConfigurations"][0]["subnet"]["id"] == spoke + "b"
    assert nics["pchat01-a1-nic"].inputs["networkSecurityGroup"]["id"] == resource_id(
        "rg-pchat-test-dublin", NETWORK, "networkSecurityGroups", "nsg-pchat-test-dublin-pchat"
    )
    secrets = of_type(graph, "azure-native:keyvault:Secret")
    assert {(s.inputs["vaultName"], s.inputs["resourceGroupName"]) for s in secrets} == {("kv-hub", "rg-hub")}


def test_an_output_where_the_topology_is_shaped_is_refused() -> None:
    from components import PersistentChat
    from lync_pchat.errors import TopologyConfigError

    def program() -> None:
        PersistentChat(
            "chat",
            {
                "accept_unsupported": {"reason": "a test of Lync Server 2013 on its default images"},
                "domain": "corp.contoso.com",
                "sites": {
                    "dublin": {"region": pulumi.Output.from_input("northeurope"), "address_space": "10.10.0.0/16"}
                },
                "pools": {"pchat01": {"site": "dublin", "users": 100, "next_hop": "fe01.corp.contoso.com"}},
            },
        )

    with pytest.raises(TopologyConfigError, match=r"^sites.dublin.region: shapes the topology, so it must be known"):
        run(program, {}, RecordingMonitor(AzureMocks()))
