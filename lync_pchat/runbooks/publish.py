"""``publish``: define the pool in Topology Builder, what must exist before publishing, publish, install
and mirror the databases, deploy the servers: in the documented order."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan, Role, ServerPlan, SqlInstance, StorePlan, products
from ..model import needs as n
from ..model import sources as src
from ..model.config import Edition
from ..model.instances import database_paths, install_needs, unique
from ..model.plan import DATABASE_TYPE, MGC, FileShare
from ..model.sources import cite
from ..scripting import for_product, quoting
from . import plan_facts, reach
from .templates import fill


@for_product
def render(plan: Plan) -> dict[str, str]:
    """One ``publish-<pool>.ps1`` per pool."""
    return {plan_facts.runbook_file("publish", pool): _pool(plan, pool) for pool in plan.pools}


def _pool(plan: Plan, pool: PoolPlan) -> str:
    mirrored = [s for s in pool.stores if s.mirror is not None]
    return fill(
        "publish.ps1",
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, needs(plan, pool)),
        pool_fqdn=pool.fqdn,
        lync_site=pool.lync_site,
        pool_fqdn_ps=quoting.powershell(pool.fqdn),
        checklist="\n".join(_topology(plan, pool) + _hadr(pool) + _machine_state(pool)),
        before_publishing="\n".join(
            _dns(pool) + _file_store_check(pool) + _grants(plan, pool) + _prepare_standard_edition(pool, plan)
        ),
        databases="\n".join(_databases(plan, pool)),
        mirroring="\n".join(_mirroring(mirrored)),
        create_databases="\n".join(_create_databases(pool)),
        deploy="\n".join(_deploy(pool, plan)),
        add_to_topology=src.ADD_TO_TOPOLOGY,
        publish=src.PUBLISH,
        publish_topology=src.PUBLISH_TOPOLOGY,
        enable_topology=src.PS_ENABLE_TOPOLOGY,
        database_install=src.DATABASE_INSTALL,
        install_database=src.PS_INSTALL_DATABASE,
        update_server=src.UPDATE_SERVER,
        sql_mirroring=src.SQL_MIRRORING,
        checklist_source=src.CHECKLIST,
    )


def _create_databases(pool: PoolPlan) -> list[str]:
    """What to do on the publish wizard's "Create databases" page: clear this pool's stores, which part 4 installs
    and part 5 mirrors; for a collocated store mirrored onto the Back End's mirror, the share the wizard would ask
    for is store.mirror.fileShare."""
    lines = [
        f'#    On the "Create databases" page [{src.PUBLISH_TOPOLOGY}] step 5, clear the check boxes',
        "#    of this pool's stores: part 4 installs them (see there why).",
    ]
    for share in dict.fromkeys(s.named_mirror_share for s in pool.stores if s.mirror and s.named_mirror_share):
        lines += [
            "#    Its collocated store is mirrored onto the Back End's mirror: part 5 does that with",
            "#    -DatabaseType. If you let the wizard create and mirror it instead, give it the file",
            f"#    share {share} (store.mirror.fileShare) when it asks [{src.SQL_MIRRORING}].",
        ]
    return lines


def _check(step: int | str, *items: str, source: str = src.ADD_TO_TOPOLOGY) -> list[str]:
    return [f"# {cite(source, step)}", *(f"#   [ ] {item}" for item in items)]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _topology(plan: Plan, pool: PoolPlan) -> list[str]:
    compliance = _store(plan, pool.mgccomp.primary) if pool.mgccomp else "none: compliance is off"
    return [
        *_check(3, f"Under Lync site {pool.lync_site}: Persistent Chat Pools > New Persistent Chat Pool"),
        *_check(3, f"Pool FQDN: {pool.fqdn}", *_members(plan, pool)),
        *_check(4, f"Display name: {pool.key}"),
        *_check(5, f"Port: {pool.port}"),
        *_check(6, f"Enable compliance: {_yes(pool.compliance)}"),
        *_check(7, f"Use this pool as default for site {pool.lync_site}: {_yes(pool.default_for_site)}"),
        *_check(8, f"SQL store: {_store(plan, pool.mgc.primary)}"),
        *_check(9, f"Compliance SQL store: {compliance}"),
        *_check(10, _file_store(pool)),
        *_check(11, f"Next hop pool: {pool.next_hop}"),
        *_check(12, "Finish"),
    ]


def _members(plan: Plan, pool: PoolPlan) -> list[str]:
    """The member servers, by data center: a stretched pool is one pool in one Lync site, "but you physically
    place the servers in the pool in two different data centers" [L:...using-a-stretched-...-pool...]."""
    if plan.edition is Edition.STANDARD:
        return ["Single Computer Pool on the Standard Edition server: the pool FQDN is the server FQDN"]
    if len(pool.pool_servers) == 1 and pool.file_store is not None and not pool.file_store.startswith("\\\\"):
        # "If you are deploying a single server ... you can specify a local path; a multiple-server pool needs a
        # UNC path" [ADD_TO_TOPOLOGY]: a local file store is the Single Computer Pool's alone.
        lines = [
            "Single Computer Pool: the file store is a local path, which only a single computer pool takes "
            "(it cannot take more servers later; a UNC file store and a Multiple Computer Pool can)"
        ]
    else:
        lines = ["Multiple Computer Pool (a single computer pool cannot take more servers later)"]
    sites = dict.fromkeys(s.site for s in pool.pool_servers)
    for site in sites:
        lines.append(f"Member servers in data center {site}: {', '.join(plan_facts.fqdns(pool.pool_servers_in(site)))}")
    if len(sites) > 1:
        lines.append(
            f"(one list in Topology Builder: the pool is one logical pool in Lync site {pool.lync_site} "
            f"[{src.STRETCHED_POOL}])"
        )
    return lines


