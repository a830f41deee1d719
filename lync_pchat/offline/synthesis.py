"""Synthesizes a stack offline: validate its topology, then run the real program under mocks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import stackfile
from ..model import Plan, plan_topology
from ..program import run as program
from .engine import AzureMocks, RecordingMonitor, run
from .graph import Resource, flatten

OFFLINE_SECRET = "offline-placeholder-secret"
"""Stands in for encrypted stack secrets, which only the Pulumi CLI can decrypt."""
REQUIRED_SECRETS = ("pchat:domainJoinPassword", "pchat:setupPassword")


@dataclass(frozen=True)
class Synthesis:
    """What one stack registers: its plan and every resource, with options."""

    stack: str
    plan: Plan
    resources: tuple[Resource, ...]
    seconds: float
    warnings: tuple[str, ...] = ()
    """What the program logged as warnings (the model's advice), each once."""


def offline_config(config: dict[str, Any]) -> dict[str, Any]:
    """The stack config with encrypted secrets replaced by placeholders the program can read."""
    result = {k: OFFLINE_SECRET if isinstance(v, dict) and set(v) == {"secure"} else v for k, v in config.items()}
    for key in REQUIRED_SECRETS:
        result.setdefault(key, OFFLINE_SECRET)
    return result


def synthesize_stack(stack: str, config: dict[str, Any], progress: Callable[[str], None] | None = None) -> Synthesis:
    """Validate, then synthesize. Raises the model's ``TopologyError`` before anything runs."""
    say = progress or (lambda _: None)
    plan = plan_topology(stackfile.topology(config))
    servers = len(list(plan.servers))
    say(f"synthesizing stack '{stack}' under the mock engine: {servers} server{'s' * (servers != 1)} planned")
    monitor = RecordingMonitor(AzureMocks(), on_register=_every(50, say))
    start = time.perf_counter()
    run(program, offline_config(config), monitor, stack=stack)
    resources = tuple(flatten(monitor))
    seconds = time.perf_counter() - start
    say(f"registered {len(resources)} resources in {seconds:.1f} s")
    return Synthesis(stack, plan, resources, seconds, tuple(dict.fromkeys(monitor.warnings)))


def _every(step: int, say: Callable[[str], None]) -> Callable[[int], None]:
    def report(count: int) -> None:
        if count % step == 0:
            say(f"  ... {count} resources registered")

    return report
