"""The URNs of every shipped stack, compared to the committed snapshot ``snapshots/<stack>.urns.txt``.

A URN is a resource's identity in the Pulumi state: its stack, project, the types of its parents,
its type and its name. When it changes, ``pulumi up`` deletes the old resource and creates a new one:
for a SQL Server VM, its disks or the key vault, that is data loss.
"""

from __future__ import annotations

import os

import pytest

from lync_pchat import stackfile

from .update_snapshots import snapshot_path, urns, write

UPDATE = "PCHAT_UPDATE_SNAPSHOTS"

HOW_TO = f"""
A changed URN makes Pulumi DELETE the old resource and CREATE a new one (for a SQL Server VM, a data
disk or the key vault: data loss). If you renamed a resource or moved it to another parent on purpose,
keep the deployed one by adding an alias to the new resource, for example:

    opts=child(self, aliases=[pulumi.Alias(name="<old name>")])            # renamed
    opts=child(self, aliases=[pulumi.Alias(parent=<old parent resource>)])  # moved to another parent
    opts=child(self, aliases=["<old URN>"])                                 # anything else

then check that `pchat diff` shows updates, not replacements. When the new URNs are intended (a new
resource, or a project with nothing deployed yet), regenerate the snapshot and commit it:

    {UPDATE}=1 .venv/bin/python -m pytest tests/stacks/test_urn_snapshots.py
    .venv/bin/python -m tests.stacks.update_snapshots [stack ...]
"""


@pytest.mark.parametrize("stack", stackfile.stack_names())
def test_urns_match_the_snapshot(stack: str) -> None:
    if os.environ.get(UPDATE) == "1":
        write(stack)
    path = snapshot_path(stack)
    assert path.exists(), f"no URN snapshot for stack {stack!r}: run with {UPDATE}=1 to write {path}"
    committed = path.read_text(encoding="utf-8").splitlines()
    current = urns(stack)
    if current != committed:
        gone = sorted(set(committed) - set(current))
        new = sorted(set(current) - set(committed))
        pytest.fail(
            f"the URNs of stack {stack!r} differ from {path.name}:\n"
            + "".join(f"  - {urn}  (would be deleted or replaced)\n" for urn in gone)
            + "".join(f"  + {urn}\n" for urn in new)
            + HOW_TO,
            pytrace=False,
        )


def test_snapshots_are_sorted_and_unique() -> None:
    for stack in stackfile.stack_names():
        lines = snapshot_path(stack).read_text(encoding="utf-8").splitlines()
        assert lines == sorted(set(lines)), stack
