"""What a valid topology plans: servers, roles, sizes, disks, stores and addresses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lync_pchat.model import Plan, Role, ServerPlan, TopologyError, plan_topology
from lync_pchat.model.catalog import VM_SIZES
from lync_pchat.model.plan import FileShare, LogShipping

from .configs import changed, enterprise, standard
from .strategies import topologies

E = enterprise()
FULL = changed(
    E,
    pools__pchat01__users=80000,
    pools__pchat01__compliance={"enabled": True},
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
    assert (
        pool.mgc.primary.name,
        pool.mgc.mirror and pool.mgc.mirror.name,
        pool.mgc.witness and pool.mgc.witness.name,
        pool.mgc.backup and pool.mgc.backup.name,
    ) == (
        "pchat01-sql.corp.contoso.com",
        "pchat01-sqlm.corp.contoso.com",
        "pchat01-sqlw.corp.contoso.com",
        "pchat01-bak.corp.contoso.com",
    )
    assert pool.mgccomp is not None
    assert (pool.mgccomp.database, pool.mgccomp.primary.server, pool.mgccomp.witness) == (
        "mgccomp",
        "pchat01-cmp",
        pool.mgc.witness,
    )


def share(host: str, name: str, folder: str, *computers: str) -> FileShare:
    """A share on a backup volume, used over the network by the computer accounts of ``computers``:
    the principal and the mirror for a mirror share [L:...deploying-sql-mirroring...], every SQL Server
    of the pool for a log-shipping share [L:...required-resources...] item 5."""
    return FileShare(host, f"{host}.corp.contoso.com", name, f"I:\\Backup\\{folder}", computers)


FULL_SQL = ("pchat01-sql", "pchat01-sqlm", "pchat01-cmp", "pchat01-cmpm", "pchat01-bak", "pchat01-bakm",
            "pchat01-cbak", "pchat01-cbakm")  # fmt: skip


def test_shares_of_the_full_pool() -> None:
    """Each database ships to shares on its own backup server; each principal hosts its mirror share."""
    pool = plan_topology(FULL).pools[0]
    assert pool.mgccomp is not None
    assert pool.mgc.log_shipping == LogShipping(
        backup=share("pchat01-bak", "pchat-logship", "LogShipping", *FULL_SQL),
        copy=share("pchat01-bak", "pchat-logcopy", "LogCopy"),
    )
    assert pool.mgccomp.log_shipping == LogShipping(
        backup=share("pchat01-cbak", "pchat-logship", "LogShipping", *FULL_SQL),
        copy=share("pchat01-cbak", "pchat-logcopy", "LogCopy"),
    )
    assert pool.mgc.mirror_share == share("pchat01-sql", "pchat-mirror", "Mirror", "pchat01-sql", "pchat01-sqlm")
    assert pool.mgccomp.mirror_share == share("pchat01-cmp", "pchat-mirror", "Mirror", "pchat01-cmp", "pchat01-cmpm")
    assert [(s.unc, s.path) for s in pool.shares] == [
        ("\\\\pchat01-sql.corp.contoso.com\\pchat-mirror", "I:\\Backup\\Mirror"),
        ("\\\\pchat01-bak.corp.contoso.com\\pchat-logship", "I:\\Backup\\LogShipping"),
        ("\\\\pchat01-bak.corp.contoso.com\\pchat-logcopy", "I:\\Backup\\LogCopy"),
        ("\\\\pchat01-cmp.corp.contoso.com\\pchat-mirror", "I:\\Backup\\Mirror"),
        ("\\\\pchat01-cbak.corp.contoso.com\\pchat-logship", "I:\\Backup\\LogShipping"),
        ("\\\\pchat01-cbak.corp.contoso.com\\pchat-logcopy", "I:\\Backup\\LogCopy"),
        ("\\\\pchat01-cmp.corp.contoso.com\\pchat-compliance", "I:\\Compliance"),
    ]
    assert pool.mgc.failover_mirror_share == pool.mgc.log_shipping.backup
    assert pool.mgccomp.failover_mirror_share == pool.mgccomp.log_shipping.backup


def test_a_share_is_local_on_its_host_and_unc_elsewhere() -> None:
    logship = share("pchat01-bak", "pchat-logship", "LogShipping")
    assert logship.seen_from("pchat01-bak") == "I:\\Backup\\LogShipping"
    assert logship.seen_from("pchat01-sql") == "\\\\pchat01-bak.corp.contoso.com\\pchat-logship"
    assert logship.seen_from(None) == "\\\\pchat01-bak.corp.contoso.com\\pchat-logship"


def test_mirroring_without_a_standby_site_has_a_mirror_share_and_no_log_shipping() -> None:
    pool = plan_topology(
        changed(E, pools__pchat01__compliance={"enabled": True}, pools__pchat01__highAvailability={"mirroring": True})
    ).pools[0]
    assert pool.mgccomp is not None
    assert (pool.mgc.mirror_share, pool.mgccomp.mirror_share) == (
        share("pchat01-sql", "pchat-mirror", "Mirror", "pchat01-sql", "pchat01-sqlm"),
        share("pchat01-cmp", "pchat-mirror", "Mirror", "pchat01-cmp", "pchat01-cmpm"),
    )
    assert (pool.mgc.log_shipping, pool.mgccomp.log_shipping) == (None, None)
    assert (pool.mgc.failover_mirror_share, pool.mgccomp.failover_mirror_share) == (None, None)
    assert [(s.host, s.name) for s in pool.shares] == [
        ("pchat01-sql", "pchat-mirror"),
        ("pchat01-cmp", "pchat-mirror"),
        ("pchat01-cmp", "pchat-compliance"),
    ]


def test_a_standby_site_without_mirroring_has_log_shipping_and_no_mirror_share() -> None:
    pool = plan_topology(changed(E, pools__pchat01__disasterRecovery={"standbySite": "amsterdam"})).pools[0]
    assert pool.mgc.log_shipping == LogShipping(
        backup=share("pchat01-bak", "pchat-logship", "LogShipping", "pchat01-sql", "pchat01-bak"),
        copy=share("pchat01-bak", "pchat-logcopy", "LogCopy"),
    )
    assert (pool.mgc.mirror_share, pool.mgc.failover_mirror_share) == (None, None)
    assert [s.name for s in pool.shares] == ["pchat-logship", "pchat-logcopy"]


def test_a_collocated_primary_still_ships_to_shares_in_the_standby_site() -> None:
    pool = plan_topology(
        changed(
            E,
            pools__pchat01__store={
                "placement": "collocated",
                "sqlServer": "be01.corp.contoso.com",
                "sqlInstance": "rtc",
            },
            pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        )
    ).pools[0]
    assert pool.mgc.log_shipping is not None
    assert {s.host for s in pool.shares} == {"pchat01-bak"}


def test_a_shared_compliance_store_shares_the_shares_of_mgc() -> None:
    pool = plan_topology(
        changed(
            E,
            pools__pchat01__compliance={"enabled": True, "placement": "shared"},
            pools__pchat01__highAvailability={"mirroring": True},
            pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        )
    ).pools[0]
    assert pool.mgccomp is not None
    assert (pool.mgccomp.log_shipping, pool.mgccomp.mirror_share) == (pool.mgc.log_shipping, pool.mgc.mirror_share)
    assert [(s.host, s.name) for s in pool.shares] == [
        ("pchat01-sql", "pchat-mirror"),
        ("pchat01-bak", "pchat-logship"),
        ("pchat01-bak", "pchat-logcopy"),
        ("pchat01-sql", "pchat-compliance"),
    ]


def assert_share_invariants(plan: Plan) -> None:
    """Every share is on a backup volume its host has; log-shipping shares survive the primary site."""
    for pool in plan.pools:
        hosts = {s.key: s for s in pool.sql_servers}
        for found in pool.shares:
            host = hosts[found.host]
            backup = {d.name: d.drive_letter for d in host.disks}.get("backup")
            assert backup is not None and found.path.startswith(f"{backup}:\\"), (found, host.disks)
            assert found.fqdn == host.fqdn and found.unc == f"\\\\{host.fqdn}\\{found.name}"
        assert len({(s.host, s.name) for s in pool.shares}) == len(pool.shares)
        for store in [pool.mgc, *([pool.mgccomp] if pool.mgccomp else [])]:
            assert (store.mirror_share is not None) == (store.mirror is not None)
            assert (store.log_shipping is not None) == (store.backup is not None)
            if store.mirror_share is not None:
                assert store.mirror_share.host == store.primary.server
            if store.log_shipping is not None:
                assert store.backup is not None
                assert store.log_shipping.backup.host == store.log_shipping.copy.host == store.backup.server
                assert hosts[store.log_shipping.backup.host].site == pool.standby_site != pool.site
                assert store.log_shipping.backup.host not in (
                    store.primary.server,
                    store.mirror and store.mirror.server,
                )


@pytest.mark.parametrize(
    "raw",
    [E, FULL, changed(E, pools__pchat01__highAvailability={"mirroring": True})],
    ids=["plain", "full", "mirrored"],
)
def test_share_invariants(raw: dict[str, Any]) -> None:
    assert_share_invariants(plan_topology(raw))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topologies())
def test_share_invariants_of_random_topologies(raw: dict[str, Any]) -> None:
    try:
        plan = plan_topology(raw)
    except TopologyError:
        return
    assert_share_invariants(plan)


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
        ("data", 0, "F", 64, 512),
        ("log", 1, "G", 64, 256),
        ("tempdb", 2, "H", 64, 128),
        ("backup", 3, "I", 64, 512),
    ]
    assert [(d.name, d.size_gb, d.allocation_unit_kb) for d in plan.server("pchat01-a1").disks] == [("data", 128, 4)]


def test_every_persistent_chat_server_gets_message_queuing_whatever_compliance() -> None:
    """Message Queuing on every Persistent Chat Front End Server
    [L:lync-server-2013-additional-software-requirements]."""
    without = plan_topology(changed(FULL, pools__pchat01__compliance={"enabled": False}))
    assert "MSMQ-Server" in without.server("pchat01-a1").windows_features
    plan = plan_topology(FULL)
    assert plan.server("pchat01-a1").windows_features == (
        "NET-Framework-45-Core",
        "NET-WCF-HTTP-Activation45",
        "Windows-Identity-Foundation",
        "MSMQ-Server",
    )
    assert plan.server("pchat01-sql").windows_features == ()


def test_standard_edition_is_one_collocated_server() -> None:
    plan = plan_topology(changed(standard(), pools__lyncse01__compliance={"enabled": True}))
    (server,) = plan.servers
    pool = plan.pools[0]
    assert (server.key, server.role, server.fqdn, pool.fqdn, pool.next_hop) == (
        "lyncse01",
        Role.STANDARD_EDITION,
        "lyncse01.lab.contoso.com",
        "lyncse01.lab.contoso.com",
        "lyncse01.lab.contoso.com",
    )
    assert server.databases == ("mgc", "mgccomp")
    assert pool.mgc.primary.name == "lyncse01.lab.contoso.com\\RTC"
    assert pool.mgccomp is not None and pool.mgccomp.primary == pool.mgc.primary
    assert "Web-Server" in server.windows_features
    assert (server.private_ip, plan.sites[0].pchat_subnet, plan.sites[0].sql_subnet) == (
        "10.50.0.8",
        "10.50.0.0/24",
        "10.50.1.0/24",
    )


def test_collocated_store_provisions_no_sql_vm() -> None:
    plan = plan_topology(
        changed(
            E,
            pools__pchat01__store={
                "placement": "collocated",
                "sqlServer": "BE01.corp.contoso.com",
                "sqlInstance": "rtc",
            },
        )
    )
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
    return (
        server.key,
        server.computer_name,
        server.fqdn,
        server.role,
        server.site,
        server.private_ip,
        server.vm_size,
        server.image,
        server.disks,
    )


GROWTH: list[tuple[str, dict[str, Any]]] = [
    ("40,000 -> 60,000 users", changed(E, pools__pchat01__users=60000)),
    ("60,000 -> 80,000 users", changed(E, pools__pchat01__users=80000)),
    (
        "a second pool",
        changed(E, pools__pchat02={"site": "amsterdam", "users": 20000, "nextHop": "fe02.corp.contoso.com"}),
    ),
    (
        "a second pool in the same site",
        changed(E, pools__aaa={"site": "dublin", "users": 20000, "nextHop": "fe01.corp.contoso.com", "addressSlot": 3}),
    ),
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


def test_the_high_bandwidth_layout_puts_half_the_active_servers_in_each_data_center() -> None:
    """Documented layout: site 1 servers 1-4 (2 active, 2 idle), site 2 servers 5-8 (2 active, 2 idle)
    [L:lync-server-2013-required-resources-for-persistent-chat-server]; the databases stay in site 1."""
    plan = plan_topology(
        changed(FULL, pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "layout": "highBandwidth"})
    )
    pool = plan.pools[0]
    assert [(s.key, s.site) for s in pool.pool_servers] == [
        ("pchat01-a1", "dublin"),
        ("pchat01-a2", "dublin"),
        ("pchat01-a3", "amsterdam"),
        ("pchat01-a4", "amsterdam"),
        ("pchat01-s1", "dublin"),
        ("pchat01-s2", "dublin"),
        ("pchat01-s3", "amsterdam"),
        ("pchat01-s4", "amsterdam"),
    ]
    assert [len(pool.pool_servers_in(site)) for site in ("dublin", "amsterdam")] == [4, 4]
    assert pool.mgc.primary.server == "pchat01-sql" and plan.server("pchat01-sql").site == "dublin"
    assert pool.layout is not None and pool.layout.value == "highBandwidth"
    addresses = [s.private_ip for s in pool.pool_servers]
    assert len(set(addresses)) == 8


def test_a_stretched_pool_is_one_lync_site() -> None:
    plan = plan_topology(changed(FULL, sites__dublin__lyncSite="EMEA"))
    assert (plan.pools[0].lync_site, plan.pools[0].standby_site) == ("EMEA", "amsterdam")
    assert plan_topology(FULL).pools[0].lync_site == "dublin"


def test_a_standard_edition_pool_may_keep_its_stores_on_a_sql_server() -> None:
    """The stores *can* use the Standard Edition server's SQL Express [L:...deploying-persistent-chat-server]:
    not must."""
    plan = plan_topology(
        changed(standard(), pools__lyncse01__store={"placement": "dedicated"}, pools__lyncse01__compliance={
            "enabled": True, "placement": "separate"})
    )  # fmt: skip
    assert [(s.key, s.role.value, s.databases) for s in plan.servers] == [
        ("lyncse01", "standard-edition", ()),
        ("lyncse01-sql", "store", ("mgc",)),
        ("lyncse01-cmp", "compliance-store", ("mgccomp",)),
    ]
    assert plan.pools[0].mgc.primary.name == "lyncse01-sql.lab.contoso.com"
    express = plan_topology(standard())
    assert express.pools[0].mgc.primary.name == "lyncse01.lab.contoso.com\\RTC"
    assert express.server("lyncse01").databases == ("mgc",)
    collocated = plan_topology(
        changed(standard(), pools__lyncse01__store={"placement": "collocated", "sqlServer": "be01.lab.contoso.com"})
    )
    assert [s.key for s in collocated.servers] == ["lyncse01"]
    assert collocated.pools[0].mgc.primary.name == "be01.lab.contoso.com"


def test_where_the_compliance_adapter_writes() -> None:
    """One place every pool server's XmlAdapter reaches: the configured share, a share on the server that
    holds mgccomp, or a local folder on a Standard Edition server."""
    full = plan_topology(FULL).pools[0]
    assert full.compliance_output == "\\\\pchat01-cmp.corp.contoso.com\\pchat-compliance"
    assert full.compliance_share is not None
    assert full.compliance_share.computers == tuple(s.key for s in full.pool_servers)
    given = changed(FULL, pools__pchat01__compliance={"enabled": True, "outputShare": "\\\\fs01\\compliance"})
    assert (plan_topology(given).pools[0].compliance_output, plan_topology(given).pools[0].compliance_share) == (
        "\\\\fs01\\compliance",
        None,
    )
    se = plan_topology(changed(standard(), pools__lyncse01__compliance={"enabled": True})).pools[0]
    assert (se.compliance_output, se.compliance_share) == ("F:\\PersistentChatCompliance", None)
    assert plan_topology(E).pools[0].compliance_output is None


def test_images_come_from_the_stack() -> None:
    images = {
        "windows": {"sku": "2012-r2-datacenter-gensecond", "version": "4.127.20180315"},
        "sql": {"offer": "SQL2014SP2-WS2012R2"},
    }
    plan = plan_topology(changed(FULL, images=images))
    a1, sql, witness = (
        plan.server("pchat01-a1").image,
        plan.server("pchat01-sql").image,
        plan.server("pchat01-sqlw").image,
    )
    assert (a1.publisher, a1.offer, a1.sku, a1.version) == (
        "MicrosoftWindowsServer", "WindowsServer", "2012-r2-datacenter-gensecond", "4.127.20180315")  # fmt: skip
    assert (sql.publisher, sql.offer, sql.sku) == ("MicrosoftSQLServer", "SQL2014SP2-WS2012R2", "Standard")
    assert (witness.offer, witness.sku) == ("SQL2014SP2-WS2012R2", "Express"), "the same SQL version, Express"
    default = plan_topology(FULL).server("pchat01-sql").image
    assert (default.publisher, default.offer, default.sku, default.version) == (
        "MicrosoftSQLServer", "SQL2014SP3-WS2012R2", "Standard", "latest")  # fmt: skip


def test_sql_folders_are_one_definition_per_volume() -> None:
    folders = plan_topology(FULL).server("pchat01-sql").sql_folders
    assert folders is not None
    assert (folders.data, folders.log, folders.temp_db, folders.backup) == ("F:\\Data", "G:\\Log", "H:\\TempDB",
                                                                            "I:\\Backup")  # fmt: skip
    assert plan_topology(FULL).server("pchat01-a1").sql_folders is None


def test_categories_and_add_ins_are_planned_in_config_order() -> None:
    """A room needs a category [PS:New-CsPersistentChatCategory]; the plan carries each one, and each add-in
    [L:manage-add-ins], to the configure runbook."""
    from lync_pchat.model.chat import AddInPlan, CategoryPlan

    raw = changed(
        enterprise(),
        pools__pchat01__categories={
            "Finance": {
                "allowedMembers": ["OU=Finance,DC=corp,DC=contoso,DC=com"],
                "creators": ["sip:cfo@corp.contoso.com", "CN=Leads,OU=Groups,DC=corp,DC=contoso,DC=com"],
                "fileUpload": True,
            },
            "Announcements": {"description": "Read-only news", "chatHistory": False},
        },
        pools__pchat01__addIns={"Helpdesk": {"url": "https://apps.corp.contoso.com/helpdesk"}},
    )
    pool = plan_topology(raw).pools[0]
    assert pool.categories == (
        CategoryPlan(
            "Finance",
            None,
            ("OU=Finance,DC=corp,DC=contoso,DC=com",),
            (),
            ("sip:cfo@corp.contoso.com", "CN=Leads,OU=Groups,DC=corp,DC=contoso,DC=com"),
            invitations=False,
            file_upload=True,
            chat_history=True,
        ),
        CategoryPlan("Announcements", "Read-only news", (), (), (), False, False, False),
    )
    assert pool.add_ins == (AddInPlan("Helpdesk", "https://apps.corp.contoso.com/helpdesk"),)
    assert plan_topology(enterprise()).pools[0].categories == ()
