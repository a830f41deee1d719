"""``failover`` and ``failback``: the documented steps, in order, with the stack's names.

Expected values come from the Lync Server 2013 documentation, cited on each test."""

from __future__ import annotations

from tests import powershell as ps

from ..model.configs import changed, enterprise
from .support import assert_order, code, files, plan_of, render

FAILOVER = files("enterprise", "failover")["failover-pchat01.ps1"]
FAILBACK = files("enterprise", "failback")["failback-pchat01.ps1"]
IDENTITY = "'PersistentChatServer:pchat01.corp.contoso.com'"
STANDBY = ", ".join(f"'pchat01-s{n}.corp.contoso.com'" for n in range(1, 5))
ACTIVE = ", ".join(f"'pchat01-a{n}.corp.contoso.com'" for n in range(1, 5))
HIGH_BANDWIDTH = plan_of(
    changed(
        enterprise(),
        pools__pchat01__highAvailability={"mirroring": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "layout": "highBandwidth"},
    )
)


def test_failover_order() -> None:
    """The Front End side first: "the administrator must fail over the Central Management store before failing
    over the Front End pool" [L:lync-server-2013-central-management-store-failover], the next hop pool changed
    in Topology Builder [L:lync-server-2013-front-end-pool-abc-failover-procedure] step 15; then
    [L:lync-server-2013-failing-over-persistent-chat-server] steps 1-7."""
    assert_order(
        FAILOVER,
        "Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus",
        "if (-not $NextHopPoolChecked)",
        "Get-CsPersistentChatState |",
        "log_shipping_monitor_secondary",
        "exec sp_delete_log_shipping_secondary_database mgc",
        "Copy-Item -Destination $copyShare",
        "RESTORE LOG mgc FROM DISK",
        "exec sp_who2",
        "restore database mgc with recovery",
        "Set-CsPersistentChatState -Identity $stateIdentity -PoolState FailedOver",
        "Install-CsMirrorDatabase -DatabaseType PersistentChat "
        "-FileShare '\\\\pchat01-bak.corp.contoso.com\\pchat-logship' -SqlServerFqdn 'pchat01-bak.corp.contoso.com' "
        "-DropExistingDatabasesOnMirror",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers $null",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers @{{Add = {STANDBY}}}",
    )


def test_failover_stops_when_the_central_management_store_is_not_available() -> None:
    """ "If they are empty, the Central Management Server is not available and you must fail it over"
    [L:lync-server-2013-failing-over-a-pool] step 3; the cmdlet that does it is Invoke-CsManagementServerFailover
    [L:lync-server-2013-front-end-pool-abc-failover-procedure] step 2."""
    tree = ps.parse(FAILOVER)
    (gate,) = [n for n in ps.of_type(tree, "if_statement") if "ActiveMasterFqdn" in ps.text(n)]
    assert "-not $cms.ActiveFileTransferAgents" in ps.text(gate)
    (throw,) = [n for n in ps.of_type(gate, "flow_control_statement")]
    message = ps.literal(throw.children[-1])
    assert message is not None and "Invoke-CsManagementServerFailover -BackupSqlServerFqdn" in message
    assert gate.start_byte < FAILOVER.index("exec sp_delete_log_shipping_secondary_database mgc")


def test_failover_asks_for_the_next_hop_pool_it_cannot_change() -> None:
    """ "In Topology Builder, change the Persistent Chat pool to point to Pool C as its next hop"
    [L:lync-server-2013-front-end-pool-abc-failover-procedure] step 15: no cmdlet, so the admin confirms."""
    tree = ps.parse(FAILOVER)
    params = ps.of_type(tree, "param_block")
    assert len(params) == 1 and "[switch]$NextHopPoolChecked" in ps.text(params[0])
    (gate,) = [n for n in ps.of_type(tree, "if_statement") if "$NextHopPoolChecked" in ps.text(n)]
    (throw,) = [n for n in ps.of_type(gate, "flow_control_statement")]
    assert ps.literal(throw.children[-1]) == (
        "Check the next hop pool of pchat01.corp.contoso.com, fe01.corp.contoso.com: if it was in dublin, set Next "
        "Hop Pool to a surviving Front End pool in Topology Builder and publish; then run this runbook with "
        "-NextHopPoolChecked"
    )


def test_the_pool_state_identity_is_the_one_the_pool_has() -> None:
    """The topic writes "service:atl-cs-001.litwareinc.com" [L:lync-server-2013-failing-over-persistent-chat-
    server] step 5, the references "PersistentChatServer:atl-gc-001.litwareinc.com" [PS:Set-CsPersistentChatState],
    [PS:Get-CsPersistentChatState]: the runbooks read it from Get-CsPersistentChatState."""
    for text in (FAILOVER, FAILBACK):
        assert "'service:" not in code(text)
        assert "$poolFqdn = 'pchat01.corp.contoso.com'" in text
        assert "$stateIdentity = $state[0].Identity" in text
        states = ps.commands(ps.parse(text), "Set-CsPersistentChatState")
        assert [ps.text(c.parameters["-identity"] or c.node) for c in states] == ["$stateIdentity"]


