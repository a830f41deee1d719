"""The pre- and post-maintenance steps of the mirrored stores: patch waves that follow the current roles, not the
planned ones. Pure data; :mod:`lync_pchat.maintenance` renders the scripts, :mod:`components.patching` installs them.

SQL Server's rolling upgrade of mirrored instances [DBM:upgrading-mirrored-instances.md] (operations.md §3.5, §9.2):
remove the witness from each session first, patch the instance that is *currently* the mirror, fail over manually
from the principal once the session is SYNCHRONIZED, patch the former principal, add the witness back. A patch wave
follows the planned roles; after an automatic failover the planned mirror is the principal. So before each SQL Server
partner's window a step on that server reads ``sys.database_mirroring`` and, for each store it is currently the
principal of with a SYNCHRONIZED partner, records until when the witness is off, removes it and fails over
(``ALTER DATABASE ... SET WITNESS OFF``, ``SET PARTNER FAILOVER``): the server then patches as the mirror. Manual
failover "can be initiated only from the principal" and only "when the database is synchronized"
[DBM:manually-fail-over-a-database-mirroring-session-transact-sql.md]; a principal whose partner is not synchronized
is left as it is and the step fails (an alert): failing over is impossible, and removing the witness would not
keep the database up while its only serving copy restarts.

The witness comes back by time, not by the window's result: every :data:`RESTORE_MINUTES` a step on each partner
adds it back (``SET WITNESS = 'TCP://...'``, on the principal, where a witness is added
[DBM:add-a-database-mirroring-witness-using-windows-authentication-transact-sql.md]) to each store whose record has
expired, whether patching succeeded or not. The record is an extended property of the database itself, so it
follows the failover to the partner that will add the witness back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from .config import PatchWindowConfig
from .patch_windows import WEEKDAYS
from .plan import Plan, SqlInstance
from .ports import WITNESS
from .waves import wave

LEAD_MINUTES = 30
"""The step runs this long before its server's window: when Update Manager's own pre-event fires (about 30 minutes
before the window, operations.md §3.2 [UM:pre-post-scripts-overview.md])."""
STEP_LIMIT_MINUTES = 20
"""How long the step may run: what Update Manager gives a pre-event's handler (operations.md §3.2)."""
RESTORE_MINUTES = 15
"""How often the witness step runs on each partner."""
WITNESS_OFF = "pchat-witness-off-until"
"""The extended property (UTC ``datetime2``) that records until when a store's witness is off."""
EVENT_SOURCE = "PChatMaintenance"
"""Event source of both steps in the Application log."""
FAILED_EVENT, DONE_EVENT = 1, 2
"""A step failed (an error: the alert reads it); a step ran (information: what it did)."""
TIME_FORMAT = "%Y-%m-%d %H:%M"
"""A window's ``startDateTime`` as Update Manager takes it (``lync_pchat.model.patch_windows``)."""
ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "last": "Last"}
"""Azure's week of the month -> Task Scheduler's ``Week`` (1 to 4 or ``Last``)."""
RECURRENCE = re.compile(r"(?P<every>[1-9][0-9]*)?(?P<unit>days?|weeks?|months?)(?:\s+(?P<rest>.+))?", re.I)


@dataclass(frozen=True)
class Session:
    """A store's mirroring session as one partner sees it."""

    database: str
    instance: str
    """This partner's SQL Server instance (``fqdn`` or ``fqdn\\instance``), where the steps connect."""
    partner: str
    """The other partner's server key."""
    witness: str | None
    """The witness's server network address (``TCP://fqdn:port``), None for a session without one."""


def witness_address(witness: SqlInstance) -> str:
    """A witness's server network address, on its endpoint's port (``ports.WITNESS``)."""
    return f"TCP://{witness.fqdn}:{WITNESS.number}"


def sessions(plan: Plan) -> dict[str, tuple[Session, ...]]:
    """Server key -> the mirroring sessions it is a partner of, for every SQL Server partner this project builds
    (both of a pair: the primary site's, and the backup site's once a failover mirrored it) whose window its step
    can follow (:func:`problems`: the plan warns about the others); none without patching."""
    patching = plan.patching
    if patching is None:
        return {}
    found: dict[str, list[Session]] = {}
    for pool in plan.pools:
        for store in pool.stores:
            pairs = ((store.primary, store.mirror, store.witness),
                     (store.backup, store.backup_mirror, store.backup_witness))  # fmt: skip
            for principal, mirror, witness in pairs:
                if principal is None or mirror is None or principal.server is None or mirror.server is None:
                    continue
                address = witness_address(witness) if witness is not None else None
                for one, other in ((principal, mirror), (mirror, principal)):
                    assert one.server is not None and other.server is not None
                    found.setdefault(one.server, []).append(Session(store.database, one.name, other.server, address))
    return {
        key: tuple(own)
        for key, own in found.items()
        if not problems(patching.windows[wave(server := plan.server(key)) - 1], "", patching.time_zone,
                        server.time_zone)
    }  # fmt: skip


@dataclass(frozen=True)
class Schedule:
    """When a server's pre-maintenance step runs: a Task Scheduler calendar trigger."""

    start: str
    """``StartBoundary``: the window's first start less :data:`LEAD_MINUTES`, ``Z`` when the window is in UTC."""
    element: str
    """The ``ScheduleBy...`` element: the window's recurrence."""


