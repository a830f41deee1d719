"""The mock engine skips the SDK's per-resource stack trace (only the Pulumi engine's diagnostics show it): the
graph it records is the one the SDK's own path gives. Oracle: the same synthesis with the SDK's
``_get_stack_trace`` left in place."""

from __future__ import annotations

import pulumi.runtime.resource
import pytest

from lync_pchat.offline import engine
from lync_pchat.offline.engine import run
from lync_pchat.offline.graph import flatten
from lync_pchat.program import run as program

from ..support.synthesis import stack_config
from .test_engine_aliases import by_urn

SDK_STACK_TRACE = pulumi.runtime.resource._get_stack_trace


def test_the_graph_is_the_one_the_sdks_own_stack_trace_path_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    _, fast = run(program, stack_config("lab"), stack="lab")
    monkeypatch.setattr(engine, "_no_stack_trace", SDK_STACK_TRACE)
    _, sdk = run(program, stack_config("lab"), stack="lab")
    assert by_urn(flatten(fast)) == by_urn(flatten(sdk))
    assert not any(request.stackTrace.frames for request in fast.registered), "the skip is in force"
    assert all(request.stackTrace.frames for request in sdk.registered), "the oracle walked the stack"


def test_the_sdk_function_is_restored_after_a_run() -> None:
    run(program, stack_config("lab"), stack="lab")
    assert pulumi.runtime.resource._get_stack_trace is SDK_STACK_TRACE
