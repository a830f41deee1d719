"""Compares the offline plans of two revisions: what a change adds, removes and replaces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import resource_types as rt
from .changes import Value, lost_protection, restarts, values
from .posture import weakened
from .refusals import REFUSED, RESTARTS, matching
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
    values: tuple[Value, ...] = ()
    """Each changed input, before and after (secrets masked)."""
    refused: tuple[str, ...] = ()
    """Why Azure refuses this change on the existing resource, each with its source."""
    restarts: tuple[str, ...] = ()
    """Why this change restarts (or deallocates) the VM, each with its source."""
    unprotected: tuple[str, ...] = ()
    """What the change takes away from a resource that holds data: ``protect``, ``retainOnDelete``, a lock."""
    posture: tuple[str, ...] = ()
    """Why the change weakens a security setting (:mod:`.posture`), each with its source."""
    accepted: frozenset[str] = frozenset()
    """The kinds of this change that a reviewed entry of ``accepted-changes.yaml`` accepts (:mod:`.accepted`)."""
    acceptance: str = ""
    """That entry's reason and pull request."""

    @property
    def losses(self) -> frozenset[str]:
        """``delete`` or ``replace`` of a resource that holds data, ``unprotect`` when it loses its protection."""
        kinds = {self.action} if self.stateful and self.action in ("delete", "replace") else set()
        return frozenset(kinds | ({"unprotect"} if self.unprotected else set()))

    @property
    def kinds(self) -> frozenset[str]:
        """What the gates look at: :attr:`losses`, and ``posture`` when a security setting weakens."""
        return self.losses | ({"posture"} if self.posture else frozenset())

    @property
    def dangerous(self) -> bool:
        return bool(self.losses)

    def blocks(self, kinds: frozenset[str]) -> bool:
        """Whether this change has one of ``kinds`` that no accepted entry covers."""
        return bool((self.kinds & kinds) - self.accepted)


@dataclass(frozen=True)
class Refused:
    """The model refused a stack's topology at one revision: its problems, one per line."""

    lines: tuple[str, ...]


LOCK = rt.LOCK
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
        """Stateful resources this change deletes, replaces or leaves unprotected."""
        return tuple(c for c in self.changes if c.dangerous)

    @property
    def weakened(self) -> tuple[Change, ...]:
        """Changes that weaken a security setting of a data or security resource."""
        return tuple(c for c in self.changes if c.posture)

    @property
    def refused(self) -> tuple[Change, ...]:
        """Changes Azure refuses on an existing resource."""
        return tuple(c for c in self.changes if c.refused)

    @property
    def restarts(self) -> tuple[str, ...]:
        """Per pool, how many of its servers restart at once and why."""
        return restarts(self.changes, self.after)

    after: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The later plan (for the pool sizes of :attr:`restarts`)."""


def diff_stack(stack: str, before: Outcome | None, after: Outcome | None) -> StackDiff:
    """``before`` or ``after`` is None where that revision has no such stack: all new, or all gone."""
    if isinstance(before, Refused) or isinstance(after, Refused):
        lines = (line for o in (before, after) if isinstance(o, Refused) for line in o.lines)
        return StackDiff(stack, "refused", problems=tuple(lines))
    old, new = before or {}, after or {}
    changes = tuple(compare(old, new))
    status = "new" if before is None else "removed" if after is None else "changed" if changes else "unchanged"
    return StackDiff(stack, status, changes, topology_diff(old, new), after=new)


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
    changes += [_deleted(u, old[u]) for u in old if u not in pairs]
    changes += [c for b, a in pairs.items() if (c := _paired(b, old[b], new[a])) is not None]
    order = {"delete": 0, "replace": 1, "update": 2, "create": 3}
    return sorted(changes, key=lambda c: (not c.dangerous, not c.posture, order[c.action], c.urn))


def _deleted(urn: str, entry: Mapping[str, Any]) -> Change:
    """A resource only the earlier plan has; a deleted settings resource (blob service properties, an
    immutability policy) leaves Azure's defaults, a posture change unless the resource itself holds data."""
    stateful = is_stateful(entry)
    posture = () if stateful else weakened(entry["type"], entry.get("inputs", {}), {})
    return Change(urn, entry["type"], entry["name"], "delete", (), stateful, unprotected=_lock(entry), posture=posture)


def _paired(urn: str, entry: Mapping[str, Any], after: Mapping[str, Any]) -> Change | None:
    """The change of one resource both plans hold, or None when nothing differs."""
    # The engine keeps the old value of an input the resource ignores changes to (ignoreChanges).
    ignored = tuple(after.get("ignoreChanges", ()))
    keys = tuple(k for k in _changed_keys(entry["inputs"], after["inputs"]) if not under(k, ignored))
    stateful = is_stateful(entry) or is_stateful(after)
    unprotected = lost_protection(entry, after) if stateful else ()
    posture = weakened(entry["type"], entry["inputs"], after["inputs"])
    if not keys and not unprotected:
        return None
    type_ = entry["type"]
    forcing = forcing_keys(type_)
    action = "replace" if any(under(k, forcing) for k in keys) else "update"
    found = values(entry["inputs"], after["inputs"], keys)
    refused = [r.message() for v in found for r in matching(REFUSED, type_, v.key, v.before, v.after)]
    restart = [r.message() for v in found for r in matching(RESTARTS, type_, v.key, v.before, v.after)]
    refused = [] if action == "replace" else refused  # a new resource takes any value
    return Change(
        urn, type_, after["name"], action, keys, stateful, found, tuple(refused), tuple(restart), unprotected, posture
    )


def _lock(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """A deleted management lock leaves what it locked deletable."""
    return ("lock",) if entry["type"] == LOCK else ()


def _changed_keys(old: Any, new: Any, prefix: str = "") -> tuple[str, ...]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys: list[str] = []
        for key in sorted(old.keys() | new.keys()):
            keys += _changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return tuple(keys)
    return (prefix.rstrip("."),) if old != new else ()
