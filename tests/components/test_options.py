"""Resource options flow like Pulumi's own: what a user sets on the deployment reaches every resource in
it, unless the project deliberately strengthens it (protecting the stores).

Pulumi passes ``protect``, providers and aliases from a parent to its children; ``retainOnDelete`` and
``deletedWith`` it does not (pulumi/pulumi#8969, #19654), so the components carry those themselves.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native
import pytest

from components import DeploymentArgs, PersistentChatDeployment
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, synthesize
from lync_pchat.offline.stateful import STATEFUL_TYPES

from ..model.configs import changed, enterprise

FULL = changed(
    enterprise(),
    pools__pchat01__compliance={"enabled": True},
    pools__pchat01__highAvailability={"mirroring": True, "witness": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
)


def deploy(topology: dict[str, Any], **options: Any) -> list[Resource]:
    def program() -> None:
        opts = dict(options)
        if opts.pop("provider", False):
            opts["providers"] = [azure_native.Provider("westeu", location="westeurope")]
        if opts.get("deleted_with") == "group":
            opts["deleted_with"] = azure_native.resources.ResourceGroup("owner", location="westeurope")
        PersistentChatDeployment(
            "pchat", DeploymentArgs(plan=plan_topology(topology)), opts=pulumi.ResourceOptions(**opts)
        )

    return [r for r in synthesize(program) if r.name not in ("westeu", "owner")]


def stores(graph: list[Resource]) -> list[Resource]:
    """What holds data: disks, the vault, SQL registrations and SQL Server VMs, the data resource groups."""
    return [
        r
        for r in graph
        if r.type in STATEFUL_TYPES - {"azure-native:resources:ResourceGroup"}
        or r.name.endswith("-data-rg")
        or (
            r.type == "azure-native:compute:VirtualMachine"
            and r.inputs["tags"]["pchat-role"] not in ("active", "standby")
        )
    ]


def inside(graph: list[Resource]) -> list[Resource]:
    """Every resource in the deployment, the deployment itself excluded."""
    return [r for r in graph if r.parent and "PersistentChatDeployment" in r.urn and r.name != "pchat"]


def test_protect_on_the_deployment_reaches_every_resource() -> None:
    graph = inside(deploy(changed(FULL, protectStatefulResources=False), protect=True))
    assert len(graph) > 100
    assert [r.name for r in graph if not r.protect] == []


def test_without_protect_only_the_project_protects_stateful_resources() -> None:
    graph = inside(deploy(FULL))
    assert sorted(r.name for r in graph if r.protect) == sorted(r.name for r in stores(graph))
    assert [r.name for r in stores(graph) if not r.retain_on_delete] == []
    unprotected = inside(deploy(changed(FULL, protectStatefulResources=False)))
    assert [r.name for r in unprotected if r.protect or r.retain_on_delete] == []


def test_retain_on_delete_on_the_deployment_reaches_every_resource() -> None:
    graph = inside(deploy(changed(FULL, protectStatefulResources=False), retain_on_delete=True))
    assert [r.name for r in graph if r.custom and not r.retain_on_delete] == []


def test_deleted_with_on_the_deployment_reaches_every_resource() -> None:
    graph = inside(deploy(changed(FULL, protectStatefulResources=False), deleted_with="group"))
    owner = "urn:pulumi:test::pchat::azure-native:resources:ResourceGroup::owner"
    assert [r.name for r in graph if r.custom and r.deleted_with != owner] == []


def test_a_provider_on_the_deployment_reaches_every_azure_resource() -> None:
    graph = inside(deploy(enterprise(), provider=True))
    azure = [r for r in graph if r.custom and r.type.startswith("azure-native:")]
    assert azure
    assert {r.provider.rsplit("::", 1)[0] for r in azure} == {
        "urn:pulumi:test::pchat::pulumi:providers:azure-native::westeu"
    }


def test_an_alias_on_the_deployment_keeps_every_resource_when_it_moves() -> None:
    """A team moves the deployment into a component of its own larger stack, aliasing its old place at the
    root: the engine carries the alias to every child, so nothing is replaced."""
    before = {r.urn for r in deploy(enterprise())}

    def moved() -> None:
        wrapper = pulumi.ComponentResource("estate:index:Spoke", "spoke")
        PersistentChatDeployment(
            "pchat",
            DeploymentArgs(plan=plan_topology(enterprise())),
            opts=pulumi.ResourceOptions(parent=wrapper, aliases=[pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)]),
        )

    after = [r for r in synthesize(moved) if "PersistentChatDeployment" in r.urn]
    assert len(after) == len([u for u in before if "PersistentChatDeployment" in u])
    assert [r.name for r in after if r.urn in before] == [], "every URN changed: the deployment moved"
    assert [r.name for r in after if not set(r.aliases) & before] == []


@pytest.mark.parametrize("option", ["protect", "retain_on_delete"])
def test_a_false_option_never_weakens_the_stores(option: str) -> None:
    graph = inside(deploy(FULL, **{option: False}))
    assert [r.name for r in stores(graph) if not (r.protect and r.retain_on_delete)] == []
