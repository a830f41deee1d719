"""The SQL instances of a pool's stores, as installing the databases sees them: each instance once, the folders
its databases go to, and what installing them connects to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import needs as n
from .plan import Plan, PoolPlan, SqlInstance
from .roles import Role


def unique(instances: Iterable[SqlInstance | None]) -> list[SqlInstance]:
    """The distinct instances, in first-seen order, without the missing ones."""
    seen: dict[str, SqlInstance] = {}
    for instance in instances:
        if instance is not None:
            seen.setdefault(instance.name, instance)
    return list(seen.values())


def database_paths(plan: Plan, instance: SqlInstance) -> tuple[str, str] | None:
    """(log path, data path), as ``Install-CsDatabase -DatabasePaths`` takes them, on a provisioned SQL
    Server: the folders its bootstrap created (:attr:`ServerPlan.sql_folders`); None for an existing one."""
    if instance.server is None:
        return None
    folders = plan.server(instance.server).sql_folders
    assert folders is not None, "a provisioned SQL instance is on a SQL Server VM"
    return folders.log, folders.data


def install_needs(pool: PoolPlan, origin: n.Origin) -> Iterator[n.Need]:
    """What installing the pool's databases connects to from ``origin`` (phase B or the publish runbook):
    Install-CsDatabase on each store instance (SQL, WMI, SMB for the data and log folders), Install-CsMirrorDatabase
    on each mirrored principal, its mirror and witness."""
    local = {s.fqdn for s in pool.with_role(Role.STANDARD_EDITION)}
    for instance in unique([s.primary for s in pool.stores] + [s.backup for s in pool.stores]):
        if instance.fqdn in local:
            continue  # the Standard Edition server's own SQL Server Express: setup installs it there (-LocalDatabases)
        yield from origin.sql(instance, "Install-CsDatabase")
        if instance.server is not None:
            yield from origin.rpc(instance.server, "Install-CsDatabase: WMI of the SQL Server")
            yield from origin.smb(instance.server, "Install-CsDatabase: data and log folders")
    for store in pool.stores:
        if store.mirror is not None:
            share = store.mirror_share.host if store.mirror_share is not None else _unc_host(store.named_mirror_share)
            yield from origin.mirror_install(
                store.primary, store.mirror, store.witness, share, "Install-CsMirrorDatabase"
            )


def _unc_host(unc: str | None) -> str | None:
    return unc.lstrip("\\").split("\\")[0] if unc else None


def update_needs(pool: PoolPlan, origin: n.Origin) -> Iterator[n.Need]:
    """What the database step of a cumulative update connects to from ``origin``: sqlcmd to both partners of each
    store (its mirroring role; the sysadmin check), and Install-CsDatabase -Update and Test-CsDatabase on the current
    principal, which may be either (SQL; WMI of the SQL Server, as phase B's Install-CsDatabase). A Standard Edition
    server's own store is updated on that server: no connection. One definition for the ``cu-databases`` runbook,
    the install's ``pchat-cu-databases`` phase and the grant before it."""
    local = {s.fqdn for s in pool.with_role(Role.STANDARD_EDITION)}
    for store in pool.stores:
        if store.primary.fqdn in local:
            continue
        for partner in (store.primary, store.mirror):
            if partner is None:
                continue
            yield from origin.sql(partner, f"Install-CsDatabase -Update of {store.database} on its principal")
            if partner.server is not None:
                yield from origin.rpc(partner.server, "Install-CsDatabase: WMI of the SQL Server")
