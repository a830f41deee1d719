"""``log-shipping``: T-SQL log shipping of each shipped store, and from the primary's mirror."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan, SqlInstance
from ..model import needs as n
from ..model import sources as src
from ..model.plan import MGC
from ..model.shipping import Shipped, Stretched
from ..scripting import for_product, quoting
from . import plan_facts, reach
from .templates import fill

INTERVAL_MINUTES = 15
"""Backup, copy and restore schedule: Management Studio's default, the same for all three jobs."""


@for_product
def render(plan: Plan) -> dict[str, str]:
    """Per stretched pool: a ``.sql`` per shipped store, and the from-mirror runbook if mirrored."""
    files: dict[str, str] = {}
    for pool in plan_facts.stretched(plan, "log-shipping"):
        for store in pool.shipped:
            name = sql_file(pool, store)
            files[name] = _store(pool, store, name)
        mirrored = [s for s in pool.shipped if s.mirror is not None]
        for store in mirrored:
            name = _mirror_file(pool, store)
            files[name] = _mirror_primary(pool, store, name)
        if mirrored:
            files[plan_facts.runbook_file("log-shipping", pool.pool, "from-mirror")] = _from_mirror(
                plan, pool, mirrored
            )
    return files


def scripts(plan: Plan, pool_key: str) -> list[tuple[Shipped, str, str | None]]:
    """Per shipped store of the pool: (store, its log-shipping T-SQL, the mirror's primary half or None), as this
    runbook renders them: the install phase arms log shipping with these same scripts."""
    pool = next(p for p in plan_facts.stretched(plan, "log-shipping") if p.pool.key == pool_key)
    return [
        (
            store,
            _store(pool, store, sql_file(pool, store)),
            _mirror_primary(pool, store, _mirror_file(pool, store)) if store.mirror is not None else None,
        )
        for store in pool.shipped
    ]


def sql_file(pool: Stretched, store: Shipped) -> str:
    """``log-shipping-<pool>-<database>.sql``: the failback runbook runs it again."""
    return plan_facts.runbook_file("log-shipping", pool.pool, store.database, ext="sql")


def _mirror_file(pool: Stretched, store: Shipped) -> str:
    return plan_facts.runbook_file("log-shipping", pool.pool, store.database, "mirror-primary", ext="sql")


def scope_note(store: Shipped, comment: str) -> str:
    """Why a compliance store is shipped although the topics name only ``mgc``."""
    if store.database == MGC:
        return ""
    return (
        f"{comment} The topic names mgc; {store.database} is shipped the same way to its compliance backup "
        f"store [{src.REQUIRED_RESOURCES}] item 4."
    )


def _primary_half(store: Shipped, primary: str) -> str:
    """The primary's part, for the primary or its mirror: neither hosts the backup share (it is in the
    standby site, see :class:`~lync_pchat.model.plan.LogShipping`), so both name it by its network path."""
    share = store.log_shipping.backup
    return fill(
        "log-shipping-primary.sql",
        primary=primary,
        database=store.database,
        secondary=store.backup.name,
        database_sql=quoting.tsql(store.database),
        backup_share_sql=quoting.tsql(share.unc),
        backup_job_sql=quoting.tsql(f"LSBackup_{store.database}"),
        backup_schedule_sql=quoting.tsql(f"LSBackupSchedule_{store.database}"),
        share_host=share.fqdn,
        secondary_sql=quoting.tsql(store.backup.name),
        interval=str(INTERVAL_MINUTES),
        log_shipping=src.LOG_SHIPPING,
    )


def _init_backup(store: Shipped, instance: SqlInstance) -> str:
    """The full backup that initializes the secondary, as ``instance`` names it."""
    return f"{store.log_shipping.backup.seen_from(instance.server)}\\{store.database}_logshipping_init.bak"


