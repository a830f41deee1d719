"""The verdict of ``pchat diff`` on its diffs, as an exit status; one definition for the CLI and the API."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .. import report
from .diff import StackDiff

STATEFUL_LOSS = 3
"""``pchat diff --fail-on-stateful``: a stateful resource would be deleted, replaced or unprotected."""
AZURE_REFUSES = 4
"""``pchat diff``: a change Azure refuses on an existing resource (``lync_pchat/offline/refusals.py``)."""


def verdict(diffs: Sequence[StackDiff], fail_on_stateful: bool) -> int:
    """Refusals by the model (1), then by Azure (4), then stateful losses (3); each reported on stderr."""
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
    losses = [f"{d.stack} ({len(d.dangerous)})" for d in diffs if d.dangerous]
    if fail_on_stateful and losses:
        what = "stateful resources would be deleted, replaced or unprotected"
        print(f"pchat: {what}: {', '.join(losses)}", file=sys.stderr)
        return STATEFUL_LOSS
    return 0
