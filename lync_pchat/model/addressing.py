"""The address plan: two subnets per site and a fixed block of addresses per pool.

A site's address space (/8 to /24) gives a Persistent Chat subnet and a SQL subnet
(/24 each, or a half or quarter of a small space), unless the site attaches to existing
subnets, whose prefixes the config gives. Each pool owns the same block
(``addressSlot``) in both subnets of every site it uses; inside a block a server's
offset is fixed by its role and ordinal. Growing a pool, enabling a feature or adding
a pool therefore never moves an address that was already planned.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network

from .roles import SQL_OFFSET, Role

BLOCK = 8
"""Addresses per pool block: four pool servers, or up to five SQL roles, per site."""
RESERVED_BLOCKS = 2
"""The first and the last block of a subnet hold the addresses Azure reserves (the first four and the last)."""
MIN_PREFIX, MAX_PREFIX = 8, 24
PCHAT_SUBNET, SQL_SUBNET = 0, 1
RFC1918 = tuple(IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def parse_network(text: str) -> IPv4Network:
    """An IPv4 network with no host bits set; raises ``ValueError`` with the reason."""
    network = ipaddress.ip_network(text, strict=True)
    if not isinstance(network, IPv4Network):
        raise ValueError(f"{text!r} is not an IPv4 network")
    return network


def is_private(network: IPv4Network) -> bool:
    return any(network.subnet_of(block) for block in RFC1918)


def subnet_prefix(space: IPv4Network) -> int:
    """/24 subnets in a /22 or larger space, else a half (/23) or a quarter (/24)."""
    return 24 if space.prefixlen <= 22 else space.prefixlen + 2


def subnets(space: IPv4Network) -> tuple[IPv4Network, IPv4Network]:
    """The (Persistent Chat, SQL) subnets of a site address space."""
    carved = space.subnets(new_prefix=subnet_prefix(space))
    return next(carved), next(carved)


def slot_count(subnet: IPv4Network) -> int:
    """Usable blocks of a subnet: the first and last block hold Azure's reserved addresses."""
    return max(0, subnet.num_addresses // BLOCK - RESERVED_BLOCKS)


def offset(role: Role, ordinal: int) -> int:
    """A server's fixed offset within its pool's block."""
    if role in (Role.ACTIVE, Role.STANDARD_EDITION):
        return ordinal - 1
    if role is Role.STANDBY:
        return 4 + ordinal - 1
    return SQL_OFFSET[role]


def address(subnet: IPv4Network, slot: int, role: Role, ordinal: int) -> IPv4Address:
    """The static private address of one server in its subnet (the pchat or the sql one)."""
    return subnet[BLOCK * (slot + 1) + offset(role, ordinal)]
