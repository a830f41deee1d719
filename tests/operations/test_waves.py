"""Patch waves, from the documented patch order (shared/reference/operations.md):

- §3.5 [DBM:upgrading-mirrored-instances.md]: the mirror is patched, then (after a failover) the former
  principal, then the witness: principal and mirror never in one window, the witness apart from both;
- §3.6 [LSH:upgrade-sql-server-log-shipping-transact-sql.md]: log-shipping secondaries before the primary;
- the issue: a pool's active servers over at least two waves, standby servers with the later wave.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from lync_pchat.model import Plan, PoolPlan, Role, TopologyError, plan_topology
from lync_pchat.model.waves import by_wave, wave, waves_needed

from ..model.configs import changed, enterprise, standard

HA = {"mirroring": True, "witness": True}
TOPOLOGIES: dict[str, dict[str, Any]] = {
    "one-active": changed(enterprise(), pools__pchat01__users=20000),
    "two-active": enterprise(),
    "four-active-mirrored": changed(enterprise(), pools__pchat01__users=80000, pools__pchat01__highAvailability=HA),
    "mirrored-no-witness": changed(enterprise(), pools__pchat01__highAvailability={"mirroring": True}),
    "stretched-mirrored-compliance": changed(
        enterprise(),
        pools__pchat01__users=60000,
        pools__pchat01__highAvailability=HA,
        pools__pchat01__compliance={"enabled": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    ),
    "high-bandwidth": changed(
        enterprise(),
        pools__pchat01__users=80000,
        pools__pchat01__highAvailability=HA,
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "layout": "highBandwidth"},
    ),
    "shared-compliance-mirrored": changed(
        enterprise(),
        pools__pchat01__highAvailability=HA,
        pools__pchat01__compliance={"enabled": True, "placement": "shared"},
    ),
    "standard": standard(),
}
PAIRS = [
    (Role.STORE, Role.STORE_MIRROR),
    (Role.COMPLIANCE_STORE, Role.COMPLIANCE_STORE_MIRROR),
    (Role.BACKUP_STORE, Role.BACKUP_STORE_MIRROR),
    (Role.COMPLIANCE_BACKUP_STORE, Role.COMPLIANCE_BACKUP_STORE_MIRROR),
]
"""Principal and mirror of each mirrored store (plan.StorePlan: primary/mirror, backup/backup_mirror)."""


def plans() -> list[Any]:
    return [pytest.param(plan_topology(t), id=name) for name, t in TOPOLOGIES.items()]


def server_of(pool: PoolPlan, fqdn: str) -> Any:
    return next(s for s in pool.servers if s.fqdn == fqdn)


@pytest.mark.parametrize("plan", plans())
def test_principal_and_mirror_never_share_a_wave_and_the_witness_is_apart_from_both(plan: Plan) -> None:
    for pool in plan.pools:
        for store in pool.stores:
            for principal, mirror, witness, mirrored_now in (
                (store.primary, store.mirror, store.witness, True),
                (store.backup, store.backup_mirror, store.backup_witness, False),
            ):
                if principal is None or principal.server is None or mirror is None or mirror.server is None:
                    continue
                p, m = server_of(pool, principal.fqdn), server_of(pool, mirror.fqdn)
                assert wave(m) != wave(p)
                if mirrored_now:  # the backup store is mirrored only after a failover (plan.StorePlan)
                    assert wave(m) < wave(p), "the mirror patches first [DBM §3.5 steps 3-5]"
                if witness is not None and witness.server is not None:
                    w = server_of(pool, witness.fqdn)
                    assert wave(w) not in (wave(p), wave(m))


@pytest.mark.parametrize("plan", plans())
def test_log_shipping_secondaries_patch_before_their_primary(plan: Plan) -> None:
    for pool in plan.pools:
        for store in pool.stores:
            if store.backup is None or store.primary.server is None or store.backup.server is None:
                continue
            assert wave(server_of(pool, store.backup.fqdn)) < wave(server_of(pool, store.primary.fqdn))


@pytest.mark.parametrize("plan", plans())
def test_active_servers_span_two_waves_and_standby_servers_go_with_the_later(plan: Plan) -> None:
    for pool in plan.pools:
        active = {wave(s) for s in pool.with_role(Role.ACTIVE)}
        if len(pool.with_role(Role.ACTIVE)) >= 2:
            assert len(active) >= 2
        for standby in pool.standby:
            assert wave(standby) == max(active | {2}) == 2


def test_the_documented_pairs_exist_in_the_richest_topology() -> None:
    """So that the pair tests above do test something."""
    pool = plan_topology(TOPOLOGIES["stretched-mirrored-compliance"]).pools[0]
    roles = {s.role for s in pool.servers}
    assert {r for pair in PAIRS for r in pair} <= roles
    assert {Role.WITNESS, Role.BACKUP_WITNESS} <= roles


def test_exact_waves_of_a_stretched_mirrored_pool() -> None:
    pool = plan_topology(TOPOLOGIES["stretched-mirrored-compliance"]).pools[0]
    groups = [[s.key for s in group] for group in by_wave(pool.servers)]
    assert groups == [
        ["pchat01-a1", "pchat01-a3", "pchat01-sqlm", "pchat01-cmpm", "pchat01-bak", "pchat01-cbak"],
        ["pchat01-a2", "pchat01-s1", "pchat01-s2", "pchat01-s3", "pchat01-sql", "pchat01-cmp", "pchat01-bakm",
         "pchat01-cbakm"],
        ["pchat01-sqlw", "pchat01-bakw"],
    ]  # fmt: skip


def test_growing_a_pool_moves_no_server_to_another_wave() -> None:
    small, grown = (plan_topology(changed(enterprise(), pools__pchat01__users=u)).pools[0] for u in (40000, 80000))
    before = {s.key: wave(s) for s in small.servers}
    assert {s.key: wave(s) for s in grown.servers if s.key in before} == before


@pytest.mark.parametrize(
    ("name", "needed"),
    [("one-active", 2), ("two-active", 2), ("mirrored-no-witness", 2), ("four-active-mirrored", 3), ("standard", 1)],
)
def test_waves_needed(name: str, needed: int) -> None:
    """A lone active server patches in wave 1 and its store principal in wave 2; a witness adds wave 3."""
    assert waves_needed(plan_topology(TOPOLOGIES[name]).servers) == needed


def test_too_few_windows_for_the_waves_is_refused() -> None:
    one = changed(TOPOLOGIES["four-active-mirrored"], patching={"windows": [{"start": "2026-01-03 01:00"}] * 2})
    with pytest.raises(TopologyError) as error:
        plan_topology(one)
    (problem,) = error.value.problems
    assert problem.path == "patching.windows"
    assert "needs 3 windows, one per wave, not 2" in problem.message


def test_without_patching_the_windows_are_not_checked() -> None:
    off = changed(TOPOLOGIES["four-active-mirrored"], patching={"enabled": False, "windows": []})
    assert plan_topology(off).patching is None


@pytest.mark.parametrize(
    ("window", "path", "message"),
    [
        (
            {"start": "2026-01-03"},
            "patching.windows.0.start",
            "is not a start time 'HH:MM' (computed) or 'YYYY-MM-DD HH:MM'",
        ),
        ({"start": "2026-01-03 01:00", "duration": "04:00"}, "patching.windows.0.duration", "at most 03:55"),
        ({"start": "2026-01-03 01:00", "duration": "3h"}, "patching.windows.0.duration", "is not a duration"),
        ({"start": "2026-01-03 01:00", "recurEvery": "1Week; Saturday"}, "patching.windows.0.recurEvery", "recurrence"),
    ],
)
def test_a_malformed_window_is_refused(window: dict[str, str], path: str, message: str) -> None:
    """The window is at most 3 h 55 min [UM:scheduled-patching.md]."""
    windows = [window, {"start": "2026-01-04 01:00"}, {"start": "2026-01-05 01:00"}]
    with pytest.raises(TopologyError) as error:
        plan_topology(changed(enterprise(), patching={"windows": windows}))
    (problem,) = error.value.problems
    assert (problem.path, message in problem.message) == (path, True)


def test_an_excluded_kb_is_a_number() -> None:
    with pytest.raises(TopologyError, match=r"patching.excludeKbs.0: 'KB2809243' is not a KB number such as '2809243'"):
        plan_topology(changed(enterprise(), patching={"excludeKbs": ["KB2809243"]}))
    assert plan_topology(changed(enterprise(), patching={"excludeKbs": ["2809243"]})).patching is not None


def test_a_window_of_exactly_3h55_is_accepted() -> None:
    windows = [{"start": "2026-01-03 01:00", "duration": "03:55"}] * 3
    assert plan_topology(changed(enterprise(), patching={"windows": windows})).patching is not None


def test_the_patch_time_zone_is_a_windows_id() -> None:
    with pytest.raises(TopologyError, match=r"patching.timeZone: 'Europe/Dublin' is not a Windows time zone id"):
        plan_topology(changed(enterprise(), patching={"timeZone": "Europe/Dublin"}))


def test_every_pair_of_roles_in_a_wave_table_is_distinct_for_pairs() -> None:
    for principal, mirror in PAIRS:
        assert wave(_Seat(principal, 1)) != wave(_Seat(mirror, 1))
    for a, b in itertools.combinations([Role.STORE, Role.STORE_MIRROR, Role.WITNESS], 2):
        assert wave(_Seat(a, 1)) != wave(_Seat(b, 1))


class _Seat:
    def __init__(self, role: Role, ordinal: int) -> None:
        self.role, self.ordinal = role, ordinal
