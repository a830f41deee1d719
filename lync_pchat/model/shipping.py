"""The stores log-shipped to a pool's standby site: where each is, where it goes, and its shares."""

from __future__ import annotations

from dataclasses import dataclass

from .plan import DATABASE_TYPE, MGC, FileShare, LogShipping, PoolPlan, SqlInstance


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
