"""SiteNetwork: resource group, VNet, subnets and NSGs with exactly the documented rules."""

from __future__ import annotations

from components import SiteNetwork, SiteNetworkArgs
from components.common import DIAGNOSTIC_SETTING
from lync_pchat.model import Plan, plan_topology
from lync_pchat.model.firewall import RuleSpec, subnet_rules
from lync_pchat.offline.graph import Resource, children, named, of_type, synthesize

from ..model.configs import changed, enterprise
from ..oracles.arm import NETWORK, resource_id

PLAN = plan_topology(
    changed(enterprise(), managementCidr="10.0.0.0/24", sites__dublin__dnsServers=["10.0.0.4", "10.0.0.5"])
)


WORKSPACE = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/"
    "Microsoft.OperationalInsights/workspaces/law-ops"
)


def build(workspace: str | None = None, plan: Plan = PLAN) -> None:
    SiteNetwork(
        "net-dublin",
        SiteNetworkArgs(
            site=plan.site("dublin"),
            rules={s: subnet_rules(plan, "dublin", s) for s in ("pchat", "sql")},
            name_prefix="pchat-prod",
            tags={"env": "prod"},
            diagnostics_workspace_id=workspace,
        ),
    )


GRAPH = synthesize(build)


def test_children() -> None:
    assert children(GRAPH, "net-dublin") == [
        ("azure-native:network:NetworkSecurityGroup", "net-dublin-pchat-nsg"),
        ("azure-native:network:NetworkSecurityGroup", "net-dublin-sql-nsg"),
        ("azure-native:network:Subnet", "net-dublin-pchat"),
        ("azure-native:network:Subnet", "net-dublin-sql"),
        ("azure-native:network:VirtualNetwork", "net-dublin-vnet"),
        ("azure-native:resources:ResourceGroup", "net-dublin-rg"),
    ]


def test_names_location_tags() -> None:
    group = named(GRAPH, "net-dublin-rg")
    assert (group.inputs["resourceGroupName"], group.inputs["location"]) == ("rg-pchat-prod-dublin", "northeurope")
    assert group.inputs["tags"] == {
        "env": "prod",
        "pchat-pool": "shared",
        "pchat-site": "dublin",
        "pchat-role": "network",
    }


def test_vnet() -> None:
    vnet = named(GRAPH, "net-dublin-vnet")
    assert vnet.inputs["virtualNetworkName"] == "vnet-pchat-prod-dublin"
    assert vnet.inputs["addressSpace"] == {"addressPrefixes": ["10.10.0.0/16"]}
    assert vnet.inputs["dhcpOptions"] == {"dnsServers": ["10.0.0.4", "10.0.0.5"]}
    assert "subnets" not in vnet.inputs


def test_subnets_carry_their_nsg_and_are_created_one_at_a_time() -> None:
    pchat, sql = named(GRAPH, "net-dublin-pchat"), named(GRAPH, "net-dublin-sql")
    assert (pchat.inputs["addressPrefix"], sql.inputs["addressPrefix"]) == ("10.10.0.0/24", "10.10.1.0/24")
    assert pchat.inputs["networkSecurityGroup"] == {
        "id": resource_id("rg-pchat-prod-dublin", NETWORK, "networkSecurityGroups", "nsg-pchat-prod-dublin-pchat")
    }
    assert sql.depends_on(pchat)


def azure_rule(spec: RuleSpec) -> dict[str, object]:
    """How Azure takes one rule: a single prefix or port in the singular key, several in the plural one."""
    rule: dict[str, object] = {
        "name": spec.name, "priority": float(spec.priority), "direction": "Inbound", "access": spec.access,
        "protocol": spec.protocol, "description": spec.description, "sourcePortRange": "*",
    }  # fmt: skip
    for single, plural, values in (
        ("sourceAddressPrefix", "sourceAddressPrefixes", spec.sources),
        ("destinationAddressPrefix", "destinationAddressPrefixes", spec.destinations),
        ("destinationPortRange", "destinationPortRanges", spec.ports),
    ):
        rule.update({single: values[0]} if len(values) == 1 else {plural: list(values)})
    return rule


def test_each_nsg_holds_exactly_the_rules_of_its_subnet() -> None:
    """The rules themselves are the model's (tests/model/test_firewall.py checks them against the
    documentation); the component hands each to Azure unchanged, in order."""
    for subnet in ("pchat", "sql"):
        rules = named(GRAPH, f"net-dublin-{subnet}-nsg").inputs["securityRules"]
        assert rules == [azure_rule(spec) for spec in subnet_rules(PLAN, "dublin", subnet)]
    pchat = named(GRAPH, "net-dublin-pchat-nsg").inputs["securityRules"]
    assert pchat[1]["destinationAddressPrefixes"] == ["10.10.0.8/32", "10.10.0.9/32"]
    assert pchat[0]["destinationAddressPrefix"] == "10.10.0.0/24"


