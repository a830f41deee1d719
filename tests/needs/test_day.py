"""A day in the life of every shipped stack and of generated topologies (issue 22, needs-model.md): installed ->
backups -> failed over -> failed back -> restored -> CU wave -> patch wave -> password rotated. In each state, every
need of every action active in it is admitted by the NSG in front of its target (Azure's evaluation order) and by
the target's Windows Firewall as the bootstrap opens it (SQL Server VMs; Lync setup opens its own on the others)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lync_pchat import bootstrap
from lync_pchat.model import Plan, TopologyError, plan_topology
from lync_pchat.model.needs import DAY, EVERY, FAILED_OVER, INSTALL, SQL_SERVICE, STEADY, Need
from lync_pchat.model.nsg import admit
from lync_pchat.model.ports import SMB
from lync_pchat.needs import needs

from ..install.support import installing
from ..model.configs import changed
from ..model.strategies import topologies
from .support import EVERY_PLAN, FRONT_ENDS


def active(need: Need, state: str) -> bool:
    """An action runs in its own state; the steady ones (jobs, mirroring, the services) in every state after the
    install, the verify runbook in every state."""
    if need.when in (state, EVERY):
        return True
    return need.when == STEADY and DAY.index(state) > DAY.index(INSTALL)


def blocked(plan: Plan) -> list[str]:
    """Every failure of the day, as ``state: action on source -> target port (reason) blocked by ...``."""
    failures = []
    all_needs = needs(plan)
    for state in DAY:
        for need in (n for n in all_needs if active(n, state)):
            verdict = admit(plan, need)
            if verdict is None:
                continue
            where = f"{state}: {need.describe()}"
            if not verdict.allowed:
                failures.append(f"{where} blocked by {verdict}")
            opened = bootstrap.host_firewall(plan.server(need.target), plan)
            if opened is not None and need.port not in opened:
                failures.append(f"{where} blocked by the Windows Firewall of {need.target}")
    return failures


def test_the_day_of_every_shipped_stack_and_the_ha_dr_pools() -> None:
    assert [f for plan in EVERY_PLAN for f in blocked(plan)] == []


def test_every_state_of_the_day_has_work() -> None:
    """Each state the day walks through runs at least one action with a need in the full HA/DR pool."""
    plan = EVERY_PLAN[0]
    assert all(any(active(n, state) for n in needs(plan)) for state in DAY)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(raw=topologies(), managed=st.booleans(), install=st.booleans(), front_ends=st.booleans())
def test_the_day_of_generated_topologies(raw: dict[str, Any], managed: bool, install: bool, front_ends: bool) -> None:
    if managed:
        raw = changed(raw, managementCidr="10.0.0.0/24")
    if front_ends:
        for key in raw["pools"]:
            raw = changed(raw, **{f"pools__{key}__frontEndCidrs": ["10.0.20.0/24"]})
    if install and raw.get("edition") == "enterprise":
        raw = installing(raw)
    try:
        plan = plan_topology(raw)
    except TopologyError:
        assume(False)
        raise
    assert blocked(plan) == []


def test_the_services_reach_the_backup_stores_only_failed_over_and_mirrors_restore_as_sql_server() -> None:
    """needs-model.md (the states): the standby principals serve only once failed over; Install-CsMirrorDatabase
    has the mirror's SQL Server service restore the principal's backups from the share (tests/test_bootstrap.py
    grants that service the share) [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-
    availability]."""
    plan = FRONT_ENDS
    all_needs = needs(plan)
    backups = {s.backup.server for pool in plan.pools for s in pool.stores if s.backup is not None}
    mirrors = {s.mirror.server for pool in plan.pools for s in pool.stores if s.mirror is not None}
    to_backups = {n.when for n in all_needs if n.action == "lync:persistent-chat" and n.target in backups}
    assert backups and to_backups == {FAILED_OVER}
    restoring = {
        n.identity for n in all_needs if n.runs_on in mirrors and n.port == SMB and n.action.startswith("runbook:")
    }
    assert mirrors and restoring == {SQL_SERVICE}
