"""What every test shares: a fixed "today", so rules that compare dates with the clock give the same
verdict whatever day the suite runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from lync_pchat.model import rules_platform

TODAY = date(2026, 12, 1)
REAL_TODAY = rules_platform.today


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[date]:
    monkeypatch.setattr(rules_platform, "today", lambda: TODAY)
    yield TODAY
