"""Rewrite the committed snapshots of the shipped stacks, after an intended change.

    .venv/bin/python -m tests.stacks.update_snapshots            # every shipped stack
    .venv/bin/python -m tests.stacks.update_snapshots single lab # some
    PCHAT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py  # the same, from pytest

A snapshot holds every URN of the stack and, per stateful resource, the inputs that make Azure replace
it (``lync_pchat.offline.stateful``). Review its diff before committing it: a URN that disappears is a
resource Pulumi deletes, a changed input of a stateful resource is one it replaces.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from lync_pchat import stackfile
from lync_pchat.offline.stateful import is_stateful, replace_inputs

from ..pulumi.stacks import stack_graph

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def snapshot_path(stack: str) -> Path:
    return SNAPSHOTS / f"{stack}.json"


def first_release_path(stack: str) -> Path:
    """The URNs the first release registered for a stack: deployed stacks hold them."""
    return SNAPSHOTS / f"{stack}.first-release.urns.txt"


def snapshot(stack: str) -> dict[str, Any]:
    """The URNs of a shipped stack and the replacement-forcing inputs of its stateful resources."""
    graph = sorted(stack_graph(stack), key=lambda r: r.urn)
    stateful = {
        r.urn: replace_inputs(r.type, r.masked_inputs())
        for r in graph
        if r.custom and is_stateful({"type": r.type, "protect": r.protect, "inputs": r.inputs})
    }
    return {"urns": [r.urn for r in graph], "stateful": stateful}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def write(stack: str) -> Path:
    path = snapshot_path(stack)
    path.write_text(dumps(snapshot(stack)), encoding="utf-8")
    return path


def main(stacks: list[str]) -> int:
    for stack in stacks or stackfile.stack_names():
        print(f"wrote {write(stack)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
