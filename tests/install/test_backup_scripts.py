"""The backup task's scripts, read on their parse trees: what each run does, in which order, with which rights.

Oracles: operations.md §1.3 (one log chain), §1.4 (no storage key), the issue's rules (retention enforced, backups
leave the server), SQL Server Express has no backup compression and no SQL Server Agent (stack-config.md: the
Standard Edition store is SQL Express)."""

from __future__ import annotations

import pytest

from lync_pchat import backup_task as backup
from lync_pchat.model import plan_topology
from lync_pchat.model.backup import BackupHost, BackupPlan

from .. import powershell as ps
from ..model.configs import changed, enterprise, standard
from .support import FULL, settings

URL = "https://stpchatexample.blob.core.windows.net/pchat-backups"
SE = plan_topology(changed(standard(), pools__lyncse01__compliance={"enabled": True}, backup={"retentionDays": 9}))
CUSTOM = plan_topology(changed(enterprise(), backup={"logIntervalMinutes": 5, "fullIntervalHours": 6}))


def hosts() -> list[tuple[BackupHost, BackupPlan]]:
    found = []
    for plan in (FULL, SE, CUSTOM):
        for pool in plan.pools:
            assert pool.backup is not None
            found += [(h, pool.backup) for h in pool.backup.hosts]
    return found


HOSTS = hosts()
IDS = [f"{b.pool}-{h.server}-{b.log_interval_minutes}" for h, b in HOSTS]


@pytest.mark.parametrize(("host", "plan"), HOSTS, ids=IDS)
def test_the_scripts_parse_and_carry_no_key(host: BackupHost, plan: BackupPlan) -> None:
    register = backup.register_script(host, plan, URL)
    task = backup.task_script(host, plan, URL)
    assert ps.errors(register) == [] and ps.errors(task) == []
    assert settings(register)["Script"] == task
    for text in (register, task):
        assert "AccountKey" not in text and "sig=" not in text and "SharedKey" not in text
    assert "metadata/identity/oauth2/token" in task, "the VM's managed identity authorizes every request"


@pytest.mark.parametrize(("host", "plan"), HOSTS, ids=IDS)
def test_the_batch_backs_up_each_store_full_or_log_from_the_config(host: BackupHost, plan: BackupPlan) -> None:
    batch = backup.backup_query(host, plan)
    names = ", ".join(f"N'{d}'" for d in host.databases)
    assert f"d.state_desc = N'ONLINE' AND d.name IN ({names})" in batch, "a RESTORING copy is never backed up"
    assert f"DATEADD(HOUR, -{plan.full_interval_hours}, GETDATE())" in batch
    assert batch.count("BACKUP DATABASE @db") == 1 and batch.count("BACKUP LOG @db") == 1
    assert ("COMPRESSION" in batch) is (not host.express), "SQL Express has no backup compression"
    assert "COPY_ONLY" not in batch and "RAISERROR" in batch


def test_the_schedule_is_a_task_every_log_interval_as_system() -> None:
    """No SQL Server Agent on SQL Express: Windows Task Scheduler on every instance."""
    (host,) = SE.pools[0].backup.hosts  # type: ignore[union-attr]
    register = backup.register_script(host, SE.pools[0].backup, URL)  # type: ignore[arg-type]
    (schtasks,) = ps.commands(ps.parse(register), "schtasks.exe")
    args = [ps.text(a) for a in schtasks.arguments]
    assert args[args.index("/SC") + 1] == "MINUTE" and args[args.index("/MO") + 1] == "$cfg.IntervalMinutes"
    assert args[args.index("/RU") + 1] == "SYSTEM"
    assert settings(register)["IntervalMinutes"] == 15  # stack-config.md default
    restrict = register.index("/inheritance:r")
    assert restrict < register.index("WriteAllText") < register.index("schtasks.exe /Create")


