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

STATEFUL_TYPES = frozenset(
    {
        "azure-native:compute:Disk",
        "azure-native:keyvault:Vault",
        "azure-native:sqlvirtualmachine:SqlVirtualMachine",
    }
)
"""Resources whose loss loses data: chat history, compliance records, secrets."""
POOL_ROLES = ("active", "standby")
VM = "azure-native:compute:VirtualMachine"
REPLACE_KEYS: Mapping[str, tuple[str, ...]] = {
    "*": ("location", "resourceGroupName"),
    "azure-native:compute:VirtualMachine": (
        "vmName",
        "osProfile.computerName",
        "osProfile.adminUsername",
        "storageProfile.imageReference",
        "availabilitySet",
    ),
    "azure-native:compute:Disk": ("diskName", "creationData"),
    "azure-native:keyvault:Vault": ("vaultName",),
    "azure-native:sqlvirtualmachine:SqlVirtualMachine": ("sqlVirtualMachineName", "virtualMachineResourceId"),
    "azure-native:network:NetworkInterface": ("networkInterfaceName",),
    "azure-native:network:VirtualNetwork": ("virtualNetworkName",),
    "azure-native:network:Subnet": ("subnetName", "virtualNetworkName"),
    "azure-native:resources:ResourceGroup": ("resourceGroupName",),
}
"""Inputs whose change makes Azure replace the resource (an offline estimate of the provider's diff)."""


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


def stateful(entry: Mapping[str, Any]) -> bool:
    """Disks, vaults, SQL registrations, VMs holding databases, and anything protected."""
    if entry["type"] in STATEFUL_TYPES or entry.get("protect"):
        return True
    role = entry.get("inputs", {}).get("tags", {}).get("pchat-role")
    return entry["type"] == VM and role not in POOL_ROLES


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Changes from the ``before`` plan JSON to the ``after`` one, by URN."""
    old = {r["urn"]: r for r in before["resources"]}
    new = {r["urn"]: r for r in after["resources"]}
    changes = [Change(u, new[u]["type"], new[u]["name"], "create", (), stateful(new[u])) for u in new if u not in old]
    changes += [Change(u, old[u]["type"], old[u]["name"], "delete", (), stateful(old[u])) for u in old if u not in new]
    for urn in old.keys() & new.keys():
        keys = _changed_keys(old[urn]["inputs"], new[urn]["inputs"])
        if keys:
            forcing = REPLACE_KEYS["*"] + REPLACE_KEYS.get(old[urn]["type"], ())
            action = "replace" if any(_under(k, forcing) for k in keys) else "update"
            changes.append(Change(urn, old[urn]["type"], old[urn]["name"], action, keys, stateful(old[urn])))
    order = {"delete": 0, "replace": 1, "update": 2, "create": 3}
    return sorted(changes, key=lambda c: (not c.dangerous, order[c.action], c.urn))


def _changed_keys(old: Any, new: Any, prefix: str = "") -> tuple[str, ...]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys: list[str] = []
        for key in sorted(old.keys() | new.keys()):
            keys += _changed_keys(old.get(key), new.get(key), f"{prefix}{key}.")
        return tuple(keys)
    return (prefix.rstrip("."),) if old != new else ()


def _under(key: str, roots: tuple[str, ...]) -> bool:
    return any(key == root or key.startswith(root + ".") for root in roots)


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
