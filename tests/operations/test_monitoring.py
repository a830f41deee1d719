"""Azure Monitor on every server, alerts that reach someone (the issue; shared/reference/operations.md §2).

Expected values come from the config and the documentation: the agent is publisher ``Microsoft.Azure.Monitor``,
type ``AzureMonitorWindowsAgent`` [AM:agents/azure-monitor-agent-requirements.md]; a data collection rule takes
at most 20 XPath queries ``LogName!XPath`` into ``Microsoft-Event`` and counters into ``Microsoft-Perf`` (§2.2);
the association is an extension resource on the VM (§2.3); log alerts are ``scheduledQueryRules`` with
``actions.actionGroups`` (§2.4); thresholds are the ``monitoring`` keys.
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.model import plan_topology
from lync_pchat.offline.diff import compare
from lync_pchat.offline.graph import Resource, named, of_type
from lync_pchat.offline.render import plan_json
from lync_pchat.offline.synthesis import offline_config

from ..model.configs import changed, enterprise, standard
from ..pulumi.stacks import stack_config, stack_graph
from ..support.lazy import lazy_list
from ..support.synthesis import synthesis, synthesized

VM = "azure-native:compute:VirtualMachine"
EXTENSION = "azure-native:compute:VirtualMachineExtension"
ASSOCIATION = "azure-native:monitor:DataCollectionRuleAssociation"
RULE = "azure-native:monitor:DataCollectionRule"
ALERT = "azure-native:monitor:ScheduledQueryRule"
GROUP = "azure-native:monitor:ActionGroup"
WORKSPACE = "azure-native:operationalinsights:Workspace"
HA = {"mirroring": True, "witness": True}
USERS = {"sender": "sip:probe1@contoso.com", "receiver": "sip:probe2@contoso.com"}
EMAILS = ["ops@contoso.com", "lync-admins@contoso.com"]
EXISTING_GROUP = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/"
    "Microsoft.Insights/actionGroups/ag-ops"
)
EXISTING_WORKSPACE = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/"
    "Microsoft.OperationalInsights/workspaces/law-ops"
)
FULL = changed(
    enterprise(),
    pools__pchat01__users=60000,
    pools__pchat01__highAvailability=HA,
    pools__pchat01__compliance={"enabled": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    monitoring={"emails": EMAILS, "testUsers": USERS, "heartbeatMinutes": 15, "freeSpacePercent": 12,
                "mirroringQueueKb": 4096},
)  # fmt: skip
ALWAYS = {"heartbeat", "service-stopped", "free-space", "backup-failed"}
"""Heartbeat lost, a Lync or SQL service stopped, low free space, a failed backup: the issue's list, for any pool."""
BACKUP = {"backup-task-failed", "backup-stale"}
"""Issue 23: the backup task's own failures, and a store without a fresh upload, wherever the project backs up."""
GRAPH = lazy_list(lambda: synthesized({"pchat:topology": FULL}))


def alerts(graph: list[Resource] | tuple[Resource, ...]) -> dict[str, Resource]:
    return {r.name.rsplit("-alert-", 1)[1]: r for r in of_type(graph, ALERT)}


def query(alert: Resource) -> str:
    return alert.inputs["criteria"]["allOf"][0]["query"]  # type: ignore[no-any-return]


def assert_every_vm_is_watched(graph: list[Resource] | tuple[Resource, ...]) -> None:
    """Each VM: the agent after its last extension (extensions of a VM run one at a time), and the association
    with the one rule after the agent."""
    (rule,) = of_type(graph, RULE)
    for vm in of_type(graph, VM):
        key = vm.name.removesuffix("-vm")
        agent = named(graph, f"{key}-monitor-agent")
        assert (agent.inputs["publisher"], agent.inputs["type"]) == (
            "Microsoft.Azure.Monitor",
            "AzureMonitorWindowsAgent",
        )
        assert agent.inputs["enableAutomaticUpgrade"] is True
        registered = [r for r in graph if r.name == f"{key}-sqlvm"]  # a SQL Server's last step: its registration
        assert agent.depends_on(vm) and agent.depends_on(registered[0] if registered else named(graph, f"{key}-init"))
        association = named(graph, f"{key}-dcr")
        assert association.depends_on(agent) and association.depends_on(rule)
        assert association.inputs["associationName"] == "pchat-dcr"
    assert len(of_type(graph, ASSOCIATION)) == len(of_type(graph, VM))


