"""Disaster recovery armed by the install phase: log shipping of each shipped store, once per pool, with the
``log-shipping`` runbook's own T-SQL (one definition), from the primary and then from its mirror."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan
from ..model import needs as n
from ..scripting import Value, quoting
from ..scripting.tsql import resume_query, suspend_query
from . import supervisor
from .runbook_scripts import RunbookScripts
from .scripts import render

SCRIPT = "Enable-LogShipping.ps1"


def shipping_script(pool: PoolPlan, runbooks: RunbookScripts) -> str:
    """The script that arms log shipping of ``pool`` (a pool with a standby site), run on its backup store, with
    the ``log-shipping`` runbook's T-SQL of each store (``runbooks``)."""
    stores: list[Value] = []
    for shipped in runbooks.shipping:
        store, sql, mirror_sql = shipped.store, shipped.sql, shipped.mirror_sql
        database = quoting.tsql(store.database)
        entry: dict[str, Value] = {
            "Database": store.database,
            "Primary": store.primary.name,
            "Secondary": store.backup.name,
            "Sql": sql,
            "PrimaryQuery": primary_query(store.database),
            "SecondaryQuery": "SET NOCOUNT ON; SELECT COUNT(*) FROM msdb.dbo.log_shipping_secondary_databases "
            f"WHERE secondary_database = {database};",
            "Mirror": None,
        }
        if store.mirror is not None and mirror_sql is not None:
            entry["Mirror"] = {
                "Server": store.mirror.name,
                "Sql": mirror_sql,
                "StateQuery": "SET NOCOUNT ON; SELECT m.mirroring_role_desc + N' ' + m.mirroring_state_desc "
                "FROM sys.database_mirroring AS m JOIN sys.databases AS d ON d.database_id = m.database_id "
                f"WHERE d.name = {database};",
                "Failover": f"ALTER DATABASE {quoting.tsql_name(store.database)} SET PARTNER FAILOVER;",
                "Suspend": suspend_query(store.database),
                "Resume": resume_query(store.database),
            }
        stores.append(entry)
    return render(SCRIPT, {"Stores": stores, "State": supervisor.state_path(supervisor.SHIPPING.name)})


def primary_query(database: str) -> str:
    """How many log-shipping primary entries the instance holds for ``database`` (0 or 1)."""
    return (
        "SET NOCOUNT ON; SELECT COUNT(*) FROM msdb.dbo.log_shipping_primary_databases "
        f"WHERE primary_database = {quoting.tsql(database)};"
    )


def needs(pool: PoolPlan, plan: Plan, origin: n.Origin | None = None) -> Iterator[n.Need]:
    """What arming log shipping connects to, from the pool's backup store (or the ``log-shipping`` runbook,
    ``origin``): SQL on each shipped store's primary, its backup store and its mirror (sqlcmd -S and the
    script's :CONNECT lines); and the primary's SQL Server writing the first full backup to the backup share."""
    server = pool.mgc.backup.server if pool.mgc.backup is not None else None
    if server is None:
        return
    origin = origin or n.Origin(supervisor.SHIPPING.name, server, n.SETUP)
    for store in pool.stores:
        if store.log_shipping is None:
            continue
        yield from origin.sql(store.primary, f"log shipping of {store.database}: the primary half")
        yield from origin.sql(store.backup, f"log shipping of {store.database}: the secondary half")
        yield from origin.sql(store.mirror, f"log shipping of {store.database} from the mirror")
        for partner in (store.primary, store.mirror):
            if partner is not None and partner.server is not None:
                sql = n.Origin(origin.action, partner.server, n.SQL_SERVICE, origin.when)
                yield from sql.smb(store.log_shipping.backup.host, f"{store.database}: the first full backup")
