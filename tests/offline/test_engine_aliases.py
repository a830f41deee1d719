"""The mock engine skips the SDK's client-side alias URNs (the monitor takes alias specs): the graph it
records is the one the SDK's own path gives. Oracle: the same synthesis with the SDK's
``collapse_alias_to_urn`` left in place."""

from __future__ import annotations

from typing import Any

import pulumi.resource
import pulumi.runtime.resource
import pytest

from lync_pchat.offline import engine
from lync_pchat.offline.graph import Resource, synthesize
from lync_pchat.program import run as program

from ..support.synthesis import stack_config


def by_urn(graph: list[Resource]) -> dict[str, tuple[Any, ...]]:
    """Each resource's recorded fields; dependencies as a set (the SDK gathers them in a set)."""
    return {
        r.urn: (r.type, r.name, r.parent, r.custom, r.inputs, r.protect, r.retain_on_delete, r.ignore_changes,
                frozenset(r.dependencies), r.aliases, r.provider, r.deleted_with, r.custom_timeouts)
        for r in graph
    }  # fmt: skip


def test_the_graph_is_the_one_the_sdks_own_alias_path_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = synthesize(program, stack_config("spoke"), stack="spoke")
    monkeypatch.setattr(engine, "_alias_sent_as_spec", pulumi.resource.collapse_alias_to_urn)  # type: ignore[attr-defined]
    sdk = synthesize(program, stack_config("spoke"), stack="spoke")
    assert by_urn(fast) == by_urn(sdk)
    assert sum(len(r.aliases) for r in fast) > len(fast), "the azure-native API-version aliases are recorded"


def test_the_sdk_function_is_restored_after_a_run() -> None:
    """The SDK defines it in ``pulumi.runtime.resource``; the engine replaces only ``pulumi.resource``'s name."""
    synthesize(program, stack_config("lab"), stack="lab")
    assert pulumi.resource.collapse_alias_to_urn is pulumi.runtime.resource.collapse_alias_to_urn  # type: ignore[attr-defined]