def test_the_task_settings_come_from_the_config() -> None:
    (host,) = SE.pools[0].backup.hosts  # type: ignore[union-attr]
    task = settings(backup.task_script(host, SE.pools[0].backup, URL))  # type: ignore[arg-type]
    assert task["RetentionDays"] == 9
    assert task["LocalKeepHours"] == 2 * 24
    assert (task["Instance"], task["Service"]) == (".\\RTC", "MSSQL$RTC")
    assert task["Container"] == URL and task["Prefix"] == "lyncse01"
    assert [u["Database"] for u in task["Uploads"]] == ["mgc", "mgccomp"]


def test_a_backup_store_also_copies_the_log_shipping_backups() -> None:
    """The log-shipping backup job's files on the backup store's share are the shipped database's log backups."""
    pool = FULL.pools[0]
    assert pool.backup is not None
    for store in pool.stores:
        shipping = store.log_shipping
        assert shipping is not None
        host = next(h for h in pool.backup.hosts if h.server == shipping.backup.host)
        uploads = settings(backup.task_script(host, pool.backup, URL))["Uploads"]
        assert {"Folder": shipping.backup.path, "Database": store.database} in uploads


def test_a_file_is_marked_copied_only_after_its_upload_and_local_copies_go_only_once_copied() -> None:
    task = backup.task_script(HOSTS[0][0], HOSTS[0][1], URL)
    copy = task[task.index("function Copy-Backups") : task.index("function Remove-Expired")]
    assert copy.index("Send-Blob $file.FullName") < copy.index("-bnot [IO.FileAttributes]::Archive")
    prune = task[task.index("function Remove-Expired") :]
    assert "-not ($_.Attributes -band [IO.FileAttributes]::Archive)" in prune
    assert "AddDays(-$cfg.RetentionDays - 1)" in prune
    main = task[task.index("try {\n    $state = Get-UploadState") :]
    assert main.index("Invoke-Backup") < main.index("Copy-Backups") < main.index("Remove-Expired")
    assert "Write-BackupEvent Error" in main and "exit 1" in main


PRUNED = '"$($cfg.Prefix)/$Database/$($env:COMPUTERNAME)/"'
"""What Remove-Expired lists and deletes: this pool's backups of one database from this server (docs/backups.md: the
blobs are ``<pool>/<database>/<computer>/<file>``, the Run Command logs under ``run-commands/``)."""


@pytest.mark.parametrize(("host", "plan"), HOSTS, ids=IDS)
def test_pruning_lists_only_this_pools_database_and_server(host: BackupHost, plan: BackupPlan) -> None:
    task = backup.task_script(host, plan, URL)
    root = ps.parse(task)
    (expired,) = [n for n in ps.of_type(root, "function_statement") if "Get-ExpiredBlob" in ps.text(n).split("{")[0]]
    deleted = [c for c in ps.commands(expired, "Get-PrefixBlob") if ps.text(c.arguments[0]) == "$cfg.Container"]
    assert [ps.text(c.arguments[1]) for c in deleted] == [PRUNED]
    assert settings(task)["Prefix"] == plan.pool != ""
    (lister,) = [n for n in ps.of_type(root, "function_statement") if "Get-PrefixBlob" in ps.text(n).split("{")[0]]
    guard = ps.text(lister)
    assert 'StartsWith("$($cfg.Prefix)/", [StringComparison]::Ordinal)' in guard and "-not $cfg.Prefix" in guard
    assert guard.index("throw") < guard.index("Invoke-WebRequest"), "refuses before it lists"


