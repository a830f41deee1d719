"""Rules on monitoring and patching: where alerts go, the synthetic test's users, the patch windows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from . import arm, maintenance
from .config import TopologyConfig
from .errors import Problem
from .layout import seats
from .patch_windows import computed
from .roles import Role
from .text import is_time_zone_id, time_zone_problem
from .waves import wave, waves_needed

MAX_WINDOW = (3, 55)
"""A maintenance window lasts at most 3 h 55 min [UM:scheduled-patching.md]."""
DURATION = re.compile(r"(?P<hours>[0-9]{2}):(?P<minutes>[0-5][0-9])")
START = "%Y-%m-%d %H:%M"
"""``startDateTime`` of a maintenance window [TPL:maintenanceconfigurations]."""
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")
SIP = re.compile(r"sip:[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")
KB = re.compile(r"[0-9]{6,8}")
"""A KB article number, as ``kbNumbersToExclude`` takes it (without ``KB``) [TPL:maintenanceconfigurations]."""
PAIRS = {
    Role.STORE_MIRROR: (Role.STORE, Role.STORE_MIRROR),
    Role.COMPLIANCE_STORE_MIRROR: (Role.COMPLIANCE_STORE, Role.COMPLIANCE_STORE_MIRROR),
    Role.BACKUP_STORE_MIRROR: (Role.BACKUP_STORE, Role.BACKUP_STORE_MIRROR),
    Role.COMPLIANCE_BACKUP_STORE_MIRROR: (Role.COMPLIANCE_BACKUP_STORE, Role.COMPLIANCE_BACKUP_STORE_MIRROR),
}
"""A mirror's role -> the roles of both partners of its session (each gets the pre-maintenance step)."""
RECURRENCE = re.compile(r"[A-Za-z0-9 ,-]{1,100}")
"""``recurEvery``: words, numbers, commas and dashes (``1Week Saturday``, ``Month Third Sunday``)."""


MAX_EMAILS = 1_000
MONITOR_LIMITS = "https://learn.microsoft.com/azure/azure-monitor/service-limits"
"""Action groups: "1,000 email actions in an action group"."""


def monitoring(cfg: TopologyConfig) -> Iterator[Problem]:
    """One destination for alerts, well-formed addresses within an action group's limit, SIP test users."""
    mon = cfg.monitoring
    if mon.action_group_id is not None and mon.emails:
        yield Problem("monitoring.emails", "give actionGroupId (an existing action group) or emails, not both")
    if mon.action_group_id is not None and not arm.ACTION_GROUP.matches(mon.action_group_id):
        yield Problem("monitoring.actionGroupId", arm.ACTION_GROUP.problem(mon.action_group_id))
    yield from _emails(mon.emails)
    users = mon.test_users
    if users is not None:
        for role, sip in (("sender", users.sender), ("receiver", users.receiver)):
            if not SIP.fullmatch(sip):
                yield Problem(f"monitoring.testUsers.{role}", f"{sip[:200]!r} is not a SIP address (sip:user@domain)")
        if users.sender.lower() == users.receiver.lower():
            yield Problem("monitoring.testUsers.receiver", "must be another user than the sender")


def _emails(emails: tuple[str, ...]) -> Iterator[Problem]:
    if len(emails) > MAX_EMAILS:
        yield Problem(
            "monitoring.emails",
            f"{len(emails):,} addresses: an action group takes at most {MAX_EMAILS:,} email receivers; "
            "send to a distribution list instead",
            MONITOR_LIMITS,
        )
    for n, email in enumerate(emails):
        if not EMAIL.fullmatch(email):
            yield Problem(f"monitoring.emails.{n}", f"{email[:200]!r} is not an email address")
    if len(set(e.lower() for e in emails)) != len(emails):
        yield Problem("monitoring.emails", "lists an address twice")


