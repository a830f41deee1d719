"""The restore set of one database, chosen by LSN from its backups' headers. Imports no Pulumi.

The restore runbook (``runbooks/templates/restore.ps1``, ``Select-RestoreSet``) implements the same algorithm in
PowerShell over the rows ``RESTORE HEADERONLY`` returns for each downloaded file; this module states it once, in
testable form. SQL Server's rules, from its documentation (operations.md §9.1):

- ``FirstLSN`` is the LSN of the first log record in the backup set, ``LastLSN`` the LSN of the *next* log record
  after it: a log backup holds ``[FirstLSN, LastLSN)`` (RESTORE HEADERONLY, "Backup History and Header
  Information").
- After a full backup, the database stands at the full's ``LastLSN``; a log backup applies only if it holds that
  LSN: one that begins past it is "too recent" (error 4305, a gap), one that ends at or before it "too early"
  (error 4326). Each next log backup must hold the ``LastLSN`` of the one before ("Apply Transaction Log Backups").
- ``STOPAT`` restores up to and including the log backup that holds the target time; restoring a later log backup
  after the stop point fails (error 4338), so ``STOPAT`` goes on that last log backup and nothing follows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

DATABASE, LOG = 1, 2
"""``BackupType`` in RESTORE HEADERONLY: 1 database (full), 2 transaction log."""


class ChainError(ValueError):
    """The backups cannot restore the database as asked: raised before anything touches it."""


@dataclass(frozen=True)
class Header:
    """One row of ``RESTORE HEADERONLY``: the columns the choice reads."""

    file: str
    backup_type: int
    first_lsn: int
    last_lsn: int
    database_backup_lsn: int
    checkpoint_lsn: int
    start: datetime
    finish: datetime


@dataclass(frozen=True)
class RestoreSet:
    """A full backup, then the log backups in restore order; ``stop_at`` goes on the last log backup only."""

    full: Header
    logs: tuple[Header, ...]
    stop_at: datetime | None


def select(headers: Iterable[Header], stop_at: datetime | None = None) -> RestoreSet:
    """The restore set reaching ``stop_at`` (None: everything the backups hold).

    The latest full backup finished by ``stop_at``; then, from its ``LastLSN``, each log backup holding the LSN
    reached so far (the longest when several do, e.g. a copy-only log beside the chain's), until the one holding
    ``stop_at``. Raises :class:`ChainError` when no full backup fits, when no log backup holds ``stop_at``, or
    when log backups exist past a break in the chain (restoring up to the break would lose them silently).
    """
    rows = list(headers)
    full = _full(rows, stop_at)
    logs = [h for h in rows if h.backup_type == LOG]
    chain: list[Header] = []
    lsn = full.last_lsn
    while not _reached(full, chain, stop_at):
        holding = [h for h in logs if h.first_lsn <= lsn < h.last_lsn]
        if not holding:
            break
        log = max(holding, key=lambda h: (h.last_lsn, h.finish))
        chain.append(log)
        lsn = log.last_lsn
    if stop_at is not None and _reached(full, chain, stop_at):
        return RestoreSet(full, tuple(chain), stop_at if chain else None)
    beyond = sorted(h.first_lsn for h in logs if h.first_lsn > lsn)
    if beyond:
        raise ChainError(
            f"the log chain after {full.file} breaks at LSN {lsn}: the next log backup begins at LSN {beyond[0]}"
            " (error 4305); find the missing log backup or restore to a time before the break"
        )
    if stop_at is not None:
        last = chain[-1].finish if chain else full.finish
        raise ChainError(
            f"no log backup holds {stop_at:%Y-%m-%d %H:%M:%S}: the backups end at {last:%Y-%m-%d %H:%M:%S}"
        )
    return RestoreSet(full, tuple(chain), None)


def _reached(full: Header, chain: list[Header], stop_at: datetime | None) -> bool:
    """Whether the restore set holds ``stop_at`` (never, for None: the chain goes on while a log backup fits)."""
    if stop_at is None:
        return False
    return (chain[-1] if chain else full).finish >= stop_at


def _full(rows: list[Header], stop_at: datetime | None) -> Header:
    fulls = [h for h in rows if h.backup_type == DATABASE and (stop_at is None or h.finish <= stop_at)]
    if not fulls:
        when = "" if stop_at is None else f" finished by {stop_at:%Y-%m-%d %H:%M:%S}"
        raise ChainError(f"no full backup{when}")
    return max(fulls, key=lambda h: (h.finish, h.last_lsn))
