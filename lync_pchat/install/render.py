"""Renders an install script: its template, the shared helpers, and the settings as one PowerShell hashtable.

Every string of the settings becomes one single-quoted literal through :func:`lync_pchat.quoting.powershell`;
nothing else of the plan reaches a script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TypeAlias

from .. import quoting
from ..runbooks.templating import substitute

Value: TypeAlias = "str | int | bool | Sequence[Value] | Mapping[str, Value] | None"
"""What a setting holds: text, a number, a flag, nothing, a list or a map of them."""

MAX_SCRIPT = 64 * 1024
"""Each rendered script stays under 64 KB."""
HELPERS = {
    "helpers": "common.ps1",
    "media": "media.ps1",
    "protect": "protect.ps1",
    "update": "update.ps1",
    "membership": "membership.ps1",
}
"""The shared helpers, each included where a template names its placeholder."""
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_INDENT = "    "
_SHORT = 100


def template(name: str) -> str:
    return (resources.files(__package__) / "scripts" / name).read_text(encoding="utf-8")


def helpers(text: str) -> dict[str, str]:
    """Each shared helper whose placeholder ``text`` names, by placeholder."""
    return {key: template(file) for key, file in HELPERS.items() if "{{ " + key + " }}" in text}


def render(name: str, settings: Mapping[str, Value]) -> str:
    """``scripts/<name>`` with ``{{ settings }}`` as ``$cfg = @{...}`` and each shared helper it names
    (``{{ helpers }}``, ``{{ media }}``, ``{{ protect }}``, ``{{ update }}``, ``{{ membership }}``)."""
    text = template(name)
    script = substitute(text, {"settings": "$cfg = " + powershell(settings)} | helpers(text), name)
    size = len(script.encode("utf-8"))
    if size >= MAX_SCRIPT:
        raise ValueError(f"{name} renders to {size} bytes, over the {MAX_SCRIPT}-byte limit")
    return script


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
