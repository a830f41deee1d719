"""The restore set chosen by LSN (``lync_pchat.backup_task.chain``), over generated backup histories.

Oracles, from SQL Server's documentation (operations.md §9.1; RESTORE HEADERONLY; "Apply Transaction Log Backups";
errors 4305, 4326, 4338), checked by an independent replay of the restore rather than by the chooser's own logic:
- a log backup holds ``[FirstLSN, LastLSN)``; after the full backup the database stands at its ``LastLSN``; a log
  backup that begins past the database's LSN fails (4305, a gap), one that ends at or before it fails (4326);
- ``STOPAT`` restores up to and including the log backup that holds the target time; any log backup restored after
  it fails (4338);
- with no target, the restore must reach the end of the chain the backups hold (nothing lost), and a missing log
  backup followed by others is a gap to report, not to skip.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lync_pchat.backup_task.chain import DATABASE, LOG, ChainError, Header, RestoreSet, select

BASE = datetime(2026, 12, 1)


@dataclass(frozen=True)
class History:
    """Every backup a database's partners took, in finish order, and the LSN the database reached."""

    backups: tuple[Header, ...]
    end_lsn: int


@st.composite
def histories(draw: st.DrawFn) -> History:
    """A database written to between backups: full backups (some long, with log backups finishing during them),
    log backups forming one chain, mirroring failovers (the other partner takes the next backups: same LSN
    sequence) and a standby site's backup store uploading the log-shipping logs elsewhere (another file name)."""
    lsn, now, checkpoint = 1_000, BASE, 0
    log_from: int | None = None
    partner, number = 0, 0
    backups: list[Header] = []
    full_open: tuple[int, datetime] | None = None

    def name(kind: str) -> str:
        nonlocal number
        number += 1
        return f"{['sql', 'sqlm', 'bak'][partner]}/{kind}_{number:04d}"

    steps = draw(st.lists(st.sampled_from(["write", "log", "full", "failover", "ship"]), min_size=4, max_size=40))
    for step in ["full", "full", *steps, "log"]:
        now += timedelta(seconds=draw(st.integers(1, 900)))
        lsn += draw(st.integers(1, 500))
        if step == "failover":
            partner = 1 - partner if partner < 2 else 0
        elif step == "ship":
            partner = 2
        elif step == "full" and full_open is None:
            full_open = (lsn, now)
        elif step == "full" and full_open is not None:
            start_lsn, start = full_open
            backups.append(Header(name("full"), DATABASE, start_lsn, lsn, checkpoint, start_lsn, start, now))
            checkpoint, full_open = start_lsn, None
            log_from = lsn if log_from is None else log_from
            lsn += 1
        elif step == "log" and log_from is not None:
            backups.append(Header(name("log"), LOG, log_from, lsn, checkpoint, log_from, now, now))
            log_from = lsn
            lsn += 1
    return History(tuple(backups), lsn)


def replay(restore: RestoreSet) -> int:
    """The LSN the database reaches when SQL Server applies ``restore`` as the runbook does; fails on the errors
    SQL Server would raise."""
    at = restore.full.last_lsn
    for log in restore.logs:
        assert log.first_lsn <= at, f"4305: {log.file} begins at {log.first_lsn}, too recent for {at}"
        assert log.last_lsn > at, f"4326: {log.file} ends at {log.last_lsn}, too early for {at}"
        at = log.last_lsn
    return at


def fulls(history: History) -> list[Header]:
    return [b for b in history.backups if b.backup_type == DATABASE]


def logs(history: History) -> list[Header]:
    return [b for b in history.backups if b.backup_type == LOG]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_without_a_target_the_restore_reaches_the_end_of_the_chain(history: History) -> None:
    if not fulls(history):
        with pytest.raises(ChainError, match="no full backup"):
            select(history.backups)
        return
    restore = select(history.backups)
    latest = max(fulls(history), key=lambda f: f.finish)
    assert restore.full == latest and restore.stop_at is None
    reached = replay(restore)
    assert reached == max([latest.last_lsn, *(log.last_lsn for log in logs(history))])
    assert all(log.last_lsn > latest.last_lsn for log in restore.logs), "no log entirely before the full"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.data())
