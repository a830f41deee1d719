"""The graph the mock engine records: the same with or without the SDK's per-resource stack trace (which it
skips: only the Pulumi engine's diagnostics show it; oracle: the same synthesis with the SDK's
``_get_stack_trace`` left in place), and the same from run to run (dependencies sorted)."""

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


def test_dependencies_are_sorted_whatever_order_the_sdk_sent() -> None:
    """The SDK sends a resource's dependencies from a set, whose order follows the order its awaits ended in:
    sorted, two runs of one program give equal graphs (the shared synthesis compares them)."""
    _, monitor = run(program, stack_config("lab"), stack="lab")
    graph = flatten(monitor)
    assert any(len(r.dependencies) > 1 for r in graph)
    assert all(list(r.dependencies) == sorted(r.dependencies) for r in graph)
    sent = {urn: set(request.dependencies) for request, urn in monitor.registrations}
    assert all(set(r.dependencies) == sent[r.urn] for r in graph)
