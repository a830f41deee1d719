"""Direct tests of pchat-site-placement over crafted pools, with exact messages."""

from __future__ import annotations

import dataclasses

from lync_pchat.policies import StackResource, Violation
from lync_pchat.policies.placement import check_site_placement

from .support import NE, WE, deployment, pool, pools, server, vm

RESOURCES = "[L:lync-server-2013-required-resources-for-persistent-chat-server]"
STRETCHED = "[L:lync-server-2013-using-a-stretched-persistent-chat-server-pool-for-disaster-recovery]"


def messages(violations: list[Violation]) -> list[str]:
    return [v.message for v in violations]


def found(resources: list[StackResource]) -> list[tuple[str, str]]:
    """(VM resource name or '' for the pool, message) of each violation."""
    return [(v.urn.rsplit("::", 1)[1] if v.urn else "", v.message) for v in check_site_placement(resources, {})]


def enterprise(tags: bool = True) -> list[StackResource]:
    """The documented HA/DR layout: servers 1-4 and the store side in NE, 5-8 and the backup side in WE."""
    members = [
        *(vm("active", name=f"p1-a{i}") for i in range(1, 5)),
        *(vm("standby", location=WE, name=f"p1-s{i}") for i in range(1, 5)),
        vm("store", name="p1-sql"),
        vm("store-mirror", name="p1-sqlm"),
        vm("witness", name="p1-sqlw", size="Standard_D2s_v5"),
        vm("backup-store", location=WE, name="p1-bak"),
        vm("backup-store-mirror", location=WE, name="p1-bakm"),
        vm("backup-witness", location=WE, name="p1-bakw", size="Standard_D2s_v5"),
    ]
    resources = pools(*members)
    return resources if tags else [dataclasses.replace(r, props={**r.props, "tags": {}}) for r in resources]


def moved(resources: list[StackResource], name: str, location: str) -> list[StackResource]:
    return [
        dataclasses.replace(r, props={**r.props, "location": location}) if r.name == f"{name}-vm" else r
        for r in resources
    ]


def unverifiable(names: str) -> tuple[str, str]:
    return (
        "",
        f"Pool 'p1' has SQL Servers in two data centers ({names}) and none carries a pchat-role tag: the resources "
        "cannot tell a backup store from a mirror, so their placement cannot be checked; tag them as the components "
        f"do {RESOURCES}",
    )


ALL_SQL = "p1-bak, p1-bakm, p1-bakw, p1-sql, p1-sqlm, p1-sqlw"


def test_the_documented_layout_passes_and_fails_closed_without_tags() -> None:
    assert check_site_placement(enterprise(), {}) == []
    assert found(enterprise(tags=False)) == [unverifiable(ALL_SQL)]


def test_the_high_bandwidth_layout_passes() -> None:
    """Site 1: servers 1-4, 2 active and 2 idle; site 2: servers 5-8, 2 active and 2 idle; the primary
    database, its mirror and witness in site 1, the log-shipping backup in site 2 [RESOURCES]."""
    members = [
        vm("active", name="p1-a1"), vm("active", name="p1-a2"),
        vm("standby", name="p1-s1"), vm("standby", name="p1-s2"),
        vm("active", location=WE, name="p1-a3"), vm("active", location=WE, name="p1-a4"),
        vm("standby", location=WE, name="p1-s3"), vm("standby", location=WE, name="p1-s4"),
        vm("store", name="p1-sql"), vm("store-mirror", name="p1-sqlm"), vm("witness", name="p1-sqlw"),
        vm("backup-store", location=WE, name="p1-bak"),
    ]  # fmt: skip
    assert check_site_placement(pools(*members), {}) == []


def test_a_pool_in_three_regions_is_refused() -> None:
    resources = deployment(
        pool("p1", server("p1-a1"), server("p1-a2", location=WE), server("p1-a3", location="uksouth"))
    )
    assert found(resources) == [
        (
            "",
            "Pool 'p1' has servers in 3 regions (northeurope, uksouth, westeurope); a pool is in one data center or "
            f"stretched over 2 {STRETCHED}",
        )
    ]


def lone_witness(name: str, others: int, region: str = NE) -> tuple[str, str]:
    return (
        f"{name}-vm",
        f"SQL Server mirroring witness '{name}' of pool 'p1' is in {region}, where the pool has {others} other SQL "
        "Server(s); a witness belongs in the data center of the principal and the mirror it watches, so at least "
        f"2 {RESOURCES}",
    )


def test_a_witness_away_from_the_principal_and_mirror_is_refused() -> None:
    resources = deployment(
        pool("p1", server("p1-sql", "sql"), server("p1-sqlm", "sql", location=WE), server("p1-sqlw", "express"))
    )
    assert found(resources) == [lone_witness("p1-sqlw", 1), unverifiable("p1-sql, p1-sqlm, p1-sqlw")]
    beside = deployment(pool("p1", server("p1-sql", "sql"), server("p1-sqlm", "sql"), server("p1-sqlw", "express")))
    assert found(beside) == []


