"""Stateful and posture changes accepted on purpose: a reviewed, committed ``accepted-changes.yaml`` beside the
stack files.

    accepted:
      - urn: "urn:pulumi:lab::pchat::...$azure-native:storage:StorageAccount::pchat-amsterdam-backup-account"
        changes: [delete]          # of: delete, replace, unprotect, posture
        reason: the Amsterdam site is decommissioned; its backups were copied to Dublin
        pr: https://github.com/contoso/pchat/pull/42

The gates of ``pchat diff`` pass exactly those resources, and only for the kinds of change listed; the PR
comment shows them as accepted. An entry without a reason or a pull request is refused; an entry that
matches no change (merged and deployed, or a URN that moved) is stale and warned about: remove it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..model.config import unsafe_character
from ..stackfile import StackFileError
from .diff import StackDiff

FILE_NAME = "accepted-changes.yaml"
KINDS = ("delete", "replace", "unprotect", "posture")
"""A stateful resource deleted or replaced, its protection (``protect``, ``retainOnDelete``, a lock) removed,
a security setting weakened (:mod:`.posture`)."""
FIELDS = ("urn", "changes", "reason", "pr")


@dataclass(frozen=True)
class Acceptance:
    """One reviewed entry: this URN may change in these ways, for this reason, as accepted by this PR."""

    urn: str
    kinds: frozenset[str]
    reason: str
    pr: str

    def __str__(self) -> str:
        return f"{self.reason} ({self.pr})"


def load(path: Path) -> tuple[Acceptance, ...]:
    """The entries of ``path``; none when the file does not exist. Raises ``StackFileError`` on a file that is
    not one list of complete entries."""
    if not path.is_file():
        return ()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise StackFileError(f"{path}: not readable YAML: {error}") from None
    if document is None:
        return ()
    if not isinstance(document, dict) or set(document) != {"accepted"}:
        raise StackFileError(f"{path}: one key, accepted: a list of entries ({', '.join(FIELDS)})")
    entries = document["accepted"] or []
    if not isinstance(entries, list):
        raise StackFileError(f"{path}: accepted: a list of entries ({', '.join(FIELDS)})")
    found = tuple(_entry(path, number, entry) for number, entry in enumerate(entries, start=1))
    urns = [a.urn for a in found]
    if dupes := sorted({u for u in urns if urns.count(u) > 1}):
        raise StackFileError(f"{path}: {dupes[0]} is listed twice; list every accepted kind in one entry")
    return found


def _entry(path: Path, number: int, entry: Any) -> Acceptance:
    where = f"{path}: entry {number}"
    if not isinstance(entry, dict):
        raise StackFileError(f"{where}: a mapping of {', '.join(FIELDS)}")
    if unknown := sorted(str(k) for k in entry if k not in FIELDS):
        raise StackFileError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(FIELDS)})")
    for key in ("urn", "reason", "pr"):
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and key == "pr":
            continue
        if not isinstance(value, str) or not value.strip():
            what = "the reason this change is accepted" if key == "reason" else f"a {key}"
            raise StackFileError(f"{where}: {key}: {what} is required, refused without it")
        if (why := unsafe_character(value)) is not None:
            raise StackFileError(f"{where}: {key}: contains {why}: one line of plain text, as in the stack config")
    urn = entry["urn"]
    if not urn.startswith("urn:pulumi:"):
        raise StackFileError(f"{where}: urn: a Pulumi URN (urn:pulumi:<stack>::<project>::...), not {urn!r}")
    kinds = entry.get("changes")
    if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
        raise StackFileError(f"{where}: changes: a non-empty list of {', '.join(KINDS)}")
    pr = entry["pr"]
    return Acceptance(urn, frozenset(kinds), entry["reason"].strip(), f"#{pr}" if isinstance(pr, int) else pr)


def apply(diffs: Sequence[StackDiff], accepted: Sequence[Acceptance]) -> tuple[list[StackDiff], list[str]]:
    """The diffs with each listed change marked accepted for its listed kinds, and one warning per stale
    entry of a stack in ``diffs``: a listed kind its URN does not undergo."""
    by_urn = {a.urn: a for a in accepted}
    seen: dict[str, frozenset[str]] = {}
    out = []
    for diff in diffs:
        changes = []
        for change in diff.changes:
            entry = by_urn.get(change.urn)
            if entry is not None and entry.kinds & change.kinds:
                seen[entry.urn] = entry.kinds & change.kinds
                changes.append(dataclasses.replace(change, accepted=seen[entry.urn], acceptance=str(entry)))
            else:
                changes.append(change)
        out.append(dataclasses.replace(diff, changes=tuple(changes)))
    stacks = {d.stack for d in diffs}
    stale = [
        f"{FILE_NAME}: stale entry {a.urn}: no {', '.join(sorted(unused))} in this diff; remove it"
        for a in accepted
        if stack_of(a.urn) in stacks and (unused := a.kinds - seen.get(a.urn, frozenset()))
    ]
    return out, stale


def stack_of(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::...`` -> ``<stack>``."""
    return urn.removeprefix("urn:pulumi:").split("::", 1)[0]
