"""The verdict of ``pchat diff`` on its diffs, as an exit status; one definition for the CLI and the API."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from .. import report
from .diff import StackDiff

STATEFUL_LOSS = 3
"""``pchat diff --fail-on-stateful``: a stateful resource would be deleted, replaced or unprotected."""
AZURE_REFUSES = 4
"""``pchat diff``: a change Azure refuses on an existing resource (``lync_pchat/offline/refusals.py``)."""
POSTURE_WEAKENED = 5
"""``pchat diff --fail-on-posture`` (or ``--fail-on-stateful``): a security setting of a data or security
resource would be weakened (``lync_pchat/offline/posture.py``)."""
LOSSES = frozenset({"delete", "replace", "unprotect"})
POSTURE = frozenset({"posture"})


@dataclass(frozen=True)
class Gates:
    """Which gates fail the diff: stateful losses (``--fail-on-stateful``, which includes the posture gate)
    and weakened security settings (``--fail-on-posture``)."""

    stateful: bool = False
    posture: bool = False

    @property
    def kinds(self) -> frozenset[str]:
        """The change kinds (:attr:`.diff.Change.kinds`) that fail these gates unless accepted."""
        return (LOSSES | POSTURE if self.stateful else frozenset()) | (POSTURE if self.posture else frozenset())


NO_GATES = Gates()


def verdict(diffs: Sequence[StackDiff], fail_on_stateful: bool = False, fail_on_posture: bool = False) -> int:
    """Refusals by the model (1), then by Azure (4), then stateful losses (3), then weakened security settings
    (5); each reported on stderr. Changes accepted in ``accepted-changes.yaml`` pass (:mod:`.accepted`)."""
    refused = [d for d in diffs if d.status == "refused"]
    for diff in refused:
        first, *rest = diff.problems
        print(report.link_sources("\n".join([f"error: stack '{diff.stack}' {first}", *rest])), file=sys.stderr)
    if refused:
        return 1
    azure = [f"{d.stack} ({len(d.refused)})" for d in diffs if d.refused]
    if azure:
        print(f"pchat: Azure refuses changes to existing resources: {', '.join(azure)}", file=sys.stderr)
        return AZURE_REFUSES
    kinds = Gates(fail_on_stateful, fail_on_posture).kinds
    losses = [f"{d.stack} ({n})" for d in diffs if (n := sum(c.blocks(kinds & LOSSES) for c in d.changes))]
    if losses:
        what = "stateful resources would be deleted, replaced or unprotected"
        print(f"pchat: {what}: {', '.join(losses)}", file=sys.stderr)
        return STATEFUL_LOSS
    weakened = [(d.stack, c) for d in diffs for c in d.changes if c.blocks(kinds & POSTURE)]
    for stack, change in weakened:
        for why in change.posture:
            print(f"error: stack '{stack}' resource {change.name}: {why}", file=sys.stderr)
    if weakened:
        where = sorted({stack for stack, _ in weakened})
        print(f"pchat: security settings would be weakened: {', '.join(where)}", file=sys.stderr)
        return POSTURE_WEAKENED
    return 0
