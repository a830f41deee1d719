"""StoreGroup: the data resource group of a site, protected and locked CanNotDelete by default."""

from __future__ import annotations

from components import StoreGroup, StoreGroupArgs
from components.store_group import LOCK_NOTES
from lync_pchat.offline.graph import children, named, of_type, synthesize

from ..oracles.arm import group_id

LOCK = "azure-native:authorization:ManagementLockByScope"


def build(*, lock: bool = True, protect: bool = True) -> None:
    StoreGroup(
        "data-dublin",
        StoreGroupArgs(
            site="dublin",
            region="northeurope",
            name_prefix="pchat-prod",
            lock=lock,
            protect=protect,
            tags={"pchat-role": "data"},
        ),
    )


GRAPH = synthesize(build)


def test_children() -> None:
    assert children(GRAPH, "data-dublin", "lync-pchat:index:StoreGroup") == [
        (LOCK, "data-dublin-lock"),
        ("azure-native:resources:ResourceGroup", "data-dublin-rg"),
    ]


def test_group_is_named_per_site_and_protected() -> None:
    group = named(GRAPH, "data-dublin-rg")
    assert group.inputs == {
        "resourceGroupName": "rg-pchat-prod-dublin-data",
        "location": "northeurope",
        "tags": {"pchat-role": "data"},
    }
    assert (group.protect, group.retain_on_delete) == (True, True)


def test_lock_is_can_not_delete_on_the_group_with_notes() -> None:
    lock, group = named(GRAPH, "data-dublin-lock"), named(GRAPH, "data-dublin-rg")
    assert lock.inputs == {
        "scope": group_id("rg-pchat-prod-dublin-data"),
        "lockName": "lock-rg-pchat-prod-dublin-data",
        "level": "CanNotDelete",
        "notes": LOCK_NOTES,
    }
    assert lock.depends_on(group)
    assert (lock.protect, lock.retain_on_delete) == (False, False)
    assert len(LOCK_NOTES) <= 512  # Azure's limit on lock notes
    assert "lockStores" in LOCK_NOTES and "false" in LOCK_NOTES


def test_lock_opt_out() -> None:
    graph = synthesize(lambda: build(lock=False))
    assert of_type(graph, LOCK) == []
    assert [r.name for r in graph] == ["data-dublin", "data-dublin-rg"]


def test_protection_opt_out() -> None:
    group = named(synthesize(lambda: build(protect=False)), "data-dublin-rg")
    assert (group.protect, group.retain_on_delete) == (False, False)
