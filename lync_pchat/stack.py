"""The Pulumi edge: reads the stack config, validates it, returns the plan."""

from __future__ import annotations

import pulumi

from .errors import TopologyConfigError
from .model import Plan, TopologyError, plan_topology
from .stackfile import PROJECT


def load_plan(config: pulumi.Config | None = None) -> Plan:
    """Validate ``pchat:topology``; raise :class:`TopologyConfigError` before any resource exists."""
    config = config or pulumi.Config(PROJECT)
    raw = config.get_object("topology")
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
