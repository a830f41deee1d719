"""Secret values as the Pulumi engine carries them: ``{SIGNATURE_KEY: SECRET, "value": ...}``,
and the sentinels that stand for values not known during a preview.

The mock engine records inputs in this form, and the offline policy route reads it, so both
find secrets the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
MASK = "[secret]"
UNKNOWN_VALUES = frozenset(
    {
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (also the engine's plain unknown)
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)
"""What the engine sends for a value that is computed from an output not known yet (a preview)."""


def is_secret(value: Any) -> bool:
    """Whether ``value`` is a secret in the wire format."""
    return isinstance(value, Mapping) and value.get(SIGNATURE_KEY) == SECRET


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is a sentinel for a value not known during a preview."""
    return isinstance(value, str) and value in UNKNOWN_VALUES


def reveal(value: Any) -> Any:
    """``value`` with every secret replaced by what it holds, at any depth."""
    if is_secret(value):
        return reveal(value["value"])
    if isinstance(value, Mapping):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def mask(value: Any) -> Any:
    """``value`` with every secret replaced by :data:`MASK`, at any depth."""
    if is_secret(value):
        return MASK
    if isinstance(value, Mapping):
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def walk(value: Any, path: str, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Each ``(concrete path, value)`` at a dotted ``path`` whose ``*`` parts stand for every element of a
    list, e.g. ``protectedParameters.*.value``. A secret met on the way is yielded where it is met: what it
    holds is secret as a whole."""
    if not path or is_secret(value):
        yield prefix, value
        return
    head, _, rest = path.partition(".")
    items: list[tuple[object, Any]] = []
    if head == "*" and isinstance(value, list):
        items = list(enumerate(value))
    elif isinstance(value, Mapping) and head in value:
        items = [(head, value[head])]
    for key, item in items:
        yield from walk(item, rest, f"{prefix}.{key}" if prefix else str(key))
