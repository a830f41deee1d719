"""Rules and advice on backups, the vault's readers and the capacity a disaster-recovery failover leaves."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import arm
from . import sources as src
from .backup import effective
from .config import BackupConfig, StretchedLayout, TopologyConfig
from .errors import Problem
from .layout import USERS_PER_SERVER, active_servers, standby_servers

LOG_MINUTES = (5, 720)
"""Minutes between log backups: the project's range (a log backup at least twice a day keeps a FULL-recovery
log from growing for days; more often than every 5 minutes only adds files)."""
FULL_HOURS = (1, 168)
"""Hours between full backups: nightly is the documented practice
[L:lync-server-2013-best-practices-for-backup-and-restoration]; at least weekly, as SQL Server Managed Backup takes
them (operations.md §1.5)."""
RETENTION_DAYS = (1, 3650)
"""Days a backup stays in Blob Storage."""
OBJECT_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
"""An Entra object id, the principal id a role assignment takes."""


INTERVALS = frozenset({"log_interval_minutes", "full_interval_hours"})


def backups(cfg: TopologyConfig) -> Iterator[Problem]:
    """Each backup setting within its range; the full interval within the retention, so that a full backup is
    always kept; a log backup between two full ones; your storage account named by its ARM id."""
    yield from _settings("backup", cfg.backup, cfg.backup)
    yield from _log_backups("backup", cfg.backup)
    for key, pool in cfg.pools.items():
        if pool.backup is not None:
            yield from _settings(f"pools.{key}.backup", pool.backup, effective(cfg, pool))
            if pool.backup.model_fields_set & INTERVALS:
                yield from _log_backups(f"pools.{key}.backup", effective(cfg, pool))


def _log_backups(path: str, merged: BackupConfig) -> Iterator[Problem]:
    """The task runs every ``logIntervalMinutes`` and takes a full backup when the last is ``fullIntervalHours``
    old: with the log interval not below the full one every run is a full backup, no log backup ever truncates a
    FULL-recovery log, and it grows until its disk fills (operations.md §1.2)."""
    minutes, hours = merged.log_interval_minutes, merged.full_interval_hours
    if merged.enabled and minutes >= 60 * hours:
        yield Problem(
            f"{path}.logIntervalMinutes",
            f"{minutes} minutes between log backups is not less than the {hours} hour(s) between full backups: "
            "every run would take a full backup and no log backup, so the FULL-recovery log of mgc and mgccomp "
            "only grows; make it shorter than fullIntervalHours",
        )


def _settings(path: str, own: BackupConfig, merged: BackupConfig) -> Iterator[Problem]:
    ranges = {
        "logIntervalMinutes": (own.log_interval_minutes, LOG_MINUTES),
        "fullIntervalHours": (own.full_interval_hours, FULL_HOURS),
        "retentionDays": (own.retention_days, RETENTION_DAYS),
    }
    for name, (value, (low, high)) in ranges.items():
        if not low <= value <= high:
            yield Problem(f"{path}.{name}", f"{value} is outside {low} to {high}")
    if merged.full_interval_hours > 24 * merged.retention_days:
        yield Problem(
            f"{path}.retentionDays",
            f"{merged.retention_days} days keep no full backup taken every {merged.full_interval_hours} hours: "
            "retention must cover the full interval",
        )
    if own.storage_account_id is not None and not arm.STORAGE_ACCOUNT.matches(own.storage_account_id):
        yield Problem(f"{path}.storageAccountId", arm.STORAGE_ACCOUNT.problem(own.storage_account_id))


MAX_ROLE_ASSIGNMENTS = 4_000
ROLE_ASSIGNMENT_LIMIT = "https://learn.microsoft.com/azure/role-based-access-control/troubleshoot-limits"
"""Azure RBAC: at most 4,000 role assignments per subscription (every principal, every scope in it)."""


def secret_readers(cfg: TopologyConfig) -> Iterator[Problem]:
    """Object ids, for the vault this project creates (grant readers of your own vault yourself); one role
    assignment each, within the subscription's limit."""
    if len(cfg.secret_readers) > MAX_ROLE_ASSIGNMENTS:
        yield Problem(
            "secretReaders",
            f"{len(cfg.secret_readers):,} readers, one role assignment each: a subscription holds at most "
            f"{MAX_ROLE_ASSIGNMENTS:,} role assignments; name an Entra group instead of its members",
            ROLE_ASSIGNMENT_LIMIT,
        )
    for index, reader in enumerate(cfg.secret_readers):
        if not OBJECT_ID.fullmatch(reader):
            yield Problem(f"secretReaders[{index}]", f"{reader[:100]!r} is not an Entra object id (a GUID)")
    if cfg.secret_readers and cfg.key_vault_id is not None:
        yield Problem(
            "secretReaders", "applies to the vault this project creates; with keyVaultId, grant your own vault"
        )


RULES = (backups, secret_readers)


def advisories(cfg: TopologyConfig) -> Iterator[str]:
    """A disaster-recovery site that cannot carry the pool's users after a failover; backups off on a pool whose
    stores are log-shipped."""
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        dr = pool.disaster_recovery
        if dr is not None and not effective(cfg, pool).enabled:
            where = (
                f"{path}.backup" if pool.backup is not None and "enabled" in pool.backup.model_fields_set else "backup"
            )
            yield (
                f"{where}.enabled: false on {path}, whose stores are log-shipped to {dr.standby_site}: log shipping "
                "keeps a standby copy, not a backup; a deleted room or a corruption ships to the standby too, and "
                "nothing is kept to restore from (a full SQL backup every night is the documented practice) "
                f"[{src.BACKUP_PRACTICES}]"
            )
        active, standby = active_servers(pool), standby_servers(pool)
        if dr is not None and dr.layout is StretchedLayout.LOW_BANDWIDTH and standby < active:
            after = min(pool.users, standby * USERS_PER_SERVER)
            yield (
                f"{path}.disasterRecovery.standbyServers: {standby} standby for {active} active servers: after a "
                f"failover the pool serves at most {after:,} of its {pool.users:,} users "
                f"({USERS_PER_SERVER:,} per active server) [{src.CAPACITY}]"
            )
