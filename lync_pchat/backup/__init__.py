"""The backup task of each SQL instance that holds a store, rendered from the plan. Imports no Pulumi.

:func:`register_script` is what a managed Run Command runs (as SYSTEM) on the instance's VM from phase 1: it writes
:func:`task_script` to disk and schedules it with Windows Task Scheduler every ``logIntervalMinutes``. The backup
batch (:func:`backup_query`) is one T-SQL batch; every value in it is a T-SQL literal through
:mod:`lync_pchat.quoting`, every value in the scripts a PowerShell literal (``install.render.powershell``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources

from .. import quoting
from ..install.render import MAX_SCRIPT, Value, powershell
from ..model import needs as n
from ..model.backup import BackupHost, BackupPlan
from ..model.plan import Plan
from ..model.ports import HTTPS
from ..runbooks.templating import substitute

TASK_NAME = "PChat\\Backup"
SCRIPT_FOLDER = "C:\\ProgramData\\PChat"
SCRIPT_NAME = "Backup-PChatStores.ps1"
SETTINGS_NAME = "backup.json"
"""Beside the task's script: the container and prefix of the backups, which the restore runbook reads."""
REGISTER = "Register-PChatBackup.ps1"
EVENT_SOURCE = "PChatBackup"
"""The Application event log source of the task's own failures (a failed BACKUP is SQL Server's event 3041)."""
DEFAULT_SERVICE, EXPRESS_SERVICE = "MSSQLSERVER", "MSSQL$RTC"
"""The Windows service of the default instance and of the Standard Edition server's SQL Express ``RTC``."""


def backup_query(host: BackupHost, backup: BackupPlan) -> str:
    """The backup batch of ``host``: per ONLINE store database, a full backup when the last one (not copy-only)
    is older than the full interval, else a log backup when it is in FULL recovery and no log-shipping primary
    [operations.md §1.3: the log-shipping backup job is then the only log backup producer]. Each backup is
    tried; a failure is counted (SQL Server logs it, error 3041) and raised once all were tried."""
    names = ", ".join(quoting.tsql(d) for d in host.databases)
    options = "INIT, CHECKSUM" + ("" if host.express else ", COMPRESSION")
    folder = quoting.tsql(host.folder + "\\")
    return " ".join([
        "SET NOCOUNT ON;",
        "DECLARE @stamp nvarchar(14) = REPLACE(REPLACE(REPLACE(CONVERT(nvarchar(19), SYSUTCDATETIME(), 120),"
        " N'-', N''), N' ', N''), N':', N'');",
        "DECLARE @db sysname, @recovery nvarchar(60), @shipped bit, @last datetime, @file nvarchar(400),"
        " @failed int = 0;",
        "DECLARE stores CURSOR LOCAL FAST_FORWARD FOR SELECT d.name, d.recovery_model_desc,"
        " CASE WHEN EXISTS (SELECT 1 FROM msdb.dbo.log_shipping_primary_databases AS l"
        " WHERE l.primary_database = d.name) THEN 1 ELSE 0 END,"
        " (SELECT MAX(b.backup_finish_date) FROM msdb.dbo.backupset AS b"
        " WHERE b.database_name = d.name AND b.type = 'D' AND b.is_copy_only = 0)"
        f" FROM sys.databases AS d WHERE d.state_desc = N'ONLINE' AND d.name IN ({names});",
        "OPEN stores; FETCH NEXT FROM stores INTO @db, @recovery, @shipped, @last;",
        "WHILE @@FETCH_STATUS = 0 BEGIN BEGIN TRY",
        f"IF @last IS NULL OR @last <= DATEADD(HOUR, -{backup.full_interval_hours}, GETDATE()) BEGIN",
        f"SET @file = {folder} + @db + N'_FULL_' + @stamp + N'.bak';",
        f"BACKUP DATABASE @db TO DISK = @file WITH {options}; END",
        "ELSE IF @recovery = N'FULL' AND @shipped = 0 BEGIN",
        f"SET @file = {folder} + @db + N'_LOG_' + @stamp + N'.trn';",
        f"BACKUP LOG @db TO DISK = @file WITH {options}; END",
        "END TRY BEGIN CATCH SET @failed += 1; END CATCH;",
        "FETCH NEXT FROM stores INTO @db, @recovery, @shipped, @last; END;",
        "CLOSE stores; DEALLOCATE stores;",
        "IF @failed > 0 RAISERROR (N'%d Persistent Chat backup(s) failed', 16, 1, @failed);",
    ])  # fmt: skip


def task_script(host: BackupHost, backup: BackupPlan, container_url: str) -> str:
    """The script the task runs, with ``host``'s settings; ``container_url`` is the blob container's URL."""
    return _render(
        SCRIPT_NAME,
        {
            "Instance": host.instance,
            "Service": EXPRESS_SERVICE if host.express else DEFAULT_SERVICE,
            "Databases": list(host.databases),
            "Folder": host.folder,
            "Query": backup_query(host, backup),
            "Uploads": [{"Folder": u.folder, "Database": u.database} for u in host.uploads],
            "Container": container_url.rstrip("/"),
            "Prefix": backup.pool,
            "RetentionDays": backup.retention_days,
            "LocalKeepHours": backup.local_keep_hours,
            "EventSource": EVENT_SOURCE,
        },
    )


def register_script(host: BackupHost, backup: BackupPlan, container_url: str) -> str:
    """What the Run Command runs on ``host``'s VM: the task's script written, the task scheduled."""
    return _render(
        REGISTER,
        {
            "ScriptFolder": SCRIPT_FOLDER,
            "ScriptName": SCRIPT_NAME,
            "Script": task_script(host, backup, container_url),
            "SettingsName": SETTINGS_NAME,
            "Settings": {"Container": container_url.rstrip("/"), "Prefix": backup.pool},
            "Folder": host.folder,
            "TaskName": TASK_NAME,
            "IntervalMinutes": backup.log_interval_minutes,
            "EventSource": EVENT_SOURCE,
        },
    )


def settings_path() -> str:
    """Where the backup task's ``backup.json`` is on each host."""
    return f"{SCRIPT_FOLDER}\\{SETTINGS_NAME}"


def _render(name: str, settings: Mapping[str, Value]) -> str:
    text = (resources.files(__package__) / "scripts" / name).read_text(encoding="utf-8")
    script = substitute(text, {"settings": "$cfg = " + powershell(settings)}, name)
    if len(script.encode("utf-8")) >= MAX_SCRIPT:
        raise ValueError(f"{name} renders over the {MAX_SCRIPT}-byte limit")
    return script


STORAGE = "Azure Storage"
"""The backups' storage account: outbound HTTPS, outside the project's inbound rules."""


def needs(plan: Plan) -> Iterator[n.Need]:
    """The backup task of each host: sqlcmd to its local instance, and its uploads to Blob Storage."""
    for pool in plan.pools:
        for host in pool.backup.hosts if pool.backup is not None else ():
            task = n.Origin("backup-task", host.server, n.SYSTEM, n.STEADY)
            yield task.to(STORAGE, HTTPS, "backups uploaded with the VM's managed identity")
