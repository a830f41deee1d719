"""What every check shares: options, stack records, type and tag helpers, source keys.

Checks read props through ``Mapping``/``Sequence`` only, so they work on plain dicts and on
pulumi_policy's unknown-checking proxies alike. Nothing here imports Pulumi.

A value not known during a preview raises the SDK's ``UnknownValueError`` when a check reads it
with ``[]``, ``get`` or :func:`lookup`, and the SDK then reports that the whole policy could not
run (an advisory). :func:`read` instead returns :data:`UNKNOWN`, so a stack check can go on with
the other resources: recognition reads everything through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..model import Role
from ..model import resource_types as rt
from ..model import sources as src
from ..model.tags import ROLE_TAG
from ..wire import is_secret, is_unknown

__all__ = ["ROLE_TAG", "is_secret"]

VM = rt.VM

HARDWARE = src.HARDWARE
CAPACITY = src.CAPACITY
REQUIRED_RESOURCES = src.REQUIRED_RESOURCES
SYSTEM_PLATFORMS = src.SYSTEM_PLATFORMS
STRETCHED_POOL = src.STRETCHED_POOL
PORTS = src.PORTS
AZURE_SIZES = src.AZURE_SIZES
BACKUP = src.BACKING_UP
EXTENSIONS = src.CUSTOM_SCRIPT


@dataclass(frozen=True)
class CheckOptions:
    """What a resource check sees besides the type and props."""

    protect: bool = False
    """The resource option ``protect``."""
    config: Mapping[str, Any] = field(default_factory=dict)
    """The policy's config (``managementCidr``)."""
    wire_props: Mapping[str, Any] | None = None
    """The props with their secret markers, when the caller has them (offline only: the policy
    SDK strips the markers before a policy runs)."""


@dataclass(frozen=True)
class StackResource:
    """One resource of the stack as a stack check sees it."""

    type: str
    name: str
    props: Mapping[str, Any]
    protect: bool = False
    urn: str = ""
    parent: str = ""
    """The URN of the parent resource or component (empty: none, or the stack)."""


class Violation(NamedTuple):
    """A stack check's finding; ``urn`` names the resource at fault (empty: the stack)."""

    message: str
    urn: str = ""


ResourceCheck = Callable[[str, Mapping[str, Any], CheckOptions], list[str]]
StackCheck = Callable[[Sequence[StackResource], Mapping[str, Any]], list[Violation]]


def kind(resource_type: str) -> str:
    """An azure-native type token, API version dropped (as :mod:`lync_pchat.model.resource_types` names them);
    else the token."""
    return rt.unversioned(resource_type)


def lookup(props: Any, path: str) -> Any:
    """The value at a dotted path, or None."""
    value = props
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


class Unknown:
    """The type of :data:`UNKNOWN`."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()
"""What :func:`read` returns for a value not known during a preview."""
UNKNOWN_ERROR = "UnknownValueError"
"""The class name of the policy SDK's error for reading an unknown value (the SDK is not imported here)."""


def _get(value: Mapping[str, Any], key: str) -> Any:
    try:
        return value.get(key)
    except Exception as error:
        if type(error).__name__ != UNKNOWN_ERROR:
            raise
        return UNKNOWN


def read(props: Any, path: str) -> Any:
    """The value at a dotted path: None when it is missing, :data:`UNKNOWN` when it is not known yet
    (a preview); never raises for an unknown value."""
    value = props
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = _get(value, part)
        if value is UNKNOWN or is_unknown(value):
            return UNKNOWN
    return value


def text(props: Any, path: str) -> str | None:
    """The string at a dotted path; None when it is missing, unknown or not a string."""
    value = read(props, path)
    return value if isinstance(value, str) else None


def items(value: Any) -> list[Any]:
    """A list value's elements; nothing for anything else."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return []


def mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in items(value) if isinstance(item, Mapping)]


def role_of(props: Mapping[str, Any]) -> Role | None:
    """The ``pchat-role`` tag as a server role: a hint only. None when missing, unknown or no role."""
    value = text(props, f"tags.{ROLE_TAG}")
    try:
        return Role(value) if value is not None else None
    except ValueError:
        return None


def region(value: Any) -> str:
    """An Azure location in its ARM form: ``North Europe`` -> ``northeurope``."""
    return str(value or "").replace(" ", "").lower()
