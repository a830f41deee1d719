"""``cu-databases``: the database step of a cumulative update, after every server of the pool has the update.

The product's update procedure (Lync Server 2013 "upgrade or update a Back End or Standard Edition server", step
11, operations.md 9.3; lync-install.md 2.x JJ721942) runs ``Install-CsDatabase -Update`` against the SQL Server once
the binaries are updated, or ``-LocalDatabases`` on a Standard Edition server. For a mirrored store this runbook
runs it against the *current* principal of each Persistent Chat database, which it reads from SQL Server, and
proves the result with ``Test-CsDatabase``. The ``Install-CsDatabase`` help says ``-Update`` cannot be used on
mirrored databases; the update procedure does not say so: the two disagree, and ``Test-CsDatabase`` decides.
A log-shipped backup store is RESTORING: it takes the change through log shipping, not here.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan, Role
from ..model import needs as n
from ..model import sources as src
from ..model.instances import update_needs
from ..model.plan import DATABASE_TYPE, StorePlan
from ..scripting import for_product, quoting
from . import plan_facts
from .templates import fill

ROLE_QUERY = (
    "SELECT ISNULL(m.mirroring_role_desc, N'NONE') FROM sys.database_mirroring AS m "
    "JOIN sys.databases AS d ON d.database_id = m.database_id WHERE d.name = {name};"
)
"""The role of a database on an instance: PRINCIPAL, MIRROR, or NONE when it is not mirrored
[DBM:database-mirroring-sql-server.md] (sys.database_mirroring)."""


def file_name(pool: PoolPlan) -> str:
    """``cu-databases-<pool>.ps1``."""
    return plan_facts.runbook_file("cu-databases", pool)


@for_product
def render(plan: Plan) -> dict[str, str]:
    """One ``cu-databases-<pool>.ps1`` per pool."""
    return {file_name(pool): _pool(pool) for pool in plan.pools}


def needs(pool: PoolPlan, origin: n.Origin | None = None) -> Iterator[n.Need]:
    """sqlcmd to both partners of each store (its mirroring role; the sysadmin check), and Install-CsDatabase and
    Test-CsDatabase on the current principal, which may be either (SQL; WMI of the SQL Server, as phase B's
    Install-CsDatabase). From a management host as an administrator in a cumulative-update wave, unless ``origin``
    says otherwise (the install's ``pchat-cu-databases`` phase). A Standard Edition server's own store is updated
    on that server: no connection."""
    origin = origin or n.Origin("runbook:cu-databases", n.MANAGEMENT, n.ADMIN, n.CU_WAVE)
    yield from update_needs(pool, origin)


def role_query(database: str) -> str:
    return ROLE_QUERY.format(name=quoting.tsql(database))


def _pool(pool: PoolPlan) -> str:
    return fill(
        "cu-databases.ps1",
        pool_fqdn=pool.fqdn,
        update_server=src.UPDATE_SERVER,
        install_database=src.PS_INSTALL_DATABASE,
        test_database=src.PS_TEST_DATABASE,
        permissions=src.DEPLOYMENT_PERMISSIONS,
        steps=_steps(pool),
    )


def _steps(pool: PoolPlan) -> str:
    local = {s.fqdn for s in pool.with_role(Role.STANDARD_EDITION)}
    lines: list[str] = []
    for store in pool.stores:
        if store.primary.fqdn in local:
            lines += _local(store)
        else:
            lines += _store(store)
    return "\n".join(lines)


def _local(store: StorePlan) -> list[str]:
    """A Standard Edition server's own SQL Express: ``-LocalDatabases`` on that server."""
    return [
        f"# {store.database} on the Standard Edition server {store.primary.fqdn}: run this there.",
        f"Update-Database {quoting.powershell(store.database)} {quoting.powershell(DATABASE_TYPE[store.database])} "
        f"{quoting.powershell(store.primary.fqdn)} {quoting.powershell(store.primary.instance or '')} -Local",
    ]


def _store(store: StorePlan) -> list[str]:
    partners = [store.primary] + ([store.mirror] if store.mirror is not None else [])
    candidates = ", ".join(
        f"@{{ Fqdn = {quoting.powershell(p.fqdn)}; Instance = {quoting.powershell(p.instance or '')}; "
        f"Name = {quoting.powershell(p.name)} }}"
        for p in partners
    )
    return [
        f"# {store.database}: its current principal of {', '.join(p.name for p in partners)}",
        f"$principal = Find-Principal {quoting.powershell(store.database)} "
        f"{quoting.powershell(role_query(store.database))} @({candidates})",
        f"Update-Database {quoting.powershell(store.database)} {quoting.powershell(DATABASE_TYPE[store.database])} "
        "$principal.Fqdn $principal.Instance",
    ]
