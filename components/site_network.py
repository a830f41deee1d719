"""A data center on Azure: resource group, NSGs, and the virtual network and subnets unless the site
attaches to existing ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import network, resources

from lync_pchat.model import SitePlan
from lync_pchat.model.firewall import RuleSpec
from lync_pchat.model.nsg import nsg_name

from .common import SHARED, Component, child, diagnostics, tags

SUBNETS = ("pchat", "sql")
STORAGE_ENDPOINT = "Microsoft.Storage"
"""The service endpoint of the subnets whose servers back up: the backup storage account admits them and no other
network [network rules of Azure Storage: a virtual network rule needs the subnet's service endpoint]."""


@dataclass(frozen=True)
class SiteNetworkArgs:
    """Inputs of :class:`SiteNetwork`. Ids and DNS servers may be Outputs of a larger stack."""

    site: SitePlan
    """The site: region, address space, subnets, existing subnets, hub and route table."""
    rules: Mapping[str, Sequence[RuleSpec]]
    """Inbound rules of the ``pchat`` and ``sql`` subnets."""
    name_prefix: str
    """Prefix of the Azure names, e.g. ``pchat-prod``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    diagnostics_workspace_id: pulumi.Input[str] | None = None
    """Log Analytics workspace for the NSGs' logs (category group allLogs); none when omitted."""
    dns_servers: pulumi.Input[Sequence[str]] | None = None
    """The virtual network's DNS servers; default: the site's."""
    existing_subnet_ids: Mapping[str, pulumi.Input[str]] | None = None
    """Subnet -> id of the existing subnet; default: the site's (None: create the network)."""
    hub_virtual_network_id: pulumi.Input[str] | None = None
    """The hub to peer with; default: the site's."""
    route_table_id: pulumi.Input[str] | None = None
    """The route table of the created subnets; default: the site's."""
    storage_endpoint_subnets: tuple[str, ...] = ("sql",)
    """The created subnets with the ``Microsoft.Storage`` service endpoint: those whose servers back up to the
    site's backup storage account (the SQL Servers; a Standard Edition server in ``pchat``)."""
    resource_group_name: pulumi.Input[str] | None = None
    """The platform's existing group for the site's servers; default: the site's (None: create one)."""


class SiteNetwork(Component):
    """Children: a resource group and an NSG per subnet (rules ending in deny-all, with a diagnostic
    setting each when a workspace is given). Unless the site attaches to existing subnets: a virtual
    network, a ``pchat`` and a ``sql`` subnet (the subnets of backup hosts with the ``Microsoft.Storage`` service
    endpoint), each with its NSG (and the route table when given), and a
    peering to the hub when given. With existing subnets, the servers' NICs carry the NSGs instead.

    Outputs: ``resource_group_name``, ``vnet_id`` and ``vnet_name`` (None with existing subnets),
    ``subnet_ids`` and ``nsg_ids`` (by subnet), ``nsgs_on_nics``.
    """

    resource_group_name: pulumi.Output[str]
    vnet_id: pulumi.Output[str] | None
    vnet_name: pulumi.Output[str] | None
    subnet_ids: dict[str, pulumi.Output[str]]
    nsg_ids: dict[str, pulumi.Output[str]]
    nsgs_on_nics: bool

    def __init__(self, name: str, args: SiteNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("SiteNetwork", name, opts)
        site, prefix = args.site, f"{args.name_prefix}-{args.site.key}"
        labels = tags(args.tags, pool=SHARED, site=site.key, role="network")
        given = args.resource_group_name if args.resource_group_name is not None else site.resource_groups[0]
        group = group_name(self, name, given, default=f"rg-{prefix}", region=site.region, labels=labels)
        nsgs = {
            subnet: self._nsg(name, subnet, group=group, prefix=prefix, labels=labels, args=args) for subnet in SUBNETS
        }
        self.resource_group_name = group
        self.nsg_ids = {subnet: nsg.id for subnet, nsg in nsgs.items()}
        planned = dict(zip(SUBNETS, site.existing_subnet_ids, strict=True)) if site.existing_subnet_ids else {}
        existing = {**planned, **(args.existing_subnet_ids or {})} or None  # given ids win over the plan's
        self.nsgs_on_nics = existing is not None
        if existing is not None:
            self.vnet_id = self.vnet_name = None
            self.subnet_ids = {subnet: pulumi.Output.from_input(existing[subnet]) for subnet in SUBNETS}
        else:
            vnet = self._vnet(name, group, prefix, labels, args)
            self.vnet_id, self.vnet_name = vnet.id, vnet.name
            self.subnet_ids = self._subnets(name, group, vnet, nsgs, args)
        self.register_outputs({
            "resourceGroupName": self.resource_group_name, "vnetId": self.vnet_id, "subnetIds": self.subnet_ids,
            "nsgIds": self.nsg_ids,
        })  # fmt: skip

    def _nsg(
        self, name: str, subnet: str, *, group: pulumi.Output[str], prefix: str, labels: dict[str, str],
        args: SiteNetworkArgs,
    ) -> network.NetworkSecurityGroup:  # fmt: skip
        nsg = network.NetworkSecurityGroup(
            f"{name}-{subnet}-nsg",
            resource_group_name=group,
            location=args.site.region,
            network_security_group_name=nsg_name(prefix, subnet),
            security_rules=[security_rule(rule) for rule in args.rules[subnet]],
            tags=labels,
            opts=child(self),
        )
        if args.diagnostics_workspace_id is not None:
            diagnostics(
                f"{name}-{subnet}-nsg-diag", self, resource_uri=nsg.id, workspace_id=args.diagnostics_workspace_id,
                metrics=False,
            )  # fmt: skip
        return nsg

    def _vnet(
        self, name: str, group: pulumi.Output[str], prefix: str, labels: dict[str, str], args: SiteNetworkArgs
    ) -> network.VirtualNetwork:
        site = args.site
        dns = args.dns_servers if args.dns_servers is not None else (list(site.dns_servers) or None)
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=group,
            location=site.region,
            virtual_network_name=f"vnet-{prefix}",
            address_space=network.AddressSpaceArgs(address_prefixes=[site.address_space]),
            dhcp_options=network.DhcpOptionsArgs(dns_servers=dns) if dns is not None else None,
            tags=labels,
            opts=child(self),
        )
        hub = args.hub_virtual_network_id or site.hub_virtual_network_id
        if hub is not None:
            network.VirtualNetworkPeering(
                f"{name}-to-hub",
                resource_group_name=group,
                virtual_network_name=vnet.name,
                virtual_network_peering_name="peer-to-hub",
                remote_virtual_network=network.SubResourceArgs(id=hub),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                use_remote_gateways=site.use_hub_gateway,
                opts=child(self),
            )
        return vnet

    def _subnets(
        self, name: str, group: pulumi.Output[str], vnet: network.VirtualNetwork,
        nsgs: dict[str, network.NetworkSecurityGroup], args: SiteNetworkArgs,
    ) -> dict[str, pulumi.Output[str]]:  # fmt: skip
        routes = args.route_table_id or args.site.route_table_id
        created: dict[str, network.Subnet] = {}
        for subnet in SUBNETS:
            created[subnet] = network.Subnet(
                f"{name}-{subnet}",
                resource_group_name=group,
                virtual_network_name=vnet.name,
                subnet_name=f"snet-{subnet}",
                address_prefix=args.site.subnet_prefix(subnet),
                network_security_group=network.NetworkSecurityGroupArgs(id=nsgs[subnet].id),
                route_table=network.RouteTableArgs(id=routes) if routes is not None else None,
                service_endpoints=[network.ServiceEndpointPropertiesFormatArgs(service=STORAGE_ENDPOINT)]
                if subnet in args.storage_endpoint_subnets
                else None,
                opts=child(self, depends_on=list(created.values())),
            )
        return {subnet: resource.id for subnet, resource in created.items()}


def security_rule(rule: RuleSpec) -> network.SecurityRuleArgs:
    """An inline NSG rule; single or plural prefixes and ports as Azure requires."""
    sources, destinations, ports = list(rule.sources), list(rule.destinations), list(rule.ports)
    return network.SecurityRuleArgs(
        name=rule.name,
        priority=rule.priority,
        direction="Inbound",
        access=rule.access,
        protocol=rule.protocol,
        description=rule.description,
        source_port_range="*",
        source_address_prefix=sources[0] if len(sources) == 1 else None,
        source_address_prefixes=sources if len(sources) > 1 else None,
        destination_address_prefix=destinations[0] if len(destinations) == 1 else None,
        destination_address_prefixes=destinations if len(destinations) > 1 else None,
        destination_port_range=ports[0] if len(ports) == 1 else None,
        destination_port_ranges=ports if len(ports) > 1 else None,
    )


def group_name(
    parent: Component,
    name: str,
    existing: pulumi.Input[str] | None,
    *,
    default: str,
    region: str,
    labels: Mapping[str, str],
) -> pulumi.Output[str]:
    """The name of the site's resource group: ``existing`` as given (the platform's; nothing created), else a
    new group named ``default``."""
    if existing is not None:
        return pulumi.Output.from_input(existing)
    group = resources.ResourceGroup(
        f"{name}-rg", resource_group_name=default, location=region, tags=dict(labels), opts=child(parent)
    )
    found: pulumi.Output[str] = group.name
    return found
