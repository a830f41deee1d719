"""A Lync central site on Azure: resource group, virtual network, two subnets and their NSGs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import network, resources

from ..model import SitePlan
from ..model.firewall import RuleSpec
from .common import SHARED, Component, child, diagnostics, tags

SUBNETS = ("pchat", "sql")


@dataclass(frozen=True)
class SiteNetworkArgs:
    """Inputs of :class:`SiteNetwork`."""

    site: SitePlan
    """The site: region, address space, subnets and DNS servers."""
    rules: Mapping[str, Sequence[RuleSpec]]
    """Inbound rules of the ``pchat`` and ``sql`` subnets."""
    name_prefix: str
    """Prefix of the Azure names, e.g. ``pchat-prod``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    diagnostics_workspace_id: str | None = None
    """Log Analytics workspace for the NSGs' logs (category group allLogs); none when omitted."""


class SiteNetwork(Component):
    """Children: a resource group, a virtual network, a ``pchat`` and a ``sql`` subnet, an NSG each
    (rules ending in deny-all) and, with a diagnostics workspace, a diagnostic setting per NSG.

    Outputs: ``resource_group_name``, ``vnet_id``, ``vnet_name``, ``subnet_ids`` (by subnet).
    """

    resource_group_name: pulumi.Output[str]
    vnet_id: pulumi.Output[str]
    vnet_name: pulumi.Output[str]
    subnet_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: SiteNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("SiteNetwork", name, opts)
        site, prefix = args.site, f"{args.name_prefix}-{args.site.key}"
        labels = tags(args.tags, pool=SHARED, site=site.key, role="network")
        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=f"rg-{prefix}", location=site.region, tags=labels, opts=child(self)
        )
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=group.name,
            location=site.region,
            virtual_network_name=f"vnet-{prefix}",
            address_space=network.AddressSpaceArgs(address_prefixes=[site.address_space]),
            dhcp_options=network.DhcpOptionsArgs(dns_servers=list(site.dns_servers)) if site.dns_servers else None,
            tags=labels,
            opts=child(self),
        )
        prefixes = {"pchat": site.pchat_subnet, "sql": site.sql_subnet}
        subnets: dict[str, network.Subnet] = {}
        for subnet in SUBNETS:
            nsg = network.NetworkSecurityGroup(
                f"{name}-{subnet}-nsg",
                resource_group_name=group.name,
                location=site.region,
                network_security_group_name=f"nsg-{prefix}-{subnet}",
                security_rules=[security_rule(rule) for rule in args.rules[subnet]],
                tags=labels,
                opts=child(self),
            )
            if args.diagnostics_workspace_id is not None:
                diagnostics(
                    f"{name}-{subnet}-nsg-diag",
                    self,
                    resource_uri=nsg.id,
                    workspace_id=args.diagnostics_workspace_id,
                    metrics=False,
                )
            previous = list(subnets.values())
            subnets[subnet] = network.Subnet(
                f"{name}-{subnet}",
                resource_group_name=group.name,
                virtual_network_name=vnet.name,
                subnet_name=f"snet-{subnet}",
                address_prefix=prefixes[subnet],
                network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
                opts=child(self, depends_on=previous),
            )
        self.resource_group_name = group.name
        self.vnet_id = vnet.id
        self.vnet_name = vnet.name
        self.subnet_ids = {key: subnet.id for key, subnet in subnets.items()}
        self.register_outputs(
            {
                "resourceGroupName": self.resource_group_name,
                "vnetId": self.vnet_id,
                "subnetIds": self.subnet_ids,
            }
        )


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
