"""The cumulative update on the parse tree, against the documented update procedure.

Oracles: [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] (stop the services,
stop IIS, close the shells, install, a new shell stops the services again, restart IIS, on Standard Edition
``Install-CsDatabase -Update -LocalDatabases``, start the services); [lync-install.md 1.6]. It runs in a Run
Command of its own, before the pool's databases: they are created with the updated tools (the Lync admin review
of issue 10), and no shell of the run holds the files the update replaces.
"""

from __future__ import annotations

import pytest

from lync_pchat import install
from lync_pchat.model import plan_topology

from .. import powershell as ps
from .support import BARE, FULL, STANDARD, assert_guarded, function, installing, main_block, settings, steps

ACTIVE = install.update_script(FULL.server("pchat01-a1"), FULL)
SE = install.update_script(STANDARD.pools[0].servers[0], STANDARD)


def test_one_step_guarded_by_the_record_of_the_installer() -> None:
    assert [name for name, _ in steps(ACTIVE)] == ["Check that the run is elevated", "Install the cumulative update"]
    attempt = main_block(ACTIVE)
    (update,) = ps.commands(attempt, "Install-Update")
    assert_guarded(update.node, "Test-UpdateRecorded")


def test_without_an_update_there_is_no_update_script() -> None:
    with pytest.raises(ValueError, match=r"^software\.updateInstaller is not set"):
        install.update_script(BARE.server("pchat01-a1"), BARE)


def test_the_update_is_recorded_and_runs_once_per_installer() -> None:
    """A new installer path runs the update again; the same path skips it. The path is recorded once the update
    and its follow-up ran."""
    values = settings(ACTIVE)
    assert values["UpdateInstaller"] == "LyncServerUpdateInstaller.exe"
    assert values["UpdateKey"] == "HKLM:\\SOFTWARE\\lync-pchat"
    recorded = ps.text(function(ACTIVE, "Test-UpdateRecorded"))
    assert "Get-ItemProperty -Path $cfg.UpdateKey -Name $cfg.UpdateValue" in recorded and "-eq $Installer" in recorded
    body = function(ACTIVE, "Install-Update")
    (record,) = ps.commands(body, "Set-ItemProperty")
    assert ps.text(record.parameters["-value"]) == "$Installer"  # type: ignore[arg-type]
    (native,) = ps.commands(body, "Install-UpdateInstaller")
    assert record.node.start_byte > native.node.start_byte


def test_the_update_follows_the_documented_procedure() -> None:
    body = function(ACTIVE, "Install-Update")
    text = ps.text(body)
    needles = [
        "Get-RunningService",  # what to start again at the end
        "Stop-CsWindowsService }",  # step 4, in a shell of its own
        "Stop-Service -Name W3SVC",  # step 5
        "Install-UpdateInstaller $Installer",  # step 7 (switch UNCONFIRMED), its effect checked
        "Stop-CsWindowsService\n",  # step 9, in a new shell
        "Start-Service -Name W3SVC",  # step 10
        "Set-ItemProperty",
        "Get-PendingRestart",
        "Start-CsWindowsService -Name $n",  # step 12: the services that ran
    ]
    positions = [text.index(n) for n in needles]
    assert positions == sorted(positions)
    (native,) = ps.commands(function(ACTIVE, "Install-UpdateInstaller"), "Invoke-Native")
    assert [ps.text(a) for a in native.arguments] == ["$path", "@('/silentmode')"], "no /forcereboot: no restart"
    assert ps.text(native.parameters["-success"]) == "@(0, 3010)"  # type: ignore[arg-type]
    shells = [c for c in ps.commands(body, "Invoke-LyncShell")]
    assert len(shells) == 3, "a new Lync Server Management Shell before, after, and to start the services"
    assert "Install-CsDatabase -Update -LocalDatabases" in text
    assert settings(SE)["LocalDatabasesService"] == "MSSQL$RTC" and settings(ACTIVE)["LocalDatabasesService"] is None


def test_the_standard_edition_databases_are_updated_only_once_they_exist() -> None:
    """On the first install phase B creates them after the update, with the updated tools; the update
    procedure's step 11 (-Update -LocalDatabases) applies to databases that exist."""
    body = ps.text(function(SE, "Install-Update"))
    assert "$updateLocal = [bool]($cfg.LocalDatabasesService -and (Test-Service $cfg.LocalDatabasesService))" in body
    assert "Invoke-LyncShell $after $updateLocal" in body


def test_a_restart_the_update_asks_for_stops_the_run_before_the_services_start() -> None:
    body = function(ACTIVE, "Install-Update")
    (check,) = [n for n in ps.of_type(body, "if_statement") if "$reasons.Count -gt 0" in ps.text(n)]
    assert [ps.text(c.node) for c in ps.commands(check, "Request-Restart")] == ["Request-Restart $reasons"]
    (start,) = [n for n in ps.of_type(body, "if_statement") if "$running.Count -gt 0" in ps.text(n)]
    assert check.end_byte < start.start_byte


def test_no_shell_of_this_run_loads_the_lync_module_before_the_update() -> None:
    tree = ps.parse(ACTIVE)
    assert ps.commands(tree, "Import-LyncModule") == []
    shell = ps.text(function(ACTIVE, "Invoke-LyncShell"))
    assert "& powershell.exe -NoProfile -NonInteractive -Command $Block" in shell and "$LASTEXITCODE -ne 0" in shell


def test_a_new_update_copies_itself_then_installs() -> None:
    """An update uploaded after phase A copied the media: the update copies what is missing (the same guarded
    copy, from the same folder), then installs it. Phase A's script does not name the update, so a new one
    changes (and re-runs) the update alone."""
    attempt = main_block(ACTIVE)
    (update,) = ps.commands(attempt, "Install-Update")
    (copy,) = ps.commands(attempt, "Copy-Media")
    assert_guarded(copy.node, "Test-UpdateRecorded")
    assert copy.node.start_byte < update.node.start_byte
    server_script = install.server_script(FULL.server("pchat01-a1"), FULL)
    values, server = settings(ACTIVE), settings(server_script)
    for key in ("MediaContainerUrl", "MediaPrefix", "MediaFolder"):
        assert values[key] == server[key]
    assert "UpdateInstaller" not in server and "LyncServerUpdateInstaller" not in server_script
    assert "LyncServerUpdateInstaller" not in install.start_script(FULL.server("pchat01-a1"), FULL)


def test_an_update_under_a_folder_is_a_windows_path_under_the_media_copy() -> None:
    from ..model.configs import enterprise

    plan = plan_topology(installing(enterprise(), updateInstaller="cu2023-02/LyncServerUpdateInstaller.exe"))
    values = settings(install.update_script(plan.server("pchat01-a1"), plan))
    assert values["UpdateInstaller"] == "cu2023-02\\LyncServerUpdateInstaller.exe"