def _store(pool: Stretched, store: Shipped, name: str) -> str:
    shares = store.log_shipping
    primary, database = store.primary.name, store.database
    copy_directory = shares.copy.seen_from(store.backup.server)
    return fill(
        "log-shipping.sql",
        database=database,
        database_name=quoting.tsql_name(database),
        database_sql=quoting.tsql(database),
        pool_fqdn=pool.pool.fqdn,
        scope_note=scope_note(store, "--"),
        primary=primary,
        primary_sql=quoting.tsql(primary),
        secondary=store.backup.name,
        secondary_sql=quoting.tsql(store.backup.name),
        backup_share=shares.backup.unc,
        backup_share_sql=quoting.tsql(shares.backup.unc),
        copy_share=shares.copy.unc,
        copy_directory=copy_directory,
        copy_directory_sql=quoting.tsql(copy_directory),
        copy_job_sql=quoting.tsql(f"LSCopy_{primary}_{database}"),
        restore_job_sql=quoting.tsql(f"LSRestore_{primary}_{database}"),
        copy_schedule_sql=quoting.tsql(f"LSCopySchedule_{database}"),
        restore_schedule_sql=quoting.tsql(f"LSRestoreSchedule_{database}"),
        interval=str(INTERVAL_MINUTES),
        file_name=name,
        primary_half=_primary_half(store, primary),
        init_backup_sql=quoting.tsql(_init_backup(store, store.primary)),
        init_restore_sql=quoting.tsql(_init_backup(store, store.backup)),
        log_shipping=src.LOG_SHIPPING,
        failback=src.FAILBACK,
    )


def _mirror_primary(pool: Stretched, store: Shipped, name: str) -> str:
    assert store.mirror is not None
    return fill(
        "log-shipping-mirror-primary.sql",
        database=store.database,
        pool_fqdn=pool.pool.fqdn,
        pool=pool.pool.key,
        mirror=store.mirror.name,
        file_name=name,
        scope_note=scope_note(store, "--"),
        primary_half=_primary_half(store, store.mirror.name),
        log_shipping_mirror=src.LOG_SHIPPING_MIRROR,
    )


def _from_mirror(plan: Plan, pool: Stretched, mirrored: list[Shipped]) -> str:
    blocks = []
    for store in mirrored:
        assert store.mirror is not None
        blocks.append(
            fill(
                "log-shipping-from-mirror-store.ps1",
                database=store.database,
                primary=store.primary.name,
                mirror=store.mirror.name,
                scope_note=scope_note(store, "#"),
                database_type=store.database_type,
                pool_fqdn_ps=quoting.powershell(pool.pool.fqdn),
                mirror_ps=quoting.powershell(store.mirror.name),
                primary_file=quoting.powershell(_mirror_file(pool, store)),
                log_shipping_mirror=src.LOG_SHIPPING_MIRROR,
                ps_database_failover=src.PS_DATABASE_FAILOVER,
            )
        )
    return fill(
        "log-shipping-from-mirror.ps1",
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, from_mirror_needs(pool.pool)),
        pool_fqdn=pool.pool.fqdn,
        stores="\n".join(blocks),
        log_shipping_mirror=src.LOG_SHIPPING_MIRROR,
    )


def job_needs(pool: PoolPlan) -> Iterator[n.Need]:
    """The log-shipping jobs: the backup job of the primary, and of its mirror once a database failover made it the
    principal, writes to the backup share on the backup store [L:lync-server-2013-set-up-log-shipping-secondary-
    database]; the copy and restore jobs on the backup store read and write its own shares."""
    for store in pool.stores:
        shipping = store.log_shipping
        if shipping is None:
            continue
        for partner in (store.primary, store.mirror):
            if partner is not None and partner.server is not None:
                job = n.Origin(f"ls-backup-job:{store.database}", partner.server, n.SQL_AGENT, n.STEADY)
                yield from job.smb(shipping.backup.host, "transaction-log backups to the backup share")
        if store.backup is not None and store.backup.server is not None:
            copy = n.Origin(f"ls-copy-job:{store.database}", store.backup.server, n.SQL_AGENT, n.STEADY)
            yield from copy.smb(shipping.backup.host, "log backups copied from the backup share")
            yield from copy.smb(shipping.copy.host, "to the copy destination")


def from_mirror_needs(pool: PoolPlan) -> Iterator[n.Need]:
    """The from-mirror runbook, from a management host: Invoke-CsDatabaseFailover reads and fails over the principal
    and its mirror (SQL), and the primary half runs on the mirror (sqlcmd -S)."""
    at = n.Origin("runbook:log-shipping from-mirror", n.MANAGEMENT, n.ADMIN, n.INSTALL)
    for store in pool.stores:
        if store.log_shipping is not None and store.mirror is not None:
            yield from at.sql(store.primary, f"Invoke-CsDatabaseFailover of {store.database}")
            yield from at.sql(store.mirror, f"the primary half of {store.database}'s log shipping on its mirror")
