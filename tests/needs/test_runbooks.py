"""Every runbook that connects to the stack's servers says where it runs (a management host in managementCidr by
default) and starts with a reachability pre-check of every server and TCP port its needs name, before its first
change; a step whose failure would lose data stops it (issue 22 item 3, read on the parse tree)."""

from __future__ import annotations

import re

import pytest
import tree_sitter

from lync_pchat.model import Plan
from lync_pchat.model.needs import MANAGEMENT
from lync_pchat.needs import needs
from lync_pchat.runbooks import reach, render, restore
from lync_pchat.runbooks.errors import RunbookNotApplicable

from .. import powershell as ps
from ..install.support import FULL, PLANS
from .support import AS_SHIPPED
from .test_needs import CONNECTS, code

CHECKED = {
    "verify": "runbook:verify", "failover": "runbook:failover", "failback": "runbook:failback",
    "restore": "runbook:restore", "configure": "runbook:configure", "log-shipping": "runbook:log-shipping from-mirror",
    "publish": "runbook:publish", "migrate": "runbook:migrate",
}  # fmt: skip
"""Each runbook with a pre-check, and the action (prefix) of its needs."""
CHANGES = re.compile(
    r"^(Set-Cs|Install-Cs|Stop-CsWindowsService|Start-CsWindowsService|Invoke-CsDatabaseFailover|Invoke-Sql|"
    r"Copy-Item|New-Cs|Grant-Cs|Import-Cs|Grant-Smb|Grant-ShareTo)",
    re.IGNORECASE,
)
"""Commands that change something on the stack's servers (or run T-SQL that may); verify's -Schedule registers a
task on the computer it runs on and ends, and restore's -Download writes the principal's own folder and ends."""


def runbooks(plan: Plan) -> list[tuple[str, str, str]]:
    """(runbook, file, text) of each PowerShell runbook file with a pre-check."""
    found = []
    for name in CHECKED:
        try:
            files = render(plan, name)
        except RunbookNotApplicable:
            continue
        found += [(name, f, t) for f, t in files.items() if f.endswith(".ps1") and not t.startswith("# Restore")]
    return found


def precheck_targets(tree: tree_sitter.Node) -> set[tuple[str, int]]:
    """The (host, port) pairs of the pre-check's ``foreach ($target in @(...))``."""
    loops = [n for n in ps.of_type(tree, "foreach_statement") if "$target in" in ps.text(n)]
    assert len(loops) == 1, "one reachability pre-check"
    pairs = re.findall(r"Host = '([^']+)'; Port = (\d+);", ps.text(loops[0]))
    return {(host, int(port)) for host, port in pairs}


def first_change(tree: tree_sitter.Node, main_only: bool = True) -> int:
    """Where the first changing command at the top level (not in a function definition) starts."""
    functions = [(f.start_byte, f.end_byte) for f in ps.of_type(tree, "function_statement")]
    starts = [
        c.node.start_byte
        for c in ps.commands(tree)
        if CHANGES.match(c.name) and not any(a <= c.node.start_byte < b for a, b in functions)
    ]
    return min(starts, default=tree.end_byte)


CHECKED_PLANS = [*PLANS, *AS_SHIPPED]


@pytest.mark.parametrize("plan", CHECKED_PLANS, ids=[f"plan{i}" for i in range(len(CHECKED_PLANS))])
def test_each_runbook_names_its_run_location_and_checks_every_target_before_any_change(plan: Plan) -> None:
    every = needs(plan)
    for name, file, text in runbooks(plan):
        pool = next(p for p in plan.pools if file.startswith(f"{name}-{p.key}"))
        where = restore.run_location(pool) if name == "restore" else MANAGEMENT
        header = text[: text.index("#>")]
        assert f"on {reach.location(plan, where)}" in " ".join(header.split()), file
        tree = ps.parse(text)
        keys = {s.key: s.pool for s in plan.servers}
        mine = [n for n in every if n.action.startswith(CHECKED[name]) and keys.get(n.target) == pool.key]
        wanted = {(host, port) for host, port, _ in reach.targets(plan, mine, where)}
        # An oracle apart from reach.targets: every server of the plan the runbook's code connects to (sqlcmd -S,
        # \\host\share, -ComputerName...: test_needs.CONNECTS) is tried by the pre-check.
        body = code(text)
        named = {
            s.fqdn.lower()
            for s in plan.servers
            if s.key != where
            and CONNECTS.search(body)
            and re.search(rf"(?<![\w.-]){re.escape(s.fqdn)}(?![\w-])", body, re.IGNORECASE)
        }
        if named:
            assert named <= {host.lower() for host, _ in precheck_targets(tree)}, (file, sorted(named))
        if not named and not wanted:
            continue
        assert precheck_targets(tree) == wanted, file
        (loop,) = [n for n in ps.of_type(tree, "foreach_statement") if "$target in" in ps.text(n)]
        assert loop.end_byte < first_change(tree), f"{file}: a change before the pre-check"
        if plan.management_cidr and where == MANAGEMENT:
            assert plan.management_cidr in header, file


def test_failover_stops_before_step_1_when_the_log_backups_cannot_be_copied() -> None:
    """Failover step 2 copies the log backups not copied yet from the backup share
    (lync-server-2013-failing-over-persistent-chat-server); without them they are lost, so an unreadable share stops
    the runbook before step 1 (sp_delete_log_shipping_secondary_database) changes anything, and never warns."""
    text = render(FULL, "failover")["failover-pchat01.ps1"]
    tree = ps.parse(text)
    assert ps.commands(tree, "Write-Warning") == []
    guards = [
        n for n in ps.of_type(tree, "if_statement")
        if "Test-Path -LiteralPath $backupShare" in ps.text(n) and "throw" in ps.text(n)
    ]  # fmt: skip
    assert len(guards) == 1
    step1 = text.index("sp_delete_log_shipping_secondary_database")
    assert guards[0].end_byte < step1
    (copy,) = ps.commands(tree, "Copy-Item")
    assert not ps.inside(tree, copy.node.start_byte, copy.node.end_byte, "if_statement", "try_statement")
