"""Compares the offline plans of two revisions: what a change adds, removes and replaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .stateful import forcing_keys, is_stateful, under


@dataclass(frozen=True)
class Change:
    """One resource that differs between the two plans."""

    urn: str
    type: str
    name: str
    action: str
    keys: tuple[str, ...]
    stateful: bool

    @property
    def dangerous(self) -> bool:
        return self.stateful and self.action in ("delete", "replace")


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Changes from the ``before`` plan JSON to the ``after`` one, by URN; a resource whose old URN is
    one of its aliases (a renamed or retyped resource) is the same resource, as the engine sees it."""
    old = {r["urn"]: r for r in before["resources"]}
    new = {r["urn"]: r for r in after["resources"]}
    was = {alias: urn for urn, r in new.items() for alias in r.get("aliases", ()) if alias in old and alias not in new}
    pairs = {urn: urn for urn in old.keys() & new.keys()} | {alias: urn for alias, urn in was.items()}
    changes = [
        Change(u, new[u]["type"], new[u]["name"], "create", (), is_stateful(new[u]))
        for u in new
        if u not in pairs.values()
    ]
    changes += [
        Change(u, old[u]["type"], old[u]["name"], "delete", (), is_stateful(old[u])) for u in old if u not in pairs
    ]
    for urn_before, urn_after in pairs.items():
        keys = _changed_keys(old[urn_before]["inputs"], new[urn_after]["inputs"])
        if keys:
            forcing = forcing_keys(old[urn_before]["type"])
            action = "replace" if any(under(k, forcing) for k in keys) else "update"
            entry = old[urn_before]
            changes.append(Change(urn_after, entry["type"], new[urn_after]["name"], action, keys, is_stateful(entry)))
    order = {"delete": 0, "replace": 1, "update": 2, "create": 3}
    return sorted(changes, key=lambda c: (not c.dangerous, order[c.action], c.urn))


def _changed_keys(old: Any, new: Any, prefix: str = "") -> tuple[str, ...]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys: list[str] = []
        for key in sorted(old.keys() | new.keys()):
            keys += _changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return tuple(keys)
    return (prefix.rstrip("."),) if old != new else ()


def markdown(stack: str, ref: str, changes: list[Change]) -> str:
    """The PR comment: a summary line, dangerous changes first, then a table of every change."""
    tally = {a: sum(1 for c in changes if c.action == a) for a in ("create", "update", "replace", "delete")}
    lines = [f"### Persistent Chat plan diff: stack `{stack}` against `{ref}`", ""]
    if not changes:
        return "\n".join([*lines, "No changes."]) + "\n"
    lines.append(" · ".join(f"{n} to {a}" for a, n in tally.items() if n))
    danger = [c for c in changes if c.dangerous]
    if danger:
        lines += [
            "",
            f"> **Warning: {len(danger)} stateful resource(s) would be deleted or replaced. "
            "Chat history, compliance records or secrets may be lost; use `aliases` for renames.**",
        ]
    lines += ["", "| action | type | name | changed inputs |", "|---|---|---|---|"]
    for c in changes:
        mark = " ⚠" if c.dangerous else ""
        lines.append(f"| {c.action}{mark} | `{c.type}` | `{c.name}` | {', '.join(c.keys[:6]) or '-'} |")
    return "\n".join(lines) + "\n"


def plan_at(ref: str, stack: str, repo: Path) -> dict[str, Any]:
    """The plan JSON of ``stack`` at git ``ref``: its own code, in a throwaway worktree."""
    with tempfile.TemporaryDirectory(prefix="pchat-diff-") as scratch:
        tree = Path(scratch) / "tree"
        _git(repo, "worktree", "add", "--detach", str(tree), ref)
        try:
            out = Path(scratch) / "plan.json"
            env = {**os.environ, "PYTHONPATH": str(tree)}
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "lync_pchat",
                    "plan",
                    stack,
                    "--stacks-dir",
                    str(tree / "stacks"),
                    "--json",
                    str(out),
                    "--quiet",
                ],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise RuntimeError(f"planning {stack} at {ref} failed:\n{result.stderr.strip()}")
            return json.loads(out.read_text())  # type: ignore[no-any-return]
        finally:
            _git(repo, "worktree", "remove", "--force", str(tree))


def _git(repo: Path, *args: str) -> None:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {result.stderr.strip()}")
