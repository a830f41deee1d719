"""The Run Command side of each phase (Invoke-InstallPhase.ps1), on its parse tree.

Sources: a protected parameter reaches a Windows script as ``-name value`` [AZ:windows/run-command-managed.md]
(lync-install.md §7); a task of run level "highest" runs with the highest privileges of its account, ignored only
for LocalSystem and with UAC off (learn.microsoft.com/windows/win32/taskschd/principal-runlevel);
``powershell.exe -NonInteractive`` presents no interactive prompt (about_PowerShell_exe).
"""

from __future__ import annotations

import pytest

from lync_pchat import install
from lync_pchat.install import supervisor as sv

from .. import powershell as ps
from .support import FULL, function, settings

PHASE = install.server_script(FULL.server("pchat01-a1"), FULL)
FIRST = install.supervisor_script(install.INSTALL, PHASE, setup_user="CORP\\svc-lyncsetup", token=None)
LAST = install.supervisor_script(install.INSTALL, PHASE, setup_user="CORP\\svc-lyncsetup", token=None, attempt=3)


def test_the_password_is_only_the_protected_parameter() -> None:
    root = ps.parse(FIRST)
    (block,) = ps.of_type(root, "param_block")
    assert ps.text(block) == "param([string]$SetupPassword)"
    uses = [n for n in ps.of_type(root, "variable") if ps.text(n).lower() == "$setuppassword"]
    assert len(uses) == 2, "declared, and passed once to Register-ScheduledTask"
    (register,) = ps.commands(root, "Register-ScheduledTask")
    assert ps.text(register.parameters["-password"]) == "$SetupPassword"  # type: ignore[arg-type]


def test_the_task_runs_as_the_setup_account_elevated_non_interactive_at_startup_and_now() -> None:
    root = ps.parse(FIRST)
    (register,) = ps.commands(root, "Register-ScheduledTask")
    assert ps.text(register.parameters["-user"]) == "$cfg.SetupUser"  # type: ignore[arg-type]
    assert ps.text(register.parameters["-runlevel"]) == "Highest"  # type: ignore[arg-type]
    assert settings(FIRST)["SetupUser"] == "CORP\\svc-lyncsetup"
    (action,) = ps.commands(root, "New-ScheduledTaskAction")
    assert ps.text(action.parameters["-execute"]) == "'powershell.exe'"  # type: ignore[arg-type]
    assert "-NonInteractive" in ps.text(action.parameters["-argument"])  # type: ignore[arg-type]
    (trigger,) = ps.commands(root, "New-ScheduledTaskTrigger")
    assert "-atstartup" in trigger.parameters
    start = function(FIRST, "Start-Phase")
    assert ps.text(start).index("Register-ScheduledTask") < ps.text(start).index("Start-ScheduledTask")
    assert ps.text(start).index("Grant-LocalAdministrator") < ps.text(start).index("Register-ScheduledTask")


def test_the_phase_script_carried_is_the_rendered_phase_and_the_settings_say_which_command_this_is() -> None:
    assert sv.embedded(FIRST) == PHASE
    first, last = settings(FIRST), settings(LAST)
    assert (first["Command"], first["Next"], first["Attempt"]) == ("pchat-install", "pchat-install-resume1", 0)
    assert (last["Command"], last["Next"], last["Attempt"]) == ("pchat-install-resume3", None, 3)
    assert first["RunId"] == last["RunId"] == sv.run_id(PHASE, None)
    assert first["TimeoutMinutes"] == 4 * 60 - sv.MARGIN
    with pytest.raises(ValueError, match="pchat-install has 3 resume"):
        install.supervisor_script(install.INSTALL, PHASE, setup_user="x\\y", token=None, attempt=4)


def test_the_run_id_changes_with_the_token_and_the_script_only() -> None:
    assert sv.run_id(PHASE, "a") != sv.run_id(PHASE, "b") != sv.run_id(PHASE, None)
    assert sv.run_id(PHASE, "a") == sv.run_id(PHASE, "a")
    assert sv.run_id(PHASE + " ", "a") != sv.run_id(PHASE, "a")


def test_the_restart_is_the_last_action_and_only_while_a_resume_follows() -> None:
    root = ps.parse(FIRST)
    restart = function(FIRST, "Invoke-Restart")
    (shutdown,) = [c for c in ps.commands(restart) if c.name.lower() == "shutdown.exe"]
    assert ps.text(shutdown.node).startswith("& shutdown.exe /r /t $cfg.RestartDelay")
    assert settings(FIRST)["RestartDelay"] == sv.RESTART_DELAY
    text = ps.text(root)
    assert "Invoke-Restart $state.Step\n            exit 0" in text
    assert "if ($cfg.Attempt -lt $cfg.Restarts) {\n            return 'restart'" in ps.text(
        function(FIRST, "Get-WaitAction")
    )


def test_the_task_and_its_stored_password_go_when_the_phase_is_over() -> None:
    text = ps.text(ps.parse(FIRST))
    assert text.count("Remove-Task") == 6, (
        "defined, and called when done or failed at arrival, when done, when failed, and by Stop-Phase"
    )
    remove = function(FIRST, "Remove-Task")
    (unregister,) = ps.commands(remove, "Unregister-ScheduledTask")
    assert "-confirm" in unregister.parameters