def _where(servers: tuple[ServerPlan, ...]) -> str:
    return ", ".join(f"{s.fqdn} ({s.site})" for s in servers)


def _store(plan: Plan, instance: SqlInstance) -> str:
    if instance.server is not None:
        return plan_facts.described(instance)
    if plan.edition is Edition.STANDARD:
        return f"{plan_facts.described(instance)}: SQL Server Express on the Standard Edition server"
    return f"{plan_facts.described(instance)}: the existing Back End instance, collocated"


def _file_store(pool: PoolPlan) -> str:
    if pool.file_store is None:
        return (
            "File store: not set in the stack (fileStore): the Lync file store share, a UNC path (a local "
            "path only for a single computer pool) that must exist before publishing"
        )
    if not pool.file_store.startswith("\\\\"):
        return f"File store: {pool.file_store} (a local path on the single server); it must exist before publishing"
    server, _, share = pool.file_store.lstrip("\\").partition("\\")
    return (
        f"File store: {pool.file_store} (File Server FQDN {server}, File Share {share}); "
        "it must exist before publishing"
    )


def _dns(pool: PoolPlan) -> list[str]:
    """The internal A records a pool needs: one per server, and the pool FQDN resolving to each member."""
    servers = pool.pool_servers
    lines = [f"# [{src.DNS}]: internal A records"]
    lines += [f"#   [ ] {s.fqdn} -> {s.private_ip}" for s in servers]
    if pool.fqdn not in {s.fqdn for s in servers}:
        lines += [f"#   [ ] {pool.fqdn} -> {s.private_ip}" for s in servers]
    return lines


def _file_store_check(pool: PoolPlan) -> list[str]:
    """ "You must create the file store in the defined location you define before you publish the topology"."""
    step = f"# {cite(src.ADD_TO_TOPOLOGY, 10)}: the file store must exist before publishing"
    store = pool.file_store
    if store is None:
        return [f"{step}: set fileStore in the stack, or check the Lync file store share yourself"]
    if not store.startswith("\\\\"):
        return [f"{step}: create {store} on the server"]
    missing = quoting.powershell(f"The file store {store} does not exist: create it before publishing")
    return [step, f"if (-not (Test-Path -LiteralPath {quoting.powershell(store)})) {{ throw {missing} }}"]


def _grants(plan: Plan, pool: PoolPlan) -> list[str]:
    """The share grants the bootstrap could not make on servers outside the domain."""
    shares = [share for share in pool.shares if share.computers]
    if plan.domain_join is not None or not shares:
        return []
    grants = "\n".join(_grant(share) for share in shares)
    return fill(
        "publish-shares.ps1",
        grants=grants,
        sql_mirroring=src.SQL_MIRRORING,
        grant_share=src.GRANT_SHARE,
        cim_option=src.CIM_OPTION,
    ).splitlines()


def _grant(share: FileShare) -> str:
    return (
        f"# {share.name} on {share.host}: {', '.join(share.computers)}\n"
        f"Grant-ShareToComputers -Domain $env:USERDOMAIN -Server {quoting.powershell(share.fqdn)} "
        f"-Name {quoting.powershell(share.name)} -Unc {quoting.powershell(share.unc)} "
        f"-Computers @({quoting.powershell_list(share.computers)})"
    )


