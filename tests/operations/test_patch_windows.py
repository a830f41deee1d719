"""Patch windows computed from today: a time of day alone starts on the next day its recurrence names, at least two
days ahead; a date and time stays as written. Azure takes a start of today or later when it creates a window
(operations.md 9.4), so no date is written in the source, and the computed one is left alone once the window exists
(ignoreChanges), so that a plan another day shows no change. Today is 2026-12-01, a Tuesday (tests/conftest.py).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lync_pchat.model.patch_windows import first_start
from lync_pchat.offline.graph import of_type, synthesize
from lync_pchat.program import run as program

from ..model.configs import changed, enterprise

CONFIGURATION = "azure-native:maintenance:MaintenanceConfiguration"
TUESDAY = date(2026, 12, 1)
SOURCE = Path(__file__).resolve().parents[2] / "lync_pchat"


@pytest.mark.parametrize(
    ("start", "recur", "expected"),
    [
        ("01:00", "1Week Saturday", "2026-12-05 01:00"),
        ("05:00", "1Week Sunday", "2026-12-06 05:00"),
        ("22:30", "Month Second Thursday", "2026-12-03 22:30"),  # two days ahead is a Thursday itself
        ("23:00", "1Week Wednesday", "2026-12-09 23:00"),  # tomorrow is too close: the Wednesday after
        ("02:00", "Day", "2026-12-03 02:00"),
        ("2027-03-06 01:00", "1Week Saturday", "2027-03-06 01:00"),
    ],
)
def test_the_first_start_is_the_next_day_the_recurrence_names(start: str, recur: str, expected: str) -> None:
    assert first_start(start, recur, TUESDAY) == expected


def test_the_default_windows_are_computed_and_left_alone_once_created() -> None:
    graph = synthesize(program, {"pchat:topology": changed(enterprise(), pools__pchat01__highAvailability={
        "mirroring": True, "witness": True})})  # fmt: skip
    starts = {r.name.rsplit("-", 1)[1]: r for r in of_type(graph, CONFIGURATION) if "dublin" in r.name}
    assert {k: r.inputs["startDateTime"] for k, r in starts.items()} == {
        "wave1": "2026-12-05 01:00", "wave2": "2026-12-06 01:00", "wave3": "2026-12-06 05:00"}  # fmt: skip
    assert all(r.ignore_changes == ("startDateTime",) for r in starts.values())


def test_a_written_date_is_deployed_as_written_and_followed() -> None:
    windows = [{"start": "2027-03-06 01:00"}, {"start": "2027-03-07 01:00", "recurEvery": "1Week Sunday"}]
    graph = synthesize(program, {"pchat:topology": changed(enterprise(), patching={"windows": windows})})
    found = sorted((r.inputs["startDateTime"], r.ignore_changes) for r in of_type(graph, CONFIGURATION))
    assert found == [("2027-03-06 01:00", ()), ("2027-03-07 01:00", ())]


def test_no_date_is_written_in_the_source() -> None:
    dated = [
        (path.name, line)
        for path in SOURCE.rglob("*.py")
        for line in path.read_text().splitlines()
        if re.search(r"start=\"\d{4}-\d{2}-\d{2}", line)
    ]
    assert dated == []


def test_the_plan_diff_ignores_a_computed_start_as_the_engine_does() -> None:
    """ignoreChanges keeps the old value (Pulumi resource options): ``pchat diff`` on another day shows nothing."""
    from lync_pchat.offline.diff import compare

    def plan(start: str, ignored: list[str]) -> dict[str, object]:
        resource = {"urn": "urn:mc", "type": CONFIGURATION, "name": "mc", "inputs": {"startDateTime": start},
                    "ignoreChanges": ignored}  # fmt: skip
        return {"resources": [resource]}

    assert compare(plan("2026-12-05 01:00", ["startDateTime"]), plan("2026-12-12 01:00", ["startDateTime"])) == []
    (change,) = compare(plan("2026-12-05 01:00", []), plan("2026-12-12 01:00", []))
    assert (change.action, change.keys) == ("update", ("startDateTime",))
