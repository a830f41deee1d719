"""Rules on what a platform adds: its own NSG rules (``sites.<site>.extraSecurityRules``: Azure's priority
range and port syntax, no clash with the project's rules, nothing the policy pack refuses, such as Internet
inbound, RDP from elsewhere than ``managementCidr``, or an admin or data port from beyond RFC 1918) and its
user-assigned identity."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import arm
from .addressing import parse_network
from .config import RuleAccess, RuleProtocol, RuleSubnet, SecurityRuleConfig, TopologyConfig
from .errors import Problem
from .exposure import BUT_RDP, PRIVATE_SOURCES, RFC1918_URL, admin_port, is_private_source
from .firewall import VIRTUAL_NETWORK
from .ports import PCHAT, RDP, RPC, RPC_DYNAMIC, SMB, SQL, SQL_BROWSER
from .text import is_ipv4

NSG_RULES = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
"""Security rules: priority "between 100 and 4096", ports "a single port, a range (10000-10005)" or ``*``,
sources an IP address, a CIDR range, a service tag."""
NSG_TAGS = "https://learn.microsoft.com/azure/virtual-network/service-tags-overview"
"""``VirtualNetwork``: "the virtual network address space ..., all connected on-premises address spaces, peered
virtual networks, virtual networks connected to a virtual network gateway"."""
OWN_RANGES = ((100, 899), (3000, 4095))
"""Priorities left to the platform: before the project's RDP (900) and pool rules (1000 up, 20 per
addressSlot), and after them up to the project's deny-all (4096)."""
INTERNET = frozenset({"*", "0.0.0.0/0", "internet", "any"})
"""Sources that mean the whole Internet, as the policy pack reads them (``policies/network.py``)."""
SERVICE_TAG = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)?")
PORT = re.compile(r"[0-9]{1,5}")


def extra_rules(cfg: TopologyConfig) -> Iterator[Problem]:
    for key, site in cfg.sites.items():
        taken: dict[tuple[str, int], str] = {}
        for name, rule in site.extra_security_rules.items():
            path = f"sites.{key}.extraSecurityRules.{name}"
            yield from _rule(path, rule, cfg.management_cidr)
            for subnet in ("pchat", "sql") if rule.subnet is RuleSubnet.BOTH else (rule.subnet.value,):
                other = taken.setdefault((subnet, rule.priority), name)
                if other != name:
                    why = f"{rule.priority} is also {other}'s in the {subnet} NSG"
                    yield Problem(f"{path}.priority", why, NSG_RULES)


def _rule(path: str, rule: SecurityRuleConfig, management: str | None) -> Iterator[Problem]:
    if not any(low <= rule.priority <= high for low, high in OWN_RANGES):
        allowed = " or ".join(f"{low} to {high}" for low, high in OWN_RANGES)
        yield Problem(f"{path}.priority", f"{rule.priority}: must be {allowed} (the rest is the project's)", NSG_RULES)
    ranges = [_ports(p) for p in rule.ports]
    exposed = next(filter(None, (admin_port(*r, BUT_RDP) for r in ranges if r is not None)), None)
    for index, source in enumerate(rule.sources):
        if not _source(source):
            why = f"{source[:80]!r} is not an IPv4 range or a service tag"
            yield Problem(f"{path}.sources.{index}", why, NSG_RULES)
        elif rule.access is RuleAccess.ALLOW and source.lower() in INTERNET:
            yield Problem(f"{path}.sources.{index}", f"{source!r}: no inbound rule may allow the Internet")
        elif rule.access is RuleAccess.ALLOW and exposed and not is_private_source(source):
            why = f"{source!r} may not reach {exposed}: an admin or data port admits only {PRIVATE_SOURCES}"
            yield Problem(f"{path}.sources.{index}", why, RFC1918_URL)
    for index, (port, found) in enumerate(zip(rule.ports, ranges, strict=True)):
        if found is None:
            why = f"{port[:80]!r} is not a port, a range such as 5985-5986, or *"
            yield Problem(f"{path}.ports.{index}", why, NSG_RULES)
    rdp = any(r is not None and r[0] <= int(RDP.number) <= r[1] for r in ranges)
    if rule.access is RuleAccess.ALLOW and rdp and rule.protocol in (RuleProtocol.TCP, RuleProtocol.ANY):
        yield Problem(f"{path}.ports", f"allows RDP ({RDP.number}): RDP comes only from managementCidr ({management})")


def _source(text: str) -> bool:
    if text == "*" or SERVICE_TAG.fullmatch(text) or is_ipv4(text):
        return True
    try:
        parse_network(text)
    except ValueError:
        return False
    return True


def _ports(text: str) -> tuple[int, int] | None:
    """The range a port spec covers, or None when it is not one."""
    if text == "*":
        return (1, 65535)
    low, _, high = text.partition("-")
    if not PORT.fullmatch(low) or (high and not PORT.fullmatch(high)):
        return None
    first, last = int(low), int(high or low)
    return (first, last) if 1 <= first <= last <= 65535 else None


def identity(cfg: TopologyConfig) -> Iterator[Problem]:
    """The user-assigned identity is named by its resource id."""
    found = cfg.user_assigned_identity_id
    if found is not None and not arm.USER_ASSIGNED_IDENTITY.matches(found):
        yield Problem("userAssignedIdentityId", arm.USER_ASSIGNED_IDENTITY.problem(found))


GROUP_NAME = re.compile(r"[-\w.()]{0,89}[-\w()]")
"""A resource group name: 1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a
period (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules)."""


def resource_groups(cfg: TopologyConfig) -> Iterator[Problem]:
    """Existing groups named as Azure names them; the two groups of a site apart, every site's apart."""
    seen: dict[str, str] = {}
    for key, site in cfg.sites.items():
        groups = site.resource_groups
        for kind, name in (("servers", groups.servers), ("data", groups.data)) if groups else ():
            if name is None:
                continue
            path = f"sites.{key}.resourceGroups.{kind}"
            if not GROUP_NAME.fullmatch(name) or not name.isascii():
                yield Problem(path, f"{name[:90]!r} is not a resource group name (letters, digits, _-.(), at most 90)")
            elif (other := seen.setdefault(name.lower(), path)) != path:
                yield Problem(path, f"{name!r} is also {other}: each group holds one site's servers or data")


RULES = (extra_rules, identity, resource_groups)


def advisories(cfg: TopologyConfig) -> list[str]:
    """Without ``managementCidr`` (and a pool without Front End ranges) the administration, SQL, RPC and SMB rules
    admit the whole ``VirtualNetwork`` tag (``firewall.admins``): supported, not least access."""
    if cfg.management_cidr is not None:
        return []
    wide = [key for key, pool in cfg.pools.items() if pool.front_end_cidr is None and not pool.front_end_cidrs]
    if not wide:
        return []
    return [
        f"managementCidr: not set, so RDP has no rule and the administration ({PCHAT.number}), SQL ({SQL.number}, "
        f"{SQL_BROWSER.number}), RPC ({RPC.number}, {RPC_DYNAMIC.number}) and SMB ({SMB.number}) rules of "
        f"{', '.join(wide)} admit the {VIRTUAL_NETWORK} tag: the virtual "
        "network, its peerings and every on-premises range its gateway announces; set managementCidr to your "
        f"administrators' range [{NSG_TAGS}]"
    ]