@pytest.mark.parametrize(("host", "plan"), HOSTS, ids=IDS)
def test_mirrored_stores_get_the_mirroring_monitor_and_thresholds_on_every_partner(
    host: BackupHost, plan: BackupPlan
) -> None:
    """operations.md §9.2: the 32040-32044 events fire only once the database mirroring monitor exists
    (sp_dbmmonitoraddmonitoring) and thresholds are set per database (sp_dbmmonitorchangealert alert ids 2 unsent
    log, 3 unrestored log, in KB), on both partners: every instance that can mirror checks each run. SQL Express
    has no Agent to run the monitor job and never mirrors."""
    mirror = settings(backup.task_script(host, plan, URL))["MirrorQuery"]
    if host.express:
        assert mirror is None
        return
    names = ", ".join(f"N'{d}'" for d in host.databases)
    assert f"WHERE m.mirroring_guid IS NOT NULL AND d.name IN ({names});" in mirror
    assert "EXEC sp_dbmmonitoraddmonitoring;" in mirror
    kb = plan.mirroring_queue_kb
    assert f"EXEC sp_dbmmonitorchangealert @db, 2, {kb}, 1;" in mirror
    assert f"EXEC sp_dbmmonitorchangealert @db, 3, {kb}, 1;" in mirror
    assert "m.mirroring_state_desc IN (N'SUSPENDED', N'DISCONNECTED')" in mirror


def test_the_mirroring_thresholds_come_from_monitoring_mirroring_queue_kb() -> None:
    plan = plan_topology(changed(enterprise(), monitoring={"mirroringQueueKb": 4096}))
    assert plan.pools[0].backup is not None and plan.pools[0].backup.mirroring_queue_kb == 4096


def test_each_run_reports_its_uploads_in_the_lines_the_freshness_alert_reads() -> None:
    """The status event: one line "<pool> <database> FULL|LOG <UTC time>" per database and kind (four words, as
    the backup-stale alert splits them), written at the end of every run, failures on event 1."""
    host, plan = HOSTS[0]
    task = backup.task_script(host, plan, URL)
    cfg = settings(task)
    assert (cfg["FailedEventId"], cfg["StatusEventId"], cfg["MirroringEventId"], cfg["Prefix"]) == (
        1, 2, 3, plan.pool
    )  # fmt: skip
    assert '"$($cfg.Prefix) $key $($State[$key])"' in task
    assert (
        "$State[\"$($upload.Database) $kind\"] = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')" in task
    )
    code = task[task.index("try {\n    $state = Get-UploadState") :]
    assert code.index("Copy-Backups $token $state") < code.index("Write-UploadStatus $state") < code.index("catch")
    assert "Write-BackupEvent Error $cfg.FailedEventId" in code


def test_pruning_keeps_the_newest_full_backup_and_what_follows_and_refuses_an_empty_prefix() -> None:
    """Issue 23, item 6: pruning by age alone deletes the only restore set when backups stopped longer ago than
    the retention. A blob of this server goes only when older than the retention (and a day: the immutability
    policy holds each blob retentionDays) AND older than the newest full backup of its database in any container
    of the pool (a full backup is ``.bak``: docs/backups.md); an empty pool, database or computer name stops it."""
    host, plan = HOSTS[0]
    task = backup.task_script(host, plan, URL, ["https://other.blob.core.windows.net/pchat-backups"])
    assert settings(task)["Containers"] == [
        "https://other.blob.core.windows.net/pchat-backups",
        URL,
    ]
    expired = task[task.index("function Get-ExpiredBlob") : task.index("function Invoke-Backup")]
    assert ps.errors(expired) == []
    assert expired.index('throw "refusing to prune an empty prefix"') < expired.index("Get-PrefixBlob")
    assert "foreach ($container in $cfg.Containers) {" in expired
    assert "Where-Object { $_.Name -like '*.bak' }" in expired
    assert "if ($newest.Count -eq 0) { return }" in expired, "no full backup found: delete nothing"
    assert "$keep = if ($newest[0].Time -lt $Before) { $newest[0].Time } else { $Before }" in expired
    assert "Where-Object { $_.Time -lt $keep }" in expired
    assert 'Get-PrefixBlob $cfg.Container "$($cfg.Prefix)/$Database/$($env:COMPUTERNAME)/" $Token' in expired