def test_a_target_time_is_reached_with_stopat_on_the_covering_log_only(history: History, data: st.DataObject) -> None:
    finishes = sorted(b.finish for b in history.backups)
    stop_at = data.draw(st.datetimes(min_value=BASE, max_value=finishes[-1] + timedelta(hours=1)))
    eligible = [f for f in fulls(history) if f.finish <= stop_at]
    covering = [log for log in logs(history) if log.finish >= stop_at]
    if not eligible:
        with pytest.raises(ChainError, match="no full backup finished by"):
            select(history.backups, stop_at)
        return
    full = max(eligible, key=lambda f: f.finish)
    if full.finish < stop_at and not any(log.last_lsn > full.last_lsn for log in covering):
        with pytest.raises(ChainError, match="no log backup holds"):
            select(history.backups, stop_at)
        return
    restore = select(history.backups, stop_at)
    assert restore.full == full
    replay(restore)
    if restore.logs:
        assert restore.stop_at == stop_at, "STOPAT goes on the last log backup"
        assert restore.logs[-1].finish >= stop_at, "the last log backup holds the target time"
        assert all(log.finish < stop_at for log in restore.logs[:-1]), "nothing restored after the stop point (4338)"
    else:
        assert full.finish == stop_at and restore.stop_at is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.data())
def test_a_missing_log_backup_is_a_gap_reported_before_any_restore(history: History, data: st.DataObject) -> None:
    if not fulls(history):
        return
    latest = max(fulls(history), key=lambda f: f.finish)
    after = [log for log in logs(history) if log.last_lsn > latest.last_lsn]
    if len(after) < 2:
        return
    lost = data.draw(st.sampled_from(after[:-1]))
    with pytest.raises(ChainError, match="breaks at LSN"):
        select([b for b in history.backups if b != lost])
    # A target before the lost log backup needs only what precedes it.
    kept = [b for b in history.backups if b != lost]
    before = [log for log in after if log.finish < lost.finish]
    if before:
        replay(select(kept, before[-1].finish))


def header(file: str, kind: int, lsns: tuple[int, int], minutes: tuple[int, int]) -> Header:
    """A header row: (FirstLSN, LastLSN), (start, finish) in minutes after midnight."""
    start, finish = (BASE + timedelta(minutes=m) for m in minutes)
    return Header(file, kind, lsns[0], lsns[1], 0, lsns[0], start, finish)


LONG_FULL = header("full.bak", DATABASE, (100, 500), (0, 60))
"""A full backup from 00:00 to 01:00 whose log part ends at LSN 500."""
DURING = header("log1.trn", LOG, (50, 300), (30, 30))
"""A log backup finished during it: it ends before the full's LastLSN, too early (4326)."""
HOLDING = header("log2.trn", LOG, (300, 600), (61, 61))
"""The first log backup to apply: it holds LSN 500."""
NEXT = header("log3.trn", LOG, (600, 700), (75, 75))
LATER = header("log4.trn", LOG, (700, 800), (90, 90))


def test_a_log_backup_finished_during_a_long_full_backup_is_left_out() -> None:
    """The issue's case: chosen by file time, log1 would be restored after the full and fail with 4326."""
    restore = select([LATER, NEXT, HOLDING, DURING, LONG_FULL])
    assert (restore.full, restore.logs, restore.stop_at) == (LONG_FULL, (HOLDING, NEXT, LATER), None)


def test_stopat_goes_on_the_log_that_holds_the_target_and_nothing_follows() -> None:
    stop = BASE + timedelta(minutes=70)
    restore = select([LONG_FULL, DURING, HOLDING, NEXT, LATER], stop)
    assert (restore.logs, restore.stop_at) == ((HOLDING, NEXT), stop)


def test_a_gap_and_an_uncovered_target_are_errors() -> None:
    with pytest.raises(ChainError, match=r"breaks at LSN 600: the next log backup begins at LSN 700 \(error 4305\)"):
        select([LONG_FULL, HOLDING, LATER])
    with pytest.raises(ChainError, match="no log backup holds 2026-12-01 02:00:00"):
        select([LONG_FULL, HOLDING, NEXT, LATER], BASE + timedelta(hours=2))
    with pytest.raises(ChainError, match="no full backup finished by 2026-12-01 00:59:00"):
        select([LONG_FULL, HOLDING], BASE + timedelta(minutes=59))


def test_a_copy_only_log_beside_the_chain_does_not_stop_it() -> None:
    """A COPY_ONLY log backup starts where the chain's next one does and changes no log sequence (operations.md
    §1.3): either holds the database's LSN; the longer one is taken."""
    copy_only = replace(NEXT, file="copy.trn", last_lsn=650)
    assert select([LONG_FULL, HOLDING, copy_only, NEXT, LATER]).logs == (HOLDING, NEXT, LATER)
