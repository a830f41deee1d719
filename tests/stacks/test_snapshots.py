"""Every shipped stack against its committed snapshot ``snapshots/<stack>.json``: its URNs, and per
stateful resource the inputs that make Azure replace it.

A URN is a resource's identity in the Pulumi state (stack, project, the types of its parents, its type
and name). When it disappears, ``pulumi up`` deletes the resource; when a replacement-forcing input of a
disk, a SQL Server VM, a SQL registration, the key vault or a data resource group changes, Azure
replaces it: for those, that is data loss. The first release's URNs stay in
``snapshots/<stack>.first-release.urns.txt``: stacks deployed with it keep every resource.
"""

from __future__ import annotations

import json
import os

import pytest

from lync_pchat import stackfile

from ..pulumi.stacks import stack_graph
from .update_snapshots import dumps, first_release_path, snapshot, snapshot_path, write

UPDATE = "PCHAT_UPDATE_SNAPSHOTS"
STACKS = stackfile.stack_names()

HOW_TO = f"""
A URN that disappears makes Pulumi DELETE the resource; a changed replacement-forcing input makes Azure
REPLACE it (for a SQL Server VM, a data disk or the key vault: data loss). If you renamed or moved a
resource on purpose, keep the deployed one with an alias on the new resource, for example:

    opts=child(self, aliases=[pulumi.Alias(name="<old name>")])            # renamed
    opts=child(self, aliases=[pulumi.Alias(parent=<old parent resource>)])  # moved to another parent

then check that `pchat diff --fail-on-stateful` passes. When the change is intended and safe (a new
resource, an alias in place), regenerate the snapshot and commit it:

    {UPDATE}=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py
"""


def kept(urn: str, stack: str) -> bool:
    """Whether a resource with this URN is still in the stack, under it or under an alias."""
    return any(r.urn == urn or urn in r.aliases for r in stack_graph(stack))


@pytest.mark.parametrize("stack", STACKS)
def test_stack_matches_its_snapshot(stack: str) -> None:
    if os.environ.get(UPDATE) == "1":
        write(stack)
    path = snapshot_path(stack)
    assert path.exists(), f"no snapshot for stack {stack!r}: run with {UPDATE}=1 to write {path}"
    committed = json.loads(path.read_text(encoding="utf-8"))
    current = snapshot(stack)
    problems = [f"  - {urn}  (would be DELETED)" for urn in committed["urns"] if not kept(urn, stack)]
    by_alias = {alias: r.urn for r in stack_graph(stack) for alias in r.aliases}
    for urn, inputs in committed["stateful"].items():
        now = current["stateful"].get(by_alias.get(urn, urn))
        if now is not None and now != inputs:
            changed = sorted(k for k in inputs.keys() | now.keys() if inputs.get(k) != now.get(k))
            problems.append(f"  - {urn}  (would be REPLACED: {', '.join(changed)} changed)")
    if problems:
        pytest.fail(f"stack {stack!r} against {path.name}:\n" + "\n".join(problems) + HOW_TO, pytrace=False)
    if dumps(current) != path.read_text(encoding="utf-8"):
        added = sorted(set(current["urns"]) - set(committed["urns"]))
        pytest.fail(
            f"stack {stack!r} differs from {path.name} without losing a resource"
            + "".join(f"\n  + {urn}" for urn in added)
            + f"\nreview it, then {UPDATE}=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py",
            pytrace=False,
        )


FIRST_RELEASE = ["enterprise", "lab", "residency", "single"]
"""The stacks the first release shipped (later stacks were never deployed with its URNs)."""


@pytest.mark.parametrize("stack", FIRST_RELEASE)
def test_stacks_of_the_first_release_keep_every_resource(stack: str) -> None:
    """Aliases carry every URN the first release deployed (types ``pchat:index:*``) to the current one."""
    first = first_release_path(stack).read_text(encoding="utf-8").splitlines()
    assert first
    assert [urn for urn in first if not kept(urn, stack)] == []


def test_every_stateful_resource_has_its_forcing_inputs() -> None:
    data = snapshot("enterprise")["stateful"]
    disk = next(v for k, v in data.items() if k.endswith("compute:Disk::pchat01-sql-data"))
    assert disk == {
        "creationData": {"createOption": "Empty"},
        "diskName": "pchat01-sql-data",
        "location": "northeurope",
        "resourceGroupName": "rg-pchat-enterprise-dublin-data",
    }
    vm = next(v for k, v in data.items() if k.endswith("compute:VirtualMachine::pchat01-sql-vm"))
    assert vm["storageProfile.imageReference"] == {
        "offer": "SQL2014SP3-WS2012R2",
        "publisher": "MicrosoftSQLServer",
        "sku": "Enterprise",
        "version": "latest",
    }
    assert not [k for k in data if k.endswith("VirtualMachine::pchat01-a1-vm")]
