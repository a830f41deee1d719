"""``restore``: one store back to a point in time from its Blob Storage backups, in the documented order.

Oracles: SQL backups are restored with SQL Server [L:lync-server-2013-restoring-persistent-chat-data]; a database in
a mirroring session cannot be restored over, so mirroring is removed first and set up again after
([L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability], operations.md §4); a restored
database starts a new log chain, so log shipping is initialized again [L:lync-server-2013-setting-up-sql-server-log-
shipping-for-the-persistent-chat-server-primary-database]."""

from __future__ import annotations

import pytest

from lync_pchat import stackfile

from ..install.support import settings
from ..model.configs import changed, enterprise
from .support import assert_order, files, plan_of, powershell_errors

ORDER = (
    "Stop-CsWindowsService -ComputerName $server",
    "$files = @(Get-RestoreFiles $store)",
    "Invoke-Sql $store.Principal $store.PartnerOff",
    "Invoke-Sql $store.Principal ($store.RestoreFull",
    "Invoke-Sql $store.Principal (($store.RestoreLog",
    "Invoke-Sql $store.Principal $store.Recover",
    "Install-CsMirrorDatabase @mirroring",
    "Invoke-SqlFile $store.LogShipping",
    "Start-CsWindowsService -ComputerName $server",
)


@pytest.mark.parametrize("stack", stackfile.stack_names())
def test_the_restore_runbook_renders_for_every_shipped_stack_and_parses(stack: str) -> None:
    rendered = files(stack, "restore")
    plan = plan_of(stackfile.topology(stackfile.read(stack)))
    assert sorted(rendered) == sorted(f"restore-{p.key}.ps1" for p in plan.pools)
    for text in rendered.values():
        assert powershell_errors(text) == []


def test_the_order_for_a_mirrored_log_shipped_store() -> None:
    """Services stopped, mirroring removed, the restore (full, logs, recovery), mirroring again, log shipping
    again, services started."""
    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    assert_order(text, *ORDER)
    mgc = settings_of(text)["mgc"]
    assert mgc["PartnerOff"] == "ALTER DATABASE [mgc] SET PARTNER OFF;"
    assert mgc["RestoreFull"] == "RESTORE DATABASE [mgc] FROM DISK = N'{0}' WITH REPLACE, NORECOVERY;"
    assert mgc["RestoreLog"] == "RESTORE LOG [mgc] FROM DISK = N'{0}' WITH NORECOVERY"
    assert mgc["Recover"] == "RESTORE DATABASE [mgc] WITH RECOVERY;"
    assert mgc["Mirroring"]["DatabaseType"] == "PersistentChat" and mgc["Mirroring"]["DropExistingDatabasesOnMirror"]
    assert mgc["LogShipping"] in files("enterprise", "log-shipping"), "the log-shipping runbook's own script"


def test_part_one_downloads_on_the_principal_and_stops_before_anything_changes() -> None:
    """-Download runs on the principal, whose managed identity may read the container (no key, no remoting: the NSGs
    open only the documented ports); the restore order then reads what it left there through SQL Server (1433)."""
    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    branch = text[text.index("if ($Download) {") : text.index("Stop-CsWindowsService -ComputerName $server")]
    assert branch.index("Save-Backups $store $StopAtUtc") < branch.index("    return\n}")
    mgc = settings_of(text)["mgc"]
    assert mgc["ListQuery"] == (
        "SET NOCOUNT ON; DECLARE @files TABLE (name nvarchar(260), depth int, isfile int); "
        "INSERT @files EXEC master.sys.xp_dirtree N'I:\\Backup\\Scheduled\\Restore', 1, 1; "
        "SELECT name FROM @files WHERE isfile = 1 ORDER BY name;"
    )
    assert "Invoke-Command" not in text


def test_a_store_without_mirror_or_standby_site_is_only_restored() -> None:
    plan = plan_of(changed(enterprise(), pools__pchat01__compliance={"enabled": True}))
    from lync_pchat.runbooks import restore

    stores = settings_of(restore.render(plan)["restore-pchat01.ps1"])
    assert {d: (s["Mirror"], s["Mirroring"], s["LogShipping"]) for d, s in stores.items()} == {
        "mgc": (None, None, None),
        "mgccomp": (None, None, None),
    }


def test_the_standard_edition_store_is_restored_on_its_sql_express() -> None:
    stores = settings_of(files("lab", "restore")["restore-lyncse01.ps1"])
    assert {s["Principal"] for s in stores.values()} == {"lyncse01.lab.contoso.com\\RTC"}


def test_a_pool_this_project_does_not_back_up_says_so_and_stops() -> None:
    (text,) = files("single", "restore").values()
    assert (
        "throw 'Nothing to restore from here: be01.corp.contoso.com\\rtc is not a SQL Server this project backs up"
        in text
    )


def settings_of(text: str) -> dict[str, dict[str, object]]:
    """The ``$stores`` literal, read as the ``$cfg`` of the install scripts is."""
    return settings(text.replace("$stores = @{", "$cfg = @{", 1))  # type: ignore[no-any-return]
