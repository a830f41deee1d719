"""Direct tests of pchat-pool-size and the advisories over crafted pools, with exact messages."""

from __future__ import annotations

import dataclasses

from lync_pchat.policies import StackResource, Violation
from lync_pchat.policies.topology import advise_dedicated_sql, advise_separate_compliance, check_pool_size

from .support import NE, WE, deployment, pool, pools, server, vm

CAPACITY = "[L:lync-server-2013-capacity-planning-for-persistent-chat-server]"
RESOURCES = "[L:lync-server-2013-required-resources-for-persistent-chat-server]"


def messages(violations: list[Violation]) -> list[str]:
    return [v.message for v in violations]


def tagged(active: int, standby: int, name: str = "p1") -> list[StackResource]:
    """Tagged servers as the components build them: active in NE, standby in WE."""
    return [vm("active", pool=name, name=f"{name}-a{i}") for i in range(1, active + 1)] + [
        vm("standby", pool=name, location=WE, name=f"{name}-s{i}") for i in range(1, standby + 1)
    ]


def in_region(count: int, location: str = NE, name: str = "p1", start: int = 1) -> list[StackResource]:
    """Untagged Windows VMs."""
    return [server(f"{name}-v{i}", location=location) for i in range(start, start + count)]


def per_region(count: int, region: str, members: str) -> str:
    return (
        f"Pool 'p1' has {count} Persistent Chat servers in {region} ({members}); a data center holds at most 4 of a "
        "pool's servers: the documented stretched layouts put servers 1-4 in one data center and 5-8 in the other "
        f"{RESOURCES}"
    )


def test_four_servers_in_each_of_two_regions_pass() -> None:
    assert check_pool_size(pools(*tagged(4, 4), *tagged(4, 4, "p2")), {}) == []
    assert check_pool_size(deployment(pool("p1", *in_region(4), *in_region(4, WE, start=5))), {}) == []


def test_five_untagged_vms_of_one_pool_in_one_region_are_refused() -> None:
    """Audit finding: five untagged VMs raised nothing when servers were found by their tags."""
    resources = deployment(pool("p1", *in_region(5)))
    assert [(v.urn, v.message) for v in check_pool_size(resources, {})] == [
        ("", per_region(5, NE, "p1-v1, p1-v2, p1-v3, p1-v4, p1-v5"))
    ]


def test_a_ninth_server_is_refused() -> None:
    resources = deployment(pool("p1", *in_region(4), *in_region(4, WE, start=5), server("p1-v9", location="eastus")))
    assert messages(check_pool_size(resources, {})) == [
        "Pool 'p1' has 9 Persistent Chat servers (p1-v1, p1-v2, p1-v3, p1-v4, p1-v5, p1-v6, p1-v7, p1-v8, p1-v9); "
        f"a pool has at most 8, of which at most 4 active {CAPACITY}"
    ]


def test_a_fifth_server_tagged_active_is_refused() -> None:
    resources = pools(*tagged(3, 0), *(vm("active", location=WE, name=f"p1-w{i}") for i in (1, 2)))
    assert messages(check_pool_size(resources, {})) == [
        "Pool 'p1' has 5 Persistent Chat servers tagged active (p1-a1, p1-a2, p1-a3, p1-w1, p1-w2); a pool "
        f"supports at most 4 active servers (20,000 users each), make the others standby {CAPACITY}"
    ]


def test_sql_servers_other_vms_and_vms_outside_a_deployment_do_not_count() -> None:
    sql = [server("p1-sql", "sql"), server("p1-sqlm", "sql"), server("p1-sqlw", "express")]
    linux = server("p1-lnx", osProfile={"linuxConfiguration": {}})
    outside = in_region(5, name="dc")
    assert check_pool_size([*deployment(pool("p1", *in_region(4), *sql, linux)), *outside], {}) == []


def contradiction(name: str, tag: str, kind: str, evidence: str, source: str = CAPACITY) -> str:
    return (
        f"VM '{name}' of pool 'p1' is tagged pchat-role: {tag}, but it is a {kind} ({evidence}); a tag that "
        "contradicts its resource is not trusted, and the pool cannot be checked from it: correct or remove the "
        f"tag {source}"
    )


SQL_IMAGE = "image MicrosoftSQLServer/SQL2014SP3-WS2012R2/Enterprise"
WINDOWS = "image MicrosoftWindowsServer/WindowsServer/2012-R2-Datacenter, no SqlVirtualMachine registration"


