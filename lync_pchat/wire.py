"""Secret values as the Pulumi engine carries them: ``{SIGNATURE_KEY: SECRET, "value": ...}``.

The mock engine records inputs in this form, and the offline policy route reads it, so both
find secrets the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
MASK = "[secret]"


def is_secret(value: Any) -> bool:
    """Whether ``value`` is a secret in the wire format."""
    return isinstance(value, Mapping) and value.get(SIGNATURE_KEY) == SECRET


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
