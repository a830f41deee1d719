"""Backups of ``mgc`` and ``mgccomp``: which SQL instances back up what, where, and how often.

Every SQL instance this project builds that holds a store database gets the same scheduled task (see
``docs/backups.md``): a full backup every ``fullIntervalHours``, a log backup every ``logIntervalMinutes`` of
each database in FULL recovery that is not a log-shipping primary (log shipping's backup job is then its only log
backup producer, operations.md §1.3), to a local folder, copied to Blob Storage and kept ``retentionDays``.
A mirror or a log-shipping secondary holds its copy RESTORING, so the task backs up only the ONLINE databases:
it follows a mirroring failover or a disaster-recovery failover by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import BackupConfig, PoolConfig, TopologyConfig
from .host import HOST_FOLDER
from .plan import PoolPlan, ServerPlan
from .roles import Role
from .stores import SE_SQL_INSTANCE

CONTAINER = "pchat-backups"
"""The blob container of the backups, in the project's account or in ``backup.storageAccountId``."""
SCHEDULED_FOLDER = "Scheduled"
"""The task's local folder, under SQL Server's backup folder (or the Standard Edition server's data volume)."""
SE_FOLDER = "PChatBackup"
"""The task's folder on a Standard Edition server's data volume (it has no backup volume)."""
EVENT_SOURCE = "PChatBackup"
"""The Application event log source of the backup task (a failed BACKUP is SQL Server's own event 3041)."""
FAILED_EVENT, STATUS_EVENT, MIRRORING_EVENT = 1, 2, 3
"""The task's events: a run failed (Error); each run's last upload times (Information); a store's mirroring
SUSPENDED or DISCONNECTED (Warning)."""
SETTINGS_NAME = "backup.json"
"""Beside the task's script: the container and prefix of the backups, which the restore runbook reads."""
LOG_INTERVALS = 4
"""Log intervals without an uploaded log backup before the freshness alert fires."""
SUSPENDED = "PChatLogBackupSuspended"
"""A database-level extended property: while a store carries it, the task takes no log backup of it. It lives in
the database, so a mirroring failover carries it to the other partner: setting it on the principal suspends the
task on both partners while log shipping is armed (a stray log backup would break log shipping's chain,
operations.md §1.3)."""
MIRRORING_STATES = ("SUSPENDED", "DISCONNECTED")
"""``sys.database_mirroring.mirroring_state_desc`` values that need an operator: the principal's log cannot be
truncated while the mirror does not receive it (operations.md §1.2)."""


@dataclass(frozen=True)
class Upload:
    """Files ``<database>_*`` in ``folder`` that the task copies to Blob Storage."""

    folder: str
    database: str


@dataclass(frozen=True)
class BackupHost:
    """One SQL instance this project builds that holds ``mgc`` or ``mgccomp``, and its backup task."""

    server: str
    """:attr:`ServerPlan.key` of the VM the instance runs on."""
    instance: str
    """The instance as ``sqlcmd -S`` names it on that VM: ``.`` (default) or ``.\\RTC`` (SQL Express)."""
    databases: tuple[str, ...]
    folder: str
    """Where the task writes its backups before it copies them."""
    uploads: tuple[Upload, ...]
    """What the task copies: its own backups and, on a log-shipping backup store, the log-shipping backups."""
    express: bool
    """SQL Server Express: no SQL Server Agent and no backup compression."""


@dataclass(frozen=True)
class BackupPlan:
    """The backups of one pool's stores."""

    pool: str
    log_interval_minutes: int
    full_interval_hours: int
    retention_days: int
    storage_account_id: str | None
    """Your storage account; None: the project's account in each host's site."""
    hosts: tuple[BackupHost, ...]
    log_shipped: tuple[str, ...]
    """Databases log-shipped to a backup store, whose log backups are log shipping's alone."""
    mirroring_queue_kb: int = 10240
    """``monitoring.mirroringQueueKb``: the unsent and unrestored log thresholds of the mirroring monitor."""

    @property
    def local_keep_hours(self) -> int:
        """How long a copied backup stays on the server too: two full intervals, so the latest full backup and
        the logs since the one before are at hand for a restore without a download."""
        return 2 * self.full_interval_hours

    @property
    def fresh_minutes(self) -> dict[str, int]:
        """Minutes after which a store's latest uploaded backup is stale, by kind: a full interval and two task
        runs for a full backup, :data:`LOG_INTERVALS` task runs for a log backup."""
        return {
            "FULL": 60 * self.full_interval_hours + 2 * self.log_interval_minutes,
            "LOG": LOG_INTERVALS * self.log_interval_minutes,
        }


def effective(cfg: TopologyConfig, pool: PoolConfig) -> BackupConfig:
    """The pool's backup settings: the top-level ``backup`` with the keys the pool sets over it."""
    own = pool.backup
    if own is None:
        return cfg.backup
    return cfg.backup.model_copy(update={name: getattr(own, name) for name in own.model_fields_set})


def plan(pool: PoolPlan, settings: BackupConfig, mirroring_queue_kb: int = 10240) -> BackupPlan | None:
    """The backups of ``pool``, or None when they are off."""
    if not settings.enabled:
        return None
    shipped = tuple(s.database for s in pool.stores if s.log_shipping is not None)
    return BackupPlan(
        pool=pool.key,
        log_interval_minutes=settings.log_interval_minutes,
        full_interval_hours=settings.full_interval_hours,
        retention_days=settings.retention_days,
        storage_account_id=settings.storage_account_id,
        hosts=tuple(_host(pool, server) for server in pool.servers if _holds_store(server)),
        log_shipped=shipped,
        mirroring_queue_kb=mirroring_queue_kb,
    )


def _holds_store(server: ServerPlan) -> bool:
    """A SQL Server VM, or the Standard Edition server whose SQL Express holds the stores."""
    return bool(server.databases) and (server.role.is_sql or server.role is Role.STANDARD_EDITION)


def _host(pool: PoolPlan, server: ServerPlan) -> BackupHost:
    express = server.sql_folders is None
    if express:
        data = next(d for d in server.disks if d.name == "data")
        folder = f"{data.drive_letter}:\\{SE_FOLDER}"
    else:
        assert server.sql_folders is not None
        folder = f"{server.sql_folders.backup}\\{SCHEDULED_FOLDER}"
    uploads = [Upload(folder, database) for database in server.databases]
    for store in pool.stores:
        shipping = store.log_shipping
        if shipping is not None and shipping.backup.host == server.key:
            uploads.append(Upload(shipping.backup.path, store.database))
    return BackupHost(
        server=server.key,
        instance=f".\\{SE_SQL_INSTANCE}" if express else ".",
        databases=server.databases,
        folder=folder,
        uploads=tuple(dict.fromkeys(uploads)),
        express=express,
    )


def settings_path() -> str:
    """Where the backup task's ``backup.json`` is on each host."""
    return f"{HOST_FOLDER}\\{SETTINGS_NAME}"
