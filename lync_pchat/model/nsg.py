"""Azure's evaluation of inbound NSG rules, for proving that the rules admit every need and nothing else.

Rules are evaluated by priority, lowest first; the first rule whose protocol, source, destination and port match
decides [AZ:../virtual-network/network-security-groups-overview], packet by packet: a need over a port range is
admitted only when every port of it is. A prefix is ``*`` (anything), a CIDR, or a service tag [NSG_TAGS]; the
``VirtualNetwork`` tag is the virtual network's address space, the networks peered to it and the on-premises ranges
its gateway announces (here: every site's space, the management range, the Front End and Central Management
ranges). [NSG_TAGS]: :data:`lync_pchat.model.rules_security.NSG_TAGS`.

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
from .rules_security import SERVICE_TAG

Interval = tuple[int, int]
"""An inclusive range of port numbers."""
ALL_PORTS: Interval = (0, 65535)
PORTLESS = frozenset({"icmp", "esp", "ah"})
"""A security rule's protocol is Tcp, Udp, Icmp, Esp, Ah or ``*`` (any) [AZ:NSG overview]; these three have no
ports, so a rule's port ranges do not narrow what they match."""
ANY_PROTOCOL = ("Tcp", "Udp")
"""What a need of protocol ``*`` sends: both, so only a rule for each (or one of ``*``) admits all of it."""
AZURE_LOAD_BALANCER = IPv4Address("168.63.129.16")
"""The one address of the ``AzureLoadBalancer`` tag, the host's health probes [NSG_TAGS]."""


@dataclass(frozen=True)
class Verdict:
    """Which NSG decided a connection, by which rule (None: no rule matched, which the deny-all prevents); ``ports``
    names the part of the need a denying rule (or no rule) decides, when that is not the whole need."""

    nsg: str
    rule: RuleSpec | None
    ports: str = ""

    @property
    def allowed(self) -> bool:
        return self.rule is not None and self.rule.access == "Allow"

    def __str__(self) -> str:
        part = f" for {self.ports}" if self.ports else ""
        if self.rule is None:
            return f"no rule of {self.nsg} matches{part}"
        return f"{self.nsg} rule {self.rule.name} ({self.rule.priority}){part}"


def virtual_network(plan: Plan) -> tuple[IPv4Network, ...]:
    """What the ``VirtualNetwork`` tag covers for this plan."""
    ranges = [site.address_space for site in plan.sites]
    ranges += [site.pchat_subnet for site in plan.sites] + [site.sql_subnet for site in plan.sites]
    ranges += [r for r in (plan.management_cidr, plan.central_management_cidr) if r]
    ranges += [r for pool in plan.pools for r in pool.front_end_cidrs]
    return tuple(ip_network(r, strict=False) for r in dict.fromkeys(ranges))  # type: ignore[misc]


def _prefix_matches(prefix: str, address: IPv4Address, vnet: Sequence[IPv4Network]) -> bool:
    """A prefix is ``*``/``Any``, a CIDR or a service tag [NSG_TAGS]: ``VirtualNetwork`` the VNet, its peerings
    and on-premises; ``Internet`` public addresses outside it; ``AzureLoadBalancer`` 168.63.129.16; every other tag
    Azure's public ranges, which hold no private address (a public one the model cannot place: ValueError)."""
    tag = prefix.lower()
    in_vnet = any(address in network for network in vnet)
    if tag in ("*", "any"):
        return True
    if tag == VIRTUAL_NETWORK.lower():
        return in_vnet
    if tag == "internet":
        return address.is_global and not in_vnet
    if tag == "azureloadbalancer":
        return address == AZURE_LOAD_BALANCER
    try:
        return address in ip_network(prefix, strict=False)
    except ValueError:
        if not SERVICE_TAG.fullmatch(prefix):
            raise ValueError(f"{prefix!r} is neither a CIDR nor a service tag") from None
    if address.is_private:
        return False
    raise ValueError(f"the model does not hold the ranges of service tag {prefix!r} to place {address}")


