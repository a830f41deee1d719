"""Phase B, once per pool on its install host: the pool's databases, their mirrors, and its DNS records."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan, ServerPlan, SqlInstance, StorePlan
from ..model import needs as n
from ..model.instances import database_paths, install_needs, unique
from ..model.plan import DATABASE_TYPE
from ..model.ports import MIRRORING, RPC, WITNESS
from ..scripting import Value
from ..scripting.tsql import existing_query, mirroring_query, online_query
from . import product, setup_facts, supervisor
from .scripts import render

SCRIPT = "Install-PoolDatabases.ps1"


def database_script(pool: PoolPlan, plan: Plan) -> str:
    """The phase B script of ``pool``, run on its :attr:`PoolPlan.install_host`."""
    software = setup_facts.software(plan)
    host = pool.install_host
    standard = setup_facts.is_standard_edition(host)
    instances = unique([s.primary for s in pool.stores] + [s.backup for s in pool.stores])
    settings: dict[str, Value] = {
        "Product": product.settings(plan),
        "State": supervisor.state_path(supervisor.DATABASES.name),
        "MediaFolder": setup_facts.media_folder(host),
        "Express": _express(pool) if standard else None,
        "Stores": [entry for instance in instances for entry in _stores(plan, pool, instance, host)],
        "Mirrors": _mirrors(pool),
        "Dns": _dns(pool, plan.domain, software.dns_server) if software.dns_server else None,
    }
    return render(SCRIPT, settings)


def _express(pool: PoolPlan) -> dict[str, Value]:
    """The Standard Edition server's SQL Server Express instance (RTC by default) and its Windows service."""
    return {"Service": setup_facts.express_service(pool)}


def _held(pool: PoolPlan, instance: SqlInstance) -> list[str]:
    return [s.database for s in pool.stores if instance.name in {i.name for i in (s.primary, s.backup) if i}]


def _stores(plan: Plan, pool: PoolPlan, instance: SqlInstance, host: ServerPlan) -> list[dict[str, Value]]:
    """The installs on one instance. On an instance this project does not provision (the customer's Back End, a
    collocated store) one install per Persistent Chat database, scoped with ``-DatabaseType`` (with
    ``-SqlServerFqdn`` and ``-SqlInstanceName``) [PS:Install-CsDatabase]: ``-ConfiguredDatabases`` would act on
    every database the topology assigns to that instance, the Front End pool's too."""
    if instance.server is not None or (setup_facts.is_standard_edition(host) and instance.fqdn == host.fqdn):
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
    if setup_facts.is_standard_edition(host) and instance.fqdn == host.fqdn:
        arguments = {"LocalDatabases": True}
    else:
        arguments = {"ConfiguredDatabases": True, "SqlServerFqdn": instance.fqdn}
        if instance.instance:
            arguments["ForInstance"] = instance.instance
        paths = database_paths(plan, instance)
        if paths is not None:
            arguments["DatabasePaths"] = list(paths)
    return {"Server": instance.name, "Databases": databases, "Query": existing_query(databases), "Install": arguments}


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


def needs(pool: PoolPlan, plan: Plan, origin: n.Origin | None = None) -> Iterator[n.Need]:
    """What phase B (or the publish runbook, ``origin``) connects to: the database installs
    (:func:`~lync_pchat.model.instances.install_needs`), and phase B the DNS server's records (RPC)."""
    origin = origin or n.Origin(supervisor.DATABASES.name, pool.install_host.key, n.SETUP)
    yield from install_needs(pool, origin)
    software = plan.software
    if software is not None and software.dns_server and origin.action == supervisor.DATABASES.name:
        yield origin.to(software.dns_server, RPC, "Add-DnsServerResourceRecordA: the pool's A records")


def mirroring_needs(pool: PoolPlan) -> Iterator[n.Need]:
    """The mirroring sessions between the SQL Servers this project builds: each partner reaches the other's
    endpoint (5022) and the witness's (7022), the witness both partners [JJ204992]; the primary site's in every
    state, the backup site's once a failover mirrored the backup store (failover step 6)."""
    for store in pool.stores:
        sets = ((store.primary, store.mirror, store.witness, n.STEADY),
                (store.backup, store.backup_mirror, store.backup_witness, n.FAILED_OVER))  # fmt: skip
        for principal, mirror, witness, when in sets:
            if principal is None or mirror is None or principal.server is None or mirror.server is None:
                continue
            for one, other in ((principal.server, mirror.server), (mirror.server, principal.server)):
                session = n.Origin(f"mirroring:{store.database}", one, n.SQL_SERVICE, when)
                yield session.to(other, MIRRORING, "database mirroring endpoint of the partner")
                if witness is not None and witness.server is not None:
                    yield session.to(witness.server, WITNESS, "the witness's endpoint")
                    watch = n.Origin(f"mirroring:{store.database}", witness.server, n.SQL_SERVICE, when)
                    yield watch.to(one, MIRRORING, "the witness reaches each partner's endpoint")
