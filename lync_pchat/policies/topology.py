"""Stack checks over the servers of each pool, read back from the VMs' ``pchat-*`` tags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Role
from ..model.layout import MAX_ACTIVE_SERVERS, MAX_STANDBY_SERVERS
from ..model.roles import PCHAT_ROLES, STANDBY_SITE_ROLES
from .base import (
    CAPACITY,
    POOL_TAG,
    REQUIRED_RESOURCES,
    SYSTEM_PLATFORMS,
    VM,
    StackResource,
    Violation,
    kind,
    region,
    role_of,
    tags,
)

MAX_ACTIVE, MAX_SERVERS = MAX_ACTIVE_SERVERS, MAX_ACTIVE_SERVERS + MAX_STANDBY_SERVERS
ACTIVE_ROLES = frozenset({Role.ACTIVE, Role.STANDARD_EDITION})
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
COMPLIANCE_ROLES = frozenset(
    {
        Role.COMPLIANCE_STORE,
        Role.COMPLIANCE_STORE_MIRROR,
        Role.COMPLIANCE_BACKUP_STORE,
        Role.COMPLIANCE_BACKUP_STORE_MIRROR,
    }
)
STORES_OUTPUT = {"lync-pchat:index:PersistentChatDeployment": "stores", "pulumi:pulumi:Stack": "sqlStores"}
"""Where a deployed stack reports pool -> database -> instances (component and stack outputs)."""


@dataclass(frozen=True)
class Server:
    """A VM of a pool: its computer name, role and region."""

    name: str
    pool: str
    role: Role
    region: str
    urn: str


def servers(resources: Iterable[StackResource]) -> dict[str, list[Server]]:
    """The tagged VMs of each pool."""
    pools: dict[str, list[Server]] = defaultdict(list)
    for r in resources:
        role = role_of(r.props) if kind(r.type) == VM else None
        pool = tags(r.props).get(POOL_TAG)
        if role is not None and pool:
            pools[str(pool)].append(
                Server(str(r.props.get("vmName") or r.name), str(pool), role, region(r.props.get("location")), r.urn)
            )
    return dict(sorted(pools.items()))


def _names(members: Sequence[Server]) -> str:
    return ", ".join(sorted(s.name for s in members))


def check_pool_size(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """At most 4 active and 8 servers (active + standby) per pool."""
    found = []
    for pool, members in servers(resources).items():
        active = [s for s in members if s.role in ACTIVE_ROLES]
        pool_servers = [s for s in members if s.role in PCHAT_ROLES]
        if len(active) > MAX_ACTIVE:
            found.append(
                Violation(
                    f"Pool '{pool}' has {len(active)} active Persistent Chat servers ({_names(active)}); a pool "
                    f"supports at most {MAX_ACTIVE} active servers (20,000 users each), make the others standby "
                    f"[{CAPACITY}]"
                )
            )
        if len(pool_servers) > MAX_SERVERS:
            found.append(
                Violation(
                    f"Pool '{pool}' has {len(pool_servers)} Persistent Chat servers ({_names(pool_servers)}); a pool "
                    f"has at most {MAX_SERVERS}, of which at most {MAX_ACTIVE} active [{CAPACITY}]"
                )
            )
    return found


def _standby_in_primary(members: Sequence[Server]) -> list[Violation]:
    primary = {s.region for s in members if s.role in ACTIVE_ROLES}
    return [
        Violation(
            f"{s.role} server '{s.name}' of pool '{s.pool}' is in {s.region}, the region of the pool's "
            "active servers; standby servers and backup stores belong in the other data center, so "
            f"one outage cannot take both [{REQUIRED_RESOURCES}]",
            s.urn,
        )
        for s in members
        if s.role in STANDBY_SITE_ROLES and s.region in primary
    ]


def _apart_from_principal(members: Sequence[Server]) -> list[Violation]:
    regions: dict[Role, set[str]] = defaultdict(set)
    for s in members:
        regions[s.role].add(s.region)
    return [
        Violation(
            f"{s.role} server '{s.name}' of pool '{s.pool}' is in {s.region}, but its {COLOCATED[s.role]} "
            f"is in {', '.join(sorted(regions[COLOCATED[s.role]]))}; mirrors and witnesses belong in the "
            f"same data center as the database they protect [{REQUIRED_RESOURCES}]",
            s.urn,
        )
        for s in members
        if s.role in COLOCATED and regions[COLOCATED[s.role]] and s.region not in regions[COLOCATED[s.role]]
    ]


def check_site_placement(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """Standby and backup roles away from the active servers; mirrors and witnesses beside their store."""
    found = []
    for members in servers(resources).values():
        found += _standby_in_primary(members) + _apart_from_principal(members)
    return found


def advise_dedicated_sql(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """A pool of active servers without a dedicated ``store`` SQL Server."""
    return [
        Violation(
            f"Pool '{pool}' has no dedicated SQL Server for its PersistentChatStore (mgc), so mgc shares "
            "an existing instance such as the Front End pool's Back End; that is supported, but a "
            f"dedicated SQL Server is recommended because the chat database can grow very large "
            f"[{SYSTEM_PLATFORMS}]"
        )
        for pool, members in servers(resources).items()
        if any(s.role is Role.ACTIVE for s in members) and not any(s.role is Role.STORE for s in members)
    ]


def compliance_pools(resources: Sequence[StackResource]) -> set[str]:
    """Pools known to have compliance on: a compliance SQL role, or ``mgccomp`` in the reported stores.

    The stores are component and stack outputs, present only when the engine sends state (AnalyzeStack
    after deployment); otherwise a shared mgccomp is undetectable and no advisory is raised."""
    pools = {pool for pool, members in servers(resources).items() if any(s.role in COMPLIANCE_ROLES for s in members)}
    for r in resources:
        stores = r.props.get(STORES_OUTPUT[r.type]) if r.type in STORES_OUTPUT else None
        if isinstance(stores, Mapping):
            pools |= {str(p) for p, dbs in stores.items() if isinstance(dbs, Mapping) and dbs.get("mgccomp")}
    return pools


def advise_separate_compliance(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """A pool with compliance on and a dedicated store, but no compliance-store of its own."""
    pools = servers(resources)
    return [
        Violation(
            f"Pool '{pool}' has compliance on, but mgccomp shares the store's SQL instance (no "
            "compliance-store server); stand-alone compliance instances are recommended for high "
            f"availability and disaster recovery [{REQUIRED_RESOURCES}]"
        )
        for pool in sorted(compliance_pools(resources))
        if any(s.role is Role.STORE for s in pools.get(pool, ()))
        and not any(s.role is Role.COMPLIANCE_STORE for s in pools.get(pool, ()))
    ]
