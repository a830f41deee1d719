"""The registered resource graph as plain data: types, names, URNs, inputs and options."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from google.protobuf.json_format import MessageToDict

from ..wire import is_secret, mask, reveal
from .engine import STACK, RecordingMonitor, run

__all__ = ["Resource", "children", "flatten", "is_secret", "mask", "named", "of_type", "reveal", "synthesize"]


@dataclass(frozen=True)
class Resource:
    """One registered resource, flattened from its RegisterResourceRequest."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    ignore_changes: tuple[str, ...]
    dependencies: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    """The other URNs the engine would take for this resource (from its and its parents' aliases)."""
    provider: str = ""
    """The provider reference of a custom resource (``<provider urn>::<id>``); empty: the default."""
    deleted_with: str = ""
    custom_timeouts: tuple[str, str, str] = ("", "", "")
    """The resource's customTimeouts (create, update, delete), as Pulumi durations; empty: the provider's."""

    @property
    def parent_name(self) -> str:
        return self.parent.rsplit("::", 1)[-1]

    def depends_on(self, other: Resource) -> bool:
        return other.urn in self.dependencies

    def masked_inputs(self) -> dict[str, Any]:
        """Inputs with every secret value replaced by ``[secret]``."""
        return mask(self.inputs)  # type: ignore[no-any-return]


def flatten(monitor: RecordingMonitor) -> list[Resource]:
    """Every resource the monitor saw, in registration order; each one's dependencies sorted, so that two
    runs of one program give equal graphs whichever order the runtime's threads answered in."""
    return [
        Resource(
            urn=urn,
            type=r.type,
            name=r.name,
            parent=r.parent,
            custom=bool(r.custom),
            inputs=MessageToDict(r.object),
            protect=bool(r.protect),
            retain_on_delete=bool(r.retainOnDelete),
            ignore_changes=tuple(r.ignoreChanges),
            dependencies=tuple(sorted(r.dependencies)),  # the SDK gathers them in a set: its order varies
            aliases=tuple(sorted(monitor.aliases[urn])),
            provider=r.provider,
            deleted_with=r.deletedWith,
            custom_timeouts=(r.customTimeouts.create, r.customTimeouts.update, r.customTimeouts.delete),
        )
        for r, urn in zip(monitor.registered, monitor.registered_urns, strict=True)
    ]


def synthesize(program: Callable[[], Any], config: dict[str, Any] | None = None, stack: str = STACK) -> list[Resource]:
    """Run ``program`` under the mock engine; every resource it registered, in order."""
    _, monitor = run(program, config, stack=stack)
    return flatten(monitor)


def of_type(graph: Iterable[Resource], type_: str) -> list[Resource]:
    return [r for r in graph if r.type == type_]


def named(graph: Iterable[Resource], name: str) -> Resource:
    (found,) = [r for r in graph if r.name == name]
    return found


def children(graph: Iterable[Resource], parent: str, parent_type: str = "") -> list[tuple[str, str]]:
    """Sorted (type, name) of the direct children of ``parent`` (of ``parent_type``, if given)."""
    suffix = f"{parent_type}::{parent}"
    return sorted((r.type, r.name) for r in graph if r.parent_name == parent and r.parent.endswith(suffix))