def _hadr(pool: PoolPlan) -> list[str]:
    """Extra stores and their relations [L:...using-topology-builder-to-configure-high-availability...]."""
    stores = [s for s in pool.stores if s.mirror or s.backup]
    if not stores:
        return []
    added: dict[str, list[str]] = {}
    for store in stores:
        for role, instance in _extra(store):
            added.setdefault(instance.name, []).append(f"{store.database} {role}")
    existing = {i.name for s in stores for i in (s.mirror, s.witness) if i is not None and i.server is None}
    lines = ["#", "# High availability and disaster recovery in Topology Builder"]
    lines += _check(
        1,
        *(
            f"Add SQL store {name} ({', '.join(roles)})"
            + (": the Back End's, already in the topology when its pool is mirrored" if name in existing else "")
            for name, roles in added.items()
        ),
        source=src.HADR_TOPOLOGY,
    )
    for store in stores:
        lines += _edits(store)
    return lines


def _extra(store: StorePlan) -> list[tuple[str, SqlInstance]]:
    pairs = [
        ("mirror", store.mirror),
        ("witness", store.witness),
        ("backup", store.backup),
        ("backup mirror", store.backup_mirror),
        ("backup witness", store.backup_witness),
    ]
    return [(role, instance) for role, instance in pairs if instance is not None]


def _witness(instance: SqlInstance | None) -> list[str]:
    if instance is None:
        return []
    return [f"Use SQL mirroring witness to enable automatic failover: {instance.name} (port {plan_facts.WITNESS_PORT})"]


def _edits(store: StorePlan) -> list[str]:
    label = "SQL store" if store.database == MGC else "Compliance SQL store"
    lines: list[str] = []
    if store.mirror and store.mirror.server is None:
        # The Back End's mirror: "an existing endpoint is reused with its own port" [SQL_MIRRORING].
        lines += _check(
            "2.1-2.2",
            f"{label} {store.primary.name} (the Back End, collocated): Enable SQL Store mirroring, mirroring SQL "
            f"store {store.mirror.name}, the Back End's mirror (store.mirror; its existing endpoint keeps its port)",
            *(
                [f"Use SQL mirroring witness to enable automatic failover: {store.witness.name}, the Back End's"]
                if store.witness
                else []
            ),
            source=src.HADR_TOPOLOGY,
        )
    elif store.mirror:
        lines += _check(
            "2.1-2.2",
            f"{label} {store.primary.name}: Enable SQL Store mirroring, mirroring SQL "
            f"store {store.mirror.name} (port {plan_facts.MIRROR_PORT})",
            *_witness(store.witness),
            source=src.HADR_TOPOLOGY,
        )
    if store.backup:
        lines += _check(
            "2.3-2.4",
            f"{label} {store.primary.name}: enable SQL Server log shipping, backup SQL store {store.backup.name}",
            source=src.HADR_TOPOLOGY,
        )
    if store.backup and store.backup_mirror:
        lines += _check(
            "2.5",
            f"{label} backup {store.backup.name}: mirroring SQL store "
            f"{store.backup_mirror.name} (port {plan_facts.MIRROR_PORT})",
            *_witness(store.backup_witness),
            source=src.HADR_TOPOLOGY,
        )
    return lines


def _machine_state(pool: PoolPlan) -> list[str]:
    """Active and idle servers by role, wherever they are: the highBandwidth layout has both in each data
    center."""
    if not pool.standby:
        return []
    return [
        "#",
        f"# {cite(src.MACHINE_STATE)} Machine state settings (at least one server stays active)",
        f"#   [ ] Make active: {_where(pool.active)}",
        f"#   [ ] Make inactive: {_where(pool.standby)}",
    ]


def _prepare_standard_edition(pool: PoolPlan, plan: Plan) -> list[str]:
    """A Standard Edition server that will hold the Central Management store runs "Prepare first Standard
    Edition server" before the topology is published [L:...install-standard-edition-server-database]."""
    standard = pool.with_role(Role.STANDARD_EDITION)
    if not standard:
        return []
    (server,) = standard
    express = products.facts(plan.product).express
    return [
        f"# [{src.SE_DATABASE}]: if {server.fqdn} is the deployment's first Standard Edition server (it will",
        "#   hold the Central Management store), run the Deployment Wizard's \"Prepare first Standard Edition",
        f'#   server" on it now: it installs {express} and the Central Management store, and publishing',
        "#   needs it. If the Central Management store lives elsewhere already, skip this.",
        f"#   [ ] Prepared {server.fqdn} (or the Central Management store is elsewhere)",
    ]


