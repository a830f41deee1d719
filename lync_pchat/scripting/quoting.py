"""The one way each generated language quotes a value: PowerShell and T-SQL string literals.

Every value that comes from the stack config and lands in a script, a runbook or a bootstrap goes
through one of these, so it stays one literal whatever it holds (quotes, ``$``, ``;``, brackets).
The model refuses line breaks and control characters before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable

POWERSHELL_QUOTES = "'\u2018\u2019\u201a\u201b"
"""Characters PowerShell reads as a single quote: the ASCII one and the typographic ones (U+2018 to
U+201B), as its tokenizer and ``CodeGeneration.EscapeSingleQuotedStringContent`` treat them."""


def powershell(text: str) -> str:
    """A PowerShell single-quoted string literal: no expansion of ``$`` or backticks; each quote
    character doubled."""
    return "'" + "".join(c + c if c in POWERSHELL_QUOTES else c for c in text) + "'"


def powershell_list(items: Iterable[str]) -> str:
    """A comma-separated list of PowerShell literals (an array argument)."""
    return ", ".join(powershell(item) for item in items)


def tsql(text: str) -> str:
    """A T-SQL Unicode string literal ``N'...'`` with each quote doubled."""
    return "N'" + text.replace("'", "''") + "'"


def tsql_name(name: str) -> str:
    """A T-SQL delimited identifier ``[...]`` with each closing bracket doubled."""
    return "[" + name.replace("]", "]]") + "]"