def _protocol_matches(rule: str, protocol: str) -> bool:
    return rule == "*" or rule.lower() == protocol.lower()


def _ranges(entries: Sequence[str]) -> list[Interval]:
    """A rule's port list (single ports, ``low-high`` ranges, ``*``) as intervals."""
    found = []
    for entry in entries:
        if entry == "*":
            return [ALL_PORTS]
        found.append(Port("*", entry).bounds)
    return found


def _carve(undecided: list[Interval], covered: Sequence[Interval]) -> tuple[list[Interval], list[Interval]]:
    """Split the undecided intervals into the parts a rule's intervals cover and the parts left over."""
    taken: list[Interval] = []
    left = list(undecided)
    for low, high in covered:
        rest: list[Interval] = []
        for first, last in left:
            if last < low or high < first:
                rest.append((first, last))
                continue
            taken.append((max(first, low), min(last, high)))
            rest += [r for r in ((first, low - 1), (high + 1, last)) if r[0] <= r[1]]
        left = rest
    return sorted(taken), sorted(left)


def _describe(parts: dict[str, list[Interval]]) -> str:
    return ", ".join(
        f"{protocol.lower()}/{low}" + (f"-{high}" if high != low else "")
        for protocol, intervals in parts.items()
        for low, high in intervals
    )


def evaluate(
    rules: Sequence[RuleSpec], port: Port, source: IPv4Address, destination: IPv4Address, *,
    vnet: Sequence[IPv4Network], nsg: str = "nsg",
) -> Verdict:  # fmt: skip
    """Azure decides each packet by the first rule, by priority, that matches its five-tuple [AZ:NSG overview]; a
    need (a protocol and a port range) is admitted only when every protocol and port of it is. The rules are walked
    once, each carving what it matches out of the still undecided ports: the first rule that denies any part
    decides the verdict, else a part no rule matches (rule None), else the first rule that allows."""
    need = [ALL_PORTS] if port.number == "*" else [port.bounds]
    whole = {p: need for p in (ANY_PROTOCOL if port.protocol == "*" else (port.protocol,))}
    undecided = dict(whole)
    allowing: RuleSpec | None = None
    for rule in sorted(rules, key=lambda r: r.priority):
        if not any(_prefix_matches(p, source, vnet) for p in rule.sources):
            continue
        if not any(_prefix_matches(p, destination, vnet) for p in rule.destinations):
            continue
        decided: dict[str, list[Interval]] = {}
        for protocol, intervals in undecided.items():
            if _protocol_matches(rule.protocol, protocol):
                covered = [ALL_PORTS] if protocol.lower() in PORTLESS else _ranges(rule.ports)
                decided[protocol], undecided[protocol] = _carve(intervals, covered)
        decided = {p: i for p, i in decided.items() if i}
        if decided and rule.access != "Allow":
            return Verdict(nsg, rule, "" if decided == whole else _describe(decided))
        if decided and allowing is None:
            allowing = rule
        undecided = {p: i for p, i in undecided.items() if i}
        if not undecided:
            return Verdict(nsg, allowing)
    return Verdict(nsg, None, "" if undecided == whole else _describe(undecided))


def source_address(plan: Plan, runs_on: str) -> IPv4Address:
    """Where a need comes from: its server's address, or a host of the management range (without one, the
    administrators work from a Front End: the first Front End range, else a host of the first site)."""
    if runs_on != MANAGEMENT:
        return IPv4Address(plan.server(runs_on).private_ip)
    ranges = [plan.management_cidr] if plan.management_cidr else [r for p in plan.pools for r in p.front_end_cidrs]
    network = ip_network(ranges[0] if ranges else plan.sites[0].address_space, strict=False)
    return IPv4Address(int(network.network_address) + 4)


def nsg_name(site: str, subnet: str) -> str:
    """The NSG of ``subnet`` in ``site``: the site key here, ``<namePrefix>-<site>`` where the deployment names it
    (:class:`components.site_network.SiteNetwork`), one spelling for both."""
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
