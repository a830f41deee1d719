"""The PowerShell data literal: the one way a script takes values, as ``$cfg = @{...}`` (see
:mod:`.renderer`).

Every string becomes one single-quoted literal through :func:`.quoting.powershell`; nothing else of the plan
reaches a script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from . import quoting

Value: TypeAlias = "str | int | bool | Sequence[Value] | Mapping[str, Value] | None"
"""What a setting holds: text, a number, a flag, nothing, a list or a map of them."""

_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_INDENT = "    "
_SHORT = 100


def powershell(value: Value, depth: int = 0) -> str:
    """A PowerShell expression for ``value``: a quoted literal, ``$true``/``$false``/``$null``, a number,
    ``@(...)`` or ``@{...}`` (one entry per line)."""
    if value is None:
        return "$null"
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quoting.powershell(value)
    if isinstance(value, Mapping):
        return _hashtable(value, depth)
    return _array(value, depth)


def _hashtable(value: Mapping[str, Value], depth: int) -> str:
    """One line when it holds only scalars and stays short, else one entry per line. PowerShell's keys ignore
    case, so two names may not differ only in case."""
    if len({key.lower() for key in value}) != len(value):
        raise ValueError(f"setting names differ only in case: {sorted(value)}")
    entries = []
    for key, item in value.items():
        if not _KEY.fullmatch(key):
            raise ValueError(f"{key!r} is not a plain setting name")
        entries.append(f"{key} = {powershell(item, depth + 1)}")
    line = "@{ " + "; ".join(entries) + " }"
    if all(_scalar(v) for v in value.values()) and len(line) <= _SHORT:
        return line
    inner = _INDENT * (depth + 1)
    return "@{\n" + "".join(f"{inner}{entry}\n" for entry in entries) + _INDENT * depth + "}"


def _scalar(value: Value) -> bool:
    return isinstance(value, str) or not isinstance(value, Mapping | Sequence)


def _array(value: Sequence[Value], depth: int) -> str:
    items = list(value)
    if all(_scalar(item) for item in items):
        return "@(" + ", ".join(powershell(item, depth) for item in items) + ")"
    inner = _INDENT * (depth + 1)
    lines = [inner + powershell(item, depth + 1) for item in items]
    return "@(\n" + "\n".join(lines) + "\n" + _INDENT * depth + ")"