@pytest.mark.parametrize("stack", stackfile.stack_names())
def test_every_vm_of_every_shipped_stack_has_the_agent_and_the_rule(stack: str) -> None:
    assert_every_vm_is_watched(stack_graph(stack))


@pytest.mark.parametrize("stack", stackfile.stack_names())
def test_every_shipped_stack_has_the_issues_alerts_each_with_an_action(stack: str) -> None:
    """Every shipped stack names where alerts go (monitoring.emails, or spoke's platform action group)."""
    graph = stack_graph(stack)
    plan = plan_topology(stackfile.topology(stack_config(stack)))
    assert plan.monitoring is not None
    expected = set(ALWAYS)
    expected |= {"mirroring", "mirroring-state"} if any(st.mirror for p in plan.pools for st in p.stores) else set()
    # issue 24 item 4: with patching on, a failed pre-maintenance step of a mirrored store alerts; every shipped
    # stack's windows start after 00:30 in UTC or its pools' time zone, so each mirrored one has the step.
    mirrored = any(st.mirror and st.mirror.server for p in plan.pools for st in p.stores)
    expected |= {"maintenance-failed"} if mirrored and plan.patching else set()
    expected |= BACKUP if any(p.backup and p.backup.hosts for p in plan.pools) else set()
    expected |= {"log-shipping"} if any(st.log_shipping for p in plan.pools for st in p.stores) else set()
    expected |= {"synthetic"} if plan.monitoring.test_users else set()
    found = alerts(graph)
    assert set(found) == expected
    groups = of_type(graph, GROUP)
    for alert in found.values():
        (action,) = alert.inputs["actions"]["actionGroups"]
        assert action == plan.monitoring.action_group_id or any(alert.depends_on(g) for g in groups)


@pytest.mark.parametrize(
    "topology",
    [
        pytest.param(FULL, id="stretched-mirrored-compliance"),
        pytest.param(changed(standard(), monitoring={"emails": EMAILS}), id="standard"),
        pytest.param(changed(enterprise(), pools__pchat02={"site": "amsterdam", "users": 20000,
                                                           "nextHop": "fe02.corp.contoso.com"}), id="two-pools"),
    ],
)  # fmt: skip
def test_every_vm_of_unseen_topologies_has_the_agent_and_the_rule(topology: dict[str, Any]) -> None:
    assert_every_vm_is_watched(synthesized({"pchat:topology": topology}))


def test_the_rule_collects_the_documented_logs_and_counters() -> None:
    (rule,) = of_type(GRAPH, RULE)
    sources = rule.inputs["dataSources"]
    queries = [q for source in sources["windowsEventLogs"] for q in source["xPathQueries"]]
    assert len(queries) <= 20
    assert all(source["streams"] == ["Microsoft-Event"] for source in sources["windowsEventLogs"])
    assert "Lync Server!*[System[(Level=1 or Level=2 or Level=3)]]" in queries  # §2.2 example XPath
    assert "Application!*[System[(Level=1 or Level=2)]]" in queries
    assert "System!*[System[(Level=1 or Level=2)]]" in queries
    sql = next(q for q in queries if "EventID=14420" in q)
    for event in (32040, 32042, 32043, 32044, 14420, 14421, 3041, 1480):  # §2.6, backup failure, role change
        assert f"EventID={event}" in sql
    assert "Application!*[System[Provider[@Name='PChatBackup']]]" in queries, "the backup task's events (issue 23)"
    (perf,) = sources["performanceCounters"]
    assert perf["streams"] == ["Microsoft-Perf"]
    # Data F:, log G:, backup I: (README "Disks"); the pool servers' data volume is F: too.
    assert set(perf["counterSpecifiers"]) >= {
        r"\Processor(_Total)\% Processor Time",
        r"\Memory\Available MBytes",
        r"\LogicalDisk(F:)\% Free Space",
        r"\LogicalDisk(G:)\% Free Space",
        r"\LogicalDisk(I:)\% Free Space",
        r"\SQLServer:Database Mirroring(*)\Log Send Queue KB",
        r"\SQLServer:Database Mirroring(*)\Redo Queue KB",
    }
    (workspace,) = of_type(GRAPH, WORKSPACE)
    assert rule.depends_on(workspace)
    assert rule.inputs["dataFlows"] == [{"streams": ["Microsoft-Event", "Microsoft-Perf"], "destinations": ["log"]}]
    assert rule.inputs["location"] == workspace.inputs["location"] == "northeurope"  # the first site


