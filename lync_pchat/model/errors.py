"""Config problems, reported all at once with their config path and source."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

_PLAIN = re.compile(r"[\w:\[\]-]+")
LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
"""Every character ``str.splitlines`` breaks a line on."""


_URL_QUERY = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s?#'\"]*)\?[^\s#'\"]*")
_SECRET_PAIR = re.compile(
    r"(?i)\b(sig|signature|password|passwd|pwd|secret|token|accountkey|sharedaccesskey)=[^&;\s'\"]+"
)
HIDDEN = "<hidden>"


def redact(text: str) -> str:
    """``text`` without what could be a secret: a URL's query (a SAS token: ``?sv=...&sig=...``) and any
    ``sig=``, ``password=``, ``token=``, ``AccountKey=`` value. Every config problem passes through it, as
    the PR diff posts them as comments."""
    return _SECRET_PAIR.sub(rf"\1={HIDDEN}", _URL_QUERY.sub(rf"\1?{HIDDEN}", text))


def segment(part: object) -> str:
    """A config path segment as typed, or JSON-quoted when it holds anything but a plain name; a quoted
    segment escapes every line break, so a problem stays one line."""
    text = str(part)
    if _PLAIN.fullmatch(text):
        return text
    return LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


@dataclass(frozen=True, order=True)
class Problem:
    """One violated rule: where in ``pchat:topology`` and why."""

    path: str
    message: str
    source: str | None = None

    def __str__(self) -> str:
        cited = f" [{self.source}]" if self.source else ""
        return redact(f"{self.path}: {self.message}{cited}")


class TopologyError(ValueError):
    """The topology cannot be deployed; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(render(self.problems))


def render(problems: tuple[Problem, ...]) -> str:
    """The message an admin reads: a header, then one problem per line."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    lines = [f"pchat:topology is not a supported Persistent Chat topology ({count} {noun}):"]
    lines += [f"  - {problem}" for problem in problems]
    return "\n".join(lines)
