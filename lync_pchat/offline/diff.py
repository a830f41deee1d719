"""Compares the offline plans of two revisions: what a change adds, removes and replaces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .stateful import forcing_keys, is_stateful, under
from .summary import TopologyDiff, topology_diff


@dataclass(frozen=True)
class Change:
    """One resource that differs between the two plans."""

    urn: str
    type: str
    name: str
    action: str
    keys: tuple[str, ...]
    stateful: bool

    @property
    def dangerous(self) -> bool:
        return self.stateful and self.action in ("delete", "replace")


@dataclass(frozen=True)
class Refused:
    """The model refused a stack's topology at one revision: its problems, one per line."""

    lines: tuple[str, ...]


Outcome = Mapping[str, Any] | Refused
"""What planning a stack at one revision gave: its plan JSON, or the model's refusal."""


@dataclass(frozen=True)
class StackDiff:
    """One stack from one revision to the other."""

    stack: str
    status: str
    """``changed``, ``unchanged``, ``new`` (only the later revision has it), ``removed`` or ``refused``."""
    changes: tuple[Change, ...] = ()
    topology: TopologyDiff | None = None
    problems: tuple[str, ...] = field(default=())
    """Why the model refused the stack (status ``refused``)."""

    @property
    def dangerous(self) -> tuple[Change, ...]:
        """Stateful resources this change deletes or replaces."""
        return tuple(c for c in self.changes if c.dangerous)


def diff_stack(stack: str, before: Outcome | None, after: Outcome | None) -> StackDiff:
    """``before`` or ``after`` is None where that revision has no such stack: all new, or all gone."""
    if isinstance(before, Refused) or isinstance(after, Refused):
        lines = (line for o in (before, after) if isinstance(o, Refused) for line in o.lines)
        return StackDiff(stack, "refused", problems=tuple(lines))
    old, new = before or {}, after or {}
    changes = tuple(compare(old, new))
    status = "new" if before is None else "removed" if after is None else "changed" if changes else "unchanged"
    return StackDiff(stack, status, changes, topology_diff(old, new))


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Changes from the ``before`` plan JSON to the ``after`` one, by URN; a resource whose old URN is
    one of its aliases (a renamed or retyped resource) is the same resource, as the engine sees it."""
    old = {r["urn"]: r for r in before.get("resources", ())}
    new = {r["urn"]: r for r in after.get("resources", ())}
    was = {alias: urn for urn, r in new.items() for alias in r.get("aliases", ()) if alias in old and alias not in new}
    pairs = {urn: urn for urn in old.keys() & new.keys()} | {alias: urn for alias, urn in was.items()}
    changes = [
        Change(u, new[u]["type"], new[u]["name"], "create", (), is_stateful(new[u]))
        for u in new
        if u not in pairs.values()
    ]
    changes += [
        Change(u, old[u]["type"], old[u]["name"], "delete", (), is_stateful(old[u])) for u in old if u not in pairs
    ]
    for urn_before, urn_after in pairs.items():
        keys = _changed_keys(old[urn_before]["inputs"], new[urn_after]["inputs"])
        if keys:
            forcing = forcing_keys(old[urn_before]["type"])
            action = "replace" if any(under(k, forcing) for k in keys) else "update"
            entry, after = old[urn_before], new[urn_after]
            stateful = is_stateful(entry) or is_stateful(after)
            changes.append(Change(urn_after, entry["type"], after["name"], action, keys, stateful))
    order = {"delete": 0, "replace": 1, "update": 2, "create": 3}
    return sorted(changes, key=lambda c: (not c.dangerous, order[c.action], c.urn))


def _changed_keys(old: Any, new: Any, prefix: str = "") -> tuple[str, ...]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys: list[str] = []
        for key in sorted(old.keys() | new.keys()):
            keys += _changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return tuple(keys)
    return (prefix.rstrip("."),) if old != new else ()
