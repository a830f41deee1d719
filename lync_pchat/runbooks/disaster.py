"""``failover`` and ``failback`` of a stretched pool, in the documented order."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan
from ..model import needs as n
from ..model import sources as src
from ..model.shipping import Shipped, Stretched, stretched_pool
from ..model.sources import cite
from ..scripting import for_product, quoting
from ..scripting.tsql import resume_query, suspend_query
from . import plan_facts, reach
from .log_shipping import sql_file
from .templates import fill


@for_product
def render_failover(plan: Plan) -> dict[str, str]:
    """One ``failover-<pool>.ps1`` per stretched pool."""
    return {
        plan_facts.runbook_file("failover", s.pool): _failover(plan, s) for s in plan_facts.stretched(plan, "failover")
    }


@for_product
def render_failback(plan: Plan) -> dict[str, str]:
    """One ``failback-<pool>.ps1`` per stretched pool."""
    return {
        plan_facts.runbook_file("failback", s.pool): _failback(plan, s) for s in plan_facts.stretched(plan, "failback")
    }


def _common(pool: Stretched) -> dict[str, str]:
    return {
        "pool_fqdn": pool.pool.fqdn,
        "pool_fqdn_ps": quoting.powershell(pool.pool.fqdn),
        "site": pool.pool.site,
        "standby_site": pool.pool.standby_site or "",
        "active_identity": quoting.powershell(plan_facts.active_identity(pool.pool)),
        "backup_ps": quoting.powershell(pool.mgc.backup.name),
        "state": state_check(),
        "ps_active_server": src.PS_ACTIVE_SERVER,
    }


def state_check() -> str:
    """The pool-state lookup every pool runbook starts from (``$state``, ``$stateIdentity``)."""
    return fill("pool-state.ps1", ps_get_state=src.PS_GET_STATE, failover=src.FAILOVER, ps_state=src.PS_STATE)


def _standby_servers(pool: Stretched) -> list[str]:
    """Every Persistent Chat server in the standby data center, active or idle, whatever the layout."""
    assert pool.pool.standby_site is not None
    return plan_facts.fqdns(pool.pool.pool_servers_in(pool.pool.standby_site))


def _failover(plan: Plan, pool: Stretched) -> str:
    mgc = pool.mgc
    shares = mgc.log_shipping
    return fill(
        "failover.ps1",
        **_common(pool),
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, failover_needs(pool.pool)),
        primary=mgc.primary.name,
        backup=mgc.backup.name,
        backup_share_ps=quoting.powershell(shares.backup.unc),
        copy_share_ps=quoting.powershell(shares.copy.unc),
        copy_path_ps=quoting.powershell(shares.copy.seen_from(mgc.backup.server)),
        cms_message=quoting.powershell(
            "The Central Management store is not available: fail it over to the paired Front End pool first "
            "(Invoke-CsManagementServerFailover -BackupSqlServerFqdn <its Back End> -BackupSqlInstanceName <instance> "
            "-Force), then run this runbook again"
        ),
        next_hop_message=quoting.powershell(
            f"Check the next hop pool of {pool.pool.fqdn}, {pool.pool.next_hop}: if it was in {pool.pool.site}, "
            "set Next Hop Pool to a surviving Front End pool in Topology Builder and publish; then run this "
            "runbook with -NextHopPoolChecked"
        ),
        mirror=_mirror(mgc),
        standby=quoting.powershell_list(_standby_servers(pool)),
        failover=src.FAILOVER,
        ps_state=src.PS_STATE,
        cms_failover=src.CMS_FAILOVER,
        pool_failover=src.POOL_FAILOVER,
        abc_failover=src.ABC_FAILOVER,
    )


def _mirror(mgc: Shipped) -> str:
    step = f"# {cite(src.FAILOVER, 6)}"
    share = mgc.failover_mirror_share
    if mgc.backup_mirror is None or share is None:
        return f"{step}: the backup store has no mirror in this stack (highAvailability.mirroring is off)."
    return "\n".join(
        [
            f"{step}: mirror the backup database, now the primary, onto the backup mirror",
            f"# {mgc.backup_mirror.name}, not the mirror of the original primary [{src.PS_MIRROR_DATABASE}], through",
            "# the log-shipping backup share on the backup store, which both of them read and write",
            f"# [{src.REQUIRED_RESOURCES}] item 5. -DropExistingDatabasesOnMirror: an earlier failover left a copy",
            '# there, which the cmdlet "deletes ... before new data is copied".',
            f"Install-CsMirrorDatabase -DatabaseType {mgc.database_type} -FileShare {quoting.powershell(share.unc)} "
            f"-SqlServerFqdn {quoting.powershell(mgc.backup.fqdn)}"
            f"{plan_facts.instance_switch(mgc.backup, 'SqlInstanceName')} -DropExistingDatabasesOnMirror",
        ]
    )


def partner_off(database: str) -> str:
    """T-SQL that removes database mirroring when there is any (SSMS: Tasks > Mirror > Remove Mirroring)."""
    return (
        f"IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE database_id = DB_ID({quoting.tsql(database)}) "
        f"AND mirroring_guid IS NOT NULL) ALTER DATABASE {quoting.tsql_name(database)} SET PARTNER OFF;"
    )


def _failback(plan: Plan, pool: Stretched) -> str:
    mgc, share = pool.mgc, pool.mgc.log_shipping.backup
    backup_file = quoting.tsql(f"{share.seen_from(mgc.backup.server)}\\mgc_failback.bak")
    restore_file = quoting.tsql(f"{share.seen_from(mgc.primary.server)}\\mgc_failback.bak")
    return fill(
        "failback.ps1",
        **_common(pool),
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, failback_needs(pool.pool)),
        primary_ps=quoting.powershell(mgc.primary.name),
        backup=mgc.backup.name,
        failed_over=quoting.powershell_list(_standby_servers(pool)),
        backup_query_ps=quoting.powershell(f"BACKUP DATABASE mgc TO DISK = {backup_file} WITH INIT, CHECKSUM"),
        restore_query_ps=quoting.powershell(f"RESTORE DATABASE mgc FROM DISK = {restore_file} WITH REPLACE, RECOVERY"),
        remove_mirroring="\n".join(
            f"Invoke-Sql {quoting.powershell(s.backup.name)} {quoting.powershell(partner_off(s.database))}"
            for s in pool.shipped
        ),
        partner_off_mgc=quoting.powershell(partner_off("mgc")),
        remirror=_remirror(mgc),
        log_shipping_files="\n".join(f"Invoke-SqlFile {quoting.powershell(sql_file(pool, s))}" for s in pool.shipped),
        suspend="\n".join(_on_primary(s, suspend_query(s.database)) for s in pool.shipped),
        from_mirror=_from_mirror(pool),
        resume="\n".join(_on_primary(s, resume_query(s.database)) for s in pool.shipped),
        active=quoting.powershell_list(plan_facts.fqdns(pool.pool.active)),
        active_where=", ".join(sorted(dict.fromkeys(s.site for s in pool.pool.active))),
        after=_after(pool),
        failback=src.FAILBACK,
        log_shipping=src.LOG_SHIPPING,
        ps_stop_service=src.PS_STOP_SERVICE,
        services=src.SERVICES,
    )


def _remirror(mgc: Shipped) -> str:
    """Mirroring of the restored primary mgc again, over the stale copy its mirror still holds."""
    share = mgc.mirror_share
    if mgc.mirror is None or share is None:
        return ""
    return "\n".join(
        [
            f"# After step 4 (not in the topic): mirror the primary mgc onto {mgc.mirror.name} again before log",
            "# shipping takes its log backups; the mirror still holds the mgc of before the disaster, which",
            f'# -DropExistingDatabasesOnMirror "deletes ... before new data is copied" [{src.PS_MIRROR_DATABASE}]',
            f"# (the cmdlet reference's example misspells it -DropExisitingDatabasesOnMirror) [{src.SQL_MIRRORING}]",
            f"Install-CsMirrorDatabase -DatabaseType {mgc.database_type} -FileShare {quoting.powershell(share.unc)} "
            f"-SqlServerFqdn {quoting.powershell(mgc.primary.fqdn)}"
            f"{plan_facts.instance_switch(mgc.primary, 'SqlInstanceName')} -DropExistingDatabasesOnMirror",
        ]
    )


def _on_primary(store: Shipped, query: str) -> str:
    return f"Invoke-Sql {quoting.powershell(store.primary.name)} {quoting.powershell(query)}"


def _from_mirror(pool: Stretched) -> str:
    """Log shipping armed from the mirrors too, by the log-shipping runbook's from-mirror script (it fails each
    mirrored store over, configures the mirror as a second primary, and fails back) [LOG_SHIPPING_MIRROR]."""
    if not any(s.mirror is not None for s in pool.shipped):
        return ""
    name = quoting.powershell(plan_facts.runbook_file("log-shipping", pool.pool, "from-mirror"))
    return "\n".join(
        [
            f"# Step 5 from the mirrors too [{src.LOG_SHIPPING_MIRROR}]: the mirror must be a log-shipping primary",
            "# as well, or log shipping stops at the next mirroring failover.",
            f"& (Join-Path $PSScriptRoot {name})",
        ]
    )


def _after(pool: Stretched) -> str:
    lines = ["# After failback (not in the topic):"]
    lines.append("# - Get-CsService -PersistentChatServer shows the pool's services.")
    return "\n".join(lines)


def failover_needs(pool: PoolPlan) -> Iterator[n.Need]:
    """The failover runbook's connections, step by step, from a management host (the primary site is down)."""
    stretched = stretched_pool(pool)
    if stretched is None:
        return
    mgc = stretched.mgc
    at = n.Origin("runbook:failover", n.MANAGEMENT, n.ADMIN, n.FAILED_OVER)
    yield from _step(at, "steps 1, 3, 4").sql(mgc.backup, "log shipping removed, log backups applied, mgc online")
    shares = mgc.log_shipping
    yield from _step(at, "step 2").smb(shares.backup.host, "copy the uncopied log backups from the backup share")
    yield from _step(at, "step 2").smb(shares.copy.host, "to the copy destination")
    share = mgc.failover_mirror_share
    if mgc.backup_mirror is not None and share is not None:
        store = pool.mgc
        yield from _step(at, "step 6").mirror_install(
            mgc.backup, mgc.backup_mirror, store.backup_witness, share.host, "Install-CsMirrorDatabase on the backup"
        )


