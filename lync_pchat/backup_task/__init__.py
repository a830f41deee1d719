"""The backup task of each SQL instance that holds a store, rendered from the plan. Imports no Pulumi.

:func:`register_script` is what a managed Run Command runs (as SYSTEM) on the instance's VM from phase 1: it writes
:func:`task_script` to disk and schedules it with Windows Task Scheduler every ``logIntervalMinutes``. The backup
batch (:func:`backup_query`) is one T-SQL batch; every value in it is a T-SQL literal through
:mod:`lync_pchat.scripting.quoting`, every value in the scripts a PowerShell literal (:mod:`.scripting.literal`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import needs as n
from ..model.backup import (
    EVENT_SOURCE,
    FAILED_EVENT,
    MIRRORING_EVENT,
    MIRRORING_STATES,
    SETTINGS_NAME,
    STATUS_EVENT,
    SUSPENDED,
    BackupHost,
    BackupPlan,
)
from ..model.host import FORMER_BACKUP_FOLDER, HOST_FOLDER, sql_service
from ..model.plan import Plan
from ..model.ports import HTTPS
from ..model.stores import SE_SQL_INSTANCE
from ..scripting import quoting
from .scripts import render

TASK_NAME = "PChat\\Backup"
SCRIPT_NAME = "Backup-PChatStores.ps1"
REGISTER = "Register-PChatBackup.ps1"
STATE_NAME = "backup-state.json"
"""Beside the task's script: the UTC time of the last upload of each database's full and log backups."""
MIRROR_MONITOR_JOB = "Database Mirroring Monitor Job"
"""The SQL Server Agent job ``sp_dbmmonitoraddmonitoring`` creates [DBM:use-warning-thresholds-and-alerts-on-
mirroring-performance-metrics-sql-server.md]."""
UNSENT_LOG, UNRESTORED_LOG = 2, 3
"""``sp_dbmmonitorchangealert`` alert ids of the unsent and unrestored log thresholds (KB), whose events are
32042 and 32043 (operations.md §2.6)."""


def backup_query(host: BackupHost, backup: BackupPlan) -> str:
    """The backup batch of ``host``: per ONLINE store database, a full backup when the last one (not copy-only)
    is older than the full interval, else a log backup when it is in FULL recovery and no log-shipping primary
    [operations.md §1.3: the log-shipping backup job is then the only log backup producer] and not marked
    :data:`SUSPENDED`. Each backup is tried; a failure is counted (SQL Server logs it, error 3041) and raised once
    all were tried."""
    names = ", ".join(quoting.tsql(d) for d in host.databases)
    options = "INIT, CHECKSUM" + ("" if host.express else ", COMPRESSION")
    folder = quoting.tsql(host.folder + "\\")
    return " ".join([
        "SET NOCOUNT ON;",
        "DECLARE @stamp nvarchar(14) = REPLACE(REPLACE(REPLACE(CONVERT(nvarchar(19), SYSUTCDATETIME(), 120),"
        " N'-', N''), N' ', N''), N':', N'');",
        "DECLARE @db sysname, @recovery nvarchar(60), @shipped bit, @last datetime, @file nvarchar(400),"
        " @failed int = 0, @suspended int, @check nvarchar(max);",
        "DECLARE stores CURSOR LOCAL FAST_FORWARD FOR SELECT d.name, d.recovery_model_desc,"
        " CASE WHEN EXISTS (SELECT 1 FROM msdb.dbo.log_shipping_primary_databases AS l"
        " WHERE l.primary_database = d.name) THEN 1 ELSE 0 END,"
        " (SELECT MAX(b.backup_finish_date) FROM msdb.dbo.backupset AS b"
        " WHERE b.database_name = d.name AND b.type = 'D' AND b.is_copy_only = 0)"
        f" FROM sys.databases AS d WHERE d.state_desc = N'ONLINE' AND d.name IN ({names});",
        "OPEN stores; FETCH NEXT FROM stores INTO @db, @recovery, @shipped, @last;",
        "WHILE @@FETCH_STATUS = 0 BEGIN BEGIN TRY",
        "SET @check = N'SELECT @n = COUNT(*) FROM ' + QUOTENAME(@db) + "
        + quoting.tsql(f".sys.extended_properties WHERE class = 0 AND name = {quoting.tsql(SUSPENDED)}") + ";",
        "EXEC sp_executesql @check, N'@n int OUTPUT', @n = @suspended OUTPUT;",
        f"IF @last IS NULL OR @last <= DATEADD(HOUR, -{backup.full_interval_hours}, GETDATE()) BEGIN",
        f"SET @file = {folder} + @db + N'_FULL_' + @stamp + N'.bak';",
        f"BACKUP DATABASE @db TO DISK = @file WITH {options}; END",
        "ELSE IF @recovery = N'FULL' AND @shipped = 0 AND @suspended = 0 BEGIN",
        f"SET @file = {folder} + @db + N'_LOG_' + @stamp + N'.trn';",
        f"BACKUP LOG @db TO DISK = @file WITH {options}; END",
        "END TRY BEGIN CATCH SET @failed += 1; END CATCH;",
        "FETCH NEXT FROM stores INTO @db, @recovery, @shipped, @last; END;",
        "CLOSE stores; DEALLOCATE stores;",
        "IF @failed > 0 RAISERROR (N'%d Persistent Chat backup(s) failed', 16, 1, @failed);",
    ])  # fmt: skip


def mirroring_query(host: BackupHost, backup: BackupPlan) -> str:
    """T-SQL run by the task after the backups, on an instance that can mirror (not SQL Express): once a store is
    in a mirroring session, the database mirroring monitor (its Agent job) and the unsent and unrestored log
    thresholds set on this partner, so both partners raise 32042/32043 after a failover too (operations.md §2.6,
    §9.2); then the stores whose mirroring is SUSPENDED or DISCONNECTED, one name a row."""
    names = ", ".join(quoting.tsql(d) for d in host.databases)
    states = ", ".join(quoting.tsql(s) for s in MIRRORING_STATES)
    kb = backup.mirroring_queue_kb
    return " ".join([
        "SET NOCOUNT ON;",
        "DECLARE @db sysname;",
        "DECLARE mirrored CURSOR LOCAL FAST_FORWARD FOR SELECT d.name FROM sys.database_mirroring AS m"
        " JOIN sys.databases AS d ON d.database_id = m.database_id"
        f" WHERE m.mirroring_guid IS NOT NULL AND d.name IN ({names});",
        "OPEN mirrored; FETCH NEXT FROM mirrored INTO @db;",
        "IF @@FETCH_STATUS = 0 AND NOT EXISTS (SELECT 1 FROM msdb.dbo.sysjobs"
        f" WHERE name = {quoting.tsql(MIRROR_MONITOR_JOB)}) EXEC sp_dbmmonitoraddmonitoring;",
        "WHILE @@FETCH_STATUS = 0 BEGIN",
        f"EXEC sp_dbmmonitorchangealert @db, {UNSENT_LOG}, {kb}, 1;",
        f"EXEC sp_dbmmonitorchangealert @db, {UNRESTORED_LOG}, {kb}, 1;",
        "FETCH NEXT FROM mirrored INTO @db; END;",
        "CLOSE mirrored; DEALLOCATE mirrored;",
        "SELECT d.name FROM sys.database_mirroring AS m JOIN sys.databases AS d ON d.database_id = m.database_id"
        f" WHERE d.name IN ({names}) AND m.mirroring_state_desc IN ({states});",
    ])  # fmt: skip


def task_script(host: BackupHost, backup: BackupPlan, container_url: str, containers: Sequence[str] = ()) -> str:
    """The script the task runs, with ``host``'s settings; ``container_url`` is the blob container's URL,
    ``containers`` every container of the pool (pruning keeps the newest full backup found in any)."""
    return render(
        SCRIPT_NAME,
        {
            "Instance": host.instance,
            "Service": sql_service(SE_SQL_INSTANCE if host.express else None),
            "Databases": list(host.databases),
            "Folder": host.folder,
            "Query": backup_query(host, backup),
            "Uploads": [{"Folder": u.folder, "Database": u.database} for u in host.uploads],
            "Container": container_url.rstrip("/"),
            "Containers": _containers(container_url, containers),
            "Prefix": backup.pool,
            "RetentionDays": backup.retention_days,
            "LocalKeepHours": backup.local_keep_hours,
            "EventSource": EVENT_SOURCE,
            "FailedEventId": FAILED_EVENT,
            "StatusEventId": STATUS_EVENT,
            "MirroringEventId": MIRRORING_EVENT,
            "StateFile": state_path(),
            "MirrorQuery": None if host.express else mirroring_query(host, backup),
        },
    )


def register_script(host: BackupHost, backup: BackupPlan, container_url: str, containers: Sequence[str] = ()) -> str:
    """What the Run Command runs on ``host``'s VM: the task's script written, the task scheduled.
    ``containers``: the URL of every container the pool's backups land in (the restore runbook lists them all)."""
    return render(
        REGISTER,
        {
            "ScriptFolder": HOST_FOLDER,
            "StateFile": state_path(),
            "FormerStateFile": f"{FORMER_BACKUP_FOLDER}\\{STATE_NAME}",
            "ScriptName": SCRIPT_NAME,
            "Script": task_script(host, backup, container_url, containers),
            "SettingsName": SETTINGS_NAME,
            "Settings": {
                "Container": container_url.rstrip("/"),
                "Containers": _containers(container_url, containers),
                "Prefix": backup.pool,
            },
            "Folder": host.folder,
            "TaskName": TASK_NAME,
            "IntervalMinutes": backup.log_interval_minutes,
            "EventSource": EVENT_SOURCE,
        },
    )


def _containers(own: str, others: Sequence[str]) -> list[str]:
    return sorted({u.rstrip("/") for u in (*others, own)})


def state_path() -> str:
    """Where the backup task keeps its upload state on each host."""
    return f"{HOST_FOLDER}\\{STATE_NAME}"


STORAGE = "Azure Storage"
"""The backups' storage account: outbound HTTPS, outside the project's inbound rules."""


def needs(plan: Plan) -> Iterator[n.Need]:
    """The backup task of each host: sqlcmd to its local instance, and its uploads to Blob Storage."""
    for pool in plan.pools:
        for host in pool.backup.hosts if pool.backup is not None else ():
            task = n.Origin("backup-task", host.server, n.SYSTEM, n.STEADY)
            yield task.to(STORAGE, HTTPS, "backups uploaded with the VM's managed identity")