def test_failover_names() -> None:
    assert "$backup = 'pchat01-bak.corp.contoso.com'" in FAILOVER
    assert "$backupShare = '\\\\pchat01-bak.corp.contoso.com\\pchat-logship'" in FAILOVER
    assert "$copyShare = '\\\\pchat01-bak.corp.contoso.com\\pchat-logcopy'" in FAILOVER
    assert "$copyPath = 'I:\\Backup\\LogCopy'" in FAILOVER
    assert "$file = ($copyPath + '\\' + $_.Name).Replace(\"'\", \"''\")" in FAILOVER
    assert "Invoke-Sql $backup \"RESTORE LOG mgc FROM DISK = N'$file' WITH NORECOVERY\"" in FAILOVER
    assert "pchat01-sql.corp.contoso.com\\" not in FAILOVER
    assert "Filter 'mgc_*.trn'" in FAILOVER
    assert "mgccomp" not in FAILOVER.split("#>", 1)[1].replace("mgccomp is not failed over", "")
    for step in range(1, 8):
        assert f"[L:lync-server-2013-failing-over-persistent-chat-server] step {step}" in FAILOVER


def test_failover_activates_every_server_of_the_standby_data_center() -> None:
    """ "All the active servers must be located within the same data center as the new primary database"
    [L:lync-server-2013-failing-over-persistent-chat-server] step 7: highBandwidth keeps active and idle servers
    in both data centers, and every one in the standby data center becomes active."""
    text = render(HIGH_BANDWIDTH, "failover")["failover-pchat01.ps1"]
    amsterdam = "'pchat01-a2.corp.contoso.com', 'pchat01-s2.corp.contoso.com'"
    assert f"-ActiveServers @{{Add = {amsterdam}}}" in text
    back = render(HIGH_BANDWIDTH, "failback")["failback-pchat01.ps1"]
    assert "-ActiveServers @{Add = 'pchat01-a1.corp.contoso.com', 'pchat01-a2.corp.contoso.com'}" in back
    assert f"$failedOver = @({amsterdam})" in back


def test_failback_order() -> None:
    """[L:lync-server-2013-failing-back-persistent-chat-server] steps 1-7, with the services of the servers that
    carried the pool stopped after step 1 [PS:Stop-CsWindowsService] and started at the end, and the restored
    mgc mirrored again with -DropExistingDatabasesOnMirror [PS:Install-CsMirrorDatabase]."""
    assert_order(
        FAILBACK,
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers $null",
        "Stop-CsWindowsService -ComputerName $server",
        "Invoke-Sql 'pchat01-bak.corp.contoso.com' 'IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE "
        "database_id = DB_ID(N''mgc'') AND mirroring_guid IS NOT NULL) ALTER DATABASE [mgc] SET PARTNER OFF;'",
        "Invoke-Sql 'pchat01-cbak.corp.contoso.com' 'IF EXISTS",
        "ALTER DATABASE [mgccomp] SET PARTNER OFF",
        "Invoke-Sql $backup 'BACKUP DATABASE mgc TO DISK = N''I:\\Backup\\LogShipping\\mgc_failback.bak'' "
        "WITH INIT, CHECKSUM'",
        "Invoke-Sql $primary 'RESTORE DATABASE mgc FROM DISK = "
        "N''\\\\pchat01-bak.corp.contoso.com\\pchat-logship\\mgc_failback.bak'' WITH REPLACE, RECOVERY'",
        "Install-CsMirrorDatabase -DatabaseType PersistentChat -FileShare '\\\\pchat01-sql.corp.contoso.com\\"
        "pchat-mirror' -SqlServerFqdn 'pchat01-sql.corp.contoso.com' -DropExistingDatabasesOnMirror",
        "Invoke-SqlFile 'log-shipping-pchat01-mgc.sql'",
        "Invoke-SqlFile 'log-shipping-pchat01-mgccomp.sql'",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers @{{Add = {ACTIVE}}}",
        "Set-CsPersistentChatState -Identity $stateIdentity -PoolState Normal",
        "Start-CsWindowsService -ComputerName $server",
    )


def test_failback_stops_new_posts_before_the_backup() -> None:
    """Servers off the active list "will continue to any client connections that were made before"
    [PS:Set-CsPersistentChatActiveServer], against the topic's "This stops all Persistent Chat Servers from
    connecting" [L:lync-server-2013-failing-back-persistent-chat-server] step 1: the runbook stops the services
    of the servers that carry the pool, and says the step is UNCONFIRMED as Lync procedure."""
    assert f"$failedOver = @({STANDBY})" in FAILBACK
    tree = ps.parse(FAILBACK)
    loops = [n for n in ps.of_type(tree, "foreach_statement") if "$failedOver" in ps.text(n)]
    assert [ps.commands(n)[0].name for n in loops] == ["Stop-CsWindowsService", "Start-CsWindowsService"]
    assert "UNCONFIRMED as Lync\n# procedure" in FAILBACK
    assert "will\n# continue to any client connections" in FAILBACK


