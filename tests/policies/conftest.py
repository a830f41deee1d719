"""Fixtures: the analyzer servicer of the pack, and the shipped stacks' recorded resources."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from lync_pchat.model import rules_platform, support
from lync_pchat.offline.graph import Resource
from lync_pchat.policies.pack import POLICIES
from lync_pchat.policies.specs import PACK_NAME
from tests.pulumi.stacks import stack_graph

VERSION = "0.1.0"


@pytest.fixture
def servicer() -> _PolicyAnalyzerServicer:
    """A fresh analyzer, as the CLI starts it for one run."""
    return _PolicyAnalyzerServicer(PACK_NAME, VERSION, POLICIES, EnforcementLevel.ADVISORY)


@pytest.fixture(scope="session")
def graph() -> Callable[[str], tuple[Resource, ...]]:
    """The recorded resources of a shipped stack (synthesized once per session)."""
    return stack_graph


BEFORE_ANY_SUPPORT_END: date = min(end.ends for end in support.table()) - timedelta(days=1)
"""The day before the earliest date of :mod:`lync_pchat.model.support`: nothing dated has ended yet."""


@pytest.fixture(autouse=True)
def before_any_support_end(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The policy tests run on a fixed day before every support end, so that the advisory ``pchat-support-ended``
    says nothing in the tests of the other policies; tests/policies/test_support.py sets its own days."""
    monkeypatch.setattr(rules_platform, "today", lambda: BEFORE_ANY_SUPPORT_END)
    yield
