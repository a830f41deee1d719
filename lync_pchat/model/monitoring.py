"""What Azure Monitor collects from the servers and when it alerts: pure data the monitoring component wires up.

Sources (``shared/reference/operations.md`` §2): the Azure Monitor Agent's data collection rules take Windows
event log XPath queries ``LogName!XPath`` (at most 20 per rule) into the ``Event`` table and performance counters
into ``Perf`` [AM:agents/data-collection-windows-events.md], [AM:agents/data-collection-performance.md]; log
alerts are ``scheduledQueryRules`` on the workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .backup import EVENT_SOURCE as BACKUP_SOURCE
from .backup import FAILED_EVENT, LOG_INTERVALS, MIRRORING_EVENT, STATUS_EVENT
from .config import MonitoringConfig
from .maintenance import EVENT_SOURCE as MAINTENANCE_SOURCE
from .maintenance import FAILED_EVENT as MAINTENANCE_FAILED
from .maintenance import sessions
from .plan import Plan, ServerPlan
from .products import facts

MAX_XPATH = 20
"""XPath expressions a data collection rule takes [AM:agents/data-collection-windows-events.md]."""
LYNC_LOG = "Lync Server"
"""The event log the Lync services write to (operations.md §2.2)."""
MIRRORING_EVENTS = (32040, 32042, 32043, 32044)
"""Mirroring warning thresholds exceeded: oldest unsent transaction, unsent log, unrestored log, mirror commit
overhead [DBM:use-warning-thresholds-and-alerts-on-mirroring-performance-metrics-sql-server.md]."""
ROLE_CHANGE = 1480
"""SQL Server's "database is changing roles ... because the mirroring session ... failed over" (error 1480): a
mirroring failover happened (not in shared/reference: verify on a lab server)."""
LOG_SHIPPING_EVENTS = (14420, 14421)
"""No log-shipping backup, no restore within the threshold (operations.md §2.6)."""
BACKUP_FAILED = 3041
"""SQL Server's "BACKUP failed to complete the command", which it writes to the Application log on every failed
backup (SQL Server error 3041; not in shared/reference: verify on a lab server)."""
SERVICE_EVENTS = (7031, 7034, 7036)
"""Service Control Manager: a service terminated unexpectedly (7031, 7034) or entered a state (7036); not in
shared/reference: verify on a lab server."""
UPDATE_SOURCE = "Microsoft-Windows-WindowsUpdateClient"
UPDATE_STARTED = 43
"""The Windows Update client's "Installation Started" in the System log, written when a patch window (or anyone)
installs an update; not in shared/reference: verify on a lab server."""
QUIET_MINUTES = 3 * 60 + 55
"""How long after a server starts installing updates its stopped services do not alert: the longest maintenance
window Azure allows, 3 h 55 min [UM:scheduled-patching.md] (operations.md 3.2)."""
SERVICE_MINUTES = 15
"""The service alert's own window: stops logged in the last 15 minutes."""
LOOKBACK_MINUTES = 6 * 60
"""The service alert's query range with patching on: 6 hours, one of the portal's window sizes, that covers
:data:`QUIET_MINUTES` before the oldest stop it reports."""
PROBE_SOURCE = "PChatProbe"
"""Event source of the synthetic test (``Test-CsPersistentChatMessage``) in the Application log."""
PROBE_FAILED = 3101
PROBE_PASSED = 3100
SAMPLE_SECONDS = 60
MIRRORING_OBJECT = "SQLServer:Database Mirroring"
"""The mirroring performance object of a default instance, one instance per database
[SQL:docs/relational-databases/performance-monitor/sql-server-database-mirroring-object.md]."""
COMPUTER = re.compile(r"[a-z0-9][a-z0-9-]{0,14}")
KEY = re.compile(r"[a-z][a-z0-9-]*")
"""Pool keys and database names as the rules put them in KQL literals (the config's ``Key`` pattern)."""


@dataclass(frozen=True)
class AlertRule:
    """A log alert rule: its query returns one row per problem; any row raises the alert."""

    key: str
    title: str
    reason: str
    """Why it matters and where the threshold comes from, with its source."""
    query: str
    severity: int
    window_minutes: int
    frequency_minutes: int = 5