def test_a_sql_server_tagged_active_is_refused() -> None:
    resources = deployment(pool("p1", *in_region(2), server("p1-sql", "sql", role="active")))
    assert [(v.urn.rsplit("::", 1)[1], v.message) for v in check_pool_size(resources, {})] == [
        ("p1-sql-vm", contradiction("p1-sql", "active", "SQL Server", SQL_IMAGE))
    ]


def test_a_contradicting_tag_does_not_hide_a_violation() -> None:
    """Five pool servers in one region; one claims to be a store, so only four are tagged as pool servers."""
    members = [server(f"p1-a{i}", role="active") for i in range(1, 5)] + [server("p1-a5", role="store")]
    assert messages(check_pool_size(deployment(pool("p1", *members)), {})) == [
        per_region(5, NE, "p1-a1, p1-a2, p1-a3, p1-a4, p1-a5"),
        contradiction("p1-a5", "store", "Persistent Chat server", WINDOWS),
    ]


def test_a_sql_server_tagged_as_a_witness_is_not_a_pool_size_matter() -> None:
    assert check_pool_size(deployment(pool("p1", server("p1-sql", "sql", role="witness"))), {}) == []


def test_active_servers_without_a_store_get_the_dedicated_sql_advisory() -> None:
    resources = pools(*tagged(1, 0), *tagged(1, 0, "p2"), vm("store", pool="p2"))
    assert messages(advise_dedicated_sql(resources, {})) == [
        "Pool 'p1' has no dedicated SQL Server for its PersistentChatStore (mgc), so mgc shares an existing instance "
        "such as the Front End pool's Back End; that is supported, but a dedicated SQL Server is recommended because "
        "the chat database can grow very large [L:lync-server-2013-set-up-system-platforms]"
    ]
    assert advise_dedicated_sql(pools(vm("standard-edition")), {}) == []
    assert messages(advise_dedicated_sql(deployment(pool("p1", server("p1-x"))), {})) == [
        messages(advise_dedicated_sql(resources, {}))[0]
    ], "an untagged pool server is advised too"
    assert advise_dedicated_sql(deployment(pool("p1", server("p1-x"), server("p1-sql", "sql"))), {}) == []


SHARED_COMPLIANCE = (
    "Pool 'p1' has compliance on, but mgccomp shares the store's SQL instance (no compliance-store "
    "server); stand-alone compliance instances are recommended for high availability and disaster "
    f"recovery {RESOURCES}"
)


def test_compliance_detected_from_a_compliance_role() -> None:
    base = [vm("active"), vm("store")]
    assert messages(advise_separate_compliance(pools(*base, vm("compliance-backup-store", location=WE)), {})) == [
        SHARED_COMPLIANCE
    ]
    assert advise_separate_compliance(pools(*base, vm("compliance-store"), vm("compliance-store-mirror")), {}) == []
    assert advise_separate_compliance(pools(*base), {}) == [], "compliance is undetectable from these resources"


def test_compliance_detected_from_the_reported_stores() -> None:
    stores = {
        "p1": {"mgc": {"primary": "p1-sql.corp"}, "mgccomp": {"primary": "p1-sql.corp"}},
        "p2": {"mgc": {"primary": "p2-sql.corp"}},
    }
    base = pools(vm("active"), vm("store"), vm("active", pool="p2"), vm("store", pool="p2"))
    for type_, key in (("lync-pchat:index:PersistentChatDeployment", "stores"), ("pulumi:pulumi:Stack", "sqlStores")):
        outputs = StackResource(type_, "pchat", {key: stores})
        assert messages(advise_separate_compliance([*base, outputs], {})) == [SHARED_COMPLIANCE]
    lab = [*pools(vm("standard-edition")), StackResource("pulumi:pulumi:Stack", "s", {"sqlStores": stores})]
    assert advise_separate_compliance(lab, {}) == [], "no dedicated store: nothing to separate from"
    untagged = [dataclasses.replace(r, props={**r.props, "tags": {}}) for r in base]
    outputs = StackResource("pulumi:pulumi:Stack", "s", {"sqlStores": stores})
    assert messages(advise_separate_compliance([*untagged, outputs], {})) == [SHARED_COMPLIANCE], (
        "an untagged SQL Server may be the store: advised"
    )