def test_every_alert_of_the_issue_exists_with_the_created_action_group() -> None:
    (group,) = of_type(GRAPH, GROUP)
    assert [r["emailAddress"] for r in group.inputs["emailReceivers"]] == EMAILS
    assert len(group.inputs["groupShortName"]) <= 12
    found = alerts(GRAPH)
    # mirrored under the default (UTC) patch windows: the pre-maintenance step's alert too (issue 24 item 4)
    assert set(found) == ALWAYS | BACKUP | {"mirroring", "mirroring-state", "log-shipping", "synthetic",
                                            "maintenance-failed"}  # fmt: skip
    for alert in found.values():
        assert alert.depends_on(group)
        assert alert.inputs["kind"] == "LogAlert"
        assert alert.inputs["description"]
        (condition,) = alert.inputs["criteria"]["allOf"]
        assert (condition["operator"], condition["threshold"], condition["timeAggregation"]) == (
            "GreaterThan", 0.0, "Count"
        )  # fmt: skip
        assert alert.depends_on(named(GRAPH, "pchat-monitoring-workspace"))


def test_thresholds_come_from_the_config() -> None:
    found = alerts(GRAPH)
    assert "ago(15m)" in query(found["heartbeat"])
    assert query(found["free-space"]).endswith("| where Free < 12")
    assert '"F:", "G:", "I:"' in query(found["free-space"])
    assert "CounterValue > 4096" in query(found["mirroring"])
    assert "EventID in (14420, 14421)" in query(found["log-shipping"])
    assert "EventID == 3041" in query(found["backup-failed"])
    assert "12%" in found["free-space"].inputs["description"]


def test_the_heartbeat_alert_expects_every_server_by_name() -> None:
    names = [s.computer_name for s in plan_topology(FULL).servers]
    assert all(f'"{name}"' in query(alerts(GRAPH)["heartbeat"]) for name in names)


def test_an_existing_action_group_and_workspace_are_used_not_created() -> None:
    topology = changed(FULL, monitoring={"actionGroupId": EXISTING_GROUP}, diagnostics={
        "workspaceResourceId": EXISTING_WORKSPACE})  # fmt: skip
    graph = synthesized({"pchat:topology": topology})
    assert not of_type(graph, GROUP) and not of_type(graph, WORKSPACE)
    assert set(alerts(graph)) == ALWAYS | BACKUP | {
        "mirroring",
        "mirroring-state",
        "log-shipping",
        "maintenance-failed",
    }
    for alert in alerts(graph).values():
        assert alert.inputs["actions"]["actionGroups"] == [EXISTING_GROUP]
        assert alert.inputs["scopes"] == [EXISTING_WORKSPACE]
    (rule,) = of_type(graph, RULE)
    assert rule.inputs["destinations"]["logAnalytics"][0]["workspaceResourceId"] == EXISTING_WORKSPACE


def test_without_an_action_no_alert_is_created_but_every_vm_is_watched() -> None:
    graph = synthesized({"pchat:topology": enterprise()})
    assert not of_type(graph, ALERT) and not of_type(graph, GROUP)
    assert_every_vm_is_watched(graph)
    assert any(
        w.startswith("monitoring: neither actionGroupId nor emails") for w in plan_topology(enterprise()).warnings
    )


def test_a_pool_without_mirroring_or_log_shipping_gets_no_such_alert() -> None:
    graph = synthesized({"pchat:topology": changed(enterprise(), monitoring={"emails": EMAILS})})
    assert set(alerts(graph)) == ALWAYS | BACKUP


