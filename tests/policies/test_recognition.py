"""Servers are recognised from the resources: kind from the image or a SQL registration, pool from
the component tree, region from the location; tags are only hints."""

from __future__ import annotations

import dataclasses

import pytest
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from lync_pchat.model import Role
from lync_pchat.model.resource_types import PERSISTENT_CHAT_TYPE
from lync_pchat.policies import StackResource
from lync_pchat.policies.base import UNKNOWN, read, text
from lync_pchat.policies.recognition import UNRESOLVED_POOL, Kind, pools, recognise

from .support import NE, ROOT, UNKNOWN_VALUE, VM_TYPE, WE, deployment, pool, registration, server


def kinds(resources: list[StackResource]) -> dict[str, tuple[str, Kind, str]]:
    return {s.name: (s.pool, s.kind, s.evidence) for s in recognise(resources)}


def test_the_kind_comes_from_the_image_or_a_sql_registration() -> None:
    resources = deployment(
        pool(
            "p1",
            server("p1-a1"),
            server("p1-sql", "sql"),
            server("p1-sqlw", "express"),
            server("p1-reg"),
            server("p1-lnx", osProfile={"linuxConfiguration": {}}),
            server("p1-lnx2", storageProfile={"osDisk": {"osType": "Linux"}}),
        ),
        [registration("P1-REG")],
    )
    assert kinds(resources) == {
        "p1-a1": (
            "p1",
            Kind.POOL_SERVER,
            "image MicrosoftWindowsServer/WindowsServer/2012-R2-Datacenter, no SqlVirtualMachine registration",
        ),
        "p1-sql": ("p1", Kind.SQL, "image MicrosoftSQLServer/SQL2014SP3-WS2012R2/Enterprise"),
        "p1-sqlw": ("p1", Kind.WITNESS, "image MicrosoftSQLServer/SQL2014SP3-WS2012R2/Express"),
        "p1-reg": (
            "p1",
            Kind.SQL,
            "image MicrosoftWindowsServer/WindowsServer/2012-R2-Datacenter, named by a SqlVirtualMachine registration",
        ),
        "p1-lnx": ("p1", Kind.OTHER, "a Linux configuration"),
        "p1-lnx2": ("p1", Kind.OTHER, "a Linux configuration"),
    }


@pytest.mark.parametrize("name", [UNKNOWN_VALUE, None, 7, ""])
def test_a_registration_whose_name_is_not_a_known_string_names_no_vm(name: object) -> None:
    resources = deployment(pool("p1", server("p1-a1")), [registration(name)])
    assert kinds(resources)["p1-a1"][1] is Kind.POOL_SERVER


def test_a_vm_without_a_known_name_matches_no_registration() -> None:
    vm = server("p1-a1")
    nameless = dataclasses.replace(vm, props={**vm.props, "vmName": UNKNOWN_VALUE})
    resources = deployment(pool("p1", nameless), [registration(UNKNOWN_VALUE)])
    [found] = recognise(resources)
    assert (found.name, found.vm_name, found.kind) == ("p1-a1-vm", None, Kind.POOL_SERVER)


def test_the_pool_is_the_nearest_pool_component_not_the_tag() -> None:
    misleading = server("p1-a1", role="active")
    misleading = dataclasses.replace(misleading, props={**misleading.props, "tags": {"pchat-pool": "p9"}})
    resources = deployment(pool("p1", misleading), pool("p2", server("p2-a1", location="West Europe")))
    assert {name: [(s.name, s.region) for s in members] for name, members in pools(resources).items()} == {
        "p1": [("p1-a1", NE)],
        "p2": [("p2-a1", WE)],
    }


def test_vms_outside_a_deployment_are_out_of_scope() -> None:
    dc = server("dc01")
    assert recognise([dc]) == []
    assert recognise([*deployment(), dataclasses.replace(dc, parent=f"{ROOT}{VM_TYPE}::x")]) == []


def test_the_multi_language_component_is_a_deployment_too() -> None:
    resources = deployment(pool("p1", server("p1-a1"), under=PERSISTENT_CHAT_TYPE), kind=PERSISTENT_CHAT_TYPE)
    assert [s.name for s in recognise(resources)] == ["p1-a1"]


def test_without_its_components_a_vm_is_placed_by_its_urn() -> None:
    vms = [r for r in deployment(pool("p1", server("p1-a1"))) if r.type == VM_TYPE]
    [found] = recognise(vms)
    assert (found.name, found.pool) == ("p1-a1", UNRESOLVED_POOL)


def test_a_deployment_vm_outside_any_pool_is_recognised_without_a_pool() -> None:
    resources = deployment()
    vm = dataclasses.replace(server("x1"), urn=f"{resources[0].urn.rsplit('::', 1)[0]}${VM_TYPE}::x1-vm")
    vm = dataclasses.replace(vm, parent=resources[0].urn)
    [found] = recognise([*resources, vm])
    assert (found.pool, found.title) == ("", "Persistent Chat server 'x1' of the deployment")
    assert pools([*resources, vm]) == {}


@pytest.mark.parametrize(
    ("image_kind", "role", "contradicts"),
    [
        ("sql", "active", True),
        ("express", "standby", True),
        ("windows", "store", True),
        ("windows", "witness", True),
        ("sql", "witness", True),
        ("express", "store", True),
        ("windows", "standard-edition", False),
        ("sql", "backup-store-mirror", False),
        ("express", "backup-witness", False),
        ("windows", "not-a-role", False),
    ],
)
def test_a_role_tag_is_a_hint_that_must_agree_with_the_resource(image_kind: str, role: str, contradicts: bool) -> None:
    [found] = recognise(deployment(pool("p1", server("p1-x", image_kind, role=role))))
    assert found.contradicts is contradicts
    assert found.hint == (None if contradicts or role == "not-a-role" else Role(role))


def test_reads_never_raise_for_values_unknown_during_a_preview() -> None:
    props = unknown_checking_proxy(
        {"vmName": UNKNOWN_VALUE, "tags": {"pchat-role": UNKNOWN_VALUE}, "storageProfile": UNKNOWN_VALUE}
    )
    with pytest.raises(UnknownValueError):
        props.get("vmName")
    assert read(props, "vmName") is UNKNOWN
    assert read(props, "storageProfile.imageReference.publisher") is UNKNOWN
    assert text(props, "tags.pchat-role") is None
    assert read(props, "hardwareProfile.vmSize") is None
    assert read({"a": {"b": UNKNOWN_VALUE}}, "a.b") is UNKNOWN, "plain dicts carry the sentinel"


class Broken(dict):  # type: ignore[type-arg]
    def get(self, key: object, default: object = None) -> object:
        raise RuntimeError("bug")


def test_reads_raise_every_other_error() -> None:
    with pytest.raises(RuntimeError, match="bug"):
        read({"a": Broken()}, "a.b")


def test_state_written_by_the_first_release_is_recognised() -> None:
    def legacy(r: StackResource) -> StackResource:
        old = "pchat:index:"
        return dataclasses.replace(
            r,
            type=r.type.replace("lync-pchat:index:", old),
            urn=r.urn.replace("lync-pchat:index:", old),
            parent=r.parent.replace("lync-pchat:index:", old),
        )

    resources = [legacy(r) for r in deployment(pool("p1", server("p1-a1")))]
    assert resources[0].type == "pchat:index:PersistentChatDeployment"
    assert [(s.name, s.pool) for s in recognise(resources)] == [("p1-a1", "p1")]
