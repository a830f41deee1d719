"""Day-2 runbooks (PowerShell and T-SQL) rendered from a stack's plan. Pure: imports no Pulumi.

``render(plan, "failover")`` returns ``{"failover-pchat01.ps1": "..."}``; ``write`` puts the files in a folder.
"""

from __future__ import annotations

from .errors import RunbookNotApplicable
from .files import render, write
from .index import RUNBOOKS, Runbook

__all__ = ["RUNBOOKS", "Runbook", "RunbookNotApplicable", "render", "write"]