def xpath_queries() -> dict[str, tuple[str, ...]]:
    """Data source name -> its ``LogName!XPath`` queries: Lync errors and warnings, Application and System
    errors, the SQL Server mirroring, log-shipping and backup events, service state changes and the probe."""
    ids = " or ".join(f"EventID={n}" for n in (*MIRRORING_EVENTS, ROLE_CHANGE, *LOG_SHIPPING_EVENTS, BACKUP_FAILED))
    services = " or ".join(f"EventID={n}" for n in SERVICE_EVENTS)
    return {
        "lync": (f"{LYNC_LOG}!*[System[(Level=1 or Level=2 or Level=3)]]",),
        "errors": ("Application!*[System[(Level=1 or Level=2)]]", "System!*[System[(Level=1 or Level=2)]]"),
        "sql": (f"Application!*[System[({ids})]]",),
        "services": (
            f"System!*[System[Provider[@Name='Service Control Manager'] and ({services})]]",
            f"System!*[System[Provider[@Name='{UPDATE_SOURCE}'] and (EventID={UPDATE_STARTED})]]",
        ),
        "probe": (f"Application!*[System[Provider[@Name='{PROBE_SOURCE}']]]",),
        "backup": (f"Application!*[System[Provider[@Name='{BACKUP_SOURCE}']]]",),
    }


def watched_volumes(plan: Plan) -> tuple[str, ...]:
    """Drive letters (``F:``) of every data, log and backup volume of the plan's servers (tempdb left out)."""
    letters = {f"{d.drive_letter}:" for s in plan.servers for d in s.disks if d.name in ("data", "log", "backup")}
    return tuple(sorted(letters))


def counters(plan: Plan) -> tuple[str, ...]:
    """Performance counters: processor, memory, free space of every watched volume, SQL mirroring queues."""
    found = [r"\Processor(_Total)\% Processor Time", r"\Memory\Available MBytes", r"\LogicalDisk(C:)\% Free Space"]
    found += [rf"\LogicalDisk({volume})\% Free Space" for volume in watched_volumes(plan)]
    if mirrored(plan):
        found += [rf"\{MIRRORING_OBJECT}(*)\Log Send Queue KB", rf"\{MIRRORING_OBJECT}(*)\Redo Queue KB"]
    return tuple(found)


def mirrored(plan: Plan) -> bool:
    """Whether a mirror runs on a SQL Server this project builds and watches; a collocated store's mirror is the
    Back End's, which the customer's own monitoring watches."""
    return any(
        store.mirror is not None and store.mirror.server is not None for pool in plan.pools for store in pool.stores
    )


def log_shipped(plan: Plan) -> bool:
    return any(store.log_shipping is not None for pool in plan.pools for store in pool.stores)


def tests_message(plan: Plan) -> bool:
    """Whether ``monitoring.testUsers`` names the test users the message test needs: without them the install's
    verify phase skips the test (``-SkipMessage``) with a warning line."""
    return plan.monitoring is not None and plan.monitoring.test_users is not None


def _names(servers: list[ServerPlan]) -> str:
    names = [s.computer_name.lower() for s in servers]
    assert all(COMPUTER.fullmatch(n) for n in names), "the rules check computer names"
    return ", ".join(f'"{n}"' for n in names)


