"""``verify``: a pool's health in the issue's order (services on every active server, the pool state, mirroring,
log shipping, one Test-CsPersistentChatMessage), and the synthetic test the Azure Monitor alert reads.

Expected values: the active servers and stores of the plan; ``Test-CsPersistentChatMessage -TargetFqdn`` the
Registrar pool (server mode, the pool's health-monitoring test users) [PS:Test-CsPersistentChatMessage];
``New-CsHealthMonitoringConfiguration -Identity <pool> -FirstTestUserSipUri -SecondTestUserSipUri``
[PS:New-CsHealthMonitoringConfiguration] with ``monitoring.testUsers``; log-shipping status from
``sp_help_log_shipping_monitor`` [LSH:monitor-log-shipping-transact-sql.md].
"""

from __future__ import annotations

from lync_pchat.model.monitoring import PROBE_FAILED, PROBE_PASSED, PROBE_SOURCE
from lync_pchat.runbooks import render

from ..model.configs import changed, enterprise
from ..powershell import commands, literal, parse
from .support import assert_order, plan_of, powershell_errors

USERS = {"sender": "sip:o'brien@contoso.com", "receiver": "sip:probe2@contoso.com"}
FULL = changed(
    enterprise(),
    pools__pchat01__users=60000,
    pools__pchat01__highAvailability={"mirroring": True, "witness": True},
    pools__pchat01__compliance={"enabled": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    monitoring={"testUsers": USERS},
)
PLAN = plan_of(FULL)
TEXT = render(PLAN, "verify")["verify-pchat01.ps1"]
TREE = parse(TEXT)


def test_it_parses() -> None:
    assert powershell_errors(TEXT) == []


def test_the_checks_run_in_the_documented_order() -> None:
    assert_order(
        TEXT,
        "Get-CsWindowsService -ComputerName $server",
        "Get-CsPersistentChatState",
        "Invoke-SqlRows 'pchat01-sql.corp.contoso.com'",
        "Invoke-SqlRows 'pchat01-cmp.corp.contoso.com'",
        "Invoke-SqlRows 'pchat01-bak.corp.contoso.com' 'EXEC master.dbo.sp_help_log_shipping_monitor;'",
        "Invoke-SqlRows 'pchat01-cbak.corp.contoso.com' 'EXEC master.dbo.sp_help_log_shipping_monitor;'",
        "$result = Test-Message\n        if",
        'Write-Host "Every check passed on $poolFqdn"',
    )


def test_every_active_server_and_only_they_are_checked() -> None:
    expected = [s.fqdn for s in PLAN.pools[0].active]
    assert expected == ["pchat01-a1.corp.contoso.com", "pchat01-a2.corp.contoso.com", "pchat01-a3.corp.contoso.com"]
    assert "$activeServers = @(" + ", ".join(f"'{f}'" for f in expected) + ")" in TEXT


def test_the_message_test_targets_the_registrar_with_the_configured_users() -> None:
    (test,) = commands(TREE, "Test-CsPersistentChatMessage")
    assert test.parameters.keys() == {"-targetfqdn"}
    assert "$registrar = 'fe01.corp.contoso.com'" in TEXT  # the pool's nextHop
    (health,) = commands(TREE, "New-CsHealthMonitoringConfiguration")
    assert literal(health.parameters["-firsttestusersipuri"]) == USERS["sender"]
    assert literal(health.parameters["-secondtestusersipuri"]) == USERS["receiver"]


def test_the_probe_writes_what_the_alert_reads() -> None:
    (write,) = commands(TREE, "Write-EventLog")
    assert literal(write.parameters["-source"]) == PROBE_SOURCE
    assert f"$id = if ($passed) {{ {PROBE_PASSED} }} else {{ {PROBE_FAILED} }}" in TEXT
    (task,) = commands(TREE, "Register-ScheduledTask")
    assert literal(task.parameters["-taskname"]) == "pchat-probe-pchat01"


def test_without_test_users_no_health_configuration_is_made() -> None:
    text = render(plan_of(changed(FULL, monitoring={})), "verify")["verify-pchat01.ps1"]
    assert not commands(parse(text), "New-CsHealthMonitoringConfiguration")
    assert "monitoring.testUsers is not set" in text


def test_a_pool_without_mirroring_or_standby_site_skips_those_checks() -> None:
    text = render(plan_of(enterprise()), "verify")["verify-pchat01.ps1"]
    assert "# The pool's stores are not mirrored." in text
    assert "# The pool has no standby site: no log shipping." in text
    assert "sp_help_log_shipping_monitor" not in text and "Invoke-SqlRows '" not in text
