"""The pure Persistent Chat topology model: config in, validated plan out. Imports no Pulumi."""

from __future__ import annotations

from .config import TopologyConfig
from .errors import Problem, TopologyError
from .parsing import parse_partly
from .plan import Plan, PoolPlan, ServerPlan, SitePlan, SqlInstance, StorePlan
from .planner import build
from .roles import Role
from .rules import advisories, check


def plan_topology(raw: object) -> Plan:
    """Validate ``raw`` (the ``pchat:topology`` value) and plan it.

    Raises :class:`TopologyError` with every problem when the topology is not supported: its shape problems and,
    when the rest of it can be read without the misshapen values, the rule problems of the rest, in one report.
    """
    cfg, shape = parse_partly(raw)
    if cfg is None:
        raise TopologyError(shape)
    problems = shape + [p for p in check(cfg) if not _under_any(p.path, shape)]
    if problems:
        raise TopologyError(problems)
    return build(cfg, advisories(cfg))


def _under_any(path: str, shape: list[Problem]) -> bool:
    """Whether a rule problem is about a value a shape problem left out (its default stood in for it)."""
    return any(path == p.path or path.startswith(p.path + ".") for p in shape)


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
