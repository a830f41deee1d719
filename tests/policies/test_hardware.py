"""Direct tests of pchat-vm-size (a stack check): sizes of every deployment VM, exemptions from the
policy config only, exact messages."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from lync_pchat.model.catalog import VM_SIZES
from lync_pchat.policies import StackResource, Violation
from lync_pchat.policies.hardware import check_vm_size

from .support import UNKNOWN_VALUE, WE, deployment, pool, pools, server, vm

HARDWARE = "[L:lync-server-2013-server-hardware-platforms]"


def small(size: str, title: str) -> str:
    return (
        f"{VM_SIZES[size].describe()}: {title} needs the documented hardware, 2 x hex-core (12 physical cores; "
        "hyper-threaded vCPUs count half) and 32 GB; use Standard_F32s_v2 or larger, or exempt an unsupported lab "
        f"in the policy config (evaluationPools, evaluationVms) {HARDWARE}"
    )


def found(resources: list[StackResource], config: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    return [(v.urn.rsplit("::", 1)[1] if v.urn else "", v.message) for v in check_vm_size(resources, config or {})]


def messages(violations: list[Violation]) -> list[str]:
    return [v.message for v in violations]


@pytest.mark.parametrize(
    ("image_kind", "title"),
    [
        ("windows", "Persistent Chat server 'p1-x1' of pool 'p1'"),
        ("sql", "SQL Server 'p1-x1' of pool 'p1'"),
    ],
)
@pytest.mark.parametrize("role", [None, "active", "store", "witness"])
def test_f16s_v2_is_below_the_documented_spec_whatever_the_tag(image_kind: str, title: str, role: str | None) -> None:
    resources = deployment(pool("p1", server("p1-x1", image_kind, size="Standard_F16s_v2", role=role)))
    assert found(resources) == [("p1-x1-vm", small("Standard_F16s_v2", title))]


@pytest.mark.parametrize("size", ["Standard_F32s_v2", "Standard_D32s_v5", "Standard_E32s_v5"])
def test_sizes_with_12_physical_cores_and_32_gb_pass(size: str) -> None:
    assert check_vm_size(deployment(pool("p1", server("p1-a1", size=size))), {}) == []


def test_a_sql_store_tagged_as_evaluation_hardware_is_refused() -> None:
    """Audit finding: the pchat-hardware tag exempted a too-small store; the tag is not read any more."""
    store = vm("store", "Standard_F8s_v2", name="p1-sql")
    store = dataclasses.replace(
        store, props={**store.props, "tags": {**store.props["tags"], "pchat-hardware": "evaluation"}}
    )
    assert found(pools(store)) == [("p1-sql-vm", small("Standard_F8s_v2", "SQL Server 'p1-sql' of pool 'p1'"))]


def test_witnesses_are_recognised_by_their_sql_express_image_not_their_tag() -> None:
    resources = deployment(
        pool(
            "p1",
            server("p1-sqlw", "express", size="Standard_D2s_v5"),
            server("p1-bakw", "express", size="Standard_D2s_v5", role="store"),
            server("p1-fake", "sql", size="Standard_D2s_v5", role="witness"),
            server("p1-win", size="Standard_D2s_v5", role="backup-witness"),
            server(
                "p1-exp",
                size="Standard_D2s_v5",
                storageProfile={"imageReference": {"publisher": "contoso", "offer": "sql", "sku": "Express"}},
            ),
        )
    )
    assert found(resources) == [
        ("p1-fake-vm", small("Standard_D2s_v5", "SQL Server 'p1-fake' of pool 'p1'")),
        ("p1-win-vm", small("Standard_D2s_v5", "Persistent Chat server 'p1-win' of pool 'p1'")),
        ("p1-exp-vm", small("Standard_D2s_v5", "Persistent Chat server 'p1-exp' of pool 'p1'")),
    ], "only a SQL Server image of sku Express is a witness"


def test_the_policy_config_exempts_evaluation_pools_and_vms() -> None:
    resources = deployment(
        pool("lab01", server("lab01", size="Standard_F4s_v2"), server("lab01-sql", "sql", size="Standard_F4s_v2")),
        pool("p1", server("p1-a1", size="Standard_F4s_v2"), server("p1-a2", size="Standard_F4s_v2")),
    )
    assert found(resources, {"evaluationPools": ["lab01"], "evaluationVms": ["p1-a2"]}) == [
        ("p1-a1-vm", small("Standard_F4s_v2", "Persistent Chat server 'p1-a1' of pool 'p1'"))
    ]
    assert len(found(resources)) == 4
    assert len(found(resources, {"evaluationPools": ["LAB01", "p1-a2"], "evaluationVms": ["lab01"]})) == 3, (
        "pool names and vmNames match exactly, each in its own property"
    )


def test_an_exempted_vm_still_needs_a_catalog_size() -> None:
    [(urn, message)] = found(
        deployment(pool("lab01", server("lab01", size="Standard_B2ms"))), {"evaluationPools": ["lab01"]}
    )
    assert urn == "lab01-vm"
    assert message.startswith(
        "VM size 'Standard_B2ms' of Persistent Chat server 'lab01' of pool 'lab01' is not in the project's size "
        "catalog (Standard_D2s_v5, Standard_D4s_v5, "
    )
    assert message.endswith(
        "so it cannot be checked against the documented hardware; pick a catalog size, or state its vCPUs and memory "
        "in the policy config's customVmSizes as the stack's customVmSizes does [AZ:sizes]"
    )


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        ({"evaluationPools": "lab01"}, '"lab01"'),
        ({"evaluationPools": [1]}, "[1]"),
        ({"evaluationPools": None}, "null"),
        ({"evaluationVms": {"lab01": True}}, '{"lab01": true}'),
    ],
)
def test_a_malformed_config_is_reported_and_exempts_nothing(config: dict[str, Any], shown: str) -> None:
    key = next(iter(config))
    resources = deployment(pool("lab01", server("lab01", size="Standard_F4s_v2")))
    assert found(resources, config) == [
        ("", f'Policy config {key} must be an array of names such as ["lab01"], not {shown}; it exempts nothing'),
        ("lab01-vm", small("Standard_F4s_v2", "Persistent Chat server 'lab01' of pool 'lab01'")),
    ]


def test_every_deployment_vm_is_checked_and_no_other_vm() -> None:
    linux = server("p1-lnx", size="Standard_F4s_v2", osProfile={"linuxConfiguration": {}})
    resources = [*deployment(pool("p1", linux)), server("dc01", size="Standard_B2ms")]
    assert found(resources) == [("p1-lnx-vm", small("Standard_F4s_v2", "non-Windows VM 'p1-lnx' of pool 'p1'"))]


def test_a_size_not_known_during_a_preview_fails_closed_without_hiding_the_others() -> None:
    resources = deployment(
        pool("p1", server("p1-a1", size=UNKNOWN_VALUE), server("p1-a2", size="Standard_F8s_v2", location=WE))
    )
    assert found(resources) == [
        (
            "p1-a1-vm",
            "The VM size of Persistent Chat server 'p1-a1' of pool 'p1' is not known yet (a preview computes it from "
            "another resource's output), so it cannot be checked against the documented hardware; use a known size "
            f"{HARDWARE}",
        ),
        ("p1-a2-vm", small("Standard_F8s_v2", "Persistent Chat server 'p1-a2' of pool 'p1'")),
    ]


def test_a_size_the_policy_config_states_is_checked_like_a_catalog_size() -> None:
    """The stack's customVmSizes has its twin in the policy config: Standard_M64s (64 vCPUs, 1024 GiB per the Azure
    M-series size page), not in the catalog, meets 2 x hex-core and 32 GB once stated; a stated size below it is
    refused like a catalog one."""
    big = {"customVmSizes": {"Standard_M64s": {"vcpus": 64, "memoryGib": 1024}}}
    resources = deployment(pool("p1", server("p1-a1", size="Standard_M64s")))
    assert found(resources, big) == []
    assert "not in the project's size catalog" in found(resources)[0][1]
    assert "policy config's customVmSizes" in found(resources)[0][1]
    small_one = {"customVmSizes": {"Standard_M64s": {"vcpus": 8, "memoryGib": 16}}}
    assert found(resources, small_one)[0][1].startswith(
        "Standard_M64s has 8 vCPUs (hyper-threaded), i.e. 4 physical cores"
    )


def test_a_malformed_custom_size_is_reported_and_adds_nothing() -> None:
    resources = deployment(pool("p1", server("p1-a1", size="Standard_M64s")))
    bad = {"customVmSizes": {"Standard_M64s": {"vcpus": "many"}}}
    assert found(resources, bad)[0][1] == (
        'Policy config customVmSizes.Standard_M64s needs vcpus and memoryGib, not {"vcpus": "many"}'
    )
    assert "not in the project's size catalog" in found(resources, bad)[1][1]
