"""Stack checks over the servers of each pool: how many there are, and the two advisories.

Pools, servers and regions come from the resources (:mod:`.recognition`). A ``pchat-role`` tag is
read only for what the resources cannot tell (which servers are active, which SQL Server is the
store); a tag that contradicts its resource is itself a violation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Role
from ..model.layout import MAX_ACTIVE_SERVERS, MAX_POOL_SERVERS, MAX_SERVERS_PER_DATA_CENTER
from ..model.resource_types import DEPLOYMENT_TYPE
from .base import (
    CAPACITY,
    REQUIRED_RESOURCES,
    ROLE_TAG,
    SYSTEM_PLATFORMS,
    StackResource,
    Violation,
    read,
)
from .recognition import Kind, Server, pools, tag_kind

ACTIVE_ROLES = frozenset({Role.ACTIVE, Role.STANDARD_EDITION})
COMPLIANCE_ROLES = frozenset(
    {
        Role.COMPLIANCE_STORE,
        Role.COMPLIANCE_STORE_MIRROR,
        Role.COMPLIANCE_BACKUP_STORE,
        Role.COMPLIANCE_BACKUP_STORE_MIRROR,
    }
)
STORES_OUTPUT = {DEPLOYMENT_TYPE: "stores", "pulumi:pulumi:Stack": "sqlStores"}
"""Where a deployed stack reports pool -> database -> instances (component and stack outputs)."""


def names(members: Sequence[Server]) -> str:
    return ", ".join(sorted(s.name for s in members))


def by_region(members: Sequence[Server]) -> dict[str, list[Server]]:
    found: dict[str, list[Server]] = defaultdict(list)
    for s in members:
        found[s.region].append(s)
    return dict(sorted(found.items()))


def contradiction(s: Server, source: str) -> Violation:
    """A role tag that claims another kind of VM than the resource is."""
    return Violation(
        f"VM '{s.name}' of pool '{s.pool}' is tagged {ROLE_TAG}: {s.tag}, but it is a {s.kind} ({s.evidence}); "
        f"a tag that contradicts its resource is not trusted, and the pool cannot be checked from it: correct "
        f"or remove the tag [{source}]",
        s.urn,
    )


def _counts(pool: str, servers: Sequence[Server]) -> list[Violation]:
    found = []
    if len(servers) > MAX_POOL_SERVERS:
        found.append(
            Violation(
                f"Pool '{pool}' has {len(servers)} Persistent Chat servers ({names(servers)}); a pool has at most "
                f"{MAX_POOL_SERVERS}, of which at most {MAX_ACTIVE_SERVERS} active [{CAPACITY}]"
            )
        )
    found += [
        Violation(
            f"Pool '{pool}' has {len(here)} Persistent Chat servers in {region} ({names(here)}); a data center "
            f"holds at most {MAX_SERVERS_PER_DATA_CENTER} of a pool's servers: the documented stretched layouts put "
            f"servers 1-4 in one data center and 5-8 in the other [{REQUIRED_RESOURCES}]"
        )
        for region, here in by_region(servers).items()
        if len(here) > MAX_SERVERS_PER_DATA_CENTER
    ]
    active = [s for s in servers if s.hint in ACTIVE_ROLES]
    if len(active) > MAX_ACTIVE_SERVERS:
        found.append(
            Violation(
                f"Pool '{pool}' has {len(active)} Persistent Chat servers tagged active ({names(active)}); a pool "
                f"supports at most {MAX_ACTIVE_SERVERS} active servers (20,000 users each), make the others standby "
                f"[{CAPACITY}]"
            )
        )
    return found


def _about_pool_servers(s: Server) -> bool:
    return s.tag is not None and s.contradicts and Kind.POOL_SERVER in (s.kind, tag_kind(s.tag))


def check_pool_size(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """At most 8 Persistent Chat servers per pool and 4 per data center (region), from the resources;
    at most 4 tagged active; no role tag that makes a SQL Server a pool server or the reverse."""
    found = []
    for pool, members in pools(resources).items():
        found += _counts(pool, [s for s in members if s.kind is Kind.POOL_SERVER])
        found += [contradiction(s, CAPACITY) for s in members if _about_pool_servers(s)]
    return found


def has_store(members: Sequence[Server]) -> bool:
    """A SQL Server tagged store, or one whose role no tag tells (fail toward advising)."""
    return any(s.hint is Role.STORE or (s.kind is Kind.SQL and s.hint is None) for s in members)


def advise_dedicated_sql(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """A pool of Persistent Chat servers (no Standard Edition server) without a dedicated store SQL Server."""
    return [
        Violation(
            f"Pool '{pool}' has no dedicated SQL Server for its PersistentChatStore (mgc), so mgc shares "
            "an existing instance such as the Front End pool's Back End; that is supported, but a "
            f"dedicated SQL Server is recommended because the chat database can grow very large "
            f"[{SYSTEM_PLATFORMS}]"
        )
        for pool, members in pools(resources).items()
        if any(s.kind is Kind.POOL_SERVER for s in members)
        and not any(s.hint is Role.STANDARD_EDITION for s in members)
        and not has_store(members)
    ]


def compliance_pools(resources: Sequence[StackResource]) -> set[str]:
    """Pools known to have compliance on: a compliance SQL role, or ``mgccomp`` in the reported stores.

    The stores are component and stack outputs, present only when the engine sends state (AnalyzeStack
    after deployment); otherwise a shared mgccomp is undetectable and no advisory is raised. An
    mgccomp not known yet counts as reported."""
    found = {pool for pool, members in pools(resources).items() if any(s.hint in COMPLIANCE_ROLES for s in members)}
    for r in resources:
        stores = read(r.props, STORES_OUTPUT[r.type]) if r.type in STORES_OUTPUT else None
        if isinstance(stores, Mapping):
            found |= {str(pool) for pool in stores if read(stores, f"{pool}.mgccomp")}
    return found


def advise_separate_compliance(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """A pool with compliance on and a dedicated store, but no compliance-store of its own."""
    members = pools(resources)
    return [
        Violation(
            f"Pool '{pool}' has compliance on, but mgccomp shares the store's SQL instance (no "
            "compliance-store server); stand-alone compliance instances are recommended for high "
            f"availability and disaster recovery [{REQUIRED_RESOURCES}]"
        )
        for pool in sorted(compliance_pools(resources))
        if has_store(members.get(pool, ())) and not any(s.hint is Role.COMPLIANCE_STORE for s in members.get(pool, ()))
    ]