def test_untagged_a_backup_store_in_the_primary_region_fails_closed() -> None:
    resources = moved(enterprise(tags=False), "p1-bak", NE)
    assert found(resources) == [lone_witness("p1-bakw", 1, WE), unverifiable(ALL_SQL)]


def test_untagged_a_mirror_in_the_standby_region_is_refused_by_its_lone_witness() -> None:
    resources = moved(enterprise(tags=False), "p1-sqlm", WE)
    assert found(resources) == [lone_witness("p1-sqlw", 1), unverifiable(ALL_SQL)]


def in_primary(role: str, name: str) -> tuple[str, str]:
    return (
        f"{name}-vm",
        f"{role} server '{name}' of pool 'p1' is in northeurope, the region of the pool's primary stores; "
        f"log-shipping backup stores belong in the other data center, so one outage cannot take both {RESOURCES}",
    )


def test_tagged_backup_roles_in_the_primary_stores_region_are_refused() -> None:
    resources = pools(
        vm("store", name="p1-sql"),
        vm("compliance-store", name="p1-cmp"),
        vm("standby", name="p1-s1"),
        vm("backup-store-mirror", location=WE, name="p1-bakm"),
        vm("compliance-backup-store", name="p1-cbak"),
    )
    assert found(resources) == [in_primary("compliance-backup-store", "p1-cbak")]


def test_tagged_mirrors_and_witnesses_beside_their_store() -> None:
    resources = pools(
        vm("store", name="p1-sql"),
        vm("store-mirror", name="p1-sqlm"),
        vm("witness", name="p1-sqlw"),
        vm("backup-store", location=WE, name="p1-bak"),
        vm("backup-store-mirror", location=WE, name="p1-bakm"),
        vm("backup-witness", location=WE, name="p1-bakw"),
        vm("compliance-store-mirror", location=WE, name="p1-cmpm"),
    )
    assert found(resources) == [
        (
            "p1-cmpm-vm",
            "compliance-store-mirror server 'p1-cmpm' of pool 'p1' is in westeurope, but its store is in "
            "northeurope; mirrors and witnesses belong in the same data center as the database they protect "
            f"{RESOURCES}",
        ),
    ]


def test_a_mirror_without_its_store_and_a_pool_without_active_servers_pass() -> None:
    resources = pools(vm("store-mirror"), vm("store-mirror", name="p1-m2"), vm("standby"), vm("backup-store"))
    assert check_site_placement(resources, {}) == []


def test_pools_are_checked_separately() -> None:
    resources = pools(vm("active"), vm("backup-store", pool="p2", name="p2-bak"))
    assert check_site_placement(resources, {}) == []


def test_an_untagged_server_in_a_tagged_pool_is_refused() -> None:
    """Stripping one tag would otherwise hide the backup store in the primary region."""
    resources = pools(vm("store", name="p1-sql"), vm("backup-store", name="p1-bak"))
    hidden = [
        dataclasses.replace(r, props={**r.props, "tags": {"pchat-role": "backup-ish"}}) if r.name == "p1-bak-vm" else r
        for r in resources
    ]
    assert found(resources) == [in_primary("backup-store", "p1-bak")]
    assert found(hidden) == [
        (
            "p1-bak-vm",
            "SQL Server 'p1-bak' of pool 'p1' has no pchat-role tag (or an unknown one) while other "
            "servers of the pool have one; the resources cannot tell a standby server, a mirror or a backup store, so "
            f"an untagged server could hide a misplaced role: tag every server of the pool or none {RESOURCES}",
        )
    ]


def test_contradicting_tags_are_refused_and_not_trusted() -> None:
    resources = deployment(
        pool(
            "p1",
            server("p1-a1", role="active"),
            server("p1-bak", "sql", role="standby"),
            server("p1-sqlw", "express", role="store"),
        )
    )
    assert found(resources) == [
        lone_witness("p1-sqlw", 1),
        (
            "p1-bak-vm",
            "VM 'p1-bak' of pool 'p1' is tagged pchat-role: standby, but it is a SQL Server (image "
            "MicrosoftSQLServer/SQL2014SP3-WS2012R2/Enterprise); a tag that contradicts its resource is not trusted, "
            f"and the pool cannot be checked from it: correct or remove the tag {RESOURCES}",
        ),
        (
            "p1-sqlw-vm",
            "VM 'p1-sqlw' of pool 'p1' is tagged pchat-role: store, but it is a SQL Server mirroring witness (image "
            "MicrosoftSQLServer/SQL2014SP3-WS2012R2/Express); a tag that contradicts its resource is not trusted, "
            f"and the pool cannot be checked from it: correct or remove the tag {RESOURCES}",
        ),
    ]
