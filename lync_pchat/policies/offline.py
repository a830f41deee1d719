"""Runs the guardrails over mock-recorded resources (``lync_pchat.offline``), without an engine.

Unlike the policy SDK, this route sees the secret markers of the recorded inputs, so
``pchat-secrets`` also catches a password or protected setting that is not a Pulumi secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..wire import reveal
from .base import CheckOptions, StackResource
from .specs import SPECS, PolicySpec


class Recorded(Protocol):
    """What the offline engine records of a resource (``lync_pchat.offline.graph.Resource``)."""

    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def urn(self) -> str: ...
    @property
    def inputs(self) -> dict[str, Any]: ...
    @property
    def protect(self) -> bool: ...
    @property
    def parent(self) -> str: ...


@dataclass(frozen=True)
class Finding:
    """A violation of one policy by one resource (``urn`` empty: by the stack)."""

    policy: str
    mandatory: bool
    urn: str
    message: str


def _run(spec: PolicySpec, resources: list[Recorded], config: Mapping[str, Any]) -> list[Finding]:
    if spec.stack_check is not None:
        stack = [StackResource(r.type, r.name, reveal(r.inputs), r.protect, r.urn, r.parent) for r in resources]
        return [Finding(spec.name, spec.mandatory, v.urn, v.message) for v in spec.stack_check(stack, config)]
    assert spec.resource_check is not None
    return [
        Finding(spec.name, spec.mandatory, r.urn, message)
        for r in resources
        for message in spec.resource_check(
            r.type, reveal(r.inputs), CheckOptions(protect=r.protect, config=config, wire_props=r.inputs)
        )
    ]


def evaluate(
    resources: Iterable[Recorded],
    config: Mapping[str, Mapping[str, Any]] | None = None,
    specs: Iterable[PolicySpec] = SPECS,
) -> list[Finding]:
    """Every finding of ``specs`` over ``resources``; ``config`` is the policy config by policy name."""
    recorded = [r for r in resources if not r.type.startswith("pulumi:providers:")]
    return [finding for spec in specs for finding in _run(spec, recorded, (config or {}).get(spec.name, {}))]
