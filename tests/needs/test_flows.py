"""The flow table for the network team (issue 22 item 4): ``pchat flows STACK``, the flows in plan.json and the
flows a change adds or removes in ``pchat diff``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lync_pchat.cli import main
from lync_pchat.needs import FLOW_COLUMNS
from lync_pchat.offline.summary import flow_changes

STACKS = Path(__file__).resolve().parents[2] / "stacks"


def test_flows_prints_who_reaches_whom_on_which_port_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    """The enterprise stack's failover copies the uncopied log backups from the backup share on pchat01-bak
    (failover step 2, lync-server-2013-failing-over-persistent-chat-server), from the management range: SMB."""
    assert main(["flows", "enterprise", "--stacks-dir", str(STACKS)]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == [c.upper() for c in FLOW_COLUMNS]
    step2 = [r for r in rows if "runbook:failover step 2" in r and "pchat01-bak" in r]
    assert step2 and all(r.startswith("management 10.0.0.0/24") and "tcp/445" in r for r in step2)


def test_flows_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "spoke", "--stacks-dir", str(STACKS), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    release = [r for r in rows if r["action"] == "pchat-release" and r["to"].startswith("pchat01-sqlw ")]
    assert {(r["from"].split()[0], r["port"], r["as"]) for r in release} == {
        ("pchat01-a1", "tcp/1433", "setup account"),
        ("pchat01-a1", "tcp/445", "setup account"),
    }
    assert all(set(r) == set(FLOW_COLUMNS) for r in rows)


def test_the_diff_shows_flows_added_and_removed_only_when_both_plans_record_them() -> None:
    row = {"from": "a", "to": "b", "port": "tcp/445", "why": "w", "action": "x", "as": "s", "when": "installed"}
    other = {**row, "port": "tcp/1433"}
    assert flow_changes({"flows": [row]}, {"flows": [other]}) == (
        ("added", "a", "b", "tcp/1433", "w", "x"),
        ("removed", "a", "b", "tcp/445", "w", "x"),
    )
    assert flow_changes({}, {"flows": [row]}) == ()
    assert flow_changes({"flows": [row]}, {"flows": [row]}) == ()