def test_remirroring_drops_the_stale_copy_on_the_mirror() -> None:
    """-DropExistingDatabasesOnMirror "deletes any existing copies of the mirrored databases from the server
    acting as the mirror before new data is copied" [PS:Install-CsMirrorDatabase] (whose example misspells it)."""
    for text in (FAILOVER, FAILBACK):
        for command in ps.commands(ps.parse(text), "Install-CsMirrorDatabase"):
            assert "-dropexistingdatabasesonmirror" in command.parameters
            assert command.parameters["-dropexistingdatabasesonmirror"] is None
    assert "-DropExisitingDatabasesOnMirror" not in code(FAILBACK)


def test_failback_names() -> None:
    assert "$primary = 'pchat01-sql.corp.contoso.com'" in FAILBACK
    assert "$backup = 'pchat01-bak.corp.contoso.com'" in FAILBACK
    for step in range(1, 8):
        assert f"[L:lync-server-2013-failing-back-persistent-chat-server] step {step}" in FAILBACK


def test_failback_runs_the_log_shipping_runbook_files() -> None:
    shipped = {name for name in files("enterprise", "log-shipping") if name.endswith(("mgc.sql", "mgccomp.sql"))}
    assert shipped == {"log-shipping-pchat01-mgc.sql", "log-shipping-pchat01-mgccomp.sql"}
    assert all(f"Invoke-SqlFile '{name}'" in FAILBACK for name in shipped)


def test_sqlcmd_ignores_scripting_variables() -> None:
    """sqlcmd -x: values the runbooks pass stay text, never $(variable) substitutions."""
    for text in (FAILOVER, FAILBACK, files("enterprise", "log-shipping")["log-shipping-pchat01-from-mirror.ps1"]):
        calls = [c for c in ps.commands(ps.parse(text), "sqlcmd.exe")]
        assert calls and all("-x" in c.parameters for c in calls)


def test_failback_rearms_log_shipping_from_the_mirror_with_log_backups_suspended() -> None:
    """Issue 23, item 7. With mirroring plus log shipping the mirror must be a log-shipping primary too
    [DBM:database-mirroring-and-log-shipping-sql-server.md] (operations.md §1.3, §9.2): failback runs the
    log-shipping runbook's from-mirror script after step 5. Until every partner is armed no other log backup may
    be taken (operations.md §1.3: log shipping's backup job is the only producer), so the backup task's log
    backups are suspended on each shipped store's principal first (a mark inside the database, carried to the
    mirror by the failover) and resumed after."""
    from lync_pchat.model import backup

    mirror_script = "log-shipping-pchat01-from-mirror.ps1"
    assert mirror_script in files("enterprise", "log-shipping")
    suspend = [f"Invoke-Sql 'pchat01-{s}.corp.contoso.com' " for s in ("sql", "cmp")]
    assert_order(
        FAILBACK,
        "Stop-CsWindowsService -ComputerName $server",
        suspend[0] + "'IF NOT EXISTS (SELECT 1 FROM [mgc].sys.extended_properties",
        suspend[1] + "'IF NOT EXISTS (SELECT 1 FROM [mgccomp].sys.extended_properties",
        "Invoke-SqlFile 'log-shipping-pchat01-mgc.sql'",
        "Invoke-SqlFile 'log-shipping-pchat01-mgccomp.sql'",
        f"& (Join-Path $PSScriptRoot '{mirror_script}')",
        suspend[0] + "'IF EXISTS (SELECT 1 FROM [mgc].sys.extended_properties",
        suspend[1] + "'IF EXISTS (SELECT 1 FROM [mgccomp].sys.extended_properties",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers @{{Add = {ACTIVE}}}",
    )
    assert "sp_addextendedproperty @name = N''PChatLogBackupSuspended''" in FAILBACK
    assert "sp_dropextendedproperty @name = N''PChatLogBackupSuspended''" in FAILBACK
    assert backup.SUSPENDED == "PChatLogBackupSuspended"


def test_the_backup_task_takes_no_log_backup_of_a_suspended_store() -> None:
    """The mark the failback sets is the one the backup batch reads, in the database it backs up."""
    from lync_pchat.backup_task import backup_query
    from lync_pchat.model.backup import SUSPENDED

    pool = plan_of(enterprise()).pools[0]
    assert pool.backup is not None
    batch = backup_query(pool.backup.hosts[0], pool.backup)
    assert (
        "SET @check = N'SELECT @n = COUNT(*) FROM ' + QUOTENAME(@db) + N'.sys.extended_properties WHERE class = 0"
        f" AND name = N''{SUSPENDED}'''; EXEC sp_executesql @check, N'@n int OUTPUT', @n = @suspended OUTPUT;"
    ) in batch
    assert "ELSE IF @recovery = N'FULL' AND @shipped = 0 AND @suspended = 0 BEGIN" in batch
    assert batch.index("EXEC sp_executesql @check") < batch.index("BACKUP LOG @db")
