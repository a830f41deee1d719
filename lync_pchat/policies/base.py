"""What every check shares: options, stack records, type and tag helpers, source keys.

Checks read props through ``Mapping``/``Sequence`` only, so they work on plain dicts and on
pulumi_policy's unknown-checking proxies alike. Nothing here imports Pulumi.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..model import Role
from ..model import sources as src
from ..model.tags import POOL_TAG, ROLE_TAG, SITE_TAG
from ..wire import is_secret

__all__ = ["POOL_TAG", "ROLE_TAG", "SITE_TAG", "is_secret"]

VM = "compute:VirtualMachine"

HARDWARE = src.HARDWARE
CAPACITY = src.CAPACITY
REQUIRED_RESOURCES = src.REQUIRED_RESOURCES
SYSTEM_PLATFORMS = src.SYSTEM_PLATFORMS
PORTS = src.PORTS
AZURE_SIZES = src.AZURE_SIZES
BACKUP = "L:lync-server-2013-backing-up-persistent-chat-databases"
EXTENSIONS = "AZ:extensions/custom-script-windows.md"


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


class Violation(NamedTuple):
    """A stack check's finding; ``urn`` names the resource at fault (empty: the stack)."""

    message: str
    urn: str = ""


ResourceCheck = Callable[[str, Mapping[str, Any], CheckOptions], list[str]]
StackCheck = Callable[[Sequence[StackResource], Mapping[str, Any]], list[Violation]]


def kind(resource_type: str) -> str:
    """``module:Type`` of an azure-native type token, API version dropped; else the token."""
    parts = resource_type.split(":")
    if len(parts) == 3 and parts[0] == "azure-native":
        return f"{parts[1].split('/')[0]}:{parts[2]}"
    return resource_type


def lookup(props: Any, path: str) -> Any:
    """The value at a dotted path, or None."""
    value = props
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def items(value: Any) -> list[Any]:
    """A list value's elements; nothing for anything else."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return []


def mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in items(value) if isinstance(item, Mapping)]


def tags(props: Mapping[str, Any]) -> Mapping[str, Any]:
    value = props.get("tags")
    return value if isinstance(value, Mapping) else {}


def role_of(props: Mapping[str, Any]) -> Role | None:
    """The ``pchat-role`` tag as a server role; None for other resources and unknown roles."""
    value = tags(props).get(ROLE_TAG)
    try:
        return Role(str(value))
    except ValueError:
        return None


def region(value: Any) -> str:
    """An Azure location in its ARM form: ``North Europe`` -> ``northeurope``."""
    return str(value or "").replace(" ", "").lower()
