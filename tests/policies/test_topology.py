"""Direct tests of the stack checks over crafted pools, with exact messages."""

from __future__ import annotations

from lync_pchat.policies import StackResource
from lync_pchat.policies.topology import (
    advise_dedicated_sql,
    advise_separate_compliance,
    check_pool_size,
    check_site_placement,
)

from .support import vm

CAPACITY = "[L:lync-server-2013-capacity-planning-for-persistent-chat-server]"
RESOURCES = "[L:lync-server-2013-required-resources-for-persistent-chat-server]"
NE, WE = "northeurope", "westeurope"


def messages(violations: list) -> list[str]:  # type: ignore[type-arg]
    return [v.message for v in violations]


def pool(active: int, standby: int, name: str = "p1") -> list[StackResource]:
    return [vm("active", pool=name, name=f"{name}-a{i}") for i in range(1, active + 1)] + [
        vm("standby", pool=name, location=WE, name=f"{name}-s{i}") for i in range(1, standby + 1)
    ]


def test_four_active_and_four_standby_pass() -> None:
    assert check_pool_size(pool(4, 4) + pool(4, 4, "p2"), {}) == []


def test_a_fifth_active_server_is_refused() -> None:
    assert messages(check_pool_size(pool(5, 0), {})) == [
        "Pool 'p1' has 5 active Persistent Chat servers (p1-a1, p1-a2, p1-a3, p1-a4, p1-a5); a pool supports at most "
        f"4 active servers (20,000 users each), make the others standby {CAPACITY}"
    ]


def test_a_ninth_server_is_refused() -> None:
    assert messages(check_pool_size(pool(4, 5), {})) == [
        "Pool 'p1' has 9 Persistent Chat servers (p1-a1, p1-a2, p1-a3, p1-a4, p1-s1, p1-s2, p1-s3, p1-s4, p1-s5); "
        f"a pool has at most 8, of which at most 4 active {CAPACITY}"
    ]


def test_sql_servers_and_untagged_vms_do_not_count() -> None:
    sql = [vm(role, name=f"p1-{role}") for role in ("store", "store-mirror", "witness")]
    untagged = StackResource("azure-native:compute:VirtualMachine", "x", {"tags": {}})
    assert check_pool_size(pool(4, 4) + sql + [untagged], {}) == []


def test_standby_and_backup_roles_in_the_active_region_are_refused() -> None:
    resources = [
        *pool(2, 0),
        vm("standby", name="p1-s1"),
        vm("backup-store-mirror", location=WE, name="p1-bakm"),
        vm("compliance-backup-store", name="p1-cbak"),
    ]
    found = check_site_placement(resources, {})
    assert [(v.urn, v.message) for v in found] == [
        (
            f"urn:{name}",
            f"{role} server '{name}' of pool 'p1' is in northeurope, the region of the pool's active "
            "servers; standby servers and backup stores belong in the other data center, so one outage cannot take "
            f"both {RESOURCES}",
        )
        for role, name in (("standby", "p1-s1"), ("compliance-backup-store", "p1-cbak"))
    ]


def test_mirrors_and_witnesses_beside_their_store() -> None:
    resources = [
        vm("store", name="p1-sql"),
        vm("store-mirror", location=WE, name="p1-sqlm"),
        vm("witness", name="p1-sqlw"),
        vm("backup-store-mirror", location=WE, name="p1-bakm"),
        vm("backup-witness", location=WE, name="p1-bakw"),
    ]
    assert messages(check_site_placement(resources, {})) == [
        "store-mirror server 'p1-sqlm' of pool 'p1' is in westeurope, but its store is in northeurope; mirrors and "
        f"witnesses belong in the same data center as the database they protect {RESOURCES}"
    ]


def test_a_mirror_without_its_store_and_a_pool_without_active_servers_pass() -> None:
    assert check_site_placement([vm("store-mirror"), vm("standby"), vm("backup-store")], {}) == []


def test_pools_are_checked_separately() -> None:
    resources = [*pool(1, 0, "p1"), vm("backup-store", pool="p2", name="p2-bak")]
    assert check_site_placement(resources, {}) == []


def test_active_servers_without_a_store_get_the_dedicated_sql_advisory() -> None:
    assert messages(advise_dedicated_sql(pool(1, 0) + pool(1, 0, "p2") + [vm("store", pool="p2")], {})) == [
        "Pool 'p1' has no dedicated SQL Server for its PersistentChatStore (mgc), so mgc shares an existing instance "
        "such as the Front End pool's Back End; that is supported, but a dedicated SQL Server is recommended because "
        "the chat database can grow very large [L:lync-server-2013-set-up-system-platforms]"
    ]
    assert advise_dedicated_sql([vm("standard-edition")], {}) == []


SHARED_COMPLIANCE = (
    "Pool 'p1' has compliance on, but mgccomp shares the store's SQL instance (no compliance-store "
    "server); stand-alone compliance instances are recommended for high availability and disaster "
    f"recovery {RESOURCES}"
)


def test_compliance_detected_from_a_compliance_role() -> None:
    base = [vm("active"), vm("store")]
    assert messages(advise_separate_compliance([*base, vm("compliance-backup-store", location=WE)], {})) == [
        SHARED_COMPLIANCE
    ]
    assert advise_separate_compliance([*base, vm("compliance-store"), vm("compliance-store-mirror")], {}) == []
    assert advise_separate_compliance(base, {}) == [], "compliance is undetectable from these tags"


def test_compliance_detected_from_the_reported_stores() -> None:
    stores = {
        "p1": {"mgc": {"primary": "p1-sql.corp"}, "mgccomp": {"primary": "p1-sql.corp"}},
        "p2": {"mgc": {"primary": "p2-sql.corp"}},
    }
    base = [vm("active"), vm("store"), vm("active", pool="p2"), vm("store", pool="p2")]
    for type_, key in (("lync-pchat:index:PersistentChatDeployment", "stores"), ("pulumi:pulumi:Stack", "sqlStores")):
        outputs = StackResource(type_, "pchat", {key: stores})
        assert messages(advise_separate_compliance([*base, outputs], {})) == [SHARED_COMPLIANCE]
    lab = [vm("standard-edition"), StackResource("pulumi:pulumi:Stack", "s", {"sqlStores": stores})]
    assert advise_separate_compliance(lab, {}) == [], "no dedicated store: nothing to separate from"