def failback_needs(pool: PoolPlan) -> Iterator[n.Need]:
    """The failback runbook's connections, step by step, from a management host."""
    stretched = stretched_pool(pool)
    if stretched is None or pool.standby_site is None:
        return
    mgc = stretched.mgc
    at = n.Origin("runbook:failback", n.MANAGEMENT, n.ADMIN, n.FAILED_BACK)
    for server in (*pool.pool_servers_in(pool.standby_site), *pool.active):
        yield from _step(at, "steps 1, 7").smb(server.key, "Stop-/Start-CsWindowsService -ComputerName")
    for store in stretched.shipped:
        yield from _step(at, "step 2").sql(store.backup, f"mirroring of the backup {store.database} removed")
    yield from _step(at, "step 3").sql(mgc.backup, "full backup of the backup mgc to the backup share")
    yield from _step(at, "step 4").sql(mgc.primary, "restore over the primary mgc")
    if mgc.primary.server is not None:
        sql = n.Origin("runbook:failback step 4", mgc.primary.server, n.SQL_SERVICE, n.FAILED_BACK)
        yield from sql.smb(mgc.log_shipping.backup.host, "RESTORE DATABASE from the backup share")
    if mgc.mirror is not None and mgc.mirror_share is not None:
        yield from _step(at, "step 4").mirror_install(
            mgc.primary, mgc.mirror, pool.mgc.witness, mgc.mirror_share.host, "Install-CsMirrorDatabase again"
        )
    for store in stretched.shipped:
        yield from _step(at, "step 5").sql(store.primary, f"log shipping of {store.database}: the primary half")
        yield from _step(at, "step 5").sql(store.backup, f"log shipping of {store.database}: the secondary half")


def _step(origin: n.Origin, step: str) -> n.Origin:
    return n.Origin(f"{origin.action} {step}", origin.runs_on, origin.identity, origin.when)
