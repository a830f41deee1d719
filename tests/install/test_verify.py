"""The verify phase at the end of the install: the pool's ``verify`` runbook itself, run once per pool on its
install host after every start and the log shipping, before the setup account's rights are released.

Oracles: the issue's checks "services running on every active server, the pool state, mirroring state, log shipping
status, and one Test-CsPersistentChatMessage" (the runbook's, tests/runbooks/test_verify.py);
``Test-CsPersistentChatMessage`` in server mode needs the pool's health-monitoring test users and fails without
them [PS:Test-CsPersistentChatMessage] (operations.md 2.7), [lync-install.md 1.4] step 9, hence skipped with a
warning without ``monitoring.testUsers``; services checked with ``Get-CsWindowsService`` [lync-install.md 1.4]
step 8; the setup account's rights last until the release (docs/install.md), so the checks run before it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import install, stackfile
from lync_pchat.install import supervisor as sv
from lync_pchat.model import Plan, PoolPlan, plan_topology
from lync_pchat.offline.graph import Resource, of_type
from lync_pchat.runbooks import verify as runbook
from lync_pchat.scripting import quoting
from lync_pchat.scripting.tsql import mirroring_query

from .. import powershell as ps
from ..model.configs import changed
from .support import FULL, PLANS, STANDARD, function, guard_of, installing, main_block, settings, steps
from .test_shipping import HA_DR, RUN, graph

USERS = {"sender": "sip:o'brien@contoso.com", "receiver": "sip:probe2@contoso.com"}


def carried(script: str) -> str:
    """The runbook the phase script carries, as PowerShell reads its settings."""
    text = settings(script)["Runbook"]
    assert isinstance(text, str)
    return text


def every_pool() -> list[tuple[Plan, PoolPlan]]:
    return [(plan, pool) for plan in PLANS for pool in plan.pools]


@pytest.mark.parametrize(("plan", "pool"), every_pool())
def test_the_phase_carries_the_pools_verify_runbook_and_parses(plan: Plan, pool: PoolPlan) -> None:
    script = install.verify_script(pool, plan, runbook_scripts(plan, pool))
    name = f"verify-{pool.key}.ps1"
    assert carried(script) == runbook.render(plan)[name], "one definition: the runbook pchat runbook renders"
    assert settings(script)["RunbookPath"] == f"C:\\ProgramData\\lync-pchat\\{name}"
    assert settings(script)["State"] == r"C:\ProgramData\lync-pchat\pchat-verify.json"
    for text in (script, carried(script), install.supervisor_script(install.VERIFY, script, setup_user="C\\u",
                                                                    token=None)):  # fmt: skip
        assert ps.errors(text) == []


def test_the_steps_load_the_shell_write_the_runbook_and_fail_on_its_exit_code() -> None:
    script = install.verify_script(FULL.pools[0], FULL, runbook_scripts(FULL, FULL.pools[0]))
    assert [name for name, _ in steps(script)] == [
        "Check that the run is elevated",
        "Load the Lync Server Management Shell",
        "Write the verify runbook",
        "Verify $($cfg.PoolFqdn)",
        "Schedule the message probe",
    ]
    check = ps.text(steps(script)[-2][1])
    assert "$failed = Invoke-Runbook @{ SkipMessage = [bool]$cfg.SkipMessage; AdvisoryMessage = $true }" in check
    assert "if ($LASTEXITCODE -ne 0)" in check and 'throw "$($cfg.PoolFqdn) does not pass' in check
    assert check.index("Invoke-Runbook") < check.index("throw") and "$($failed -join '; ')" in check
    runner = ps.text(function(script, "Invoke-Runbook"))  # the failure names the checks that failed
    assert "& $cfg.RunbookPath @Arguments *>&1" in runner and "$failed.Add($_.Message)" in runner
    assert "[System.Management.Automation.WarningRecord]" in runner
    assert ps.commands(main_block(script), "Complete-Phase")


def _message_guard(text: str) -> str:
    """The condition under whose else the runbook's checking Test-Message runs (not -Probe's)."""
    calls = [c for c in ps.commands(ps.parse(text), "Test-Message")]
    condition, _ = guard_of(calls[-1].node)
    return ps.text(condition)


@pytest.mark.parametrize("users", [True, False], ids=["test-users", "no-test-users"])
def test_the_message_test_runs_iff_test_users_are_configured(users: bool) -> None:
    """[PS:Test-CsPersistentChatMessage]: without the test users it cannot pass; a warning line instead."""
    raw = changed(HA_DR, monitoring={"testUsers": USERS}) if users else HA_DR
    plan = plan_topology(raw)
    script = install.verify_script(plan.pools[0], plan, runbook_scripts(plan, plan.pools[0]))
    assert settings(script)["SkipMessage"] is (not users)
    # The probe the monitoring alert reads is scheduled once the checks passed, only with the test users.
    assert settings(script)["Schedule"] is users
    schedule = ps.text(steps(script)[-1][1])
    assert re.search(r"& \$cfg\.RunbookPath -Schedule\s+if \(\$LASTEXITCODE -ne 0\) \{ throw", schedule)
    assert "if ($cfg.Schedule) {\n        Invoke-Step 'Schedule the message probe'" in script
    text = carried(script)
    assert _message_guard(text) == "$SkipMessage"
    assert "Write-Warning 'Test-CsPersistentChatMessage skipped: monitoring.testUsers is not set'" in text
    assert ("-FirstTestUserSipUri 'sip:o''brien@contoso.com'" in text) is users


def test_a_failed_message_test_is_advisory_at_install_time_only() -> None:
    """The message test needs the test users enabled by a Persistent Chat policy and a room [PS:Test-
    CsPersistentChatMessage], which the configure runbook creates after the install (lync-install.md 1.4): at
    the end of the install a failure is a warning; run by hand, the runbook still fails on it."""
    plan = plan_topology(changed(HA_DR, monitoring={"testUsers": USERS}))
    text = carried(install.verify_script(plan.pools[0], plan, runbook_scripts(plan, plan.pools[0])))
    tree = ps.parse(text)
    reported = [c for c in ps.commands(tree, "Add-Failure") + ps.commands(tree, "Add-MessageFailure")
                if "Test-CsPersistentChatMessage" in ps.text(c.node)]  # fmt: skip
    assert reported and all(ps.text(c.node).startswith("Add-MessageFailure") for c in reported)
    assert re.search(
        r"function Add-MessageFailure\(\[string\]\$What\) \{\s*"
        r'if \(\$AdvisoryMessage\) \{ Write-Warning "\$What \(advisory: [^"]+\)" \}\s*'
        r"else \{ Add-Failure \$What \}\s*\}",
        text,
    )
    assert "[switch]$AdvisoryMessage" in text


@pytest.mark.parametrize(("plan", "pool"), every_pool())
def test_mirroring_is_checked_iff_the_store_is_mirrored_and_log_shipping_iff_dr(plan: Plan, pool: PoolPlan) -> None:
    text = ps.text(ps.parse(carried(install.verify_script(pool, plan, runbook_scripts(plan, pool)))))
    for store in pool.stores:
        query = mirroring_query([store.database])
        assert (f"Invoke-SqlRows {quoting.powershell(store.primary.name)} {quoting.powershell(query)}" in text) is (
            store.mirror is not None
        )
        shipped = store.backup is not None and store.log_shipping is not None
        backup = quoting.powershell(store.backup.name if store.backup else "")
        status = f"Invoke-SqlRows {backup} {quoting.powershell(runbook.LOG_SHIPPING_STATUS)}"
        assert (status in text) is shipped, store.database
    assert "Get-CsWindowsService -ComputerName $server" in text and "Get-CsPersistentChatState" in text


def test_the_checked_stacks_cover_mirroring_log_shipping_and_a_standard_edition_pool() -> None:
    pools = [pool for _, pool in every_pool()]
    assert any(s.mirror is not None for p in pools for s in p.stores)
    assert any(s.log_shipping is not None for p in pools for s in p.stores)
    assert STANDARD.pools[0].install_host.role.name == "STANDARD_EDITION"


def _runs(resources: tuple[Resource, ...] | list[Resource], name: str) -> list[Resource]:
    return [r for r in of_type(list(resources), RUN) if r.inputs["runCommandName"] == name]


def _shipped(stack: str) -> dict[str, Any]:
    raw = stackfile.topology(stackfile.load_config(stackfile.stack_path(stack)))
    assert isinstance(raw, dict)
    return installing(json.loads(json.dumps(raw)))


TOPOLOGIES = [pytest.param(HA_DR, id="ha-dr"), *(pytest.param(_shipped(s), id=s) for s in stackfile.stack_names())]


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_verify_runs_on_the_install_host_after_every_start_and_log_shipping_before_every_release(
    topology: dict[str, Any],
) -> None:
    resources = graph(topology)
    plan = plan_topology(topology)
    verifies = {r.name: r for r in _runs(resources, "pchat-verify")}
    assert sorted(verifies) == sorted(f"{pool.install_host.key}-pchat-verify" for pool in plan.pools)
    for pool in plan.pools:
        verify = verifies[f"{pool.install_host.key}-pchat-verify"]
        assert verify.inputs["vmName"] == pool.install_host.computer_name
        assert "runAsUser" not in verify.inputs and verify.inputs["treatFailureAsDeploymentFailure"] is True
        assert sv.embedded(verify.inputs["source"]["script"]) == install.verify_script(
            pool, plan, runbook_scripts(plan, pool)
        )
        servers = {s.key for s in pool.pool_servers}
        starts = [r for r in _runs(resources, "pchat-start") if r.name.removesuffix("-pchat-start") in servers]
        assert len(starts) == len(servers) and all(verify.depends_on(s) for s in starts)
        for shipping in _runs(resources, "pchat-log-shipping"):
            assert verify.depends_on(shipping)
        releases = [r for r in _runs(resources, "pchat-release") if r.name.removesuffix("-pchat-release") in servers]
        assert releases and all(r.depends_on(verify) for r in releases), "the checks need the setup account's rights"
    if pool_with_dr := [p for p in plan.pools if p.standby_site is not None]:
        assert _runs(resources, "pchat-log-shipping"), pool_with_dr
