"""Phase B, once per pool on its install host: the pool's databases, their mirrors, and its DNS records."""

from __future__ import annotations

from .. import quoting
from ..model import Plan, PoolPlan, ServerPlan, SqlInstance, StorePlan
from ..model.plan import DATABASE_TYPE
from ..runbooks.facts import database_paths, unique
from . import facts, product, supervisor
from .render import Value, render

SCRIPT = "Install-PoolDatabases.ps1"


def database_script(pool: PoolPlan, plan: Plan) -> str:
    """The phase B script of ``pool``, run on its :attr:`PoolPlan.install_host`."""
    software = facts.software(plan)
    host = pool.install_host
    standard = facts.is_standard_edition(host)
    instances = unique([s.primary for s in pool.stores] + [s.backup for s in pool.stores])
    settings: dict[str, Value] = {
        "Product": product.settings(plan),
        "State": supervisor.state_path(supervisor.DATABASES.name),
        "MediaFolder": facts.media_folder(host),
        "Express": _express(pool) if standard else None,
        "Stores": [entry for instance in instances for entry in _stores(plan, pool, instance, host)],
        "Mirrors": _mirrors(pool),
        "Dns": _dns(pool, plan.domain, software.dns_server) if software.dns_server else None,
    }
    return render(SCRIPT, settings)


def _express(pool: PoolPlan) -> dict[str, Value]:
    """The Standard Edition server's SQL Server Express instance (RTC by default) and its Windows service."""
    return {"Service": facts.express_service(pool)}


def _held(pool: PoolPlan, instance: SqlInstance) -> list[str]:
    return [s.database for s in pool.stores if instance.name in {i.name for i in (s.primary, s.backup) if i}]


def _stores(plan: Plan, pool: PoolPlan, instance: SqlInstance, host: ServerPlan) -> list[dict[str, Value]]:
    """The installs on one instance. On an instance this project does not provision (the customer's Back End, a
    collocated store) one install per Persistent Chat database, scoped with ``-DatabaseType`` (with
    ``-SqlServerFqdn`` and ``-SqlInstanceName``) [PS:Install-CsDatabase]: ``-ConfiguredDatabases`` would act on
    every database the topology assigns to that instance, the Front End pool's too."""
    if instance.server is not None or (facts.is_standard_edition(host) and instance.fqdn == host.fqdn):
        return [_store(plan, pool, instance, host)]
    found: list[dict[str, Value]] = []
    for database in _held(pool, instance):
        arguments: dict[str, Value] = {"DatabaseType": DATABASE_TYPE[database], "SqlServerFqdn": instance.fqdn}
        if instance.instance:
            arguments["SqlInstanceName"] = instance.instance
        databases = [database]
        found.append({"Server": instance.name, "Databases": databases, "Query": existing_query(databases),
                      "Install": arguments})  # fmt: skip
    return found


def _store(plan: Plan, pool: PoolPlan, instance: SqlInstance, host: ServerPlan) -> dict[str, Value]:
    """One SQL instance of the pool's stores: what it must hold, how to check, and Install-CsDatabase's arguments.

    On a Standard Edition server ``-LocalDatabases`` installs what the topology puts on the local computer
    [PS:Install-CsDatabase], the form the update procedure uses for Standard Edition [L:lync-server-2013-upgrade-
    or-update-a-back-end-server-or-standard-edition-server]; elsewhere ``-ConfiguredDatabases`` with
    ``-ForInstance`` for a named instance (``-SqlInstanceName`` is not in that parameter set) and, on the SQL
    Servers this project provisions, ``-DatabasePaths <log>,<data>`` (log first) [PS:Install-CsDatabase]."""
    databases = _held(pool, instance)
    arguments: dict[str, Value]
    if facts.is_standard_edition(host) and instance.fqdn == host.fqdn:
        arguments = {"LocalDatabases": True}
    else:
        arguments = {"ConfiguredDatabases": True, "SqlServerFqdn": instance.fqdn}
        if instance.instance:
            arguments["ForInstance"] = instance.instance
        paths = database_paths(plan, instance)
        if paths is not None:
            arguments["DatabasePaths"] = list(paths)
    return {"Server": instance.name, "Databases": databases, "Query": existing_query(databases), "Install": arguments}