def test_monitoring_off_creates_nothing_of_it() -> None:
    graph = synthesized({"pchat:topology": changed(FULL, monitoring={"enabled": False})})
    types = {r.type for r in graph}
    assert not types & {ASSOCIATION, RULE, ALERT, GROUP, WORKSPACE}
    assert not [r for r in of_type(graph, EXTENSION) if r.name.endswith("-monitor-agent")]


@pytest.mark.parametrize("base", [enterprise(), changed(FULL, monitoring={"emails": EMAILS})])
def test_turning_monitoring_on_only_adds_resources(base: dict[str, Any]) -> None:
    """No existing resource changes (no VM, disk, SQL registration, extension): the agent and the association
    are resources of their own beside the VM."""
    off = changed(base, monitoring={"enabled": False})
    before = plan_json(synthesis("prod", offline_config({"pchat:topology": off})))
    after = plan_json(synthesis("prod", offline_config({"pchat:topology": base})))
    changes = compare(before, after)
    assert {c.action for c in changes} == {"create"}
    assert not [c for c in changes if c.stateful]


def test_monitoring_and_patching_reach_the_plan_from_any_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The multi-language component takes the same keys (camelCase in its schema) as the stack config."""
    import components.persistent_chat as component

    from ..provider.test_package import AzureMocks, RecordingMonitor, construct, yaml_properties

    planned: list[Any] = []
    real = component.plan_topology
    monkeypatch.setattr(component, "plan_topology", lambda raw: planned.append(real(raw)) or planned[-1])
    inputs = yaml_properties()
    inputs["monitoring"] = {"emails": EMAILS, "testUsers": USERS, "heartbeatMinutes": 20}
    inputs["patching"] = {"timeZone": "UTC", "windows": [{"start": "2027-01-02 02:00", "recurEvery": "1Week Saturday"}]
                          * 3, "reboot": "Never"}  # fmt: skip
    construct(inputs, RecordingMonitor(AzureMocks()))
    (plan,) = planned
    assert plan.monitoring is not None and plan.patching is not None
    assert (plan.monitoring.emails, plan.monitoring.heartbeat_minutes) == (tuple(EMAILS), 20)
    assert plan.monitoring.test_users is not None and plan.monitoring.test_users.sender == USERS["sender"]
    assert (plan.patching.reboot.value, plan.patching.windows[0].recur_every) == ("Never", "1Week Saturday")


def test_the_backup_task_failing_and_stale_backups_alert() -> None:
    """Issue 23, item 4. docs/backups.md: the task writes its failures to the Application log, source PChatBackup,
    event 1; each run writes the UTC time of each database's last uploaded full and log backup (event 2), so the
    freshness alert fires when no full backup arrived within fullIntervalHours (plus two runs, the task's delay) or
    no log backup within four logIntervalMinutes, per database of the pool, also when the task stopped running."""
    found = alerts(GRAPH)
    assert query(found["backup-task-failed"]) == (
        'Event | where EventLog == "Application" and Source == "PChatBackup" and EventID == 1'
    )
    stale = query(found["backup-stale"])
    full, log = 24 * 60 + 2 * 15, 4 * 15  # the defaults of stack-config.md: fullIntervalHours 24, logInterval 15
    rows = ", ".join(
        f'"pchat01", "{db}", "{kind}", {minutes}'
        for db in ("mgc", "mgccomp")
        for kind, minutes in (("FULL", full), ("LOG", log))
    )
    assert f"datatable(Pool: string, Database: string, Kind: string, Minutes: int) [{rows}]" in stale
    assert 'Source == "PChatBackup" and EventID == 2' in stale
    assert "| where isnull(Last) or Last < ago(Minutes * 1m)" in stale
    assert found["backup-stale"].inputs["windowSize"] == "PT45M", "three task runs: a silent task alerts too"


def test_a_mirroring_state_change_alerts() -> None:
    """SUSPENDED or DISCONNECTED (sys.database_mirroring.mirroring_state_desc), which the backup task reports as
    PChatBackup event 3, and SQL Server's role change on a failover (error 1480)."""
    assert query(alerts(GRAPH)["mirroring-state"]) == (
        'Event | where EventLog == "Application" and ((Source == "PChatBackup" and EventID == 3) or EventID == 1480)'
    )
