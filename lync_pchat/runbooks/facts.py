"""Plan facts the runbooks print: SQL instances, database paths, identities, stretched pools."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Plan, PoolPlan, ServerPlan, SqlInstance
from ..model.plan import DATABASE_TYPE, MGC, FileShare, LogShipping
from ..scripting import quoting
from .errors import RunbookNotApplicable

MIRROR_PORT, WITNESS_PORT = 5022, 7022
"""Topology Builder's default mirroring and witness endpoint ports [L:...deploying-sql-mirroring...]."""


def fqdns(servers: Iterable[ServerPlan]) -> list[str]:
    return [s.fqdn for s in servers]


def described(instance: SqlInstance) -> str:
    """How Topology Builder's Define New SQL Store dialog takes an instance."""
    kind = f"Named Instance {instance.instance}" if instance.instance else "Default Instance"
    return f"{instance.name} (SQL Server FQDN {instance.fqdn}, {kind})"


def instance_switch(instance: SqlInstance, switch: str) -> str:
    """`` -<switch> '<instance>'`` for a named instance, nothing for the default one."""
    return f" -{switch} {quoting.powershell(instance.instance)}" if instance.instance else ""


def service_identity(pool: PoolPlan) -> str:
    """Service scope of configuration cmdlets [PS:New-CsPersistentChatConfiguration]."""
    return f"service:PersistentChatServer:{pool.fqdn}"


def active_identity(pool: PoolPlan) -> str:
    """The pool's service identity, as ``Get-CsService -PersistentChatServer`` returns it."""
    return f"PersistentChatServer:{pool.fqdn}"


def runbook_file(runbook: str, pool: PoolPlan, *parts: str, ext: str = "ps1") -> str:
    return "-".join((runbook, pool.key, *parts)) + f".{ext}"


@dataclass(frozen=True)
class Shipped:
    """A store that is log-shipped to the standby site: where it is, where it goes, and its shares."""

    database: str
    primary: SqlInstance
    mirror: SqlInstance | None
    backup: SqlInstance
    backup_mirror: SqlInstance | None
    log_shipping: LogShipping
    failover_mirror_share: FileShare | None
    mirror_share: FileShare | None

    @property
    def database_type(self) -> str:
        return DATABASE_TYPE[self.database]


@dataclass(frozen=True)
class Stretched:
    """A pool with disasterRecovery: its shipped stores (mgc first)."""

    pool: PoolPlan
    shipped: tuple[Shipped, ...]

    @property
    def mgc(self) -> Shipped:
        return self.shipped[0]


def stretched(plan: Plan, runbook: str) -> list[Stretched]:
    """Every pool with a standby site; :class:`RunbookNotApplicable` when there is none."""
    result = [s for s in (stretched_pool(pool) for pool in plan.pools) if s is not None]
    if not result:
        raise RunbookNotApplicable(
            f"stack has no pool with disasterRecovery.standbySite; the {runbook} runbook applies "
            "only to a stretched pool"
        )
    return result


def stretched_pool(pool: PoolPlan) -> Stretched | None:
    """The pool with its shipped stores, mgc first; None without a standby site (or without mgc shipped)."""
    if pool.standby_site is None:
        return None
    shipped = tuple(
        Shipped(
            store.database,
            store.primary,
            store.mirror,
            store.backup,
            store.backup_mirror,
            store.log_shipping,
            store.failover_mirror_share,
            store.mirror_share,
        )
        for store in pool.stores
        if store.backup is not None and store.log_shipping is not None
    )
    if not shipped or shipped[0].database != MGC:
        return None
    return Stretched(pool, shipped)
