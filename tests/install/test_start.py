"""Phase C on the parse tree, against the update procedure and the start of the services.

Oracles: [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] (stop the services,
stop IIS, close the shells, install, a new shell stops the services again, restart IIS, on Standard Edition
``Install-CsDatabase -Update -LocalDatabases``); [lync-install.md 1.4] steps 7 (Enable-CsComputer) and 8
(Start-CsWindowsService, best effort: verify with Get-CsWindowsService).
"""

from __future__ import annotations

from lync_pchat import install

from .. import powershell as ps
from .support import BARE, FULL, STANDARD, assert_guarded, first_position, function, main_block, settings, step, steps

ACTIVE = install.start_script(FULL.server("pchat01-a1"), FULL)
SE = install.start_script(STANDARD.pools[0].servers[0], STANDARD)
NO_UPDATE = install.start_script(BARE.server("pchat01-a1"), BARE)


def test_the_steps_run_in_the_documented_order() -> None:
    """The update first (the services are stopped for it), then steps 7 and 8, then the check."""
    names = [name for name, _ in steps(ACTIVE)]
    assert names == [
        "Install the cumulative update",
        "Load the Lync Server Management Shell",
        "Enable the computer",
        "Start the services",
        "Verify the services",
    ]
    attempt = main_block(ACTIVE)
    actions = ("Install-Update", "Enable-CsComputer", "Start-CsWindowsService", "Wait-Service")
    order = [first_position(attempt, n) for n in actions]
    assert order == sorted(order)


def test_each_step_is_guarded_by_what_it_checks() -> None:
    attempt = main_block(ACTIVE)
    (update,) = ps.commands(attempt, "Install-Update")
    assert_guarded(update.node, "Test-UpdateRecorded")
    for action in ("Enable-CsComputer", "Start-CsWindowsService"):
        (call,) = ps.commands(attempt, action)
        assert_guarded(call.node, "Test-ServicesRunning")


def test_the_update_is_recorded_and_runs_once_per_installer() -> None:
    """A new installer name runs the update again; the same name skips it. The name is recorded last, once the
    update and its follow-up ran."""
    values = settings(ACTIVE)
    assert values["UpdateInstaller"] == "LyncServerUpdateInstaller.exe"
    assert values["UpdateKey"] == "HKLM:\\SOFTWARE\\lync-pchat"
    recorded = ps.text(function(ACTIVE, "Test-UpdateRecorded"))
    assert "Get-ItemProperty -Path $cfg.UpdateKey -Name $cfg.UpdateValue" in recorded and "-eq $Installer" in recorded
    body = function(ACTIVE, "Install-Update")
    (record,) = ps.commands(body, "Set-ItemProperty")
    assert ps.text(record.parameters["-value"]) == "$Installer"  # type: ignore[arg-type]
    assert record.node.start_byte == max(c.node.start_byte for c in ps.commands(body)), "recorded last"
    assert settings(NO_UPDATE)["UpdateInstaller"] is None
    (skip,) = [b for n, b in steps(NO_UPDATE) if n == "Install the cumulative update"]
    assert "-not $cfg.UpdateInstaller" in ps.text(skip)


def test_the_update_follows_the_documented_procedure() -> None:
    body = function(ACTIVE, "Install-Update")
    text = ps.text(body)
    needles = [
        "Stop-CsWindowsService }",  # step 4, in a shell of its own
        "Stop-Service -Name W3SVC",  # step 5
        "Invoke-Native $path @('/silentmode')",  # step 7 (switch UNCONFIRMED)
        "Stop-CsWindowsService\n",  # step 9, in a new shell
        "Start-Service -Name W3SVC",  # step 10
        "Set-ItemProperty",
    ]
    positions = [text.index(n) for n in needles]
    assert positions == sorted(positions)
    (native,) = ps.commands(body, "Invoke-Native")
    assert [ps.text(a) for a in native.arguments] == ["$path", "@('/silentmode')"], "no /forcereboot: no restart"
    shells = [c for c in ps.commands(body, "Invoke-LyncShell")]
    assert len(shells) == 2, "a new Lync Server Management Shell before and after the update"
    assert "Install-CsDatabase -Update -LocalDatabases" in text
    assert settings(SE)["UpdateLocalDatabases"] is True and settings(ACTIVE)["UpdateLocalDatabases"] is False


def test_this_session_loads_no_lync_assembly_before_the_update() -> None:
    names = [name for name, _ in steps(ACTIVE)]
    assert names.index("Install the cumulative update") < names.index("Load the Lync Server Management Shell")
    (update,) = [b for n, b in steps(ACTIVE) if n == "Install the cumulative update"]
    assert not ps.commands(update, "Import-LyncModule")
    shell = ps.text(function(ACTIVE, "Invoke-LyncShell"))
    assert "& powershell.exe -NoProfile -NonInteractive -Command $Block" in shell and "$LASTEXITCODE -ne 0" in shell


def test_the_services_are_verified_and_the_stopped_ones_named() -> None:
    verify = step(ACTIVE, "Verify the services")
    (wait,) = ps.commands(verify, "Wait-Service")
    stopped = ps.text(function(ACTIVE, "Get-StoppedService"))
    assert "Get-CsWindowsService" in stopped and "$_.Status -ne 'Running'" in stopped
    assert "throw" in stopped, "no Lync Server service at all is a failure too"
    waiting = ps.text(function(ACTIVE, "Wait-Service"))
    assert "throw \"Lync Server services not running after $Minutes minutes: $($stopped -join ', ')\"" in waiting
    assert wait.parameters["-minutes"] is not None
