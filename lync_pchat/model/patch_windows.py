"""The first start of a maintenance window: the one written in the config (``YYYY-MM-DD HH:MM``), or, for a time of
day alone (``HH:MM``), the next day from today that the recurrence names.

Azure takes a start date of today or later when it creates a window (operations.md 9.4), so a date written once
(in source or config) is refused from that day on. A computed start moves with the clock; the maintenance
configuration ignores later changes to it (:mod:`components.patching`), so a plan run another day shows
no change and the schedule Azure runs stays the recurrence from its first start.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

TIME = re.compile(r"(?P<hours>[01][0-9]|2[0-3]):(?P<minutes>[0-5][0-9])")
"""A time of day alone: the window starts on the next day the recurrence names."""
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LEAD_DAYS = 2
"""The first start is at least two days after today (UTC): still ahead in every time zone."""


def computed(start: str) -> bool:
    """Whether ``start`` is a time of day alone, whose date this module computes."""
    return TIME.fullmatch(start) is not None


def weekday(recur_every: str) -> int | None:
    """The first weekday a recurrence names (``1Week Saturday``, ``Month Second Sunday``: 5, 6); None for none."""
    words = re.findall(r"[a-z]+", recur_every.lower())
    return next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)


def first_start(start: str, recur_every: str, today: date) -> str:
    """``start`` as ``startDateTime`` takes it: unchanged when it has a date, else the first day at least
    :data:`LEAD_DAYS` after ``today`` on the recurrence's weekday (any day when it names none), at that time."""
    if not computed(start):
        return start
    day = today + timedelta(days=LEAD_DAYS)
    wanted = weekday(recur_every)
    if wanted is not None:
        day += timedelta(days=(wanted - day.weekday()) % 7)
    return f"{day.isoformat()} {start}"