def test_no_diagnostic_settings_by_default() -> None:
    assert of_type(GRAPH, "azure-native:monitor:DiagnosticSetting") == []


def test_each_nsg_sends_all_logs_to_the_workspace() -> None:
    graph = synthesize(lambda: build(WORKSPACE))
    assert children(graph, "net-dublin")[:2] == [
        ("azure-native:monitor:DiagnosticSetting", "net-dublin-pchat-nsg-diag"),
        ("azure-native:monitor:DiagnosticSetting", "net-dublin-sql-nsg-diag"),
    ]
    for subnet in ("pchat", "sql"):
        setting, nsg = named(graph, f"net-dublin-{subnet}-nsg-diag"), named(graph, f"net-dublin-{subnet}-nsg")
        assert setting.inputs == {
            "resourceUri": resource_id(
                "rg-pchat-prod-dublin", NETWORK, "networkSecurityGroups", f"nsg-pchat-prod-dublin-{subnet}"
            ),
            "name": DIAGNOSTIC_SETTING,
            "workspaceId": WORKSPACE,
            "logs": [{"categoryGroup": "allLogs", "enabled": True}],
        }
        assert setting.depends_on(nsg)
    assert [r.inputs for r in graph if r.type.endswith("NetworkSecurityGroup")] == [
        r.inputs for r in GRAPH if r.type.endswith("NetworkSecurityGroup")
    ]


HUB_ID = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/rg-hub/providers/" + (
    f"{NETWORK}/virtualNetworks/vnet-hub"
)
ROUTES_ID = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/rg-hub/providers/" + (
    f"{NETWORK}/routeTables/rt-spokes"
)
SPOKE = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/rg-spoke/providers/" + (
    f"{NETWORK}/virtualNetworks/vnet-spoke/subnets/"
)


def site_graph(**site: object) -> list[Resource]:
    """The dublin site of the enterprise topology with ``site`` keys set, synthesized alone."""
    plan = plan_topology(changed(enterprise(), **{f"sites__dublin__{k}": v for k, v in site.items()}))
    return synthesize(lambda: build(plan=plan))


def test_a_hub_gets_one_peering_from_the_site_that_uses_its_gateway_when_asked() -> None:
    for gateway in (True, False):
        (peering,) = of_type(site_graph(hubVirtualNetworkId=HUB_ID, useHubGateway=gateway),
                             "azure-native:network:VirtualNetworkPeering")  # fmt: skip
        assert peering.name == "net-dublin-to-hub"
        assert peering.inputs == {
            "resourceGroupName": "rg-pchat-prod-dublin",
            "virtualNetworkName": "vnet-pchat-prod-dublin",
            "virtualNetworkPeeringName": "peer-to-hub",
            "remoteVirtualNetwork": {"id": HUB_ID},
            "allowVirtualNetworkAccess": True,
            "allowForwardedTraffic": True,
            "useRemoteGateways": gateway,
        }
    assert of_type(GRAPH, "azure-native:network:VirtualNetworkPeering") == []


def test_the_route_table_is_on_every_subnet_the_site_creates() -> None:
    graph = site_graph(routeTableId=ROUTES_ID)
    subnets = of_type(graph, "azure-native:network:Subnet")
    assert [s.inputs["routeTable"] for s in subnets] == [{"id": ROUTES_ID}] * 2
    assert [s.inputs.get("routeTable") for s in of_type(GRAPH, "azure-native:network:Subnet")] == [None] * 2


def test_existing_subnets_create_no_network_only_the_nsgs_for_the_nics() -> None:
    graph = site_graph(existingNetwork={
        "pchatSubnetId": SPOKE + "snet-chat", "pchatSubnetPrefix": "10.10.4.0/24",
        "sqlSubnetId": SPOKE + "snet-data", "sqlSubnetPrefix": "10.10.5.0/26",
    })  # fmt: skip
    assert children(graph, "net-dublin") == [
        ("azure-native:network:NetworkSecurityGroup", "net-dublin-pchat-nsg"),
        ("azure-native:network:NetworkSecurityGroup", "net-dublin-sql-nsg"),
        ("azure-native:resources:ResourceGroup", "net-dublin-rg"),
    ]
