"""What a valid topology plans: servers, roles, sizes, disks, stores and addresses."""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import Plan, Role, ServerPlan, plan_topology
from lync_pchat.model.catalog import VM_SIZES

from .configs import changed, enterprise, standard

E = enterprise()
FULL = changed(
    E, pools__pchat01__users=80000, pools__pchat01__compliance={"enabled": True},
    pools__pchat01__highAvailability={"mirroring": True, "witness": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
)


def roles(plan: Plan) -> list[tuple[str, str, str, str]]:
    return [(s.key, s.role.value, s.site, s.private_ip) for s in plan.servers]


def test_full_enterprise_pool() -> None:
    assert roles(plan_topology(FULL)) == [
        ("pchat01-a1", "active", "dublin", "10.10.0.8"),
        ("pchat01-a2", "active", "dublin", "10.10.0.9"),
        ("pchat01-a3", "active", "dublin", "10.10.0.10"),
        ("pchat01-a4", "active", "dublin", "10.10.0.11"),
        ("pchat01-s1", "standby", "amsterdam", "10.20.0.12"),
        ("pchat01-s2", "standby", "amsterdam", "10.20.0.13"),
        ("pchat01-s3", "standby", "amsterdam", "10.20.0.14"),
        ("pchat01-s4", "standby", "amsterdam", "10.20.0.15"),
        ("pchat01-sql", "store", "dublin", "10.10.1.8"),
        ("pchat01-sqlm", "store-mirror", "dublin", "10.10.1.9"),
        ("pchat01-sqlw", "witness", "dublin", "10.10.1.10"),
        ("pchat01-cmp", "compliance-store", "dublin", "10.10.1.11"),
        ("pchat01-cmpm", "compliance-store-mirror", "dublin", "10.10.1.12"),
        ("pchat01-bak", "backup-store", "amsterdam", "10.20.1.8"),
        ("pchat01-bakm", "backup-store-mirror", "amsterdam", "10.20.1.9"),
        ("pchat01-bakw", "backup-witness", "amsterdam", "10.20.1.10"),
        ("pchat01-cbak", "compliance-backup-store", "amsterdam", "10.20.1.11"),
        ("pchat01-cbakm", "compliance-backup-store-mirror", "amsterdam", "10.20.1.12"),
    ]


def test_stores_of_the_full_pool() -> None:
    pool = plan_topology(FULL).pools[0]
    assert (pool.mgc.primary.name, pool.mgc.mirror and pool.mgc.mirror.name,
            pool.mgc.witness and pool.mgc.witness.name, pool.mgc.backup and pool.mgc.backup.name) == (
        "pchat01-sql.corp.contoso.com", "pchat01-sqlm.corp.contoso.com",
        "pchat01-sqlw.corp.contoso.com", "pchat01-bak.corp.contoso.com")
    assert pool.mgccomp is not None
    assert (pool.mgccomp.database, pool.mgccomp.primary.server, pool.mgccomp.witness) == (
        "mgccomp", "pchat01-cmp", pool.mgc.witness)
    assert pool.log_shipping is not None
    assert pool.log_shipping.backup_share == "\\\\pchat01-sql.corp.contoso.com\\pchat-logship"
    assert pool.log_shipping.copy_share == "\\\\pchat01-bak.corp.contoso.com\\pchat-logcopy"


def test_default_sizes_meet_the_documented_hardware() -> None:
    plan = plan_topology(FULL)
    sizes = {s.role: s.vm_size for s in plan.servers}
    assert sizes[Role.ACTIVE] == sizes[Role.STORE] == "Standard_F32s_v2"
    assert sizes[Role.WITNESS] == "Standard_D2s_v5"
    for server in plan.servers:
        size = VM_SIZES[server.vm_size]
        if not server.role.is_witness:
            assert (size.physical_cores, size.memory_gib) >= (12, 32)


def test_disks_are_ntfs_with_sql_data_and_log_apart() -> None:
    plan = plan_topology(FULL)
    store = plan.server("pchat01-sql")
    assert [(d.name, d.lun, d.drive_letter, d.allocation_unit_kb, d.size_gb) for d in store.disks] == [
        ("data", 0, "F", 64, 512), ("log", 1, "G", 64, 256), ("tempdb", 2, "H", 64, 128),
        ("backup", 3, "I", 64, 512)]
    assert [(d.name, d.size_gb, d.allocation_unit_kb) for d in plan.server("pchat01-a1").disks] == [
        ("data", 128, 4)]
    assert {d.file_system for s in plan.servers for d in s.disks} == {"NTFS"}


def test_compliance_adds_message_queuing() -> None:
    plan = plan_topology(FULL)
    assert plan.server("pchat01-a1").windows_features == (
        "NET-Framework-45-Core", "NET-WCF-HTTP-Activation45", "Windows-Identity-Foundation",
        "MSMQ-Server")
    assert plan.server("pchat01-sql").windows_features == ()


def test_standard_edition_is_one_collocated_server() -> None:
    plan = plan_topology(changed(standard(), pools__lyncse01__compliance={"enabled": True}))
    (server,) = plan.servers
    pool = plan.pools[0]
    assert (server.key, server.role, server.fqdn, pool.fqdn, pool.next_hop) == (
        "lyncse01", Role.STANDARD_EDITION, "lyncse01.lab.contoso.com",
        "lyncse01.lab.contoso.com", "lyncse01.lab.contoso.com")
    assert server.databases == ("mgc", "mgccomp")
    assert pool.mgc.primary.name == "lyncse01.lab.contoso.com\\RTC"
    assert pool.mgccomp is not None and pool.mgccomp.primary == pool.mgc.primary
    assert "Web-Server" in server.windows_features
    assert (server.private_ip, plan.sites[0].pchat_subnet, plan.sites[0].sql_subnet) == (
        "10.50.0.8", "10.50.0.0/24", "10.50.1.0/24")


def test_collocated_store_provisions_no_sql_vm() -> None:
    plan = plan_topology(changed(E, pools__pchat01__store={
        "placement": "collocated", "sqlServer": "BE01.corp.contoso.com", "sqlInstance": "rtc"}))
    assert [s.role for s in plan.servers] == [Role.ACTIVE, Role.ACTIVE]
    assert plan.pools[0].mgc.primary.name == "be01.corp.contoso.com\\rtc"
    assert plan.pools[0].mgc.primary.server is None


def test_small_address_space_quarters() -> None:
    plan = plan_topology(changed(E, sites__dublin__addressSpace="10.10.0.0/24"))
    site = plan.site("dublin")
    assert (site.pchat_subnet, site.sql_subnet) == ("10.10.0.0/26", "10.10.0.64/26")
    assert plan.server("pchat01-a1").private_ip == "10.10.0.8"
    assert plan.server("pchat01-sql").private_ip == "10.10.0.72"


def identity(server: ServerPlan) -> tuple[object, ...]:
    """What a change must never touch: names, address, size, image and disks.

    Windows features may grow (compliance adds Message Queuing): the VM is updated, not replaced.
    """
    return (server.key, server.computer_name, server.fqdn, server.role, server.site,
            server.private_ip, server.vm_size, server.image, server.disks)


GROWTH: list[tuple[str, dict[str, Any]]] = [
    ("40,000 -> 60,000 users", changed(E, pools__pchat01__users=60000)),
    ("60,000 -> 80,000 users", changed(E, pools__pchat01__users=80000)),
    ("a second pool", changed(E, pools__pchat02={
        "site": "amsterdam", "users": 20000, "nextHop": "fe02.corp.contoso.com"})),
    ("a second pool in the same site", changed(E, pools__aaa={
        "site": "dublin", "users": 20000, "nextHop": "fe01.corp.contoso.com", "addressSlot": 3})),
    ("compliance", changed(E, pools__pchat01__compliance={"enabled": True})),
    ("mirroring and witness", changed(E, pools__pchat01__highAvailability={"mirroring": True, "witness": True})),
    ("a standby site", changed(E, pools__pchat01__disasterRecovery={"standbySite": "amsterdam"})),
]


@pytest.mark.parametrize("grown", [g[1] for g in GROWTH], ids=[g[0] for g in GROWTH])
def test_growth_never_moves_a_planned_server(grown: dict[str, Any]) -> None:
    before, after = plan_topology(E), plan_topology(grown)
    after_by_key = {s.key: s for s in after.servers}
    for server in before.servers:
        assert identity(after_by_key[server.key]) == identity(server)
    assert after.sites == before.sites
    assert len(list(after.servers)) > len(list(before.servers))
