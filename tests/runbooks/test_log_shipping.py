"""``log-shipping``: T-SQL from the primary to the backup instance, and from the primary's mirror."""

from __future__ import annotations

from .support import assert_order, files

LOG_SHIPPING = files("enterprise", "log-shipping")
MGC = LOG_SHIPPING["log-shipping-pchat01-mgc.sql"]
MGCCOMP = LOG_SHIPPING["log-shipping-pchat01-mgccomp.sql"]
BACKUP_SHARE = "\\\\pchat01-bak.corp.contoso.com\\pchat-logship"
BACKUP_PATH = "I:\\Backup\\LogShipping"
COPY_PATH = "I:\\Backup\\LogCopy"
COMPLIANCE_SHARE = "\\\\pchat01-cbak.corp.contoso.com\\pchat-logship"
LOCAL_SYSTEM = "service_account IN (N'LocalSystem', N'NT AUTHORITY\\SYSTEM')"


def test_mgc_from_the_primary_to_the_backup_instance() -> None:
    for expected in (
        "@database = N'mgc'",
        f"@backup_directory = N'{BACKUP_SHARE}'",
        f"@backup_share = N'{BACKUP_SHARE}'",
        "@secondary_server = N'pchat01-bak.corp.contoso.com'",
        "@primary_server = N'pchat01-sql.corp.contoso.com'",
        f"@backup_source_directory = N'{BACKUP_SHARE}'",
        f"@backup_destination_directory = N'{COPY_PATH}'",
        "@copy_job_name = N'LSCopy_pchat01-sql.corp.contoso.com_mgc'",
        "@restore_delay = 0",
        "@restore_mode = 0",
        "@freq_subday_interval = 15",
        f"BACKUP DATABASE [mgc] TO DISK = N'{BACKUP_SHARE}\\mgc_logshipping_init.bak' WITH INIT, CHECKSUM;",
        f"RESTORE DATABASE [mgc] FROM DISK = N'{BACKUP_PATH}\\mgc_logshipping_init.bak' WITH NORECOVERY, REPLACE;",
    ):
        assert expected in MGC, expected
    assert MGC.count("@restore_mode = 0") == 1 and "STANDBY" not in MGC
    assert "pchat01-sql.corp.contoso.com\\" not in MGC, "no share on the primary, which failover loses"


def test_the_backup_directory_is_the_standby_share_so_local_system_is_refused() -> None:
    """The share is not on the primary, so the backup folder is its network path; the documented
    step allows that only when SQL Server does not run as Local System, which the script checks."""
    assert_order(MGC, ":CONNECT pchat01-sql.corp.contoso.com", LOCAL_SYSTEM, "sp_add_log_shipping_primary_database")
    assert MGC.count(LOCAL_SYSTEM) == 1


def test_documented_order() -> None:
    assert_order(
        MGC,
        ":ON ERROR EXIT",
        ":CONNECT pchat01-bak.corp.contoso.com",
        ":CONNECT pchat01-sql.corp.contoso.com",
        "sp_add_log_shipping_primary_database",
        "sp_add_log_shipping_primary_secondary",
        "BACKUP DATABASE [mgc]",
        "RESTORE DATABASE [mgc]",
        "sp_add_log_shipping_secondary_primary",
        "sp_add_log_shipping_secondary_database",
        "sp_update_job @job_id = @LS_RestoreJobId",
    )
    assert MGC.index(":CONNECT pchat01-sql.corp.contoso.com") < MGC.index("BACKUP DATABASE [mgc]")
    assert MGC.rindex(":CONNECT pchat01-bak.corp.contoso.com") < MGC.index("RESTORE DATABASE [mgc]")


def test_mgccomp_ships_to_its_compliance_backup_store_with_its_own_shares() -> None:
    assert ":CONNECT pchat01-cmp.corp.contoso.com" in MGCCOMP
    assert ":CONNECT pchat01-cbak.corp.contoso.com" in MGCCOMP
    assert "@secondary_server = N'pchat01-cbak.corp.contoso.com'" in MGCCOMP
    for expected in (
        f"@backup_directory = N'{COMPLIANCE_SHARE}'",
        f"@backup_share = N'{COMPLIANCE_SHARE}'",
        f"@backup_source_directory = N'{COMPLIANCE_SHARE}'",
        f"@backup_destination_directory = N'{COPY_PATH}'",
        f"BACKUP DATABASE [mgccomp] TO DISK = N'{COMPLIANCE_SHARE}\\mgccomp_logshipping_init.bak'",
        f"RESTORE DATABASE [mgccomp] FROM DISK = N'{BACKUP_PATH}\\mgccomp_logshipping_init.bak'",
    ):
        assert expected in MGCCOMP, expected
    assert "The topic names mgc; mgccomp is shipped the same way" in MGCCOMP
    assert "N'mgc'" not in MGCCOMP
    assert "pchat01-bak.corp" not in MGCCOMP and "pchat01-sql.corp" not in MGCCOMP


def test_primary_half_for_the_mirror() -> None:
    half = LOG_SHIPPING["log-shipping-pchat01-mgc-mirror-primary.sql"]
    assert "Begin: Script to be run at Primary: [pchat01-sqlm.corp.contoso.com]" in half
    assert "sp_add_log_shipping_primary_database" in half
    assert "@secondary_server = N'pchat01-bak.corp.contoso.com'" in half
    assert f"@backup_directory = N'{BACKUP_SHARE}'" in half and LOCAL_SYSTEM in half
    for absent in (":CONNECT", "BACKUP DATABASE", "RESTORE", "sp_add_log_shipping_secondary_"):
        assert absent not in half


def test_from_the_mirror_fail_over_configure_fail_back() -> None:
    script = LOG_SHIPPING["log-shipping-pchat01-from-mirror.ps1"]
    assert_order(
        script,
        "Invoke-CsDatabaseFailover -PoolFqdn 'pchat01.corp.contoso.com' -DatabaseType PersistentChat "
        "-NewPrincipal Mirror",
        "Invoke-SqlFile -Server 'pchat01-sqlm.corp.contoso.com' -Path (Join-Path $PSScriptRoot "
        "'log-shipping-pchat01-mgc-mirror-primary.sql')",
        "Invoke-CsDatabaseFailover -PoolFqdn 'pchat01.corp.contoso.com' -DatabaseType PersistentChat "
        "-NewPrincipal Primary",
        "-DatabaseType PersistentChatCompliance -NewPrincipal Mirror",
        "Invoke-SqlFile -Server 'pchat01-cmpm.corp.contoso.com'",
        "-DatabaseType PersistentChatCompliance -NewPrincipal Primary",
    )
