"""Azure's evaluation of inbound NSG rules, for proving that the rules admit every need and nothing else.

Rules are evaluated by priority, lowest first; the first rule whose protocol, source, destination and port match
decides [AZ:../virtual-network/network-security-groups-overview]. A prefix is ``*`` (anything), a CIDR, or the
``VirtualNetwork`` tag: the virtual network's address space, the networks peered to it and the on-premises ranges
its gateway announces (here: every site's space, the management range, the Front End and Central Management
ranges).

Only the inbound side decides: the project's NSGs hold no outbound rule, so Azure's default outbound rules
(AllowVnetOutBound, AllowInternetOutBound) let every need leave its source. The NSG in front of a target is its
subnet's, or on the spoke stack's existing subnets the same rules on its network interface
(:func:`lync_pchat.model.firewall.subnet_rules` either way); a platform's own subnet NSG is outside the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_network

from .firewall import VIRTUAL_NETWORK, RuleSpec, subnet_rules
from .needs import MANAGEMENT, Need
from .plan import Plan
from .ports import Port


@dataclass(frozen=True)
class Verdict:
    """Which NSG decided a connection, by which rule (None: no rule matched, which the deny-all prevents)."""

    nsg: str
    rule: RuleSpec | None

    @property
    def allowed(self) -> bool:
        return self.rule is not None and self.rule.access == "Allow"

    def __str__(self) -> str:
        if self.rule is None:
            return f"no rule of {self.nsg} matches"
        return f"{self.nsg} rule {self.rule.name} ({self.rule.priority})"


def virtual_network(plan: Plan) -> tuple[IPv4Network, ...]:
    """What the ``VirtualNetwork`` tag covers for this plan."""
    ranges = [site.address_space for site in plan.sites]
    ranges += [site.pchat_subnet for site in plan.sites] + [site.sql_subnet for site in plan.sites]
    ranges += [r for r in (plan.management_cidr, plan.central_management_cidr) if r]
    ranges += [r for pool in plan.pools for r in pool.front_end_cidrs]
    return tuple(ip_network(r, strict=False) for r in dict.fromkeys(ranges))  # type: ignore[misc]


def _prefix_matches(prefix: str, address: IPv4Address, vnet: Sequence[IPv4Network]) -> bool:
    if prefix == "*":
        return True
    if prefix == VIRTUAL_NETWORK:
        return any(address in network for network in vnet)
    return address in ip_network(prefix, strict=False)


def _port_matches(ports: Sequence[str], port: Port) -> bool:
    """The rule covers the need's whole range."""
    low, high = port.bounds
    for entry in ports:
        if entry == "*":
            return True
        first, _, last = entry.partition("-")
        if int(first) <= low and high <= int(last or first):
            return True
    return False


def evaluate(
    rules: Sequence[RuleSpec], port: Port, source: IPv4Address, destination: IPv4Address, *,
    vnet: Sequence[IPv4Network], nsg: str = "nsg",
) -> Verdict:  # fmt: skip
    """The first rule, by priority, that matches the connection."""
    for rule in sorted(rules, key=lambda r: r.priority):
        if rule.protocol != "*" and port.protocol != "*" and rule.protocol.lower() != port.protocol.lower():
            continue
        if not any(_prefix_matches(p, source, vnet) for p in rule.sources):
            continue
        if not any(_prefix_matches(p, destination, vnet) for p in rule.destinations):
            continue
        if _port_matches(rule.ports, port):
            return Verdict(nsg, rule)
    return Verdict(nsg, None)


def source_address(plan: Plan, runs_on: str) -> IPv4Address:
    """Where a need comes from: its server's address, or a host of the management range (without one, the
    administrators work from a Front End: the first Front End range, else a host of the first site)."""
    if runs_on != MANAGEMENT:
        return IPv4Address(plan.server(runs_on).private_ip)
    ranges = [plan.management_cidr] if plan.management_cidr else [r for p in plan.pools for r in p.front_end_cidrs]
    network = ip_network(ranges[0] if ranges else plan.sites[0].address_space, strict=False)
    return IPv4Address(int(network.network_address) + 4)


def nsg_name(site: str, subnet: str) -> str:
    """The NSG as the deployment names it, without the stack's name prefix."""
    return f"nsg-{site}-{subnet}"


def admit(plan: Plan, need: Need) -> Verdict | None:
    """The verdict of the NSG in front of the need's target (the subnet's, or the same rules on the NIC); None for a
    target the project does not build (no NSG of the project's decides it)."""
    target = next((s for s in plan.servers if s.key == need.target), None)
    if target is None:
        return None
    rules = subnet_rules(plan, target.site, target.subnet)
    return evaluate(
        rules, need.port, source_address(plan, need.runs_on), IPv4Address(target.private_ip),
        vnet=virtual_network(plan), nsg=nsg_name(target.site, target.subnet),
    )  # fmt: skip