def alert_rules(plan: Plan, mon: MonitoringConfig) -> tuple[AlertRule, ...]:
    """Every alert rule of the plan, thresholds from ``monitoring``."""
    servers = list(plan.servers)
    volumes = ", ".join(f'"{v}"' for v in watched_volumes(plan))
    rules = [
        AlertRule(
            "heartbeat",
            "Server heartbeat lost",
            f"A server sent no heartbeat for {mon.heartbeat_minutes} minutes (monitoring.heartbeatMinutes): it is "
            "stopped, hung or its agent is (the agent sends one about every minute, operations.md §2.4).",
            f"datatable(Computer: string) [{_names(servers)}]\n"
            f"| join kind=leftanti (Heartbeat | where TimeGenerated > ago({mon.heartbeat_minutes}m)\n"
            "    | extend Computer = tolower(tostring(split(Computer, '.')[0])) | distinct Computer) on Computer",
            1,
            60,
        ),
        _service_stopped(plan),
        AlertRule(
            "free-space",
            "Volume free space low",
            f"A data, log or backup volume has less than {mon.free_space_percent}% free (monitoring.freeSpacePercent):"
            " a full log volume stops the database; under the FULL recovery mirroring needs, the log grows until a "
            "log backup truncates it (operations.md §1.2).",
            'Perf | where ObjectName == "LogicalDisk" and CounterName == "% Free Space"'
            f" and InstanceName in ({volumes})\n| summarize Free = min(CounterValue) by Computer, InstanceName"
            f" | where Free < {mon.free_space_percent}",
            2,
            15,
        ),
        AlertRule(
            "backup-failed",
            "SQL Server backup failed",
            f"SQL Server logged error {BACKUP_FAILED} (a backup failed): the stores are not protected as planned.",
            f'Event | where EventLog == "Application" and EventID == {BACKUP_FAILED}',
            1,
            15,
        ),
    ]
    rules += _backup_rules(plan)
    if mirrored(plan):
        rules.append(
            AlertRule(
                "mirroring-state",
                "Database mirroring suspended, disconnected or failed over",
                f"The backup task found a store's mirroring SUSPENDED or DISCONNECTED ({BACKUP_SOURCE} event "
                f"{MIRRORING_EVENT}, from sys.database_mirroring), or SQL Server logged a role change (error "
                f"{ROLE_CHANGE}): the principal's log cannot be truncated while the mirror is not sent it, and a "
                "failover needs the failback runbook (operations.md §1.2, §2.6).",
                f'Event | where EventLog == "Application" and ((Source == "{BACKUP_SOURCE}" and EventID =='
                f" {MIRRORING_EVENT}) or EventID == {ROLE_CHANGE})",
                1,
                15,
            )
        )
        ids = ", ".join(map(str, MIRRORING_EVENTS))
        rules.append(
            AlertRule(
                "mirroring",
                "Database mirroring not synchronized",
                f"A mirrored database's unsent or unrestored log exceeds {mon.mirroring_queue_kb} KB "
                f"(monitoring.mirroringQueueKb), or SQL Server raised a mirroring threshold event ({ids}): the "
                "mirror is behind, and the principal's log cannot be truncated "
                "[DBM:use-warning-thresholds-and-alerts-on-mirroring-performance-metrics-sql-server.md].",
                f'union (Perf | where ObjectName endswith "Database Mirroring"'
                ' and CounterName in ("Log Send Queue KB", "Redo Queue KB")'
                f" and CounterValue > {mon.mirroring_queue_kb}),"
                f'\n(Event | where EventLog == "Application" and EventID in ({ids}))',
                1,
                15,
            )
        )
    if sessions(plan):
        rules.append(
            AlertRule(
                "maintenance-failed",
                "Pre-maintenance failover or witness step failed",
                f"A mirrored store's pre-maintenance step did not fail over (its mirror was not SYNCHRONIZED) or "
                f"could not run, or the witness was not added back ({MAINTENANCE_SOURCE} event {MAINTENANCE_FAILED}, "
                "an error the errors data source collects): the server's patch window may restart the store's only "
                "serving copy, or the session stays without automatic failover [DBM:upgrading-mirrored-instances.md].",
                f'Event | where EventLog == "Application" and Source == "{MAINTENANCE_SOURCE}"'
                f" and EventID == {MAINTENANCE_FAILED}",
                1,
                15,
            )
        )
    if log_shipped(plan):
        ids = ", ".join(map(str, LOG_SHIPPING_EVENTS))
        rules.append(
            AlertRule(
                "log-shipping",
                "Log shipping behind",
                f"The log-shipping alert job raised {ids}: no log backup, or no restore on the standby store, within "
                "the thresholds set with log shipping, so the standby site falls behind (operations.md §2.6).",
                f'Event | where EventLog == "Application" and EventID in ({ids})',
                1,
                15,
            )
        )
    if mon.test_users is not None:
        rules.append(
            AlertRule(
                "synthetic",
                "Persistent Chat synthetic test failing",
                "Test-CsPersistentChatMessage, run on a schedule from one pool server per site, failed: users "
                "cannot chat [PS:Test-CsPersistentChatMessage].",
                f'Event | where EventLog == "Application" and Source == "{PROBE_SOURCE}" and EventID == {PROBE_FAILED}',
                1,
                30,
            )
        )
    return tuple(rules)


