"""Render a runbook for a plan, or write its files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Plan
from . import configure, cu_databases, disaster, log_shipping, migrate, publish, restore, verify
from .index import RUNBOOKS

_RENDERERS: dict[str, Callable[[Plan], dict[str, str]]] = {
    "publish": publish.render,
    "configure": configure.render,
    "log-shipping": log_shipping.render,
    "verify": verify.render,
    "cu-databases": cu_databases.render,
    "failover": disaster.render_failover,
    "failback": disaster.render_failback,
    "migrate": migrate.render,
    "restore": restore.render,
}
assert _RENDERERS.keys() == RUNBOOKS.keys()


def render(plan: Plan, name: str) -> dict[str, str]:
    """The runbook's files, file name -> content.

    Raises :class:`RunbookNotApplicable` when the runbook does not apply to the topology,
    and ``ValueError`` for an unknown runbook name.
    """
    if name not in _RENDERERS:
        raise ValueError(f"unknown runbook {name!r}; known: {', '.join(RUNBOOKS)}")
    return _RENDERERS[name](plan)


def write(plan: Plan, name: str, out_dir: Path) -> list[Path]:
    """Render the runbook into ``out_dir`` (created if needed); the written paths, sorted."""
    files = render(plan, name)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, content in sorted(files.items()):
        path = out_dir / file_name
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written
