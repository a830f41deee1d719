"""Phase C on the parse tree: the start of the services.

Oracles: [lync-install.md 1.4] steps 7 (Enable-CsComputer) and 8 (Start-CsWindowsService, best effort: verify
with Get-CsWindowsService) [L:lync-server-2013-start-services-on-servers].
"""

from __future__ import annotations

from lync_pchat import install

from .. import powershell as ps
from .support import FULL, STANDARD, assert_guarded, first_position, function, main_block, settings, step, steps
from .test_products import LYNC2013

ACTIVE = install.start_script(FULL.server("pchat01-a1"), FULL)
SE = install.start_script(STANDARD.pools[0].servers[0], STANDARD)


def test_the_steps_run_in_the_documented_order() -> None:
    """Steps 7 and 8, then the check; the update ran before, in a Run Command of its own."""
    for script in (ACTIVE, SE):
        names = [name for name, _ in steps(script)]
        assert names == [
            "Check that the run is elevated",
            "Load the Lync Server Management Shell",
            "Enable the computer",
            "Start the services",
            "Verify the services",
        ]
    attempt = main_block(ACTIVE)
    actions = ("Import-LyncModule", "Enable-CsComputer", "Start-CsWindowsService", "Wait-Service")
    order = [first_position(attempt, n) for n in actions]
    assert order == sorted(order)
    assert ps.commands(ps.parse(ACTIVE), "Install-Update") == []


def test_each_step_is_guarded_by_what_it_checks() -> None:
    attempt = main_block(ACTIVE)
    for action in ("Enable-CsComputer", "Start-CsWindowsService"):
        (call,) = ps.commands(attempt, action)
        assert_guarded(call.node, "Test-ServicesRunning")


def test_the_settings_are_the_computer_the_product_and_the_marker() -> None:
    assert settings(ACTIVE) == {
        "ComputerFqdn": "pchat01-a1.corp.contoso.com",
        "Product": LYNC2013,
        "State": r"C:\ProgramData\lync-pchat\pchat-start.json",
    }


def test_the_services_are_verified_and_the_stopped_ones_named() -> None:
    verify = step(ACTIVE, "Verify the services")
    (wait,) = ps.commands(verify, "Wait-Service")
    stopped = ps.text(function(ACTIVE, "Get-StoppedService"))
    assert "Get-CsWindowsService" in stopped and "$_.Status -ne 'Running'" in stopped
    assert "throw" in stopped, "no Lync Server service at all is a failure too"
    waiting = ps.text(function(ACTIVE, "Wait-Service"))
    assert "throw \"Lync Server services not running after $Minutes minutes: $($stopped -join ', ')\"" in waiting
    assert wait.parameters["-minutes"] is not None