def _databases(plan: Plan, pool: PoolPlan) -> list[str]:
    """Install-CsDatabase on each store instance: primary stores, then backup stores. A Standard Edition
    server's own SQL Server Express instance is setup's: Step 2 of the Deployment Wizard installs it and the
    databases the topology puts there (``Install-CsDatabase -LocalDatabases``) [L:...database-software-support]."""
    stores = pool.stores
    local = {s.fqdn for s in pool.with_role(Role.STANDARD_EDITION)}
    lines: list[str] = []
    for instance in unique([s.primary for s in stores] + [s.backup for s in stores]):
        held = [s.database for s in stores if instance in (s.primary, s.backup)]
        lines.append(f"# {' and '.join(held)} on {instance.name}")
        if instance.fqdn in local:
            lines += [
                "# The Standard Edition server's own SQL Server Express instance: setup installs it and these",
                "# databases on the server (Deployment Wizard Step 2, or the install phase)",
                f"# [{src.DATABASE_SOFTWARE}].",
            ]
        elif instance.server is None:
            lines += _install_on_back_end(instance, held)
        else:
            lines.append(_install_database(plan, instance))
    return lines


def _install_on_back_end(instance: SqlInstance, databases: list[str]) -> list[str]:
    """On the customer's Back End (a collocated store) one install per Persistent Chat database, scoped with
    ``-DatabaseType`` (``-SqlServerFqdn``, ``-SqlInstanceName``) as the install phase does: ``-ConfiguredDatabases``
    installs every database the topology assigns to that instance, the Front End pool's too [PS:Install-CsDatabase]."""
    lines = [
        f"# {instance.name} is your Back End: only the Persistent Chat databases, one -DatabaseType at a time",
        f"# (-ConfiguredDatabases would install every database the topology puts there) [{src.PS_INSTALL_DATABASE}]",
    ]
    for database in databases:
        lines.append(
            f"Install-CsDatabase -DatabaseType {DATABASE_TYPE[database]} -SqlServerFqdn "
            f"{quoting.powershell(instance.fqdn)}{plan_facts.instance_switch(instance, 'SqlInstanceName')}"
        )
    return lines


def _install_database(plan: Plan, instance: SqlInstance) -> str:
    line = f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn {quoting.powershell(instance.fqdn)}"
    line += plan_facts.instance_switch(instance, "ForInstance")
    paths = database_paths(plan, instance)
    # No blank around the comma: the cmdlet reference's form [PS:Install-CsDatabase]
    return line + (f" -DatabasePaths {','.join(quoting.powershell(p) for p in paths)}" if paths else "")


def _mirroring(mirrored: list[StorePlan]) -> list[str]:
    """Install-CsMirrorDatabase once per principal instance, through the mirror share on it, unless its
    stores are mirrored already."""
    if not mirrored:
        return ["# No store of this pool is mirrored (highAvailability.mirroring is off)."]
    owned = any(s.primary.server is not None for s in mirrored)
    lines = [
        f"# {cite(src.SQL_MIRRORING, 1)}: mirror each principal onto the mirror defined in the topology"
        + (
            ", through\n# the principal's pchat-mirror share (the VM bootstrap created it); the SQL Server service "
            "accounts of the\n# principal and the mirror need read/write access to it."
            if owned
            else "."
        ),
        "# -DropExistingDatabasesOnMirror: a store rebuilt",
        '# after a disaster (failback runbook) leaves its old copy on the mirror, which the cmdlet "deletes ...',
        f'# before new data is copied" [{src.PS_MIRROR_DATABASE}]; it runs only while the principal is not mirrored',
        *_mirrored_test(),
    ]
    for principal in unique(s.primary for s in mirrored):
        held = [s for s in mirrored if s.primary == principal]
        mirror, share = held[0].mirror, held[0].mirror_share_unc
        assert mirror is not None and share is not None, "the planner shares every mirrored principal"
        if principal.server is None:
            lines += _scoped_mirroring(principal, mirror, share, held)
            continue
        databases = [s.database for s in held]
        done = quoting.powershell(f"{' and '.join(databases)} on {principal.name}: already mirrored, skipped")
        query = quoting.powershell(_mirrored_query(databases))
        lines += [
            f"# {' and '.join(databases)}: {principal.name} -> {mirror.name}",
            f"if (Test-Mirrored {quoting.powershell(principal.name)} {query}) {{",
            f"    Write-Host {done}",
            "} else {",
            f"    Install-CsMirrorDatabase -ConfiguredDatabases -FileShare {quoting.powershell(share)} "
            f"-SqlServerFqdn {quoting.powershell(principal.fqdn)}"
            f"{plan_facts.instance_switch(principal, 'ForInstance')} "
            "-DropExistingDatabasesOnMirror",
            "}",
        ]
    if any(s.primary.server is not None for s in mirrored):
        lines.append(
            f"# {cite(src.SQL_MIRRORING, 2)}: open TCP {plan_facts.MIRROR_PORT} on principal and mirror and TCP "
            f"{plan_facts.WITNESS_PORT} on the witness; WMI must run on all of them"
        )
    return lines


