"""Patch waves that follow the current roles (issue 24 item 4): before each SQL Server partner's window, a step on

that server fails the stores it is currently the principal of over to a SYNCHRONIZED mirror, the witness removed
first, and a second step adds the witness back once the window is over.

Oracles:
- [DBM:upgrading-mirrored-instances.md] (learn.microsoft.com/sql/database-engine/database-mirroring/upgrading-
  mirrored-instances; operations.md §3.5, §9.2): remove the witness before the rolling upgrade, patch the instance
  that is *currently* the mirror, "wait for the session to synchronize. Then, connect to the principal server
  instance, and manually fail over", add the witness back at the end.
- "Manually fail over a database mirroring session (Transact-SQL)": only "when the database is in the SYNCHRONIZED
  state", "initiated only from the principal server", ``ALTER DATABASE database_name SET PARTNER FAILOVER``.
- "Remove the witness": ``ALTER DATABASE <database> SET WITNESS OFF`` on either partner; "Add a database mirroring
  witness": ``ALTER DATABASE <database> SET WITNESS = 'TCP://<system-address>:<port>'`` on the principal.
- sys.database_mirroring: ``mirroring_role`` 1 = Principal, ``mirroring_state`` 4 = Synchronized.
- Task Scheduler schema: ``StartBoundary`` with ``Z`` is UTC, without an offset the computer's local time
  (ITrigger::put_StartBoundary); ``ScheduleByMonthDayOfWeek`` takes ``Week`` 1 to 4 or ``Last`` and every month
  named; ``ScheduleByWeek`` ``WeeksInterval`` and ``DaysOfWeek``.
- Update Manager: the pre-event fires about 30 minutes before the window and its handler has 20 minutes
  (operations.md §3.2, [UM:pre-post-scripts-overview.md]).
- The witness endpoint's port: Topology Builder's default 7022 (operations.md, lync_pchat.model.ports.WITNESS).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from lync_pchat import maintenance as steps
from lync_pchat.model import Plan, plan_topology
from lync_pchat.model.config import PatchWindowConfig
from lync_pchat.model.maintenance import Session, calendar, schedule, sessions
from lync_pchat.model.needs import PATCH_WAVE, SQL_SERVICE
from lync_pchat.model.ports import MIRRORING, WITNESS
from lync_pchat.needs import needs
from lync_pchat.offline.graph import of_type

from .. import powershell as ps
from ..install.support import settings
from ..install.test_folder_acls import assert_locked_down, assert_saved_locked_down
from ..model.configs import changed, enterprise
from ..support.lazy import lazy_list
from ..support.synthesis import synthesized

TASK = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"
RUN_COMMAND = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
HA = {"mirroring": True, "witness": True}
MIRRORED = changed(enterprise(), pools__pchat01__highAvailability=HA)
WITNESS_ADDRESS = "TCP://pchat01-sqlw.corp.contoso.com:7022"
SESSION = Session("mgc", "pchat01-sql.corp.contoso.com", "pchat01-sqlm", WITNESS_ADDRESS)


def blocks(sql: str) -> list[tuple[str, str]]:
    """Each ``IF <condition> BEGIN ... END`` of a batch: its condition and its body up to the matching END (CATCH
    and TRY blocks count as nested BEGIN/END pairs)."""
    tokens = list(re.finditer(r"\bBEGIN(?: TRY| CATCH)?\b|\bEND(?: TRY| CATCH)?\b", sql))
    found = []
    for index, token in enumerate(tokens):
        if token.group() != "BEGIN":
            continue
        depth = 0
        for other in tokens[index:]:
            depth += 1 if other.group().startswith("BEGIN") else -1
            if depth == 0:
                head = sql[: token.start()]
                condition = head[head.rindex("IF ") + 3 :].strip() if "IF " in head else ""
                found.append((condition, sql[token.end() : other.start()]))
                break
    return found


def body_under(sql: str, *predicates: str) -> str:
    """The one block whose condition holds every one of ``predicates`` and ends with the last one."""
    (body,) = [
        body
        for condition, body in blocks(sql)
        if all(p in condition for p in predicates) and condition.rstrip(")").endswith(predicates[-1].rstrip(")"))
    ]
    return body


def test_the_pre_step_fails_over_only_a_principal_with_a_synchronized_mirror_witness_off_first() -> None:
    sql = steps.pre_query([SESSION], 180)
    principal = "d.name = N'mgc' AND m.mirroring_role = 1"
    outer = body_under(sql, principal)
    synchronized = body_under(sql, principal, "m.mirroring_state = 4")
    assert synchronized in outer
    witness = body_under(sql, principal, "m.mirroring_witness_name <> N''")
    assert witness in synchronized
    statements = re.findall(r"ALTER DATABASE [^;]*", synchronized)
    assert statements == ["ALTER DATABASE [mgc] SET WITNESS OFF", "ALTER DATABASE [mgc] SET PARTNER FAILOVER"]
    record = synchronized.index("sp_addextendedproperty")
    assert record < synchronized.index("SET WITNESS OFF"), "the store is recorded in maintenance before any change"
    # not synchronized: counted, no failover, and the batch raises once every store was tried
    assert "ELSE BEGIN SET @refused += 1;" in outer and "PARTNER FAILOVER" not in outer.split("ELSE BEGIN")[1]
    assert sql.endswith("IF @refused > 0 RAISERROR (N'%d store(s) not failed over: their mirror is not "
                        "SYNCHRONIZED', 16, 1, @refused);")  # fmt: skip
    # the record lasts for the lead and the window
    assert "DATEADD(MINUTE, 210, SYSUTCDATETIME())" in sql


def test_a_session_without_a_witness_is_failed_over_and_recorded_without_touching_a_witness() -> None:
    """The record is written for every failover: the after-maintenance step resumes a suspended session whether
    or not the session has a witness."""
    session = Session("mgc", "sql01", "sql02", None)
    sql = steps.pre_query([session], 60)
    assert "WITNESS" not in sql and "ALTER DATABASE [mgc] SET PARTNER FAILOVER;" in sql
    synchronized = body_under(sql, "d.name = N'mgc' AND m.mirroring_role = 1", "m.mirroring_state = 4")
    assert synchronized.index("sp_addextendedproperty") < synchronized.index("SET PARTNER FAILOVER")
    post = steps.post_query([session])
    assert "WITNESS" not in post and "ALTER DATABASE [mgc] SET PARTNER RESUME;" in post


def test_the_post_step_adds_the_witness_back_on_the_principal_once_the_record_expired() -> None:
    sql = steps.post_query([SESSION])
    principal = body_under(sql, "d.name = N'mgc' AND m.mirroring_role = 1")
    assert "CONVERT(datetime2, value) <= SYSUTCDATETIME()" in principal
    due = body_under(sql, "@due > 0")
    add = f"ALTER DATABASE [mgc] SET WITNESS = N'{WITNESS_ADDRESS}';"
    assert due.index(add) < due.index("EXEC [mgc].sys.sp_dropextendedproperty @name = N'pchat-witness-off-until';")
    assert "BEGIN CATCH SET @failed += 1;" in due, "a failure keeps the record, so the next run tries again"
    # idempotent: a witness someone set during the window is left as it is
    unset = body_under(sql, "d.name = N'mgc' AND m.mirroring_role = 1", "m.mirroring_witness_name <> N''")
    assert unset.strip().startswith(add) and "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring" in due
    assert sql.endswith("IF @failed > 0 RAISERROR (N'%d store(s) not restored after maintenance (mirroring "
                        "resumed, witness added back)', 16, 1, @failed);")  # fmt: skip


def test_the_post_step_resumes_a_suspended_session_before_the_witness_comes_back() -> None:
    """[DBM:upgrading-mirrored-instances.md]: "After failing over from an earlier server instance to a [newer]
    server instance, the database session is suspended. It cannot be resumed until the other partner has been
    upgraded", then "Resume the mirroring session", then add the witness back. sys.database_mirroring:
    ``mirroring_state`` 0 = Suspended. ALTER DATABASE database mirroring: ``SET PARTNER RESUME``. In wave 2 the
    step fails over from the not yet updated partner to the one wave 1 updated: without a resume the store stays
    unprotected after both waves."""
    sql = steps.post_query([SESSION])
    due = body_under(sql, "@due > 0")
    resume = body_under(sql, "d.name = N'mgc' AND m.mirroring_role = 1", "m.mirroring_state = 0")
    assert resume.strip() == "ALTER DATABASE [mgc] SET PARTNER RESUME; PRINT N'mgc' + N': mirroring resumed';"
    assert resume in due.split("END TRY")[0], "a failed resume is caught: the record stays, the alert fires"
    assert due.index("SET PARTNER RESUME") < due.index("SET WITNESS =") < due.index("sp_dropextendedproperty")


def test_names_from_the_plan_stay_literals() -> None:
    hostile = Session("x'] ; DROP DATABASE y; --", "sql01", "sql02", "TCP://w'; --:7022")
    pre, post = steps.pre_query([hostile], 60), steps.post_query([hostile])
    assert "ALTER DATABASE [x']] ; DROP DATABASE y; --] SET PARTNER FAILOVER;" in pre
    assert "d.name = N'x''] ; DROP DATABASE y; --'" in pre
    assert "SET WITNESS = N'TCP://w''; --:7022';" in post
    assert "ALTER DATABASE [x']] ; DROP DATABASE y; --] SET PARTNER RESUME;" in post


@pytest.mark.parametrize(
    ("recur_every", "element"),
    [
        ("1Week Saturday", "<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek><Saturday /></DaysOfWeek>"
                           "</ScheduleByWeek>"),
        ("2Weeks Saturday,Sunday", "<ScheduleByWeek><WeeksInterval>2</WeeksInterval><DaysOfWeek><Saturday />"
                                   "<Sunday /></DaysOfWeek></ScheduleByWeek>"),
        ("Day", "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>"),
        ("3Days", "<ScheduleByDay><DaysInterval>3</DaysInterval></ScheduleByDay>"),
    ],
)  # fmt: skip
def test_recurrences_become_task_scheduler_calendars(recur_every: str, element: str) -> None:
    assert calendar(recur_every) == element


def test_a_monthly_weekday_names_its_week_and_every_month() -> None:
    root = ET.fromstring(f"<r>{calendar('Month Second Sunday')}</r>")
    assert [w.text for w in root.iter("Week")] == ["2"]
    assert [d.tag for d in root.find("ScheduleByMonthDayOfWeek/DaysOfWeek")] == ["Sunday"]  # type: ignore[union-attr]
    months = [m.tag for m in root.find("ScheduleByMonthDayOfWeek/Months")]  # type: ignore[union-attr]
    assert months == ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]  # fmt: skip
    assert [w.text for w in ET.fromstring(f"<r>{calendar('Month Last Saturday')}</r>").iter("Week")] == ["Last"]


@pytest.mark.parametrize("recur_every", ["Month day23,day24", "2Months Second Sunday", "Month Fifth Sunday",
                                         "Month Second Sunday Offset3", "Week", "1Week Caturday"])  # fmt: skip
def test_a_recurrence_task_scheduler_cannot_express_has_no_calendar(recur_every: str) -> None:
    assert calendar(recur_every) is None


def task(xml: str) -> ET.Element:
    return ET.fromstring(xml.replace('encoding="UTF-16"', ""))


@pytest.mark.parametrize(("time_zone", "boundary"), [("UTC", "2027-01-09T00:30:00Z"),
                                                     ("GMT Standard Time", "2027-01-09T00:30:00")])  # fmt: skip
def test_the_pre_task_runs_thirty_minutes_before_the_window_as_system_never_late(time_zone: str, boundary: str) -> None:
    window = PatchWindowConfig(start="01:00", recur_every="1Week Saturday")
    root = task(steps.task_xml(schedule(window, "2027-01-09 01:00", time_zone), "d"))
    (trigger,) = root.iter(f"{TASK}CalendarTrigger")
    assert trigger.findtext(f"{TASK}StartBoundary") == boundary
    assert trigger.find(f"{TASK}Repetition") is None, "one run per window, no repetition"
    # triggerBaseType is an xs:sequence (Enabled, StartBoundary, EndBoundary, Repetition, ExecutionTimeLimit), which
    # calendarTriggerType extends with its ScheduleBy... choice
    # (learn.microsoft.com/windows/win32/taskschd/taskschedulerschema-triggerbasetype-complextype)
    assert [c.tag[len(TASK) :] for c in trigger] == ["Enabled", "StartBoundary", "ScheduleByWeek"]
    assert [d.tag for d in trigger.iter() if d.tag.startswith(TASK) and d.tag[len(TASK) :] == "Saturday"]
    assert root.findtext(f"{TASK}Principals/{TASK}Principal/{TASK}UserId") == "S-1-5-18"
    assert root.findtext(f"{TASK}Settings/{TASK}StartWhenAvailable") == "false"
    assert root.findtext(f"{TASK}Settings/{TASK}ExecutionTimeLimit") == "PT20M"
    assert root.findtext(f"{TASK}Actions/{TASK}Exec/{TASK}Command") == "powershell.exe"


def plan_of(**overrides: Any) -> Plan:
    return plan_topology(changed(MIRRORED, **overrides))


def test_both_partners_of_each_mirrored_pair_get_the_steps_not_the_witness() -> None:
    plan = plan_of()
    assert set(sessions(plan)) == {"pchat01-sql", "pchat01-sqlm"}
    assert sessions(plan)["pchat01-sqlm"] == (
        Session("mgc", "pchat01-sqlm.corp.contoso.com", "pchat01-sql", WITNESS_ADDRESS),
    )
    assert sessions(plan_of(patching={"enabled": False})) == {}


@pytest.mark.parametrize(
    ("patching", "path"),
    [
        ({"timeZone": "W. Europe Standard Time"}, "patching.timeZone"),
        ({"windows": [{"start": "00:15", "recurEvery": "Month Second Saturday"}, {"start": "01:00"},
                      {"start": "05:00"}]}, "patching.windows.0.start"),
        ({"windows": [{"start": "01:00", "recurEvery": "Month day15"}, {"start": "01:00"}, {"start": "05:00"}]},
         "patching.windows.0.recurEvery"),
    ],
)  # fmt: skip
def test_a_window_the_step_cannot_follow_is_warned_about_and_gets_no_step(patching: dict[str, Any], path: str) -> None:
    plan = plan_of(patching=patching)
    notes = [w for w in plan.warnings if w.startswith(path + ":")]
    assert len(notes) == 1 and "no pre-maintenance failover" in notes[0], plan.warnings
    assert "pchat01-sqlm" not in sessions(plan)  # the mirror patches in wave 1


def test_the_steps_need_the_partner_and_witness_endpoints_in_a_patch_wave() -> None:
    found = {(x.runs_on, x.target, x.port) for x in needs(plan_of()) if x.action.startswith("pchat-maintenance")}
    assert found == {
        ("pchat01-sql", "pchat01-sqlm", MIRRORING), ("pchat01-sql", "pchat01-sqlw", WITNESS),
        ("pchat01-sqlm", "pchat01-sql", MIRRORING), ("pchat01-sqlm", "pchat01-sqlw", WITNESS),
    }  # fmt: skip
    assert {(x.identity, x.when) for x in needs(plan_of()) if x.action.startswith("pchat-maintenance")} == {
        (SQL_SERVICE, PATCH_WAVE)
    }


WINDOWS = [
    {"start": "2027-03-06 01:00", "recurEvery": "Month First Saturday"},
    {"start": "02:00", "recurEvery": "1Week Sunday"},
    {"start": "05:00", "recurEvery": "1Week Sunday"},
]
"""UTC (the default ``patching.timeZone``): a fixed first start for wave 1 (the mirror), a computed one for wave 2."""
GRAPH = lazy_list(
    lambda: synthesized(
        {"pchat:topology": changed(MIRRORED, monitoring={"emails": ["ops@contoso.com"]}, patching={"windows": WINDOWS})}
    )
)


def test_each_partner_runs_the_registration_once_its_vm_is_ready() -> None:
    commands = {r.name: r for r in of_type(GRAPH, RUN_COMMAND) if r.inputs["runCommandName"] == "pchat-maintenance"}
    assert set(commands) == {"pchat01-sql-pchat-maintenance", "pchat01-sqlm-pchat-maintenance"}
    for command in commands.values():
        assert command.inputs["treatFailureAsDeploymentFailure"] is True
        assert command.inputs["asyncExecution"] is False


def registered(server: str) -> tuple[str, dict[str, Any]]:
    (command,) = [r for r in of_type(GRAPH, RUN_COMMAND) if r.name == f"{server}-pchat-maintenance"]
    script = command.inputs["source"]["script"]
    assert ps.errors(script) == []
    return script, settings(script)


def test_the_mirror_s_trigger_follows_its_wave_1_window_from_the_configuration_s_start() -> None:
    _, cfg = registered("pchat01-sqlm")
    root = task(cfg["PreTaskXml"])
    (trigger,) = root.iter(f"{TASK}CalendarTrigger")
    assert trigger.findtext(f"{TASK}StartBoundary") == "2027-03-06T00:30:00Z"  # UTC windows: 01:00 less 30 min
    assert [w.text for w in trigger.iter(f"{TASK}Week")] == ["1"]
    days = trigger.find(f"{TASK}ScheduleByMonthDayOfWeek/{TASK}DaysOfWeek")
    assert days is not None and [d.tag[len(TASK) :] for d in days] == ["Saturday"]


def test_the_principal_s_trigger_follows_its_computed_wave_2_window() -> None:
    (configuration,) = [r for r in GRAPH if r.name.endswith("-wave2") and "MaintenanceConfiguration" in r.type]
    start = configuration.inputs["startDateTime"]
    _, cfg = registered("pchat01-sql")
    (trigger,) = task(cfg["PreTaskXml"]).iter(f"{TASK}CalendarTrigger")
    assert start.endswith(" 02:00")
    assert trigger.findtext(f"{TASK}StartBoundary") == start[:10] + "T01:30:00Z"


def test_the_step_script_parses_runs_sqlcmd_on_its_instance_and_reports_failures_as_the_alert_reads() -> None:
    script, cfg = registered("pchat01-sqlm")
    step = cfg["Script"]
    assert ps.errors(step) == []
    inner = settings(step)
    assert inner["Instance"] == "pchat01-sqlm.corp.contoso.com"
    assert (inner["EventSource"], inner["FailedEventId"]) == ("PChatMaintenance", 1)
    (sqlcmd,) = ps.commands(ps.parse(step), "sqlcmd.exe")
    assert ps.text(sqlcmd.parameters["-s"]) == "$cfg.Instance"  # type: ignore[arg-type]
    assert "-b" in sqlcmd.parameters, "a batch error fails the step"
    assert "-x" in sqlcmd.parameters, "sqlcmd -x: no scripting-variable substitution in a value from the plan"
    (error,) = [c for c in ps.commands(ps.parse(step), "Write-StepEvent") if ps.text(c.arguments[0]) == "Error"]
    assert ps.text(error.arguments[1]) == "$cfg.FailedEventId"
    (alert,) = [r for r in GRAPH if r.name.endswith("maintenance-failed")]
    assert 'Source == "PChatMaintenance" and EventID == 1' in alert.inputs["criteria"]["allOf"][0]["query"]
    (register,) = [c for c in ps.commands(ps.parse(script), "Register-ScheduledTask") if "-xml" in c.parameters]
    assert ps.text(register.parameters["-xml"]) == "$xml"  # type: ignore[arg-type]


def test_the_step_folder_is_locked_down_before_the_script_is_written_and_the_tasks_registered() -> None:
    """The tasks run the script as SYSTEM: only SYSTEM and the Administrators may change it (the backup task's
    folder and its Protect-Folder, tests/install/test_folder_acls.py)."""
    script, cfg = registered("pchat01-sql")
    assert_locked_down(script)
    assert cfg["ScriptFolder"] == "C:\\ProgramData\\lync-pchat"  # the one folder (tests/install/test_folder_acls.py)
    assert_saved_locked_down(script)
    body = script[script.index("\n$path = Save-TaskScript $cfg.ScriptFolder $cfg.ScriptName $cfg.Script") :]
    assert body.index("Save-TaskScript") < body.index("Register-ScheduledTask")


def test_a_weekly_window_just_after_midnight_gets_its_step_on_the_day_before() -> None:
    """00:15 on Sunday less 30 minutes is 23:45 on Saturday; a monthly weekday has no day before to name."""
    window = PatchWindowConfig(start="00:15", recur_every="1Week Sunday,Monday")
    trigger = schedule(window, "2027-01-10 00:15", "UTC")
    assert trigger.start == "2027-01-09T23:45:00Z"
    assert trigger.element == (
        "<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek><Saturday /><Sunday /></DaysOfWeek>"
        "</ScheduleByWeek>"
    )
    plan = plan_of(patching={"windows": [{"start": "00:15", "recurEvery": "1Week Saturday"}, {"start": "01:00"},
                                         {"start": "05:00"}]})  # fmt: skip
    assert "pchat01-sqlm" in sessions(plan)
    assert not [w for w in plan.warnings if "pre-maintenance" in w]