def existing_query(databases: list[str]) -> str:
    """T-SQL listing which of ``databases`` exist on the instance."""
    return f"SELECT name FROM sys.databases WHERE name IN ({_names(databases)});"


def mirroring_query(databases: list[str]) -> str:
    """T-SQL giving each of ``databases`` with its mirroring state (NULL when it is not mirrored)."""
    return (
        "SELECT d.name AS name, m.mirroring_state_desc AS state FROM sys.databases AS d "
        f"JOIN sys.database_mirroring AS m ON m.database_id = d.database_id WHERE d.name IN ({_names(databases)});"
    )


def online_query(databases: list[str]) -> str:
    """T-SQL giving each of ``databases`` that is ONLINE (a working database, not a mirror's RESTORING copy)."""
    return f"SELECT name FROM sys.databases WHERE state_desc = N'ONLINE' AND name IN ({_names(databases)});"


def _names(databases: list[str]) -> str:
    return ", ".join(quoting.tsql(d) for d in databases)


def _mirrors(pool: PoolPlan) -> list[Value]:
    """One Install-CsMirrorDatabase per mirrored principal, through the mirror share on it
    [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability]. Only the primary stores:
    a backup store is a log-shipping secondary until a failover mirrors it
    [L:lync-server-2013-failing-over-persistent-chat-server] step 5.

    A principal this project does not build (a collocated store on the customer's Back End, mirrored onto the
    Back End's mirror) gets one install per Persistent Chat database, scoped with ``-DatabaseType`` and
    ``-SqlServerFqdn`` [``-SqlInstanceName``] [PS:Install-CsMirrorDatabase], through the share ``store.mirror``
    names: ``-ConfiguredDatabases`` would mirror every database the topology puts on the Back End, the Front End
    pool's too."""
    mirrored: list[StorePlan] = [s for s in pool.stores if s.mirror is not None]
    found: list[Value] = []
    for principal in unique(s.primary for s in mirrored):
        held = [s for s in mirrored if s.primary.name == principal.name]
        share = held[0].mirror_share_unc
        assert share is not None, "the planner shares every mirrored principal"
        groups = [held] if principal.server is not None else [[s] for s in held]
        for group in groups:
            found.append(_mirror(principal, group, share))
    return found


def _mirror(principal: SqlInstance, held: list[StorePlan], share: str) -> dict[str, Value]:
    databases = [s.database for s in held]
    arguments: dict[str, Value]
    if principal.server is not None:
        arguments = {"ConfiguredDatabases": True, "FileShare": share, "SqlServerFqdn": principal.fqdn}
        if principal.instance:
            arguments["ForInstance"] = principal.instance
    else:
        (database,) = databases
        arguments = {"DatabaseType": DATABASE_TYPE[database], "FileShare": share, "SqlServerFqdn": principal.fqdn}
        if principal.instance:
            arguments["SqlInstanceName"] = principal.instance
    arguments["DropExistingDatabasesOnMirror"] = True
    mirror = held[0].mirror
    assert mirror is not None, "only mirrored stores are held here"
    return {
        "Principal": principal.name, "Databases": databases, "Query": mirroring_query(databases),
        "Mirror": mirror.name, "OnlineQuery": online_query(databases), "Install": arguments,
    }  # fmt: skip


def _dns(pool: PoolPlan, zone: str, server: str) -> dict[str, Value]:
    """An A record per member FQDN and the pool FQDN resolving to each member
    [L:lync-server-2013-dns-requirements-for-persistent-chat-servers]; once each (a Standard Edition pool's
    FQDN is its server's)."""
    members = pool.pool_servers
    pairs = [(s.fqdn, s.private_ip) for s in members] + [(pool.fqdn, s.private_ip) for s in members]
    records: list[Value] = []
    for fqdn, address in dict.fromkeys(pairs):
        records.append({"Name": relative_name(fqdn, zone), "Address": address})
    return {"Server": server, "Zone": zone, "Records": records}


def relative_name(fqdn: str, zone: str) -> str:
    """``fqdn`` relative to ``zone`` (``pchat01`` in ``corp.contoso.com``)."""
    suffix = "." + zone.lower()
    if not fqdn.lower().endswith(suffix):
        raise ValueError(f"{fqdn} is not in the DNS zone {zone}")
    return fqdn[: -len(suffix)]