def _scoped_mirroring(principal: SqlInstance, mirror: SqlInstance, share: str, held: list[StorePlan]) -> list[str]:
    """A collocated store on the customer's Back End, mirrored onto the Back End's mirror: one install per
    Persistent Chat database, scoped with -DatabaseType [PS:Install-CsMirrorDatabase], through the share
    store.mirror names. -ConfiguredDatabases would act on every database the topology puts on the Back End, the
    Front End pool's too; this project opens no port and creates no share on the customer's servers."""
    lines = [
        f"# {principal.name} is the Back End (collocated): mirrored onto its mirror {mirror.name}, scoped with",
        "# -DatabaseType to the Persistent Chat databases (never -ConfiguredDatabases, which would act on the Front",
        f"# End pool's databases there too) through {share} (store.mirror.fileShare), which the SQL Server service",
        "# accounts of the Back End and its mirror must read and write; the Back End's mirroring endpoints, WMI and",
        "# SMB already serve its own mirroring.",
    ]
    for store in held:
        done = quoting.powershell(f"{store.database} on {principal.name}: already mirrored, skipped")
        query = quoting.powershell(_mirrored_query([store.database]))
        lines += [
            f"# {store.database}: {principal.name} -> {mirror.name}",
            f"if (Test-Mirrored {quoting.powershell(principal.name)} {query}) {{",
            f"    Write-Host {done}",
            "} else {",
            f"    Install-CsMirrorDatabase -DatabaseType {DATABASE_TYPE[store.database]} -FileShare "
            f"{quoting.powershell(share)} -SqlServerFqdn {quoting.powershell(principal.fqdn)}"
            f"{plan_facts.instance_switch(principal, 'SqlInstanceName')} -DropExistingDatabasesOnMirror",
            "}",
        ]
    return lines


def _mirrored_query(databases: list[str]) -> str:
    """T-SQL: whether every one of ``databases`` is in a mirroring session (1) or not (0)."""
    ids = ", ".join(f"DB_ID({quoting.tsql(d)})" for d in databases)
    return (
        "SELECT CASE WHEN COUNT(*) = "
        f"{len(databases)} THEN 1 ELSE 0 END FROM sys.database_mirroring "
        f"WHERE mirroring_guid IS NOT NULL AND database_id IN ({ids})"
    )


def _mirrored_test() -> list[str]:
    return fill("publish-test-mirrored.ps1").splitlines()


def _deploy(pool: PoolPlan, plan: Plan) -> list[str]:
    """What installs Lync Server on the pool's servers: the project's install phase, or the Deployment Wizard."""
    members = ", ".join(plan_facts.fqdns(pool.pool_servers))
    return [
        "# Set software.install: true in the stack's pchat:topology, then run pulumi up: the install phase",
        f"# installs {products.facts(plan.product).name} on every server of the pool ({members}).",
        "# If software.install stays false, run the Lync Server Deployment Wizard on each of them instead",
        f"# [{src.INSTALLING}]: install the local configuration store, set up the Persistent Chat components,",
        "# request and assign the certificates, start the services.",
        "# Then run the configure runbook of this pool.",
        "Write-Host 'Next: set pchat:topology software.install: true and run pulumi up (or the Deployment Wizard on "
        "each server), then the configure runbook'",
    ]


def needs(plan: Plan, pool: PoolPlan) -> Iterator[n.Need]:
    """From a management host: Install-CsDatabase and Install-CsMirrorDatabase as phase B runs them; without a
    domain join, the share grants: the share's entry over a DCOM CIM session (RPC), the folder's over SMB."""
    at = n.Origin("runbook:publish", n.MANAGEMENT, n.ADMIN, n.INSTALL)
    yield from install_needs(pool, at)
    if plan.domain_join is None:
        for share in pool.shares:
            if share.computers:
                yield from at.rpc(share.host, f"Grant-SmbShareAccess -CimSession (DCOM) on {share.name}")
                yield from at.smb(share.host, f"icacls on {share.unc}: the folder's NTFS grant")
