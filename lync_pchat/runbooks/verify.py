"""``verify``: does a pool work? Its services, state, mirroring, log shipping and one chat message; and the
synthetic test (``-Probe``, ``-Schedule``) whose result the Azure Monitor alert reads."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan
from ..model import needs as n
from ..model import sources as src
from ..model.monitoring import PROBE_FAILED, PROBE_PASSED, PROBE_SOURCE
from ..scripting import for_product, quoting
from ..scripting.tsql import mirroring_query
from . import plan_facts, reach
from .disaster import state_check
from .templates import fill

PROBE_MINUTES = 15
"""How often the scheduled task tests a message (the alert window is twice that)."""
LOG_SHIPPING_STATUS = "EXEC master.dbo.sp_help_log_shipping_monitor;"
"""Status of every log-shipped database the instance knows, first column 0 (healthy) or 1 (alert)
[LSH:monitor-log-shipping-transact-sql.md]."""


@for_product
def render(plan: Plan) -> dict[str, str]:
    """One ``verify-<pool>.ps1`` per pool."""
    return {file_name(pool): _pool(plan, pool) for pool in plan.pools}


def file_name(pool: PoolPlan) -> str:
    """``verify-<pool>.ps1``."""
    return plan_facts.runbook_file("verify", pool)


def _pool(plan: Plan, pool: PoolPlan) -> str:
    return fill(
        "verify.ps1",
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, needs(pool)),
        pool_fqdn=pool.fqdn,
        pool_fqdn_ps=quoting.powershell(pool.fqdn),
        registrar_ps=quoting.powershell(pool.next_hop),
        active_servers=quoting.powershell_list(plan_facts.fqdns(pool.active)),
        test_users=_test_users(plan, pool),
        state=state_check(),
        mirroring=_mirroring(pool),
        log_shipping=_log_shipping(pool),
        task_name_ps=quoting.powershell(f"pchat-probe-{pool.key}"),
        probe_source=PROBE_SOURCE,
        probe_source_ps=quoting.powershell(PROBE_SOURCE),
        probe_passed=str(PROBE_PASSED),
        probe_failed=str(PROBE_FAILED),
        probe_minutes=str(PROBE_MINUTES),
        ps_test_message=src.PS_TEST_MESSAGE,
        ps_health=src.PS_HEALTH,
        ps_windows_service=src.PS_WINDOWS_SERVICE,
        services=src.SERVICES,
        ps_state=src.PS_STATE,
        sql_mirroring=src.SQL_MIRRORING,
    )


def _test_users(plan: Plan, pool: PoolPlan) -> str:
    users = plan.monitoring.test_users if plan.monitoring is not None else None
    if users is None:
        return (
            "# monitoring.testUsers is not set: the health monitoring configuration of the Registrar pool must\n"
            "# already name two test users enabled for Persistent Chat."
        )
    return (
        "if (-not (Get-CsHealthMonitoringConfiguration -Identity $registrar -ErrorAction SilentlyContinue)) {\n"
        f"    New-CsHealthMonitoringConfiguration -Identity $registrar -FirstTestUserSipUri "
        f"{quoting.powershell(users.sender)} -SecondTestUserSipUri {quoting.powershell(users.receiver)}\n"
        "}"
    )


def _mirroring(pool: PoolPlan) -> str:
    lines = []
    for store in pool.stores:
        if store.mirror is None:
            continue
        lines += [
            "try {",
            f"    foreach ($row in (Invoke-SqlRows {quoting.powershell(store.primary.name)} "
            f"{quoting.powershell(mirroring_query([store.database]))})) {{",
            "        $name, $mirroring = $row.Split('|')",
            "        if ($mirroring -ne 'SYNCHRONIZED') { Add-Failure \"Mirroring of ${name}: $mirroring\" }",
            '        else { Write-Host "Mirroring of ${name}: SYNCHRONIZED" }',
            "    }",
            "} catch {",
            f'    Add-Failure "Mirroring of {store.database} could not be read: $_"',
            "}",
        ]
    return "\n".join(lines) or "# The pool's stores are not mirrored."


def _log_shipping(pool: PoolPlan) -> str:
    lines = []
    for store in pool.stores:
        if store.backup is None or store.log_shipping is None:
            continue
        lines += [
            "try {",
            f"    foreach ($row in (Invoke-SqlRows {quoting.powershell(store.backup.name)} "
            f"{quoting.powershell(LOG_SHIPPING_STATUS)})) {{",
            "        if ($row.Split('|')[0].Trim() -ne '0') { Add-Failure \"Log shipping alert: $row\" }",
            "    }",
            f'    Write-Host "Log shipping of {store.database} to {store.backup.name} read"',
            "} catch {",
            f'    Add-Failure "Log shipping of {store.database} could not be read: $_"',
            "}",
        ]
    return "\n".join(lines) or "# The pool has no standby site: no log shipping."


def needs(pool: PoolPlan, origin: n.Origin | None = None) -> Iterator[n.Need]:
    """Step 1: Get-CsWindowsService -ComputerName on every active server (the Service Control Manager's RPC over
    SMB named pipes [WINPORTS]); steps 3 and 4: sqlcmd to each mirrored principal and each backup store. From a
    management host in any state, unless ``origin`` says otherwise (the install's verify phase)."""
    origin = origin or n.Origin("runbook:verify", n.MANAGEMENT, n.ADMIN, n.EVERY)
    for server in pool.active:
        yield from origin.smb(server.key, "step 1: Get-CsWindowsService -ComputerName")
    for store in pool.stores:
        if store.mirror is not None:
            yield from origin.sql(store.primary, f"step 3: mirroring state of {store.database}")
        if store.backup is not None and store.log_shipping is not None:
            yield from origin.sql(store.backup, f"step 4: log shipping status of {store.database}")
