"""Network checks: no public IP, no inbound rule from the Internet, RDP from management only.

Every Persistent Chat port (5041, 881, 8011, 445, 1433, 5022, 7022) is an internal-server port
[L:lync-server-2013-ports-and-protocols-for-internal-servers], so nothing needs the Internet.
"""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Any

from ..model import resource_types as rt
from ..model.addressing import RFC1918
from ..model.exposure import BUT_RDP, PRIVATE_SOURCES, admin_port, is_private_source
from ..model.ports import RDP
from ..model.security_rules import ports, sources
from .base import PORTS, CheckOptions, kind, lookup, mappings

INTERNET = frozenset({"*", "0.0.0.0/0", "0.0.0.0", "::/0", "internet", "any"})
PORTLESS = frozenset({"icmp", "esp", "ah"})

Network = IPv4Network | IPv6Network


def security_rules(resource_type: str, props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The rules of an NSG (inline ``securityRules``) or a stand-alone SecurityRule."""
    match kind(resource_type):
        case rt.NSG:
            return mappings(props.get("securityRules"))
        case rt.SECURITY_RULE:
            return [props]
    return []


def inbound_allows(resource_type: str, props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        rule
        for rule in security_rules(resource_type, props)
        if str(rule.get("direction", "")).lower() == "inbound" and str(rule.get("access", "")).lower() == "allow"
    ]


def rule_name(rule: Mapping[str, Any]) -> str:
    return str(rule.get("name") or rule.get("securityRuleName") or "?")


def covers(spec: str, port: int) -> bool:
    """Whether a port spec (``*``, ``3389``, ``3000-4000``) includes ``port``."""
    span = _port_range(spec)
    return span is not None and span[0] <= port <= span[1]


def _network(text: str) -> Network | None:
    try:
        return ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def within(source: str, ranges: list[Network]) -> bool:
    net = _network(source)
    return net is not None and any(
        net.version == r.version and net.subnet_of(r)  # type: ignore[arg-type]
        for r in ranges
    )


def _ip_configs(found: str, props: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], str]]:
    """The ip configurations of a NIC or of a VM's inline NICs, with the key of their public IP."""
    if found == rt.NIC:
        return [(c, "publicIPAddress") for c in mappings(props.get("ipConfigurations"))]
    if found == rt.VM:
        nics = mappings(lookup(props, "networkProfile.networkInterfaceConfigurations"))
        return [(c, "publicIPAddressConfiguration") for nic in nics for c in mappings(nic.get("ipConfigurations"))]
    return []


def check_public_ip(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """No PublicIPAddress, no public IP on a NIC's or a VM's inline ip configurations."""
    why = (
        "Persistent Chat servers and their SQL Servers are internal servers, reached only over "
        f"private addresses [{PORTS}]"
    )
    found = kind(resource_type)
    if found == rt.PUBLIC_IP:
        return [f"A public IP address is not allowed in a Persistent Chat deployment: {why}"]
    return [
        f"IP configuration '{config.get('name', '?')}' attaches a public IP address: remove {key}; {why}"
        for config, key in _ip_configs(found, props)
        if config.get(key) is not None
    ]


def check_internet_inbound(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """No inbound Allow rule whose source is the whole Internet."""
    return [
        f"NSG rule '{rule_name(rule)}' allows inbound traffic from '{source}' (the Internet) to port(s) "
        f"{', '.join(ports(rule)) or '?'}: Persistent Chat and its SQL Servers are internal servers, so "
        f"admit only the Front End, pool, SQL and management ranges [{PORTS}]"
        for rule in inbound_allows(resource_type, props)
        for source in sources(rule)
        if source.strip().lower() in INTERNET
    ]


def _port_range(spec: str) -> tuple[int, int] | None:
    """A port spec as an inclusive range (``*``: every port); None when unreadable."""
    spec = spec.strip()
    if spec == "*":
        return (1, 65535)
    low, _, high = spec.partition("-")
    try:
        return (int(low), int(high or low))
    except ValueError:
        return None


def check_admin_sources(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """An admin or data port (RPC, SMB, SQL, WinRM, mirroring, 8011) only from RFC 1918 ranges or the
    VirtualNetwork tag: no public range (not even halves such as 0.0.0.0/1), no cloud-wide tag (AzureCloud).
    The whole Internet is ``pchat-no-internet-inbound``'s, RDP ``pchat-rdp-management-only``'s."""
    found = []
    for rule in inbound_allows(resource_type, props):
        if str(rule.get("protocol", "*")).lower() in PORTLESS:
            continue
        exposed = next(filter(None, (admin_port(*r, BUT_RDP) for r in map(_port_range, ports(rule)) if r)), None)
        if exposed is None:
            continue  # its sources are not read: an unknown one in a preview holds nothing up
        found += [
            f"NSG rule '{rule_name(rule)}' allows {exposed} from '{source}': an admin or data port admits only "
            f"{PRIVATE_SOURCES} [{PORTS}]"
            for source in sources(rule)
            if source.strip().lower() not in INTERNET and not is_private_source(source)
        ]
    return found


def _rdp_rules(resource_type: str, props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        rule
        for rule in inbound_allows(resource_type, props)
        if str(rule.get("protocol", "*")).lower() not in PORTLESS
        and any(covers(spec, int(RDP.number)) for spec in ports(rule))
    ]


def check_rdp_source(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """RDP (3389) only from ``managementCidr``; without that config, only from RFC 1918 ranges."""
    rules = _rdp_rules(resource_type, props)
    if not rules:
        return []
    configured = options.config.get("managementCidr")
    if configured:
        management = _network(str(configured))
        if management is None:
            return [f"Policy config managementCidr '{configured}' is not an address range such as 10.0.0.0/24"]
        ranges, allowed = [management], f"the management range {management}"
    else:
        ranges = list(RFC1918)  # where RDP may come from when no managementCidr is configured
        allowed = "a private RFC 1918 range (set the policy config managementCidr to name the exact range)"
    return [
        f"NSG rule '{rule_name(rule)}' allows RDP ({RDP.number}) from '{source}', which is not inside {allowed}: "
        f"an administrator's RDP must come from the management network only [{PORTS}]"
        for rule in rules
        for source in sources(rule)
        if not within(source, ranges)
    ]
