"""Fixtures: the analyzer servicer of the pack, and the shipped stacks' recorded resources."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

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
