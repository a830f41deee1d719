"""Support dates: the plan warns about each ended one, and refuses a stack that runs nothing Microsoft still
supports unless ``acceptUnsupported: {reason}``.

Oracle: operations.md 9.4 (checked this round) and skype2015.md 1: Lync Server 2013 2023-04-11; Skype for Business
Server 2015 2025-10-14; Windows Server 2012 R2 2023-10-10, its Azure ESU 2026-10-13; SQL Server 2012 2022-07-12;
SQL Server 2014 2024-07-09; Windows Server 2019 2029-01-09; SQL Server 2019 2030-01-08
(https://learn.microsoft.com/lifecycle/faq/extended-security-updates). Today is 2026-12-01 (tests/conftest.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology, rules_platform

from .configs import DELETE, changed, enterprise, standard

REASON = "users move to Teams by March"


def refused(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        plan_topology(raw)
    return [str(p) for p in caught.value.problems if p.path == "acceptUnsupported"]


def calendar(raw: dict[str, Any]) -> list[str]:
    return [w for w in plan_topology(raw).warnings if w.startswith(("support:", "acceptUnsupported:"))]


def test_the_default_lync2013_stack_is_refused_naming_every_ended_date() -> None:
    (problem,) = refused(changed(enterprise(), acceptUnsupported=DELETE))
    assert problem.startswith("acceptUnsupported: today (2026-12-01, UTC) Microsoft supports nothing this stack runs")
    for said in ("Lync Server 2013: extended support ended 2023-04-11",
                 "Windows Server 2012 R2: Azure extended security updates", "ended 2026-10-13",
                 "SQL Server 2014: extended support", "ended 2024-07-09"):  # fmt: skip
        assert said in problem
    assert "acceptUnsupported: {reason: ...}" in problem


def test_a_standard_edition_server_counts_its_sql_server_express() -> None:
    (problem,) = refused(changed(standard(), acceptUnsupported=DELETE))
    assert "SQL Server 2012: extended support ended 2022-07-12" in problem


def test_accepted_the_plan_warns_about_each_date_and_repeats_the_reason() -> None:
    notes = calendar(changed(enterprise(), acceptUnsupported={"reason": REASON}))
    assert notes == [
        "support: Lync Server 2013: extended support ended 2023-04-11 [LC:microsoft-lync-server-2013.yml] (product)",
        "support: Windows Server 2012 R2: Azure extended security updates (extended support ended 2023-10-10) "
        "ended 2026-10-13 [LCF:extended-security-updates] (images.windows.sku)",
        "support: SQL Server 2014: extended support (extended security updates to 2027-07-12 not assumed) ended "
        "2024-07-09 [LCF:extended-security-updates] (images.sql.offer)",
        f"acceptUnsupported: deployed without Microsoft's support because: {REASON}",
    ]


def test_skype2015_on_windows_and_sql_server_2019_plans_with_a_warning_about_the_product() -> None:
    raw = changed(enterprise(), product="skype2015", acceptUnsupported=DELETE)
    assert calendar(raw) == [
        "support: Skype for Business Server 2015: extended support ended 2025-10-14 "
        "[LC:skype-for-business-server-2015.yml] (product)"
    ]


def test_the_last_supported_day_is_supported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_platform, "today", lambda: date(2023, 4, 11))
    assert calendar(changed(enterprise(), acceptUnsupported=DELETE)) == []
    monkeypatch.setattr(rules_platform, "today", lambda: date(2023, 4, 12))
    (note,) = calendar(changed(enterprise(), acceptUnsupported=DELETE))
    assert note.startswith("support: Lync Server 2013")


@pytest.mark.parametrize("reason", ["", "line\nbreak"])
def test_the_reason_is_one_line_of_text(reason: str) -> None:
    with pytest.raises(TopologyError) as caught:
        plan_topology(changed(enterprise(), acceptUnsupported={"reason": reason}))
    assert [p.path for p in caught.value.problems] == ["acceptUnsupported.reason"]
