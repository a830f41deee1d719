"""The error a Pulumi program raises for an unsupported topology."""

from __future__ import annotations

import pulumi


class TopologyConfigError(pulumi.RunError):
    """``pchat:topology`` is not a supported topology.

    A ``RunError``: the Pulumi CLI prints the message, one problem per line, and no traceback.
    """