def calendar(recur_every: str, day_before: bool = False) -> str | None:
    """The Task Scheduler ``ScheduleBy...`` element of an Azure recurrence (``1Week Saturday``, ``2Days``,
    ``Month Second Sunday``), None for one it cannot express (a day of the month, an offset, every few months, or
    with ``day_before`` the day before a monthly weekday). ``day_before``: on the day before each of its days.
    Schema: learn.microsoft.com/windows/win32/taskschd/taskschedulerschema-calendartrigger-triggergroup-element."""
    match = RECURRENCE.fullmatch(recur_every.strip())
    if match is None:
        return None
    every, unit, rest = int(match["every"] or 1), match["unit"].lower().rstrip("s"), (match["rest"] or "").lower()
    words = [w for w in re.split(r"[\s,]+", rest) if w]
    if unit == "day":
        return None if words else f"<ScheduleByDay><DaysInterval>{every}</DaysInterval></ScheduleByDay>"
    if unit == "week":
        if not words or not all(w in WEEKDAYS for w in words):
            return None
        shift = 1 if day_before else 0
        days = "".join(f"<{d.title()} />" for i, d in enumerate(WEEKDAYS) if WEEKDAYS[(i + shift) % 7] in words)
        return f"<ScheduleByWeek><WeeksInterval>{every}</WeeksInterval><DaysOfWeek>{days}</DaysOfWeek></ScheduleByWeek>"
    if day_before or every != 1 or len(words) != 2 or words[0] not in ORDINALS or words[1] not in WEEKDAYS:
        return None
    months = "".join(f"<{datetime(2001, m, 1):%B} />" for m in range(1, 13))
    return (
        f"<ScheduleByMonthDayOfWeek><Weeks><Week>{ORDINALS[words[0]]}</Week></Weeks>"
        f"<DaysOfWeek><{words[1].title()} /></DaysOfWeek><Months>{months}</Months></ScheduleByMonthDayOfWeek>"
    )


def schedule(window: PatchWindowConfig, first_start: str, time_zone: str) -> Schedule:
    """The pre-maintenance trigger of a window whose ``startDateTime`` is ``first_start``: the same recurrence,
    :data:`LEAD_MINUTES` earlier, on the day before for a daily or weekly window that starts sooner after midnight
    (:func:`sessions` leaves out a monthly one, :func:`problems`). A ``StartBoundary`` with ``Z`` is UTC whatever
    the server's time zone; without an offset it is the server's local time, daylight saving included
    (ITrigger::put_StartBoundary,
    learn.microsoft.com/windows/win32/api/taskschd/nf-taskschd-itrigger-put_startboundary)."""
    window_start = datetime.strptime(first_start, TIME_FORMAT)
    start = window_start - timedelta(minutes=LEAD_MINUTES)
    element = calendar(window.recur_every, day_before=start.date() < window_start.date())
    assert element is not None, "sessions() leaves out a window whose recurrence Task Scheduler cannot express"
    return Schedule(start.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if time_zone == "UTC" else ""), element)


def problems(window: PatchWindowConfig, path: str, time_zone: str, server_time_zone: str) -> list[tuple[str, str]]:
    """(config path, message) for what keeps a partner's pre-maintenance step from following ``window`` (at
    ``path``, ``patching.windows.<n>``), so that the partner gets no step and the plan warns: a recurrence Task
    Scheduler cannot express, a monthly window that starts less than :data:`LEAD_MINUTES` after midnight (the step
    would fall on the day before a weekday of the month, which a trigger cannot name), a window time zone that is
    neither UTC nor the server's own (``server_time_zone``)."""
    found = []
    early = _minutes(window.start) < LEAD_MINUTES
    if calendar(window.recur_every) is None:
        found.append((path + ".recurEvery", (
            f"{window.recur_every[:100]!r}: no pre-maintenance failover for the mirrored stores patched in this "
            "window: the step follows its window with a Task Scheduler trigger, which takes 'Day', 'Week <days>' or "
            "'Month <First..Fourth|Last> <day>'"
        )))  # fmt: skip
    elif early and calendar(window.recur_every, day_before=True) is None:
        found.append((path + ".start", (
            f"{window.start[:40]!r}: no pre-maintenance failover for the mirrored stores patched in this window: the "
            f"step runs {LEAD_MINUTES} minutes before, which for a monthly window must be on its day; start at "
            f"00:{LEAD_MINUTES} or later"
        )))  # fmt: skip
    if time_zone not in ("UTC", server_time_zone):
        found.append(("patching.timeZone", (
            f"{time_zone[:60]!r}: no pre-maintenance failover for the mirrored stores: the step runs on its SQL "
            f"Server's clock ({server_time_zone[:60]}) or in UTC; set patching.timeZone to UTC or the pool's timeZone"
        )))  # fmt: skip
    return found


def _minutes(start: str) -> int:
    """Minutes after midnight of a window's ``HH:MM`` or ``YYYY-MM-DD HH:MM`` start (0 for neither)."""
    match = re.search(r"([01][0-9]|2[0-3]):([0-5][0-9])$", start)
    return int(match[1]) * 60 + int(match[2]) if match else 0
