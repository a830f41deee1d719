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


def test_the_documented_layout_passes_tagged_and_untagged() -> None:
    assert check_site_placement(enterprise(), {}) == []
    assert check_site_placement(enterprise(tags=False), {}) == []


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
    assert found(resources) == [lone_witness("p1-sqlw", 1)]
    beside = deployment(pool("p1", server("p1-sql", "sql"), server("p1-sqlm", "sql"), server("p1-sqlw", "express")))
    assert found(beside) == []


def uneven(one: int, names_one: str, other: int, names_other: str) -> str:
    return (
        f"Pool 'p1' has {one} SQL Servers in northeurope ({names_one}) but {other} in westeurope ({names_other}); "
        "the backup data center repeats the primary one (a log-shipping secondary and its mirror for the primary "
        "and its mirror, the compliance stores the same way), so a SQL Server is in the wrong data center "
        f"{RESOURCES}"
    )


def test_untagged_a_backup_store_in_the_primary_region_is_refused_by_the_uneven_sides() -> None:
    resources = moved(enterprise(tags=False), "p1-bak", NE)
    assert found(resources) == [
        lone_witness("p1-bakw", 1, WE),
        ("", uneven(3, "p1-bak, p1-sql, p1-sqlm", 1, "p1-bakm")),
    ]


def test_untagged_a_mirror_in_the_standby_region_is_refused_by_its_lone_witness() -> None:
    resources = moved(enterprise(tags=False), "p1-sqlm", WE)
    assert found(resources) == [lone_witness("p1-sqlw", 1), ("", uneven(1, "p1-sql", 3, "p1-bak, p1-bakm, p1-sqlm"))]


def standby(role: str, name: str) -> tuple[str, str]:
    return (
        f"{name}-vm",
        f"{role} server '{name}' of pool 'p1' is in northeurope, the region of the pool's active servers; standby "
        f"servers and backup stores belong in the other data center, so one outage cannot take both {RESOURCES}",
    )


def test_tagged_standby_and_backup_roles_in_the_active_region_are_refused() -> None:
    resources = pools(
        vm("active", name="p1-a1"),
        vm("active", name="p1-a2"),
        vm("standby", name="p1-s1"),
        vm("backup-store-mirror", location=WE, name="p1-bakm"),
        vm("compliance-backup-store", name="p1-cbak"),
    )
    assert found(resources) == [
        standby("standby", "p1-s1"),
        standby("compliance-backup-store", "p1-cbak"),
    ]


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
        ("", uneven(2, "p1-sql, p1-sqlm", 3, "p1-bak, p1-bakm, p1-cmpm")),
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
    """Stripping one tag would otherwise hide the standby server in the primary region."""
    resources = pools(vm("active", name="p1-a1"), vm("standby", name="p1-s1"))
    hidden = [
        dataclasses.replace(r, props={**r.props, "tags": {"pchat-role": "standby-ish"}}) if r.name == "p1-s1-vm" else r
        for r in resources
    ]
    assert found(resources) == [standby("standby", "p1-s1")]
    assert found(hidden) == [
        (
            "p1-s1-vm",
            "Persistent Chat server 'p1-s1' of pool 'p1' has no pchat-role tag (or an unknown one) while other "
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
