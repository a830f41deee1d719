"""Shipped stacks synthesized once per test session (the shared cache of tests/support/synthesis.py)."""

from __future__ import annotations

from ..support.synthesis import stack_config, stack_graph

__all__ = ["stack_config", "stack_graph"]
