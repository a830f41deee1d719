"""Which servers a pool config asks for: roles, ordinals and sites.

Pure and total: it accepts configs that break the rules (clamping counts), so the rules
can check the names and addresses a config would produce, and the planner can build
from the same layout once the rules pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network

from .addressing import MAX_PREFIX, MIN_PREFIX, parse_network, subnets
from .config import CompliancePlacement, Edition, PoolConfig, SiteConfig, StorePlacement, StretchedLayout
from .roles import SUFFIX, Role

USERS_PER_SERVER = 20_000
MAX_ACTIVE_SERVERS = 4
MAX_STANDBY_SERVERS = 4
MAX_POOL_SERVERS = MAX_ACTIVE_SERVERS + MAX_STANDBY_SERVERS
"""8 servers per pool, at most 4 of them active [L:lync-server-2013-capacity-planning-for-persistent-chat-server]."""
MAX_SERVERS_PER_DATA_CENTER = 4
"""The documented stretched layouts put servers 1-4 of a pool in one data center and 5-8 in the other
[L:lync-server-2013-required-resources-for-persistent-chat-server]."""
MAX_DATA_CENTERS = 2
"""A pool is in one data center, or stretched over two
[L:lync-server-2013-using-a-stretched-persistent-chat-server-pool-for-disaster-recovery]."""


@dataclass(frozen=True)
class Seat:
    """One server a pool needs: its role, ordinal (pool servers only) and site key."""

    role: Role
    ordinal: int
    site: str

    def computer_name(self, prefix: str) -> str:
        ordinal = str(self.ordinal) if self.role in (Role.ACTIVE, Role.STANDBY) else ""
        return f"{prefix}{SUFFIX[self.role]}{ordinal}"


def default_active_servers(users: int) -> int:
    """ceil(users / 20,000), at least one [L:...capacity-planning-for-persistent-chat-server]."""
    return max(1, math.ceil(users / USERS_PER_SERVER))


def active_servers(pool: PoolConfig) -> int:
    return pool.active_servers if pool.active_servers is not None else default_active_servers(pool.users)


def standby_servers(pool: PoolConfig) -> int:
    dr = pool.disaster_recovery
    if dr is None:
        return 0
    return dr.standby_servers if dr.standby_servers is not None else active_servers(pool)


def store_placement(pool: PoolConfig, edition: Edition) -> StorePlacement:
    if pool.store.placement is not None:
        return pool.store.placement
    return StorePlacement.EXPRESS if edition is Edition.STANDARD else StorePlacement.DEDICATED


def compliance_placement(pool: PoolConfig, edition: Edition) -> CompliancePlacement:
    if pool.compliance.placement is not None:
        return pool.compliance.placement
    if edition is Edition.STANDARD:
        return CompliancePlacement.SHARED
    return CompliancePlacement.SEPARATE


def site_subnets(site: SiteConfig) -> tuple[IPv4Network, IPv4Network] | None:
    """The (Persistent Chat, SQL) subnets of a site: the existing ones it names, or the two it carves from
    its address space; None while the config cannot give them (the rules report why)."""
    try:
        if site.existing_network is not None:
            return parse_network(site.existing_network.pchat_subnet_prefix), parse_network(
                site.existing_network.sql_subnet_prefix
            )
        space = parse_network(site.address_space)
    except ValueError:
        return None
    return subnets(space) if MIN_PREFIX <= space.prefixlen <= MAX_PREFIX else None


def lync_site(sites: Mapping[str, SiteConfig], key: str) -> str:
    """The Lync central site a data center belongs to: its ``lyncSite``, else its key."""
    return sites[key].lync_site or key


def name_prefix(key: str, pool: PoolConfig) -> str:
    return pool.computer_name_prefix or key


def seats(pool: PoolConfig, edition: Edition) -> list[Seat]:
    """Every server the pool needs, pool servers first, in a stable order."""
    result = [Seat(Role.STANDARD_EDITION, 1, pool.site)] if edition is Edition.STANDARD else _pool_seats(pool)
    return result + [Seat(role, 1, site) for role, site in _sql_roles(pool, edition)]


def _pool_seats(pool: PoolConfig) -> list[Seat]:
    """Active and idle Persistent Chat servers and their data centers.

    lowBandwidth: every active server in the primary data center, the idle (standby) ones in the
    other. highBandwidth: each data center holds as many servers as the pool has active servers,
    half of them active, so either can carry the whole pool after a failover
    [L:lync-server-2013-required-resources-for-persistent-chat-server]."""
    primary, dr = pool.site, pool.disaster_recovery
    active = _clamp(active_servers(pool), MAX_ACTIVE_SERVERS)
    if dr is None:
        return [Seat(Role.ACTIVE, n, primary) for n in range(1, active + 1)]
    if dr.layout is StretchedLayout.HIGH_BANDWIDTH:
        here = (active + 1) // 2
        return [Seat(Role.ACTIVE, n, primary if n <= here else dr.standby_site) for n in range(1, active + 1)] + [
            Seat(Role.STANDBY, n, primary if n <= active - here else dr.standby_site) for n in range(1, active + 1)
        ]
    standby = _clamp(standby_servers(pool), MAX_STANDBY_SERVERS)
    return [Seat(Role.ACTIVE, n, primary) for n in range(1, active + 1)] + [
        Seat(Role.STANDBY, n, dr.standby_site) for n in range(1, standby + 1)
    ]


def _sql_roles(pool: PoolConfig, edition: Edition) -> list[tuple[Role, str]]:
    """Dedicated SQL roles: per the HA/DR resource list, mirrored the same way in both sites."""
    dedicated = store_placement(pool, edition) is StorePlacement.DEDICATED
    separate_compliance = (
        pool.compliance.enabled and compliance_placement(pool, edition) is CompliancePlacement.SEPARATE
    )
    mirroring, witness = pool.high_availability.mirroring, pool.high_availability.witness
    wanted = [
        (Role.STORE, dedicated),
        (Role.STORE_MIRROR, dedicated and mirroring),
        (Role.WITNESS, dedicated and mirroring and witness),
        (Role.COMPLIANCE_STORE, separate_compliance),
        (Role.COMPLIANCE_STORE_MIRROR, separate_compliance and mirroring),
    ]
    dr = pool.disaster_recovery
    if dr is not None:
        wanted += [
            (Role.BACKUP_STORE, True),
            (Role.BACKUP_STORE_MIRROR, mirroring),
            (Role.BACKUP_WITNESS, mirroring and witness),
            (Role.COMPLIANCE_BACKUP_STORE, separate_compliance),
            (Role.COMPLIANCE_BACKUP_STORE_MIRROR, separate_compliance and mirroring),
        ]
    standby = dr.standby_site if dr else pool.site
    return [(role, standby if role.in_standby_site else pool.site) for role, on in wanted if on]


def _clamp(value: int, most: int) -> int:
    return max(0, min(value, most))
