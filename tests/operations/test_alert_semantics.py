"""What each alert rule means, beyond its existence: every rule is enabled, the heartbeat alert lists the servers
that did NOT report, and the backup alert reads the log SQL Server writes its failures to.

Oracles: docs/operations.md (the alert table: ``heartbeat`` "a server of the plan sent no heartbeat",
``backup-failed`` "SQL Server error 3041 in the Application log"), docs/backups.md (error 3041 in the Application
event log); Kusto: ``kind=leftanti`` returns the left rows with no match on the right, ``kind=inner`` the matching
ones (learn.microsoft.com/kusto/query/join-operator); a log search alert rule with ``enabled: false`` is never
evaluated (learn.microsoft.com/rest/api/monitor/scheduled-query-rules)."""

from __future__ import annotations

import re

from .test_monitoring import GRAPH, alerts, query


def test_every_alert_rule_is_enabled() -> None:
    found = alerts(GRAPH)
    assert found
    assert {key: rule.inputs["enabled"] for key, rule in found.items()} == dict.fromkeys(found, True)


def test_the_heartbeat_alert_keeps_the_servers_not_heard_from() -> None:
    text = query(alerts(GRAPH)["heartbeat"])
    (kind,) = re.findall(r"\|\s*join\s+kind\s*=\s*(\w+)\s*\(\s*Heartbeat\b", text)
    assert kind == "leftanti", "the expected servers (left) without a recent heartbeat (right)"
    assert text.startswith("datatable(Computer: string)"), "the left side is the plan's servers"


def test_the_backup_failed_alert_reads_the_application_log_for_error_3041() -> None:
    text = query(alerts(GRAPH)["backup-failed"])
    assert re.findall(r'EventLog\s*==\s*"(\w+)"', text) == ["Application"]
    assert re.findall(r"EventID\s*==\s*(\d+)", text) == ["3041"]
