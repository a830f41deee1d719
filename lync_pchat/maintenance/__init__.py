"""The pre- and post-maintenance steps of each SQL Server partner of a mirrored store, rendered from the plan
(:mod:`lync_pchat.model.maintenance` says what they do and why). Imports no Pulumi.

:func:`register_script` is what a managed Run Command runs (as SYSTEM) on the partner's VM: it writes
:func:`step_script` beside the backup task's, and registers two Windows scheduled tasks: ``\\PChat\\PreMaintenance``
(:data:`~lync_pchat.model.maintenance.LEAD_MINUTES` before each of the server's windows, the same recurrence) and
``\\PChat\\RestoreWitness`` (every :data:`~lync_pchat.model.maintenance.RESTORE_MINUTES`: a suspended session
resumed, the witness added back). Both steps are one T-SQL batch each, run with sqlcmd on the local instance; every
value in them is a T-SQL literal or identifier through :mod:`lync_pchat.scripting.quoting`, every value in the
scripts a PowerShell literal (``scripting.powershell``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

from ..model import needs as n
from ..model.host import HOST_FOLDER
from ..model.maintenance import (
    DONE_EVENT,
    EVENT_SOURCE,
    FAILED_EVENT,
    LEAD_MINUTES,
    RESTORE_MINUTES,
    STEP_LIMIT_MINUTES,
    WITNESS_OFF,
    Schedule,
    Session,
    sessions,
)
from ..model.plan import Plan
from ..model.ports import MIRRORING, WITNESS
from ..scripting import powershell, quoting
from .scripts import TEMPLATES

TASK_PATH = "\\PChat\\"
PRE_TASK, POST_TASK = "PreMaintenance", "RestoreWitness"
SCRIPT_NAME = "Invoke-PChatMaintenance.ps1"
REGISTER = "Register-PChatMaintenance.ps1"
PRINCIPAL, SUSPENDED, SYNCHRONIZED = 1, 0, 4
"""``sys.database_mirroring``: ``mirroring_role`` 1 = Principal, ``mirroring_state`` 0 = Suspended, 4 = Synchronized
(learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-database-mirroring-transact-sql)."""
WITNESS_SET = " AND m.mirroring_witness_name <> N''"
"""The ``_mirroring`` condition: the session has a witness (its name neither empty nor NULL)."""
SYSTEM_SID = "S-1-5-18"
"""LocalSystem, whom both tasks run as (the backup task's account)."""


def _mirroring(database: str, condition: str = "") -> str:
    """``EXISTS`` a ``sys.database_mirroring`` row of ``database`` on this instance as principal (and ``condition``)."""
    return (
        "EXISTS (SELECT 1 FROM sys.database_mirroring AS m JOIN sys.databases AS d ON d.database_id = m.database_id "
        f"WHERE d.name = {quoting.tsql(database)} AND m.mirroring_role = {PRINCIPAL}{condition})"
    )


def pre_query(own: Sequence[Session], window_minutes: int) -> str:
    """The pre-maintenance batch: for each store this instance is the principal of, with its partner SYNCHRONIZED,
    the store recorded in maintenance until the window's end, the witness (if set) removed, then a manual failover,
    in the rolling upgrade's order [DBM:upgrading-mirrored-instances.md]; a principal whose partner is not
    SYNCHRONIZED is counted and raised once every store was tried (no failover: SQL Server takes one only from a
    synchronized session)."""
    prop = quoting.tsql(WITNESS_OFF)
    record = quoting.tsql(
        "IF EXISTS (SELECT 1 FROM sys.extended_properties WHERE class = 0 AND name = @p) "
        "EXEC sys.sp_updateextendedproperty @name = @p, @value = @v "
        "ELSE EXEC sys.sp_addextendedproperty @name = @p, @value = @v;"
    )
    lines = [
        "SET NOCOUNT ON;",
        f"DECLARE @until datetime2 = DATEADD(MINUTE, {LEAD_MINUTES + window_minutes}, SYSUTCDATETIME()),"
        " @refused int = 0;",
    ]
    for session in own:
        name, db = quoting.tsql(session.database), quoting.tsql_name(session.database)
        lines.append(f"IF {_mirroring(session.database)} BEGIN")
        lines.append(f"IF {_mirroring(session.database, f' AND m.mirroring_state = {SYNCHRONIZED}')} BEGIN")
        lines.append(f"EXEC {db}.sys.sp_executesql {record}, N'@p sysname, @v datetime2', @p = {prop}, @v = @until;")
        if session.witness is not None:
            lines += [
                f"IF {_mirroring(session.database, WITNESS_SET)} BEGIN",
                f"ALTER DATABASE {db} SET WITNESS OFF;",
                f"PRINT {name} + N': witness removed until ' + CONVERT(nvarchar(30), @until, 126) + N' UTC'; END;",
            ]
        lines += [
            f"ALTER DATABASE {db} SET PARTNER FAILOVER;",
            f"PRINT {name} + N': failed over to the mirror'; END",
            f"ELSE BEGIN SET @refused += 1; PRINT {name} + N': principal here, mirror not SYNCHRONIZED'; END; END;",
        ]
    lines.append(
        "IF @refused > 0 RAISERROR (N'%d store(s) not failed over: their mirror is not SYNCHRONIZED', 16, 1, @refused);"
    )
    return " ".join(lines)


def post_query(own: Sequence[Session]) -> str:
    """The after-maintenance batch: for each store this instance is now the principal of, whose maintenance
    record has expired, mirroring resumed if it is SUSPENDED, the witness (if the plan has one) added back unless
    one is set (someone set it during the window), and the record dropped; each store tried, a failure raised at
    the end (the record stays: the next run tries again). A failover from an earlier to an updated instance
    suspends the session, which "cannot be resumed until the other partner has been upgraded"; the rolling
    upgrade then resumes it [DBM:upgrading-mirrored-instances.md]."""
    due = quoting.tsql(
        "SELECT @due = COUNT(*) FROM sys.extended_properties WHERE class = 0 AND name = @p "
        "AND CONVERT(datetime2, value) <= SYSUTCDATETIME();"
    )
    prop = quoting.tsql(WITNESS_OFF)
    lines = ["SET NOCOUNT ON;", "DECLARE @due int, @failed int = 0;"]
    for session in own:
        name, db = quoting.tsql(session.database), quoting.tsql_name(session.database)
        lines += [
            f"IF {_mirroring(session.database)} BEGIN SET @due = 0;",
            f"EXEC {db}.sys.sp_executesql {due}, N'@p sysname, @due int OUTPUT', @p = {prop}, @due = @due OUTPUT;",
            "IF @due > 0 BEGIN BEGIN TRY",
            f"IF {_mirroring(session.database, f' AND m.mirroring_state = {SUSPENDED}')} BEGIN",
            f"ALTER DATABASE {db} SET PARTNER RESUME; PRINT {name} + N': mirroring resumed'; END;",
        ]
        if session.witness is not None:
            lines += [
                f"IF NOT {_mirroring(session.database, WITNESS_SET)} BEGIN",
                f"ALTER DATABASE {db} SET WITNESS = {quoting.tsql(session.witness)};",
                f"PRINT {name} + N': witness added back'; END;",
            ]
        lines += [
            f"EXEC {db}.sys.sp_dropextendedproperty @name = {prop};",
            "END TRY BEGIN CATCH SET @failed += 1;",
            f"PRINT {name} + N': not restored after maintenance: ' + ERROR_MESSAGE(); END CATCH; END; END;",
        ]
    lines.append(
        "IF @failed > 0 RAISERROR (N'%d store(s) not restored after maintenance (mirroring resumed, witness added "
        "back)', 16, 1, @failed);"
    )
    return " ".join(lines)


def task_xml(schedule: Schedule, description: str) -> str:
    """The pre-maintenance task (Task Scheduler schema 1.2, Windows Server 2008 and later): a calendar trigger
    without repetition, as SYSTEM, never started late (a missed run would fail over in the middle of the window:
    ``StartWhenAvailable`` false), stopped after :data:`STEP_LIMIT_MINUTES`. The trigger's children in the order
    of the schema's ``triggerBaseType`` sequence (``Enabled``, ``StartBoundary``), then the ``ScheduleBy...``.
    ``__ARGUMENTS__`` is where the registration puts the command line, which names the script's path on the
    server."""
    return (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">'
        f"<RegistrationInfo><Description>{escape(description)}</Description></RegistrationInfo>"
        f"<Triggers><CalendarTrigger><Enabled>true</Enabled><StartBoundary>{schedule.start}</StartBoundary>"
        f"{schedule.element}</CalendarTrigger></Triggers>"
        f'<Principals><Principal id="System"><UserId>{SYSTEM_SID}</UserId><RunLevel>HighestAvailable</RunLevel>'
        "</Principal></Principals>"
        "<Settings><MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>"
        "<DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>"
        "<StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>"
        "<StartWhenAvailable>false</StartWhenAvailable>"
        f"<ExecutionTimeLimit>PT{STEP_LIMIT_MINUTES}M</ExecutionTimeLimit><Enabled>true</Enabled></Settings>"
        '<Actions Context="System"><Exec><Command>powershell.exe</Command><Arguments>__ARGUMENTS__</Arguments>'
        "</Exec></Actions></Task>"
    )


def step_script(own: Sequence[Session], window_minutes: int) -> str:
    """The script both tasks run (``-Step Pre`` or ``-Step Post``) on a partner whose sessions are ``own``."""
    (instance,) = {s.instance for s in own}
    return _render(
        SCRIPT_NAME,
        {
            "Instance": instance,
            "PreQuery": pre_query(own, window_minutes),
            "PostQuery": post_query(own),
            "EventSource": EVENT_SOURCE,
            "FailedEventId": FAILED_EVENT,
            "DoneEventId": DONE_EVENT,
        },
    )


def register_script(server: str, plan: Plan, schedule: Schedule, window_minutes: int) -> str:
    """What the Run Command runs on ``server`` (a partner, :func:`~lync_pchat.model.maintenance.sessions`): the
    step script written, the two tasks registered. ``schedule``: its window's pre-maintenance trigger."""
    own = sessions(plan)[server]
    description = (
        f"Before this server's patch window: fail its principal databases over to a SYNCHRONIZED mirror and "
        f"remove the witness (lync-pchat, {EVENT_SOURCE} events)"
    )
    return _render(
        REGISTER,
        {
            "ScriptFolder": HOST_FOLDER,
            "ScriptName": SCRIPT_NAME,
            "Script": step_script(own, window_minutes),
            "TaskPath": TASK_PATH,
            "PreTask": PRE_TASK,
            "PreTaskXml": task_xml(schedule, description),
            "PostTask": POST_TASK,
            "EventSource": EVENT_SOURCE,
        },
        {"restore_minutes": str(RESTORE_MINUTES)},
    )


def _render(name: str, settings: dict[str, str | int | None], inline: dict[str, str] | None = None) -> str:
    return TEMPLATES.fill(name, settings="$cfg = " + powershell(settings), **(inline or {}))


def needs(plan: Plan) -> Iterator[n.Need]:
    """What the steps reach in a patch wave, as the partner's SQL Server: the failover goes through the partner's
    mirroring endpoint; removing and adding back the witness through the witness's endpoint."""
    for server, own in sessions(plan).items():
        sql = n.Origin(f"pchat-maintenance:{server}", server, n.SQL_SERVICE, n.PATCH_WAVE)
        for session in own:
            yield sql.to(session.partner, MIRRORING, f"{session.database}: manual failover before the patch window")
            if session.witness is not None:
                witness = session.witness.removeprefix("TCP://").rsplit(":", 1)[0]
                yield sql.to(witness, WITNESS, f"{session.database}: the witness removed and added back")
