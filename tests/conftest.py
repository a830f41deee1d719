"""What every test shares: a fixed "today", so rules that compare dates with the clock give the same
verdict whatever day the suite runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from lync_pchat.model import rules_platform

from .support.subset import is_slow
from .support.synthesis import mutated

TODAY = date(2026, 12, 1)
REAL_TODAY = rules_platform.today


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[date]:
    monkeypatch.setattr(rules_platform, "today", lambda: TODAY)
    yield TODAY


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test mutated a graph the session shares (tests/support/synthesis.py)."""
    changed = mutated()
    if changed:
        print("\na test mutated a shared synthesized graph (copy it before changing it):", *changed, sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test outside the fast subset (tests/support/subset.py)."""
    for item in items:
        if is_slow(item.nodeid):
            item.add_marker(pytest.mark.slow)
