"""The Run Command of each install phase, and the on-disk protocol that carries a phase across restarts.

A Run Command runs ``Invoke-InstallPhase.ps1`` as SYSTEM (no ``runAsUser``). It writes the phase script to the
server, registers it as a scheduled task that runs as ``software.setupUser`` with the highest privileges (the
elevated token, whatever UAC filters for a Secondary Logon), starts it, and waits for the task's marker on disk.
A step that needs a restart records ``restart`` and ends; the Run Command that waits schedules the restart as its
last action and succeeds; the phase's next Run Command (``<phase>-resume<n>``) waits, after the restart, for the
same task, which runs again at startup and skips every step it finds done. So a phase survives ``restarts``
restarts within one ``pulumi up``. A new ``software.runToken`` (or a new phase script) is a new run id: the
marker of the previous run no longer counts, and every phase runs again.

The decision functions below are the protocol; the PowerShell follows them branch for branch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from ..model.host import HOST_FOLDER
from ..scripting import Value, packing
from .scripts import render

SCRIPT = "Invoke-InstallPhase.ps1"
TASK_PATH = "\\lync-pchat\\"
RESTART_DELAY = 60
"""Seconds between the restart's scheduling and the restart: the Run Command reports its result first."""
POLL = 15
"""Seconds between two reads of the marker."""
MARGIN = 10
"""Minutes of the Run Command's timeout left for registering the task and reporting."""

QUEUED, RUNNING, RESTART, DONE, FAILED = "queued", "running", "restart", "done", "failed"
"""What the marker says: written by the Run Command (queued), then by the phase script (the others)."""
BEGIN, WAIT, FINISH, FAIL, REBOOT, KICK, EXHAUSTED = "start", "wait", "done", "failed", "restart", "kick", "exhausted"
"""What the Run Command does."""


@dataclass(frozen=True)
class Phase:
    """One install phase: its Run Command's name, timeout and the restarts it may ask for."""

    name: str
    timeout: int
    """Seconds the phase script may run, per Run Command."""
    restarts: int
    """How many restarts the phase may take: each one is a resume Run Command."""

    def commands(self) -> tuple[str, ...]:
        """The phase's Run Commands in order: the phase itself, then one resume per restart."""
        return (self.name, *(resume_name(self.name, n) for n in range(1, self.restarts + 1)))


INSTALL = Phase("pchat-install", 4 * 3600, 3)
"""Phase A: copying the media and installing take hours, not the 90-minute default; restarts: one the bootstrap
left pending, the core components' 3010, and setup's ("If you're prompted to restart ... run Step 2 one more
time" [L:lync-server-2013-install-lync-server-server-components])."""
UPDATE = Phase("pchat-update", 2 * 3600, 1)
"""The cumulative update; the restart it may ask for."""
DATABASES = Phase("pchat-databases", 2 * 3600, 0)
"""Phase B on the install host: no step asks for a restart."""
CU_DATABASES = Phase("pchat-cu-databases", 2 * 3600, 0)
"""The database step of a cumulative update, once per pool on its install host after every server's update (and
phase B): the ``cu-databases`` runbook; no step asks for a restart."""
START = Phase("pchat-start", 2 * 3600, 0)
"""Phase C: no step asks for a restart."""
RELEASE = Phase("pchat-release", 2 * 3600, 0)
"""The end of the install, unless ``software.keepSetupRights``: the setup account's standing rights removed."""
SHIPPING = Phase("pchat-log-shipping", 2 * 3600, 0)
"""Disaster recovery armed, on the pool's backup store after the databases and every start, before the release:
no step asks for a restart."""
VERIFY = Phase("pchat-verify", 2 * 3600, 0)
"""The end of the install's checks, once per pool on its first active (or Standard Edition) server after every
start and the log shipping, before the release: the ``verify`` runbook's checks; no step asks for a restart."""
PHASES = (INSTALL, UPDATE, DATABASES, CU_DATABASES, START, SHIPPING, VERIFY, RELEASE)


def resume_name(phase: str, attempt: int) -> str:
    return f"{phase}-resume{attempt}"


def state_path(phase: str) -> str:
    """The phase's marker (JSON)."""
    return f"{HOST_FOLDER}\\{phase}.json"


def log_path(phase: str) -> str:
    """The phase's log, beside its marker: the phase script derives it from ``State`` (Write-PhaseLog)."""
    return state_path(phase).removesuffix(".json") + ".log"


def run_id(script: str, token: str | None) -> str:
    """What one run of a phase is: its script and the run token. A new token runs every phase again."""
    return hashlib.sha256(f"{token or ''}\n{script}".encode()).hexdigest()[:32]


def first_action(state: Mapping[str, object] | None, run: str, attempt: int) -> str:
    """What a Run Command does on arrival. A marker of another run starts the phase; a finished one is reported;
    a failed one is retried only by the phase's first command (a resume reports it); else it waits."""
    if state is None or state.get("RunId") != run:
        return BEGIN
    status = state.get("Status")
    if status == DONE:
        return FINISH
    if status == FAILED:
        return BEGIN if attempt == 0 else FAIL
    return WAIT


def wait_action(state: Mapping[str, object], boot: str, attempt: int, restarts: int) -> str:
    """What a waiting Run Command does with the marker it reads. ``restart`` recorded in this boot is the
    restart to schedule (the last action of this command, when a resume follows); recorded in an earlier boot,
    the restart happened and the task runs again at startup (kicked when it did not)."""
    status = state.get("Status")
    if status == DONE:
        return FINISH
    if status == FAILED:
        return FAIL
    if status == RESTART:
        if state.get("Boot") != boot:
            return KICK
        return REBOOT if attempt < restarts else EXHAUSTED
    return WAIT


def supervisor_script(
    phase: Phase, script: str, *, setup_user: str, token: str | None, attempt: int = 0
) -> str:  # fmt: skip
    """The Run Command script of ``phase`` (``attempt`` 0) or of its ``attempt``-th resume."""
    if not 0 <= attempt <= phase.restarts:
        raise ValueError(f"{phase.name} has {phase.restarts} resume(s), not {attempt}")
    commands = phase.commands()
    settings: dict[str, Value] = {
        "Phase": phase.name,
        "Command": commands[attempt],
        "Next": commands[attempt + 1] if attempt < phase.restarts else None,
        "Attempt": attempt,
        "Restarts": phase.restarts,
        "RunId": run_id(script, token),
        "SetupUser": setup_user,
        "Member": "WinNT://" + setup_user.replace("\\", "/"),
        "Folder": HOST_FOLDER,
        "State": state_path(phase.name),
        "ScriptPath": f"{HOST_FOLDER}\\{phase.name}.ps1",
        "LogPath": log_path(phase.name),
        "TaskPath": TASK_PATH,
        "TaskName": phase.name,
        "TimeoutMinutes": phase.timeout // 60 - MARGIN,
        "RestartDelay": RESTART_DELAY,
        "Poll": POLL,
        # gzip (no timestamp: the same script is the same command), so that the largest phase scripts fit.
        "Script": packing.pack(script),
    }
    return render(SCRIPT, settings)


def embedded(supervisor: str) -> str:
    """The phase script a rendered supervisor carries (for tests and reviews)."""
    start = supervisor.index("Script = '") + len("Script = '")
    return packing.unpack(supervisor[start : supervisor.index("'", start)])
