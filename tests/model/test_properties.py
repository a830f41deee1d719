"""Properties: any config yields a plan meeting the invariants, or a config error."""

from __future__ import annotations

from collections import Counter
from ipaddress import ip_address, ip_network
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lync_pchat import stackfile
from lync_pchat.model import Plan, Role, TopologyError, plan_topology
from lync_pchat.model.catalog import DOCUMENTED_SPEC, VM_SIZES
from lync_pchat.model.config import Hardware

from .strategies import mutations, topologies

STACKS = Path(__file__).resolve().parents[2] / "stacks"
SHIPPED = {
    name: stackfile.topology(stackfile.load_config(stackfile.stack_path(name, STACKS)))
    for name in stackfile.stack_names(STACKS)
}
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_invariants(plan: Plan) -> None:
    servers = list(plan.servers)
    assert len({s.key for s in servers}) == len(servers)
    assert len({s.private_ip for s in servers}) == len(servers)
    total_users = 0
    for pool in plan.pools:
        total_users += pool.users
        assert 1 <= len(pool.active) <= 4
        assert len(pool.pool_servers) <= 8
        assert len(pool.active) * 20_000 >= pool.users
        primary = plan.site(pool.site)
        for server in pool.servers:
            site = plan.site(server.site)
            assert server.region == site.region
            subnet = ip_network(site.sql_subnet if server.role.is_sql else site.pchat_subnet)
            assert ip_address(server.private_ip) in subnet
            assert len(server.computer_name) <= 15
            assert all(d.file_system == "NTFS" for d in server.disks)
            if server.role.in_standby_site:
                assert server.region != primary.region
            else:
                assert server.site == pool.site
            if pool.hardware is Hardware.DOCUMENTED and not server.role.is_witness:
                assert DOCUMENTED_SPEC.met_by(VM_SIZES[server.vm_size])
            if server.role.is_sql and not server.role.is_witness:
                assert {d.name for d in server.disks} >= {"data", "log"}
                assert len({d.lun for d in server.disks}) == len(server.disks)
        if pool.standby:
            assert plan.site(pool.standby[0].site).region != primary.region
    assert total_users <= 80_000
    assert not [n for n, c in Counter(s.computer_name.lower() for s in servers).items() if c > 1]


def plan_or_error(raw: Any) -> Plan | None:
    try:
        plan = plan_topology(raw)
    except TopologyError as error:
        assert error.problems
        assert all(p.path and p.message for p in error.problems)
        return None
    assert_invariants(plan)
    return plan


@FAST
@given(topologies())
def test_random_topologies(raw: dict[str, Any]) -> None:
    plan_or_error(raw)


@pytest.mark.parametrize("stack", sorted(SHIPPED))
def test_shipped_stacks_meet_the_invariants(stack: str) -> None:
    assert plan_or_error(SHIPPED[stack]) is not None


@pytest.mark.parametrize("stack", sorted(SHIPPED))
@settings(max_examples=100, deadline=None)
@given(data=__import__("hypothesis").strategies.data())
def test_mutated_stacks(stack: str, data: Any) -> None:
    plan_or_error(data.draw(mutations(SHIPPED[stack])))


def test_random_topologies_include_valid_ones() -> None:
    """The generator reaches the planner, not only the error path."""
    from hypothesis import find

    plan = find(topologies(), lambda raw: _valid(raw) and len(raw["pools"]) > 1)
    assert len(plan_topology(plan).pools) > 1
    assert any(
        s.role is Role.STANDBY
        for s in plan_topology(
            find(
                topologies(),
                lambda raw: (
                    _valid(raw)
                    and "disasterRecovery" in str(raw)
                    and any(s.role is Role.STANDBY for s in plan_topology(raw).servers)
                ),
            )
        ).servers
    )


def _valid(raw: dict[str, Any]) -> bool:
    try:
        plan_topology(raw)
    except TopologyError:
        return False
    return True
