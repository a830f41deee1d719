"""The registered resource graph as plain data, for assertions on types, names, inputs, options."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from google.protobuf.json_format import MessageToDict

from lync_pchat import stackfile

from .mocks import run

SECRET_SIG = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270")


@dataclass(frozen=True)
class Res:
    """One RegisterResourceRequest, flattened."""

    type: str
    name: str
    parent: str
    inputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    ignore_changes: tuple[str, ...]
    dependencies: tuple[str, ...]

    @property
    def parent_name(self) -> str:
        return self.parent.rsplit("::", 1)[-1]

    def depends_on(self, other: Res) -> bool:
        return any(d.endswith(f"${other.type}::{other.name}") or d.endswith(f"::{other.type}::{other.name}")
                   for d in self.dependencies)


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG[0]) == SECRET_SIG[1]


def reveal(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def flatten(requests: Iterable[Any]) -> list[Res]:
    return [
        Res(type=r.type, name=r.name, parent=r.parent, inputs=MessageToDict(r.object),
            protect=bool(r.protect), retain_on_delete=bool(r.retainOnDelete),
            ignore_changes=tuple(r.ignoreChanges), dependencies=tuple(r.dependencies))
        for r in requests
    ]


def synthesize(program: Callable[[], Any], config: dict[str, Any] | None = None) -> list[Res]:
    """Run ``program`` under mocks; every resource it registered, in order."""
    _, monitor = run(program, config)
    return flatten(monitor.registered)


@functools.cache
def stack_graph(stack: str) -> tuple[Res, ...]:
    """The graph of a shipped stack, as ``pulumi up`` would register it (cached per session)."""
    from lync_pchat.program import run as program

    config = stackfile.load_config(stackfile.stack_path(stack))
    config.setdefault("pchat:domainJoinPassword", "Join-Secret-1")
    return tuple(synthesize(program, config))


def of_type(graph: Iterable[Res], type_: str) -> list[Res]:
    return [r for r in graph if r.type == type_]


def named(graph: Iterable[Res], name: str) -> Res:
    (found,) = [r for r in graph if r.name == name]
    return found


def children(graph: Iterable[Res], parent: str, parent_type: str = "") -> list[tuple[str, str]]:
    """Sorted (type, name) of the direct children of ``parent`` (of ``parent_type``, if given)."""
    suffix = f"{parent_type}::{parent}"
    return sorted((r.type, r.name) for r in graph if r.parent_name == parent and r.parent.endswith(suffix))
