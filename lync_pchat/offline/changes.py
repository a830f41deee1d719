"""What a change does to one resource, for people: each input before and after, protection taken away,
and the VMs it restarts, counted per pool."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model.tags import POOL_TAG
from .refusals import ABSENT, VM

if TYPE_CHECKING:
    from .diff import Change

WIDTH = 60
"""A value longer than this is cut (its end replaced by an ellipsis)."""


@dataclass(frozen=True)
class Value:
    """One changed input: its dotted path, and its value before and after (``ABSENT`` where unset)."""

    key: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.key}: {show(self.before)} → {show(self.after)}"


def show(value: Any) -> str:
    """A value as one short line: numbers and strings as they are, the rest as compact JSON."""
    if value is ABSENT:
        return "(unset)"
    text = value if isinstance(value, str) else json.dumps(_whole(value), separators=(",", ":"), sort_keys=True)
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def _whole(value: Any) -> Any:
    """Floats that are whole numbers as integers: the wire carries every number as a double."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def values(before: Mapping[str, Any], after: Mapping[str, Any], keys: Iterable[str]) -> tuple[Value, ...]:
    """The value of each changed ``key`` (a dotted input path) in both input maps."""
    return tuple(Value(key, _whole(value_at(before, key)), _whole(value_at(after, key))) for key in keys)


def value_at(inputs: Mapping[str, Any], key: str) -> Any:
    """The value at the dotted input path ``key``, or ``ABSENT``."""
    value: Any = inputs
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return ABSENT
        value = value[part]
    return value


def lost_protection(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The options a resource had and loses: ``protect`` (the engine refuses to delete it) and
    ``retainOnDelete`` (a delete leaves it in Azure)."""
    return tuple(key for key in ("protect", "retainOnDelete") if before.get(key) and not after.get(key))


def restarts(changes: Sequence[Change], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Per pool, the VMs a change restarts, out of the pool's VMs: Pulumi updates VMs that do not depend
    on each other at the same time, so these restart together."""
    vms = {r["urn"]: r for r in after.get("resources", ()) if r["type"] == VM}
    pools: dict[str, list[str]] = {}
    for vm in vms.values():
        pools.setdefault(_pool(vm), []).append(vm["urn"])
    restarting: dict[str, dict[str, Change]] = {}
    for change in changes:
        if change.restarts and change.urn in vms:
            restarting.setdefault(_pool(vms[change.urn]), {})[change.urn] = change
    lines = []
    for pool, hit in sorted(restarting.items()):
        why = sorted({reason for c in hit.values() for reason in c.restarts})
        names = ", ".join(sorted(str(vms[u].get("inputs", {}).get("vmName", vms[u]["name"])) for u in hit))
        lines.append(f"pool `{pool}`: {len(hit)} of {len(pools[pool])} VMs restart at once ({names}): {'; '.join(why)}")
    return tuple(lines)


def _pool(vm: Mapping[str, Any]) -> str:
    return str(vm.get("inputs", {}).get("tags", {}).get(POOL_TAG, "(no pool tag)"))
