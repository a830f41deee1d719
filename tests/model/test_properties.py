"""Properties: any config yields a plan meeting the invariants, or a config error."""

from __future__ import annotations

import contextlib
from collections import Counter
from ipaddress import ip_address, ip_network
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from lync_pchat import stackfile
from lync_pchat.model import Plan, PoolPlan, Role, TopologyError, plan_topology
from lync_pchat.model.catalog import DOCUMENTED_SPEC, VM_SIZES
from lync_pchat.model.config import Hardware, StretchedLayout

from .strategies import mutations, topologies

STACKS = Path(__file__).resolve().parents[2] / "stacks"
SHIPPED = {
    name: stackfile.topology(stackfile.load_config(stackfile.stack_path(name, STACKS)))
    for name in stackfile.stack_names(STACKS)
}
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIND = settings(
    max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True,
    phases=[Phase.generate],
)  # fmt: skip


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
        for server in pool.servers:
            site = plan.site(server.site)
            assert server.region == site.region
            subnet = ip_network(site.sql_subnet if server.role.is_sql else site.pchat_subnet)
            assert ip_address(server.private_ip) in subnet
            assert len(server.computer_name) <= 15
            if server.role.is_sql:
                assert server.site == (pool.standby_site if server.role.in_standby_site else pool.site)
            if pool.hardware is Hardware.DOCUMENTED and not server.role.is_witness:
                assert DOCUMENTED_SPEC.met_by(VM_SIZES[server.vm_size])
            if server.role.is_sql and not server.role.is_witness:
                assert {d.name for d in server.disks} >= {"data", "log"}
                assert len({d.lun for d in server.disks}) == len(server.disks)
        assert_data_centers(plan, pool)
        assert (pool.compliance_output is not None) == pool.compliance
    assert total_users <= 80_000
    assert not [n for n, c in Counter(s.computer_name.lower() for s in servers).items() if c > 1]


def assert_data_centers(plan: Plan, pool: PoolPlan) -> None:
    """At most 4 servers per data center; the standby data center in another region; the low-bandwidth
    layout keeps every active server in the primary, the high-bandwidth one puts as many servers in each
    data center as the pool has active servers [L:lync-server-2013-required-resources-for-persistent-chat-server]."""
    counts = Counter(s.site for s in pool.pool_servers)
    assert max(counts.values()) <= 4
    if pool.standby_site is None:
        assert set(counts) == {pool.site} and not pool.standby
        return
    assert plan.site(pool.standby_site).region != plan.site(pool.site).region
    if pool.layout is StretchedLayout.HIGH_BANDWIDTH:
        assert counts[pool.site] == counts[pool.standby_site] == len(pool.active)
        assert {s.site for s in pool.active} == {pool.site, pool.standby_site}
    else:
        assert {s.site for s in pool.active} == {pool.site}
        assert {s.site for s in pool.standby} == {pool.standby_site}


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


LIMITS = {
    "a pool of 80,000 users on 4 active servers": lambda p: any(
        x.users == 80_000 and len(x.active) == 4 for x in p.pools),
    "a pool of 8 servers": lambda p: any(len(x.pool_servers) == 8 for x in p.pools),
    "the high-bandwidth layout": lambda p: any(x.layout is StretchedLayout.HIGH_BANDWIDTH for x in p.pools),
    "more than one pool": lambda p: len(p.pools) > 1,
    "a Standard Edition server with a SQL Server": lambda p: any(
        s.role is Role.STORE for s in p.servers) and p.edition.value == "standard",
    "a mirrored store with a witness in each data center": lambda p: any(
        x.mgc.witness and x.mgc.backup_witness for x in p.pools),
}  # fmt: skip
"""What the generated topologies must reach, or the property tests prove nothing at the edges."""


def test_random_topologies_reach_every_limit() -> None:
    """The generator reaches the planner at each documented limit, not only the error path: one derandomized
    search that stops once every limit was reached (each topology planned once), and names those it never reached."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    reached: set[str] = set()

    def every_limit(raw: dict[str, Any]) -> bool:
        reached.update(_reached(raw))
        return reached >= set(LIMITS)

    with contextlib.suppress(NoSuchExample):
        find(topologies(), every_limit, settings=FIND)
    assert sorted(set(LIMITS) - reached) == []


def _reached(raw: dict[str, Any]) -> frozenset[str]:
    """The limits a topology reaches (none when the model refuses it)."""
    try:
        plan = plan_topology(raw)
    except TopologyError:
        return frozenset()
    return frozenset(name for name, reaches in LIMITS.items() if reaches(plan))
