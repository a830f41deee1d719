"""Where a runbook runs, and the reachability pre-check it starts with: every computer and TCP port the runbook's
needs (:mod:`lync_pchat.model.needs`) name, tried before any change, so that a runbook run from where it cannot
reach stops before it changes anything."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Plan
from ..model.needs import MANAGEMENT, Need
from ..model.ports import RPC_DYNAMIC
from ..scripting import quoting
from .templates import fill

TIMEOUT_MS = 5000
"""How long the pre-check waits for each TCP connection."""


def location(plan: Plan, runs_on: str = MANAGEMENT) -> str:
    """Where the runbook runs, for its header: a management host (``managementCidr``), else the server it names."""
    if runs_on != MANAGEMENT:
        return f"{plan.server(runs_on).fqdn} itself (its local SQL Server Express instance)"
    where = (
        f"in {plan.management_cidr} (managementCidr)" if plan.management_cidr else "on a Front End (no managementCidr)"
    )
    return f"a management host {where} with the administrative tools and sqlcmd.exe"


def targets(plan: Plan, needs: Iterable[Need], runs_on: str = MANAGEMENT) -> list[tuple[str, int, str]]:
    """(FQDN, TCP port, why) of each server this project builds that the needs from ``runs_on`` reach, once per
    port: UDP and the dynamic RPC range cannot be tried with a TCP connect (the endpoint mapper, 135, stands for
    WMI), and computers the project does not build are outside its NSGs."""
    keys = {s.key: s.fqdn for s in plan.servers}
    found: dict[tuple[str, int], str] = {}
    for need in needs:
        if need.runs_on != runs_on or need.target not in keys or need.port.protocol != "Tcp":
            continue
        if need.port == RPC_DYNAMIC:
            continue
        found.setdefault((keys[need.target], int(need.port.number)), need.reason)
    return [(host, port, why) for (host, port), why in sorted(found.items())]


def precheck(plan: Plan, needs: Iterable[Need], runs_on: str = MANAGEMENT) -> str:
    """The PowerShell block that tries every target and throws, naming the unreachable ones, before any change."""
    rows = targets(plan, needs, runs_on)
    if not rows:
        return "# Reachability: this runbook connects to no server of the stack."
    entries = ",\n".join(
        f"    @{{ Host = {quoting.powershell(host)}; Port = {port}; Why = {quoting.powershell(why)} }}"
        for host, port, why in rows
    )
    return fill(
        "reachability.ps1",
        targets=entries,
        timeout=str(TIMEOUT_MS),
        location=quoting.powershell(location(plan, runs_on)),
    )