def patching(cfg: TopologyConfig) -> Iterator[Problem]:
    """A valid time zone and enough well-formed windows for the waves the topology needs."""
    patch = cfg.patching
    if not patch.enabled:
        return
    if not is_time_zone_id(patch.time_zone):
        yield Problem("patching.timeZone", time_zone_problem(patch.time_zone))
    for n, window in enumerate(patch.windows):
        path = f"patching.windows.{n}"
        if not _is_start(window.start):
            yield Problem(
                f"{path}.start", f"{window.start[:40]!r} is not a start time 'HH:MM' (computed) or 'YYYY-MM-DD HH:MM'"
            )
        duration = DURATION.fullmatch(window.duration)
        if duration is None or not (0, 1) <= (int(duration["hours"]), int(duration["minutes"])) <= MAX_WINDOW:
            yield Problem(
                f"{path}.duration",
                f"{window.duration[:40]!r} is not a duration 'HH:MM' of at most 03:55",
                "UM:scheduled-patching.md",
            )
        if not RECURRENCE.fullmatch(window.recur_every):
            yield Problem(
                f"{path}.recurEvery", f"{window.recur_every[:100]!r} is not a recurrence such as '1Week Saturday'"
            )
    for n, kb in enumerate(patch.exclude_kbs):
        if not KB.fullmatch(kb):
            yield Problem(f"patching.excludeKbs.{n}", f"{kb[:40]!r} is not a KB number such as '2809243'")
    needed = max((waves_needed(seats(pool, cfg.edition)) for pool in cfg.pools.values()), default=0)
    if len(patch.windows) < needed:
        yield Problem(
            "patching.windows",
            f"the topology patches in {needed} waves (mirrors, then principals, then witnesses; active servers "
            f"split over two), so it needs {needed} windows, one per wave, not {len(patch.windows)}",
            "DBM:upgrading-mirrored-instances.md",
        )


def unscheduled(cfg: TopologyConfig) -> list[str]:
    """Patching on, and a mirroring partner whose window its pre-maintenance step cannot follow
    (:func:`lync_pchat.model.maintenance.problems`): that partner gets no step; each note once."""
    patch, found = cfg.patching, dict[tuple[str, str], None]()
    if not patch.enabled:
        return []
    for pool in cfg.pools.values():
        pool_seats = seats(pool, cfg.edition)
        roles = {seat.role for seat in pool_seats}
        partners = {r for mirror, pair in PAIRS.items() if mirror in roles for r in pair}
        for seat in (s for s in pool_seats if s.role in partners):
            n = wave(seat)
            if n <= len(patch.windows):
                window = patch.windows[n - 1]
                found.update(dict.fromkeys(
                    maintenance.problems(window, f"patching.windows.{n - 1}", patch.time_zone, pool.time_zone)
                ))  # fmt: skip
    return [f"{path}: {message} [DBM:upgrading-mirrored-instances.md]" for path, message in found]


def _is_start(start: str) -> bool:
    """A time of day alone (the date computed), or a date and time."""
    if computed(start):
        return True
    try:
        datetime.strptime(start, START)
    except ValueError:
        return False
    return True


def witnessless(cfg: TopologyConfig) -> list[str]:
    """Patching on, and a pool whose provisioned stores are mirrored without a witness. "High-safety mode without
    automatic failover": with no witness the mirror never takes over on its own, only by a manual failover or by
    forcing service [DBM:database-mirroring-operating-modes.md]. The pre-maintenance step fails over by hand
    (:mod:`lync_pchat.model.maintenance`) when the mirror is SYNCHRONIZED; when it is not, or the principal restarts
    outside a window, mgc is down until the principal is back."""
    if not cfg.patching.enabled:
        return []
    notes = []
    for key, pool in cfg.pools.items():
        roles = {seat.role for seat in seats(pool, cfg.edition)}
        if Role.STORE_MIRROR in roles and Role.WITNESS not in roles:
            notes.append(
                f"pools.{key}.highAvailability.witness: mirroring without a witness has no automatic failover "
                "(high-safety mode without automatic failover [DBM:database-mirroring-operating-modes.md]): each "
                "wave-2 patch restart of the principal takes mgc (and mgccomp) down until it is back, unless the "
                "pre-maintenance step failed it over first, which it does only while the mirror is SYNCHRONIZED; "
                "add a witness for automatic failover"
            )
    return notes


def advisories(cfg: TopologyConfig) -> list[str]:
    """Monitoring that is on but cannot alert anyone, or has no synthetic test; mirroring without a witness under
    patching."""
    mon = cfg.monitoring
    if not mon.enabled:
        return witnessless(cfg) + unscheduled(cfg)
    notes = witnessless(cfg) + unscheduled(cfg)
    if mon.action_group_id is None and not mon.emails:
        notes.append(
            "monitoring: neither actionGroupId nor emails is set, so no alert rule is created (an alert nobody "
            "receives is no alert); the agent and the data collection rules are"
        )
    if mon.test_users is None:
        notes.append(
            "monitoring.testUsers: not set, so there is no synthetic Test-CsPersistentChatMessage; give two "
            "users enabled for Persistent Chat by policy [PS:Test-CsPersistentChatMessage]"
        )
    return notes


RULES = (monitoring, patching)
