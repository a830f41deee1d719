"""The folders whose scripts SYSTEM or a task of run level highest runs, on the rendered scripts' parse trees: the
backup task's script folder (a SYSTEM task) and the install supervisor's state folder (the phase task runs its
script with the setup account's elevated token). A phase that cannot finish removes its task and stored password.

Oracles: icacls ``/setowner``, ``/inheritance:r`` (remove every inherited ACE), ``/grant:r`` (replace the explicit
rights), SIDs written ``*S-1-...`` (learn.microsoft.com/windows-server/administration/windows-commands/icacls);
well-known SIDs S-1-5-18 LocalSystem, S-1-5-32-544 Administrators, S-1-5-32-545 Users, S-1-5-11 Authenticated
Users, S-1-1-0 Everyone (learn.microsoft.com/windows/win32/secauthz/well-known-sids); Unregister-ScheduledTask
deletes the task and the credential stored with it (learn.microsoft.com/powershell/module/scheduledtasks/
unregister-scheduledtask)."""

from __future__ import annotations

import tree_sitter

from lync_pchat import backup_task as backup
from lync_pchat import install
from lync_pchat.model.host import HOST_FOLDER

from .. import powershell as ps
from .support import FULL, settings

URL = "https://stpchatexample.blob.core.windows.net/pchat-backups"
SYSTEM, ADMINISTRATORS = "*S-1-5-18", "*S-1-5-32-544"
FULL_CONTROL = {f"{SYSTEM}:(OI)(CI)F", f"{ADMINISTRATORS}:(OI)(CI)F"}
NOBODY_ELSE = ("S-1-5-32-545", "S-1-5-11", "S-1-1-0", "users", "everyone", "authenticated", "creator")
POOL = FULL.pools[0]
assert POOL.backup is not None
REGISTER = backup.register_script(POOL.backup.hosts[0], POOL.backup, URL)
PHASE = install.server_script(FULL.server("pchat01-a1"), FULL)
SUPERVISOR = install.supervisor_script(install.INSTALL, PHASE, setup_user="CORP\\svc-lyncsetup", token=None)


def function(script: str, name: str) -> tree_sitter.Node:
    (found,) = [
        n for n in ps.of_type(ps.parse(script), "function_statement") if any(ps.text(c) == name for c in n.children)
    ]
    return found


def icacls(node: tree_sitter.Node) -> list[list[str]]:
    """Each icacls call under ``node``: its arguments, single-quoted literals unquoted."""
    calls = []
    for call in ps.commands(node, "icacls.exe"):
        elements = [c for c in ps.walk(call.node) if c.parent is not None and c.parent.type == "command_elements"]
        words = [e for e in elements if e.type != "command_argument_sep"]
        calls.append([ps.literal(w) or ps.text(w) for w in words])
    return calls


def assert_locked_down(script: str) -> None:
    """Protect-Folder gives its folder to the Administrators, removes inheritance and leaves full control to SYSTEM
    and the Administrators only; it is the script's only icacls."""
    body = function(script, "Protect-Folder")
    calls = icacls(body)
    assert icacls(ps.parse(script)) == calls, "no other icacls in the script"
    owner, rights, reset = calls
    assert owner[:3] == ["$Path", "/setowner", ADMINISTRATORS]
    assert rights[0] == "$Path" and "/inheritance:r" in rights and "/grant:r" in rights
    grants = rights[rights.index("/grant:r") + 1 :]
    assert set(grants) - {"/Q"} == FULL_CONTROL, grants
    assert reset[0] == "$item.FullName" and "/reset" in reset
    for call in calls:
        assert not any(word in arg.lower() for arg in call for word in NOBODY_ELSE), call
        assert not any(arg.startswith(("/grant", "/inheritance")) for arg in call if call is not rights), call
    assert "/inheritance:e" not in rights and "/inheritance:d" not in rights
    (new,) = ps.commands(body, "New-Item")
    assert new.node.start_byte < min(c.node.start_byte for c in ps.commands(body, "icacls.exe"))


def assert_saved_locked_down(script: str) -> None:
    """The task's script is written only after its folder is locked down (Save-TaskScript, protect.ps1)."""
    save = ps.text(function(script, "Save-TaskScript"))
    assert save.index("Protect-Folder $Folder") < save.index("WriteAllText($path, $Text")


def calls_of(script: str, name: str) -> list[str]:
    return [ps.text(c.node) for c in ps.commands(ps.parse(script), name)]


