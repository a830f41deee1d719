"""The registered resource graph as plain data: types, names, URNs, inputs and options."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from google.protobuf.json_format import MessageToDict

from .engine import STACK, RecordingMonitor, run

SECRET_SIG = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270")
MASK = "[secret]"


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

    @property
    def parent_name(self) -> str:
        return self.parent.rsplit("::", 1)[-1]

    def depends_on(self, other: Resource) -> bool:
        return other.urn in self.dependencies

    def masked_inputs(self) -> dict[str, Any]:
        """Inputs with every secret value replaced by ``[secret]``."""
        return mask(self.inputs)  # type: ignore[no-any-return]


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG[0]) == SECRET_SIG[1]


def reveal(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def mask(value: Any) -> Any:
    if is_secret(value):
        return MASK
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def flatten(monitor: RecordingMonitor) -> list[Resource]:
    """Every resource the monitor saw, in registration order."""
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
            dependencies=tuple(r.dependencies),
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