def _backup_rules(plan: Plan) -> list[AlertRule]:
    """The backup task failing, and each backed-up store of each pool without a fresh full or log backup
    uploaded (from the task's status events, which every run writes, so a task that stopped running alerts too)."""
    rows = []
    windows = [15]
    for pool in plan.pools:
        if pool.backup is None:
            continue
        databases = sorted({d for h in pool.backup.hosts for d in h.databases})
        assert all(KEY.fullmatch(v) for v in (pool.key, *databases)), "the rules quote pool keys and databases"
        windows.append(3 * pool.backup.log_interval_minutes)
        rows += [
            f'"{pool.key}", "{d}", "{kind}", {minutes}'
            for d in databases
            for kind, minutes in pool.backup.fresh_minutes.items()
        ]
    if not rows:
        return []
    failed = AlertRule(
        "backup-task-failed",
        "Persistent Chat backup task failed",
        f"A run of the backup task failed (source {BACKUP_SOURCE}, event {FAILED_EVENT}: the backup batch, the "
        "copy to Blob Storage or the pruning): new backups may not reach the container (docs/backups.md).",
        f'Event | where EventLog == "Application" and Source == "{BACKUP_SOURCE}" and EventID == {FAILED_EVENT}',
        1,
        15,
    )
    stale = AlertRule(
        "backup-stale",
        "Persistent Chat backups not fresh",
        "No full backup of a store uploaded within fullIntervalHours (and two task runs), or no log backup within "
        f"{LOG_INTERVALS} logIntervalMinutes, by any SQL Server of its pool, as the backup task's status "
        f"events ({BACKUP_SOURCE} event {STATUS_EVENT}) report them: a restore would lose more than planned.",
        f'let uploads = Event | where EventLog == "Application" and Source == "{BACKUP_SOURCE}"'
        f" and EventID == {STATUS_EVENT}\n"
        '    | mv-expand Line = split(RenderedDescription, "\\n") to typeof(string)\n'
        '    | extend Part = split(trim(@"\\s+", Line), " ") | where array_length(Part) == 4\n'
        "    | summarize Last = max(todatetime(Part[3])) by Pool = tostring(Part[0]), Database = tostring(Part[1]),"
        " Kind = tostring(Part[2]);\n"
        f"datatable(Pool: string, Database: string, Kind: string, Minutes: int) [{', '.join(rows)}]\n"
        "| join kind=leftouter uploads on Pool, Database, Kind\n"
        "| where isnull(Last) or Last < ago(Minutes * 1m)",
        2,
        max(windows),
    )
    return [failed, stale]


def _service_stopped(plan: Plan) -> AlertRule:
    """A service of the product (its display-name prefix, :mod:`.products`) or SQL Server stopped in the last
    :data:`SERVICE_MINUTES`; with patching on, quiet on a server that started installing updates within the
    longest window before (its own patch window restarts services and the server)."""
    prefix = facts(plan.product).service_prefix
    ids = ", ".join(map(str, SERVICE_EVENTS))
    stops = (
        'Event | where EventLog == "System" and Source == "Service Control Manager"'
        f" and EventID in ({ids}) and TimeGenerated > ago({SERVICE_MINUTES}m)\n"
        f'| where RenderedDescription has_any ("{prefix}", "SQL Server")'
        ' and RenderedDescription has_any ("stopped", "terminated")'
    )
    reason = (
        f"A {prefix} or SQL Server service stopped or terminated (Service Control Manager events {ids}): the pool "
        "or a store may be down."
    )
    if plan.patching is None:
        return AlertRule(
            "service-stopped", f"{prefix} or SQL Server service stopped", reason, stops, 1, SERVICE_MINUTES
        )
    quiet = (
        f'\n| join kind=leftouter (Event | where EventLog == "System" and Source == "{UPDATE_SOURCE}"'
        f" and EventID == {UPDATE_STARTED}\n    | project Computer, Patching = TimeGenerated) on Computer\n"
        f"| summarize Quiet = countif(TimeGenerated between (Patching .. Patching + {QUIET_MINUTES}m))"
        " by Computer, TimeGenerated, RenderedDescription\n| where Quiet == 0"
    )
    reason += (
        f" Quiet for {QUIET_MINUTES} minutes (the longest patch window) after the server's Windows Update client "
        f"logs {UPDATE_STARTED} (installation started), as its patch window restarts it."
    )
    return AlertRule(
        "service-stopped",
        f"{prefix} or SQL Server service stopped",
        reason,
        stops + quiet,
        1,
        LOOKBACK_MINUTES,
    )
