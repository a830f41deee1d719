"""Rewrite the committed URN snapshots of the shipped stacks, after an intended change of URNs.

    .venv/bin/python -m tests.stacks.update_snapshots            # every shipped stack
    .venv/bin/python -m tests.stacks.update_snapshots single lab # some
    PCHAT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/stacks/test_urn_snapshots.py  # the same, from pytest

Review the diff before committing it: a URN that disappears is a resource Pulumi deletes or replaces.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lync_pchat import stackfile

from ..pulumi.stacks import stack_graph

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def snapshot_path(stack: str) -> Path:
    return SNAPSHOTS / f"{stack}.urns.txt"


def urns(stack: str) -> list[str]:
    """The sorted URNs the program registers for a shipped stack."""
    return sorted(r.urn for r in stack_graph(stack))


def write(stack: str) -> Path:
    path = snapshot_path(stack)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{urn}\n" for urn in urns(stack)), encoding="utf-8")
    return path


def main(stacks: list[str]) -> int:
    for stack in stacks or stackfile.stack_names():
        print(f"wrote {write(stack)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
