"""Options a platform needs from the component: no site-to-site peering where its own hub routes between sites."""

from __future__ import annotations

import copy

import pytest

from lync_pchat import stackfile
from lync_pchat.model import TopologyError, plan_topology
from lync_pchat.offline.graph import of_type
from lync_pchat.offline.synthesis import synthesize_stack

PEERING = "azure-native:network:VirtualNetworkPeering"
NSG = "azure-native:network:NetworkSecurityGroup"
VM = "azure-native:compute:VirtualMachine"
LOCK = "azure-native:authorization:ManagementLockByScope"
HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/"
HUB += "virtualNetworks/vnet-hub"


def enterprise(**topology: object) -> dict[str, object]:
    """The shipped enterprise stack (sites dublin and amsterdam, both created) with ``topology`` changes."""
    config = copy.deepcopy(stackfile.read("enterprise"))
    config["pchat:topology"].update(topology)
    return config


def peerings(config: dict[str, object]) -> list[str]:
    return sorted(r.name for r in of_type(synthesize_stack("enterprise", config).resources, PEERING))


def test_the_default_mesh_peers_the_sites_both_ways() -> None:
    assert peerings(enterprise()) == ["pchat-amsterdam-to-dublin", "pchat-dublin-to-amsterdam"]


def test_site_peering_none_leaves_the_routing_to_the_hub() -> None:
    config = enterprise(sitePeering="none")
    for site in config["pchat:topology"]["sites"].values():  # type: ignore[index]
        site["hubVirtualNetworkId"] = HUB
    assert peerings(config) == ["pchat-amsterdam-to-hub", "pchat-dublin-to-hub"]


def test_site_peering_is_mesh_or_none() -> None:
    topology = enterprise(sitePeering="star")["pchat:topology"]
    with pytest.raises(TopologyError, match=r"sitePeering: Input should be 'mesh' or 'none'"):
        plan_topology(topology)


def test_extra_security_rules_reach_the_site_nsgs() -> None:
    """The platform's rule is part of the NSG the project writes, so ``pulumi up`` keeps it."""
    config = copy.deepcopy(stackfile.read("single"))
    rule = {"subnet": "pchat", "priority": 3100, "sources": ["AzureMonitor"], "ports": ["443"]}
    config["pchat:topology"]["sites"]["dublin"]["extraSecurityRules"] = {"agent": rule}
    nsgs = {r.name: r for r in of_type(synthesize_stack("single", config).resources, NSG)}
    pchat = {r["name"]: r for r in nsgs["pchat-dublin-pchat-nsg"].inputs["securityRules"]}
    assert pchat["extra-agent"] | {"description": "-"} == {
        "name": "extra-agent", "priority": 3100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "description": "-", "sourcePortRange": "*", "sourceAddressPrefix": "AzureMonitor",
        "destinationAddressPrefix": "10.10.0.0/24", "destinationPortRange": "443",
    }  # fmt: skip
    assert "extra-agent" not in {r["name"] for r in nsgs["pchat-dublin-sql-nsg"].inputs["securityRules"]}


IDENTITY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/"
IDENTITY += "Microsoft.ManagedIdentity/userAssignedIdentities/id-platform"


def test_a_user_assigned_identity_sits_beside_each_servers_own() -> None:
    """The install phase grants the media to each server's system-assigned identity, so that one stays."""
    config = copy.deepcopy(stackfile.read("single"))
    config["pchat:topology"]["userAssignedIdentityId"] = IDENTITY
    vms = of_type(synthesize_stack("single", config).resources, VM)
    assert vms and all(
        vm.inputs["identity"] == {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": [IDENTITY]}
        for vm in vms
    )
    plain = of_type(
        synthesize_stack("single", stackfile.read("single")).resources, "azure-native:compute:VirtualMachine"
    )
    assert {str(vm.inputs["identity"]) for vm in plain} == {str({"type": "SystemAssigned"})}


def test_existing_resource_groups_and_a_naming_override() -> None:
    """The platform's groups are used, not created; the data group is still locked; names take the prefix."""
    config = copy.deepcopy(stackfile.read("enterprise"))
    topology = config["pchat:topology"]
    topology["namePrefix"] = "lz07-chat"
    topology["sites"]["dublin"]["resourceGroups"] = {"servers": "rg-lz07-lync", "data": "rg-lz07-lync-data"}
    graph = synthesize_stack("enterprise", config).resources
    groups = sorted(r.inputs["resourceGroupName"] for r in of_type(graph, "azure-native:resources:ResourceGroup"))
    assert groups == ["rg-lz07-chat-amsterdam", "rg-lz07-chat-amsterdam-data"]
    nsgs = {r.inputs["networkSecurityGroupName"]: r.inputs["resourceGroupName"] for r in of_type(graph, NSG)}
    assert nsgs["nsg-lz07-chat-dublin-pchat"] == "rg-lz07-lync"
    assert nsgs["nsg-lz07-chat-amsterdam-pchat"] == "rg-lz07-chat-amsterdam"
    sql = next(r for r in of_type(graph, VM) if r.inputs["vmName"] == "pchat01-sql")
    assert sql.inputs["resourceGroupName"] == "rg-lz07-lync-data"
    locks = {r.inputs["lockName"]: r.inputs["scope"] for r in of_type(graph, LOCK)}
    assert locks["lock-rg-lz07-lync-data"] == "/subscriptions/sub/resourceGroups/rg-lz07-lync-data"  # the caller's


def test_resource_group_names_are_checked() -> None:
    """Azure's rule: 1 to 90 letters, digits, underscores, hyphens, periods, parentheses, no trailing period
    (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules)."""
    topology = copy.deepcopy(stackfile.read("enterprise"))["pchat:topology"]
    topology["sites"]["dublin"]["resourceGroups"] = {"servers": "rg.", "data": "rg-x"}
    topology["sites"]["amsterdam"]["resourceGroups"] = {"servers": "RG-X"}
    with pytest.raises(TopologyError) as caught:
        plan_topology(topology)
    assert [str(p) for p in caught.value.problems] == [
        "sites.dublin.resourceGroups.servers: 'rg.' is not a resource group name (letters, digits, _-.(), at most 90)",
        "sites.amsterdam.resourceGroups.servers: 'RG-X' is also sites.dublin.resourceGroups.data: each group holds "
        "one site's servers or data",
    ]
