"""The fields of an Azure security rule, as plain data (an NSG's inline rule or a stand-alone SecurityRule, from a
plan or a policy's props), that hold one value or a list: each read one way, by the policy pack and by the
offline diff alike. A rule sets ``sourceAddressPrefix`` or ``sourceAddressPrefixes``, and so on, not both
[AZ:../virtual-network/network-security-groups-overview]. Pure: no Pulumi, no policy SDK."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def values(rule: Mapping[str, Any], single: str, plural: str) -> tuple[str, ...]:
    """The rule's single value (when set), then its list's elements (when a list), as text."""
    one, many = rule.get(single), rule.get(plural)
    listed = tuple(str(v) for v in many) if isinstance(many, Sequence) and not isinstance(many, str) else ()
    return ((str(one),) if one else ()) + listed


def sources(rule: Mapping[str, Any]) -> tuple[str, ...]:
    """Source prefixes or service tags."""
    return values(rule, "sourceAddressPrefix", "sourceAddressPrefixes")


def destinations(rule: Mapping[str, Any]) -> tuple[str, ...]:
    """Destination prefixes or service tags."""
    return values(rule, "destinationAddressPrefix", "destinationAddressPrefixes")


def ports(rule: Mapping[str, Any]) -> tuple[str, ...]:
    """Destination port ranges (``*``, ``1433``, ``49152-65535``)."""
    return values(rule, "destinationPortRange", "destinationPortRanges")
