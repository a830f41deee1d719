"""Why a runbook cannot be rendered for a topology."""

from __future__ import annotations


class RunbookNotApplicable(ValueError):
    """The runbook does not apply to this topology, e.g. failover without a standby site."""
