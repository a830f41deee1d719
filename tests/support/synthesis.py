"""One cached synthesis for the whole session: each distinct (config, stack) runs under the mock
engine once, whichever test file asks first.

The graphs are shared, so a test must not mutate one: copy what it changes
(``json.loads(json.dumps(...))``, ``copy.deepcopy``): ``tests/conftest.py`` fails the session when
:func:`mutated` names a graph that changed after it was synthesized.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
from collections.abc import Mapping
from datetime import date
from typing import Any

from lync_pchat import stackfile
from lync_pchat.model import plan_topology, rules_platform
from lync_pchat.offline.engine import STACK, run
from lync_pchat.offline.graph import Resource, flatten
from lync_pchat.offline.synthesis import Synthesis, offline_config

__all__ = ["mutated", "stack_config", "stack_graph", "synthesis", "synthesized"]

_DIGESTS: dict[tuple[str, str, date], str] = {}


def stack_config(stack: str) -> dict[str, Any]:
    """A shipped stack's config, with the secrets a real stack would hold encrypted as placeholders."""
    return offline_config(stackfile.load_config(stackfile.stack_path(stack)))


def synthesized(config: Mapping[str, Any] | None = None, stack: str = STACK) -> tuple[Resource, ...]:
    """Every resource the program registers with this stack ``config`` (keys ``pchat:<key>``, passed as
    given, in the same key order: no secret is added), in registration order; synthesized once per session."""
    return _run(json.dumps(dict(config or {})), stack, rules_platform.today())[0]


def synthesis(stack: str, config: Mapping[str, Any]) -> Synthesis:
    """What :func:`~lync_pchat.offline.synthesis.synthesize_stack` gives (secrets as placeholders), from
    the session's cache; ``seconds`` is 0. Raises the model's ``TopologyError`` as it does."""
    plan = plan_topology(stackfile.topology(dict(config)))
    resources, warnings = _run(json.dumps(offline_config(dict(config))), stack, rules_platform.today())
    return Synthesis(stack, plan, resources, 0.0, warnings)


def stack_graph(stack: str) -> tuple[Resource, ...]:
    """The graph of a shipped stack, as ``pulumi up`` would register it."""
    return synthesized(stack_config(stack), stack)


def mutated() -> list[str]:
    """The (stack, config) of each cached graph a test mutated; empty when every one is intact."""
    return [f"{key[1]}: {key[0][:120]}" for key, digest in _DIGESTS.items() if _digest(_run(*key)) != digest]


@functools.cache
def _run(config: str, stack: str, today: date) -> tuple[tuple[Resource, ...], tuple[str, ...]]:
    """(resources, warnings each once); keyed by the clock of the model's date rules too (tests fix it,
    module-level graphs see the real one)."""
    from lync_pchat.program import run as program

    _, monitor = run(program, json.loads(config), stack=stack)
    found = (tuple(flatten(monitor)), tuple(dict.fromkeys(monitor.warnings)))
    _DIGESTS[config, stack, today] = _digest(found)
    return found


def _digest(found: object) -> str:
    return hashlib.sha256(pickle.dumps(found)).hexdigest()
