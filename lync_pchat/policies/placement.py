"""``pchat-site-placement``: which data center (region) a pool's servers and SQL Servers are in.

From the resources alone, whatever the tags say:

- a pool spans at most two data centers, stretched for disaster recovery
  [L:lync-server-2013-using-a-stretched-persistent-chat-server-pool-for-disaster-recovery];
- a mirroring witness has the principal and the mirror it watches in its data center, i.e. at least
  two other SQL Servers of the pool [L:lync-server-2013-required-resources-for-persistent-chat-server].

From the ``pchat-role`` tags, for what the resources cannot tell (which SQL Server is the store, a
mirror or a backup store):

- backup stores are not in the data center of the primary stores ("a dedicated SQL instance in the
  other data center", same page); idle (standby) servers may be in either data center, as the
  high-bandwidth layout puts active and idle servers in both;
- mirrors, witnesses and compliance stores are beside the store they belong to.

A missing or contradicting tag never hides a misplaced server: a tag that contradicts its
resource is a violation, and so is a server without a role tag in a pool whose other servers have one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Role
from ..model.layout import MAX_DATA_CENTERS
from ..model.roles import STANDBY_SITE_ROLES
from .base import REQUIRED_RESOURCES, ROLE_TAG, STRETCHED_POOL, StackResource, Violation
from .recognition import Kind, Server, pools
from .topology import by_region, contradiction, names

COLOCATED = {
    Role.STORE_MIRROR: Role.STORE,
    Role.WITNESS: Role.STORE,
    Role.COMPLIANCE_STORE: Role.STORE,
    Role.COMPLIANCE_STORE_MIRROR: Role.STORE,
    Role.BACKUP_STORE_MIRROR: Role.BACKUP_STORE,
    Role.BACKUP_WITNESS: Role.BACKUP_STORE,
    Role.COMPLIANCE_BACKUP_STORE: Role.BACKUP_STORE,
    Role.COMPLIANCE_BACKUP_STORE_MIRROR: Role.COMPLIANCE_BACKUP_STORE,
}
"""Each SQL role and the role whose data center it shares
[L:lync-server-2013-required-resources-for-persistent-chat-server]."""
SERVERS = frozenset({Kind.POOL_SERVER, Kind.SQL, Kind.WITNESS})
PRIMARY_STORES = frozenset({Role.STORE, Role.COMPLIANCE_STORE})
BACKUP_ROLES = STANDBY_SITE_ROLES - {Role.STANDBY}
"""The SQL roles of the standby data center: backup stores, their mirrors and witness."""
WATCHED = 2
"""The SQL Servers a witness watches: the principal and the mirror."""


def _data_centers(pool: str, members: Sequence[Server]) -> list[Violation]:
    regions = by_region([s for s in members if s.kind in SERVERS])
    if len(regions) <= MAX_DATA_CENTERS:
        return []
    return [
        Violation(
            f"Pool '{pool}' has servers in {len(regions)} regions ({', '.join(regions)}); a pool is in one data "
            f"center or stretched over {MAX_DATA_CENTERS} [{STRETCHED_POOL}]"
        )
    ]


def _lone_witnesses(members: Sequence[Server]) -> list[Violation]:
    sql = by_region([s for s in members if s.kind is Kind.SQL])
    return [
        Violation(
            f"{w.title} is in {w.region}, where the pool has {len(sql.get(w.region, []))} other SQL Server(s); a "
            f"witness belongs in the data center of the principal and the mirror it watches, so at least {WATCHED} "
            f"[{REQUIRED_RESOURCES}]",
            w.urn,
        )
        for w in members
        if w.kind is Kind.WITNESS and len(sql.get(w.region, [])) < WATCHED
    ]


def _unverifiable(pool: str, members: Sequence[Server]) -> list[Violation]:
    """A stretched pool whose SQL Servers carry no role tag: which is a backup store and which a mirror
    cannot be read from the resources, so the placement fails closed."""
    sql = [s for s in members if s.kind in (Kind.SQL, Kind.WITNESS)]
    if len(by_region(sql)) < MAX_DATA_CENTERS or any(s.tag is not None for s in sql):
        return []
    return [
        Violation(
            f"Pool '{pool}' has SQL Servers in two data centers ({names(sql)}) and none carries a {ROLE_TAG} tag: "
            "the resources cannot tell a backup store from a mirror, so their placement cannot be checked; tag "
            f"them as the components do [{REQUIRED_RESOURCES}]"
        )
    ]


def _untagged(members: Sequence[Server]) -> list[Violation]:
    servers = [s for s in members if s.kind in SERVERS]
    if all(s.tag is None for s in servers):
        return []
    return [
        Violation(
            f"{s.title} has no {ROLE_TAG} tag (or an unknown one) while other servers of the pool have one; "
            "the resources cannot tell a standby server, a mirror or a backup store, so an untagged server could "
            f"hide a misplaced role: tag every server of the pool or none [{REQUIRED_RESOURCES}]",
            s.urn,
        )
        for s in servers
        if s.tag is None
    ]


def _backup_beside_primary(members: Sequence[Server]) -> list[Violation]:
    primary = {s.region for s in members if s.hint in PRIMARY_STORES}
    return [
        Violation(
            f"{s.hint} server '{s.name}' of pool '{s.pool}' is in {s.region}, the region of the pool's primary "
            "stores; log-shipping backup stores belong in the other data center, so one outage cannot take both "
            f"[{REQUIRED_RESOURCES}]",
            s.urn,
        )
        for s in members
        if s.hint in BACKUP_ROLES and s.region in primary
    ]


def _apart_from_principal(members: Sequence[Server]) -> list[Violation]:
    regions: dict[Role, set[str]] = defaultdict(set)
    for s in members:
        if s.hint is not None:
            regions[s.hint].add(s.region)
    found = []
    for s in members:
        principal = COLOCATED.get(s.hint) if s.hint is not None else None
        where = regions.get(principal, set()) if principal is not None else set()
        if where and s.region not in where:
            found.append(
                Violation(
                    f"{s.hint} server '{s.name}' of pool '{s.pool}' is in {s.region}, but its {principal} is in "
                    f"{', '.join(sorted(where))}; mirrors and witnesses belong in the same data center as the "
                    f"database they protect [{REQUIRED_RESOURCES}]",
                    s.urn,
                )
            )
    return found


def check_site_placement(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """Data centers and witnesses from the resources; backup, mirror and witness roles from consistent
    tags; contradicting and missing role tags fail closed."""
    found = []
    for pool, members in pools(resources).items():
        found += _data_centers(pool, members) + _lone_witnesses(members) + _unverifiable(pool, members)
        found += [contradiction(s, REQUIRED_RESOURCES) for s in members if s.contradicts]
        found += _untagged(members) + _backup_beside_primary(members) + _apart_from_principal(members)
    return found