def test_the_backup_task_folder_is_the_administrators_and_systems_only() -> None:
    assert_locked_down(REGISTER)
    assert calls_of(REGISTER, "Save-TaskScript") == ["Save-TaskScript $cfg.ScriptFolder $cfg.ScriptName $cfg.Script"]
    assert settings(REGISTER)["ScriptFolder"] == HOST_FOLDER
    assert_saved_locked_down(REGISTER)
    body = REGISTER[REGISTER.index("\n$path = Save-TaskScript") :]
    assert body.index("Save-TaskScript") < body.index("schtasks.exe /Create")


def test_the_install_state_folder_is_the_administrators_and_systems_only() -> None:
    assert_locked_down(SUPERVISOR)
    start = ps.text(function(SUPERVISOR, "Start-Phase"))
    assert [ps.text(c.node) for c in ps.commands(function(SUPERVISOR, "Start-Phase"), "Protect-Folder")] == [
        "Protect-Folder $cfg.Folder"
    ]
    assert start.index("Protect-Folder") < start.index("Set-Content -LiteralPath $cfg.ScriptPath")
    assert start.index("Protect-Folder") < start.index("Register-ScheduledTask")
    folder = settings(SUPERVISOR)["Folder"]
    assert folder == HOST_FOLDER
    assert settings(SUPERVISOR)["ScriptPath"].startswith(folder + "\\")
    assert settings(SUPERVISOR)["LogPath"].startswith(folder + "\\")


def test_a_timed_out_or_exhausted_phase_stops_and_removes_its_task_and_marks_itself_failed() -> None:
    stop = function(SUPERVISOR, "Stop-Phase")
    names = [c.name for c in ps.commands(stop)]
    assert names == ["Stop-ScheduledTask", "Remove-Task", "Set-PhaseState"]
    assert ps.text(ps.commands(stop, "Set-PhaseState")[0].arguments[0]) == "'failed'"
    (unregister,) = ps.commands(function(SUPERVISOR, "Remove-Task"), "Unregister-ScheduledTask")
    assert ps.text(unregister.parameters["-taskname"]) == "$cfg.TaskName"  # type: ignore[arg-type]
    branches = {
        "if ($action -eq 'exhausted') {": "Stop-Phase",
        "if ((Get-Date) -gt $deadline) {": "Stop-Phase",
        "if ($first -eq 'failed') {": "Remove-Task",
    }
    for branch, cleanup in branches.items():
        (found,) = [n for n in ps.of_type(ps.parse(SUPERVISOR), "if_statement") if ps.text(n).startswith(branch)]
        (call,) = ps.commands(found, cleanup)
        (throw,) = [n for n in ps.walk(found) if n.type == "flow_control_statement" and ps.text(n).startswith("throw")]
        assert call.node.start_byte < throw.start_byte, branch


def test_the_backup_task_and_the_install_phases_share_the_one_host_folder() -> None:
    """Issue 26: one folder of the project's on each server, named once; both scripts lock it down alike."""
    assert settings(REGISTER)["ScriptFolder"] == settings(SUPERVISOR)["Folder"] == "C:\\ProgramData\\lync-pchat"


def test_the_upload_state_of_the_former_backup_folder_is_carried_over_once() -> None:
    """Releases before issue 26 kept the task's files in ``C:\\ProgramData\\PChat`` (CHANGELOG, Unreleased): the
    register script copies that upload state into the one folder, after locking it down, only when none is there
    yet (``Copy-Item -LiteralPath``: learn.microsoft.com/powershell/module/microsoft.powershell.management/copy-item),
    so the freshness alert keeps the last upload times; the task reads the same file."""
    assert settings(REGISTER)["FormerStateFile"] == "C:\\ProgramData\\PChat\\backup-state.json"
    assert POOL.backup is not None
    task = backup.task_script(POOL.backup.hosts[0], POOL.backup, URL)
    assert settings(REGISTER)["StateFile"] == settings(task)["StateFile"] == f"{HOST_FOLDER}\\backup-state.json"
    copy = "Copy-Item -LiteralPath $cfg.FormerStateFile -Destination $cfg.StateFile"
    assert calls_of(REGISTER, "Copy-Item") == [copy]
    body = REGISTER[REGISTER.index("\n$path = Save-TaskScript") :]
    guard = "if (-not (Test-Path -LiteralPath $cfg.StateFile) -and (Test-Path -LiteralPath $cfg.FormerStateFile))"
    assert body.index("Save-TaskScript") < body.index(guard) < body.index("Copy-Item") < body.index("schtasks.exe")
