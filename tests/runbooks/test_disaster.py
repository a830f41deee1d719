"""``failover`` and ``failback``: the documented steps, in order, with the stack's names."""

from __future__ import annotations

from .support import assert_order, files

FAILOVER = files("enterprise", "failover")["failover-pchat01.ps1"]
FAILBACK = files("enterprise", "failback")["failback-pchat01.ps1"]
IDENTITY = "'PersistentChatServer:pchat01.corp.contoso.com'"
STANDBY = ", ".join(f"'pchat01-s{n}.corp.contoso.com'" for n in range(1, 5))
ACTIVE = ", ".join(f"'pchat01-a{n}.corp.contoso.com'" for n in range(1, 5))


def test_failover_order() -> None:
    assert_order(
        FAILOVER,
        "log_shipping_monitor_secondary",
        "exec sp_delete_log_shipping_secondary_database mgc",
        "Copy-Item -Destination $copyShare",
        "RESTORE LOG mgc FROM DISK",
        "exec sp_who2",
        "restore database mgc with recovery",
        "Set-CsPersistentChatState -Identity 'service:pchat01.corp.contoso.com' -PoolState FailedOver",
        "Install-CsMirrorDatabase -DatabaseType PersistentChat "
        "-FileShare '\\\\pchat01-bak.corp.contoso.com\\pchat-logship' -SqlServerFqdn pchat01-bak.corp.contoso.com",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers $null",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers @{{Add = {STANDBY}}}",
    )


def test_failover_names() -> None:
    assert "$backup = 'pchat01-bak.corp.contoso.com'" in FAILOVER
    assert "$backupShare = '\\\\pchat01-bak.corp.contoso.com\\pchat-logship'" in FAILOVER
    assert "$copyShare = '\\\\pchat01-bak.corp.contoso.com\\pchat-logcopy'" in FAILOVER
    assert "$copyPath = 'I:\\Backup\\LogCopy'" in FAILOVER
    assert "Invoke-Sql \"RESTORE LOG mgc FROM DISK = N'$copyPath\\$($_.Name)' WITH NORECOVERY\"" in FAILOVER
    assert "param(" not in FAILOVER and "pchat01-sql.corp.contoso.com\\" not in FAILOVER
    assert "Filter 'mgc_*.trn'" in FAILOVER
    assert "mgccomp" not in FAILOVER.split("#>", 1)[1].replace("mgccomp is not failed over", "")
    for step in range(1, 8):
        assert f"[L:lync-server-2013-failing-over-persistent-chat-server] step {step}" in FAILOVER


def test_failback_order() -> None:
    assert_order(
        FAILBACK,
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers $null",
        "Invoke-Sql 'pchat01-bak.corp.contoso.com' 'IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE "
        "database_id = DB_ID(N''mgc'') AND mirroring_guid IS NOT NULL) ALTER DATABASE mgc SET PARTNER OFF;'",
        "Invoke-Sql 'pchat01-cbak.corp.contoso.com' 'IF EXISTS",
        "ALTER DATABASE mgccomp SET PARTNER OFF",
        "Invoke-Sql $backup \"BACKUP DATABASE mgc TO DISK = N'$failbackBackup' WITH INIT, CHECKSUM\"",
        "Invoke-Sql $primary \"RESTORE DATABASE mgc FROM DISK = N'$failbackRestore' WITH REPLACE, RECOVERY\"",
        "Invoke-SqlFile 'log-shipping-pchat01-mgc.sql'",
        "Invoke-SqlFile 'log-shipping-pchat01-mgccomp.sql'",
        f"Set-CsPersistentChatActiveServer -Identity {IDENTITY} -ActiveServers @{{Add = {ACTIVE}}}",
        "Set-CsPersistentChatState -Identity 'service:pchat01.corp.contoso.com' -PoolState Normal",
    )


def test_failback_names() -> None:
    assert "$primary = 'pchat01-sql.corp.contoso.com'" in FAILBACK
    assert "$backup = 'pchat01-bak.corp.contoso.com'" in FAILBACK
    assert "$failbackBackup = 'I:\\Backup\\LogShipping\\mgc_failback.bak'" in FAILBACK
    assert "$failbackRestore = '\\\\pchat01-bak.corp.contoso.com\\pchat-logship\\mgc_failback.bak'" in FAILBACK
    for step in range(1, 8):
        assert f"[L:lync-server-2013-failing-back-persistent-chat-server] step {step}" in FAILBACK


def test_failback_runs_the_log_shipping_runbook_files() -> None:
    shipped = {name for name in files("enterprise", "log-shipping") if name.endswith(("mgc.sql", "mgccomp.sql"))}
    assert shipped == {"log-shipping-pchat01-mgc.sql", "log-shipping-pchat01-mgccomp.sql"}
    assert all(f"Invoke-SqlFile '{name}'" in FAILBACK for name in shipped)
