"""The pure Persistent Chat topology model: config in, validated plan out. Imports no Pulumi."""

from __future__ import annotations

from .config import TopologyConfig
from .errors import Problem, TopologyError
from .parsing import parse
from .plan import Plan, PoolPlan, ServerPlan, SitePlan, SqlInstance, StorePlan
from .planner import build
from .roles import Role
from .rules import advisories, check


def plan_topology(raw: object) -> Plan:
    """Validate ``raw`` (the ``pchat:topology`` value) and plan it.

    Raises :class:`TopologyError` with every problem when the topology is not supported.
    """
    cfg = parse(raw)
    problems = check(cfg)
    if problems:
        raise TopologyError(problems)
    return build(cfg, advisories(cfg))


__all__ = [
    "Plan",
    "PoolPlan",
    "Problem",
    "Role",
    "ServerPlan",
    "SitePlan",
    "SqlInstance",
    "StorePlan",
    "TopologyConfig",
    "TopologyError",
    "plan_topology",
]
