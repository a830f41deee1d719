"""``restore``: one store back to a point in time from its Blob Storage backups, in the documented order.

Oracles: SQL backups are restored with SQL Server [L:lync-server-2013-restoring-persistent-chat-data]; a database in
a mirroring session cannot be restored over, so mirroring is removed first and set up again after
([L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability], operations.md §4); a restored
database starts a new log chain, so log shipping is initialized again [L:lync-server-2013-setting-up-sql-server-log-
shipping-for-the-persistent-chat-server-primary-database]."""

from __future__ import annotations

import pytest

from lync_pchat import stackfile

from .. import powershell as ps
from ..install.support import settings
from ..model.configs import changed, enterprise
from .support import assert_order, code, files, plan_of, powershell_errors

ORDER = (
    "$files = @(Get-RestoreFiles $store)",
    "$set = Select-RestoreSet $headers $stopAt",
    "Assert-Downloaded $store $set",
    "Stop-CsWindowsService -ComputerName $server",
    "Invoke-Sql $store.Principal $store.PartnerOff",
    "Invoke-Sql $store.Principal (Format-FileSql $store.Tail $tail)",
    "$set = Select-RestoreSet $tailSet $null",
    "$store.RestoreFull }",
    "Invoke-Sql $store.Principal ((Format-FileSql $store.RestoreLog $logs[$i].File)",
    "Invoke-Sql $store.Principal $store.Recover",
    "Install-CsMirrorDatabase @mirroring",
    "-Q $store.MirrorState",
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
    """The restore set chosen and checked before anything changes; services stopped, mirroring removed, the tail of
    the log backed up (operations.md §9.1: tail-log first), the restore (full, logs, recovery), mirroring again, log
    shipping again, services started."""
    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    assert_order(text, *ORDER)
    mgc = settings_of(text)["mgc"]
    assert mgc["PartnerOff"] == "ALTER DATABASE [mgc] SET PARTNER OFF;"
    assert mgc["RestoreFull"] == "RESTORE DATABASE [mgc] FROM DISK = N'{0}' WITH NORECOVERY;"
    assert mgc["Tail"] == "BACKUP LOG [mgc] TO DISK = N'{0}' WITH NORECOVERY, INIT, CHECKSUM;"
    assert mgc["RestoreLog"] == "RESTORE LOG [mgc] FROM DISK = N'{0}' WITH NORECOVERY"
    assert mgc["Recover"] == "RESTORE DATABASE [mgc] WITH RECOVERY;"
    assert mgc["Mirroring"]["DatabaseType"] == "PersistentChat" and mgc["Mirroring"]["DropExistingDatabasesOnMirror"]
    assert mgc["LogShipping"] in files("enterprise", "log-shipping"), "the log-shipping runbook's own script"


def test_mirroring_again_is_verified_by_its_state_on_the_principal() -> None:
    """A working session is SYNCHRONIZING or SYNCHRONIZED in sys.database_mirroring (learn.microsoft.com/sql/
    relational-databases/system-catalog-views/sys-database-mirroring-transact-sql); anything else stops the runbook
    naming the database and the state."""
    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    mgc = settings_of(text)["mgc"]
    assert mgc["MirrorState"] == (
        "SET NOCOUNT ON; SELECT ISNULL(mirroring_state_desc, N'NONE') FROM sys.database_mirroring "
        "WHERE database_id = DB_ID(N'mgc');"
    )
    body = code(text)
    assert "if ($LASTEXITCODE -ne 0 -or @('SYNCHRONIZED', 'SYNCHRONIZING') -notcontains $state) {" in body
    assert (
        'throw "Install-CsMirrorDatabase left $Database on $($store.Principal) without working mirroring (state: '
        in body
    )


def test_part_one_downloads_on_the_principal_and_stops_before_anything_changes() -> None:
    """-Download runs on the principal, whose managed identity may read the container (no key, no remoting: the NSGs
    open only the documented ports); the restore order then reads what it left there through SQL Server (1433)."""
    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    branch = text[text.index("if ($Download) {") : text.index("$files = @(Get-RestoreFiles $store)")]
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


def test_the_runbook_chooses_the_restore_set_as_the_chain_module_does() -> None:
    """Select-RestoreSet states the algorithm of lync_pchat.backup_task.chain (tested over generated histories in
    test_restore_chain.py) with the same documented rules: BackupType 1 full and 2 log (RESTORE HEADERONLY); a log
    backup holds [FirstLSN, LastLSN) and must hold the LSN reached (errors 4305/4326); the full finished by the
    target; the chain stops at the log finishing at or after it; a log past the break is a gap."""
    from lync_pchat.backup_task import chain

    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    body = ps.parse(text)
    select = next(n for n in ps.of_type(body, "function_statement") if ps.text(n.children[1]) == "Select-RestoreSet")
    source = ps.text(select)
    for needle in (
        f"$_.BackupType -eq {chain.DATABASE} -and (-not $StopAt -or $_.BackupFinishDate -le $StopAt)",
        f"$Headers | Where-Object {{ $_.BackupType -eq {chain.LOG} }}",
        "Sort-Object -Property @('BackupFinishDate', 'LastLSN') | Select-Object -Last 1",
        "$lsn = $full.LastLSN",
        "$reached = [bool]$StopAt -and $full.BackupFinishDate -ge $StopAt",
        "$_.FirstLSN -le $lsn -and $lsn -lt $_.LastLSN",
        "Sort-Object -Property @('LastLSN', 'BackupFinishDate') | Select-Object -Last 1",
        "$lsn = $log.LastLSN",
        "$reached = [bool]$StopAt -and $log.BackupFinishDate -ge $StopAt",
        "$_.FirstLSN -gt $lsn",
        "StopAt = $(if ($chain) { $StopAt } else { $null })",
    ):
        assert needle in code(source), needle
    assert ps.errors(source) == []


def test_stopat_goes_on_the_last_log_of_the_set_only() -> None:
    """STOPAT restores up to and including the log backup holding the time; a later one fails (4338)."""
    text = code(files("enterprise", "restore")["restore-pchat01.ps1"])
    assert '$stop = if ($set.StopAt -and $i -eq $logs.Count - 1) { ", STOPAT = N\'"' in text
    assert text.count("STOPAT") == 1


def test_each_backup_file_reaches_t_sql_as_one_literal() -> None:
    """A file's path lands in an ``N'...'`` literal, each quote doubled [T-SQL constants: "If a character string
    enclosed in single quotation marks contains an embedded quotation mark, represent the embedded single quotation
    mark with two single quotation marks", learn.microsoft.com/sql/t-sql/data-types/constants-transact-sql]: one
    function does it, and no statement formats a path by itself."""
    text = code(files("enterprise", "restore")["restore-pchat01.ps1"])
    start = text.index("function Format-FileSql([string]$Template, [string]$File) {")
    assert text[start : text.index("\n}\n", start)].splitlines()[-1].strip() == (
        'return $Template -f ($File -replace "\'", "\'\'")'
    )
    assert text.count('-replace "\'"') == 1 and text.count("Format-FileSql $") == 5


def test_rehearsal_lists_and_verifies_and_touches_nothing() -> None:
    """-Verify: RESTORE VERIFYONLY of each file of the chosen set, then return before any service, mirroring,
    backup or restore statement (docs/backups.md: rehearse monthly)."""
    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    start = text.index("if ($Verify) {")
    branch = text[start : text.index("\n}\n", start)]
    assert (
        "Invoke-Sql $store.Principal (Format-FileSql $store.VerifyOnly $backup.File)" in branch
        and branch.rstrip().endswith("return")
    )
    assert text.index("$set = Select-RestoreSet $headers $stopAt") < start
    before = code(text[:start])
    main = before[before.index("if ($Download) {") :]
    for change in ("Stop-CsWindowsService", "$store.PartnerOff", "$store.Tail", "$store.RestoreFull", "Recover"):
        assert change not in main, change
    assert settings_of(text)["mgc"]["VerifyOnly"] == "RESTORE VERIFYONLY FROM DISK = N'{0}';"


def test_replace_only_with_discard_tail_and_a_warning() -> None:
    """WITH REPLACE overrides SQL Server's tail-log check and discards the tail (operations.md §9.1): the runbook
    uses it only under -DiscardTail, with a warning, and otherwise backs the tail up first."""
    text = code(files("enterprise", "restore")["restore-pchat01.ps1"])
    assert text.count("$store.RestoreFullReplace") == 1 and text.count("$replace = $true") == 1
    discard = text[text.index("if ($DiscardTail) {") : text.index("} else {", text.index("if ($DiscardTail) {"))]
    assert "Write-Warning" in discard and "$replace = $true" in discard
    mgc = settings_of(files("enterprise", "restore")["restore-pchat01.ps1"])["mgc"]
    assert "REPLACE" not in mgc["RestoreFull"] and "REPLACE" in mgc["RestoreFullReplace"]


def test_part_one_lists_every_container_of_the_pool() -> None:
    text = code(files("enterprise", "restore")["restore-pchat01.ps1"])
    assert "$containers = if ($settings.Containers) { @($settings.Containers) } else { @($settings.Container) }" in text
    assert "foreach ($container in $containers) {" in text


def test_the_backup_settings_are_read_where_the_task_writes_them_or_where_it_wrote_them_before() -> None:
    """The backup task's folder moved to the project's host folder (model/host.py); a host whose backup Run
    Command has not run again since still has its settings in the former folder, which the restore falls back to."""
    from lync_pchat.model.backup import SETTINGS_NAME, settings_path
    from lync_pchat.model.host import FORMER_BACKUP_FOLDER, HOST_FOLDER

    text = files("enterprise", "restore")["restore-pchat01.ps1"]
    assert settings_path() == f"{HOST_FOLDER}\\{SETTINGS_NAME}"
    for database in ("mgc", "mgccomp"):  # the $stores literal, one entry per store
        entry = text[text.index(f"    {database} = @{{") :]
        assert f"Settings = '{settings_path()}'" in entry[: entry.index("Mirroring")]
        assert f"FormerSettings = '{FORMER_BACKUP_FOLDER}\\{SETTINGS_NAME}'" in entry[: entry.index("Mirroring")]
    body = code(text)
    assert "@($Store.Settings, $Store.FormerSettings) | Where-Object { Test-Path -LiteralPath $_ }" in body
    assert "$settings = Get-Content -Raw -LiteralPath $file | ConvertFrom-Json" in body
