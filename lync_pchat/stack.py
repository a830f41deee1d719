"""The Pulumi edge: reads the stack config, validates it, returns the plan."""

from __future__ import annotations

import json
from collections import Counter

import pulumi

from .errors import TopologyConfigError
from .model import Plan, TopologyError, bounds, plan_topology
from .stackfile import PROJECT


def load_plan(config: pulumi.Config | None = None) -> Plan:
    """Validate ``pchat:topology``; raise :class:`TopologyConfigError` before any resource exists."""
    config = config or pulumi.Config(PROJECT)
    raw = _topology(config.get("topology"))
    if raw is None:
        raise TopologyConfigError(
            "pchat:topology is not set: copy a scenario from stacks/ into "
            "stacks/Pulumi.<stack>.yaml (see README, Configuration)"
        )
    try:
        plan = plan_topology(raw)
    except TopologyError as error:
        raise TopologyConfigError(str(error)) from None
    for warning in plan.warnings:
        pulumi.log.warn(warning)
    return plan


def _topology(text: str | None) -> object:
    """The JSON the engine passes for ``pchat:topology``, read within the model's bounds: a duplicate key, a
    number beyond Python's digit limit or nesting past its recursion limit is one line, not a traceback."""
    if text is None:
        return None
    if len(text) > 4 * bounds.MAX_BYTES:
        raise TopologyConfigError(f"pchat:topology is larger than {bounds.MAX_BYTES // 1024} KB")
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except (ValueError, RecursionError) as error:
        raise TopologyConfigError(f"pchat:topology is not a readable value: {str(error)[:120]}") from None


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found = dict(pairs)
    if len(found) != len(pairs):
        twice = next(key for key, count in Counter(k for k, _ in pairs).items() if count > 1)
        raise ValueError(f"the key {twice[:80]!r} is given twice in one map")
    return found
