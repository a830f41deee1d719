"""Bounds on the raw ``pchat:topology`` value, checked before the model reads it, and its JSON form.

Whatever reads the config (a stack file here, the JSON the Pulumi engine hands the program, a Python
dict from a program that embeds the component), the value is first walked without recursion and
refused, one line per problem, when it nests too deep, holds too many values, an integer beyond ARM's
32-bit integers, a string longer than any value the model takes, or is too large in total. Only then is
it turned into JSON, which the model validates in strict mode: the same path for every reader, and no
string is ever coerced into a number or a boolean.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from .errors import Problem, segment

MAX_DEPTH = 12
"""Maps and lists inside each other; the contract's deepest value (a category member) is at depth 6."""
MAX_VALUES = 20_000
"""Keys, values and list items in the whole topology; the largest shipped stack has a few hundred."""
MAX_INT = 2**31 - 1
"""ARM's integers (disk sizes, ports, counts) are 32-bit; no setting of the contract is larger."""
MAX_TEXT = 1_024
"""Characters in one string or key. The longest values the contract takes are ARM ids and URLs (a blob URL
is at most 259 characters [SQL:backup-to-url]); every string may reach a script the bootstrap command
carries, which cmd.exe bounds at 8,191 characters (:data:`lync_pchat.bootstrap.MAX_COMMAND`)."""
MAX_BYTES = 256 * 1024
"""The topology as JSON; the largest shipped stack is under 4 KB."""


def problems(raw: object) -> list[Problem]:
    """Every bound ``raw`` breaks, each with its config path; empty when it is within them all."""
    found: list[Problem] = []
    size = 0
    count = 0
    pending: list[tuple[tuple[str, ...], object, int]] = [((), raw, 0)]
    while pending:
        path, value, depth = pending.pop()
        count += 1
        if count > MAX_VALUES:
            return [*found, Problem("pchat:topology", f"holds more than {MAX_VALUES:,} values")][:20]
        where = ".".join(path) or "pchat:topology"
        problem, weight = _check(value, depth)
        size += weight
        if problem is not None:
            found.append(Problem(where, problem))
            continue
        if isinstance(value, Mapping):
            for key, item in value.items():
                wrong = _key_problem(key)
                if wrong is not None:
                    found.append(Problem(where, wrong))
                    continue
                size += len(str(key)) + 3
                pending.append(((*path, segment(key)[:80]), item, depth + 1))
        elif isinstance(value, list | tuple):
            pending.extend(((*path, str(n)), item, depth + 1) for n, item in enumerate(value))
        if size > MAX_BYTES:
            return [*found, Problem("pchat:topology", f"is larger than {MAX_BYTES // 1024} KB")][:20]
    return sorted(found)[:20]


def _key_problem(key: object) -> str | None:
    """Why ``key`` cannot be a map key of the config: JSON keys are strings (a number becomes one)."""
    if isinstance(key, str):
        return f"a key of {len(key):,} characters; at most {MAX_TEXT:,}" if len(key) > MAX_TEXT else None
    if key is None or isinstance(key, bool | float):
        return None
    if isinstance(key, int):
        return None if abs(key) <= MAX_INT else f"a key beyond {MAX_INT:,}; no setting is that large"
    return f"a {type(key).__name__} as a key: keys are names"


def _check(value: object, depth: int) -> tuple[str | None, int]:
    """Why ``value`` breaks a bound, and its weight towards :data:`MAX_BYTES`."""
    if isinstance(value, Mapping | list | tuple):
        deep = depth >= MAX_DEPTH and len(value) > 0
        return (f"nests maps and lists more than {MAX_DEPTH} deep" if deep else None), 2
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return f"a string of {len(value):,} characters; at most {MAX_TEXT:,}", 0
        return None, len(value) + 2
    if isinstance(value, bool) or value is None or isinstance(value, date):
        return None, 12
    if isinstance(value, int | float):
        return _number(value), 24
    return f"a {type(value).__name__}: a config value is text, a number, true or false, a list or a map", 0


def _number(value: float) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"
    if abs(value) <= MAX_INT or (isinstance(value, float) and not value.is_integer()):
        return None
    bits = f" ({value.bit_length()} bits)" if isinstance(value, int) else ""
    return f"a number beyond {MAX_INT:,}{bits}; no setting is that large"


def to_json(raw: object) -> str:
    """``raw`` (within :func:`problems`' bounds) as JSON: dates in ISO form, as the Pulumi engine passes them,
    and whole floats as integers, as a multi-language caller's numbers arrive (protobuf numbers are doubles)."""
    return json.dumps(_plain(raw), ensure_ascii=False, allow_nan=False)


def _plain(value: Any) -> Any:
    """A copy with JSON's own types; the depth is bounded by :data:`MAX_DEPTH`."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
