"""The ARM view of recorded resources: types, names, nested rules, secrets as secure parameters."""

from __future__ import annotations

from typing import Any

from lync_pchat.offline.graph import Resource
from tests.pulumi.stacks import stack_graph

from .support import script

arm_view = script("arm_view")


def by_name(template: dict[str, Any], type_: str, name: str) -> dict[str, Any]:
    [found] = [r for r in template["resources"] if r["type"] == type_ and r["name"] == name]
    return found


def test_lab_view_maps_every_azure_resource() -> None:
    graph = stack_graph("lab")
    template = arm_view.template(graph)
    assert arm_view.unmapped(r.type for r in graph) == []
    azure = [r for r in graph if r.type.startswith("azure-native:") and r.type not in arm_view.SKIPPED]
    assert len(template["resources"]) == len(azure)
    vm = by_name(template, "Microsoft.Compute/virtualMachines", "lyncse01")
    assert vm["apiVersion"] == "2024-11-01"
    assert vm["location"] == "westeurope"
    assert vm["identity"] == {"type": "SystemAssigned"}
    assert vm["properties"]["osProfile"]["adminPassword"] == "[parameters('lyncse01_vm_osProfile_adminPassword')]"
    assert template["parameters"]["lyncse01_vm_osProfile_adminPassword"]["type"] == "securestring"
    assert "vmName" not in vm["properties"] and "resourceGroupName" not in vm["properties"]


def test_rules_and_ip_configurations_get_nested_properties() -> None:
    template = arm_view.template(stack_graph("lab"))
    nsg = by_name(template, "Microsoft.Network/networkSecurityGroups", "nsg-pchat-lab-lab-pchat")
    rdp = nsg["properties"]["securityRules"][0]
    assert rdp["name"] == "allow-rdp-management"
    assert rdp["properties"]["destinationPortRange"] == "3389"
    assert rdp["properties"]["priority"] == 900
    nic = by_name(template, "Microsoft.Network/networkInterfaces", "nic-lyncse01")
    assert nic["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"] == "10.50.0.8"


def test_secrets_nulls_and_child_names() -> None:
    template = arm_view.template(stack_graph("lab"))
    [secret] = [r for r in template["resources"] if r["type"] == "Microsoft.KeyVault/vaults/secrets"]
    assert secret["name"].endswith("/lyncse01-admin-password")
    assert secret["properties"]["value"].startswith("[parameters(")
    assert secret["properties"]["attributes"]["exp"].startswith("[parameters("), "computed expiry"
    [init] = [
        r
        for r in template["resources"]
        if r["type"] == "Microsoft.Compute/virtualMachines/extensions" and r["name"].endswith("/pchat-init")
    ]
    assert init["properties"]["protectedSettings"] == "[parameters('lyncse01_init_protectedSettings')]"
    assert template["parameters"]["lyncse01_init_protectedSettings"]["type"] == "secureObject"


def test_plain_values_stay_plain_and_unknown_types_are_named() -> None:
    vm = Resource(
        "urn:vm",
        "azure-native:compute:VirtualMachine",
        "vm",
        "",
        True,
        {"vmName": "vm1", "osProfile": {"adminPassword": "Plain-1!"}},
        False,
        False,
        (),
        (),
    )
    other = Resource("urn:x", "azure-native:web:WebApp", "x", "", True, {}, False, False, (), ())
    template = arm_view.template([vm, other])
    assert template["resources"][0]["properties"]["osProfile"]["adminPassword"] == "Plain-1!"
    assert len(template["resources"]) == 1
    assert arm_view.unmapped(["azure-native:web:WebApp", "random:index/randomPassword:RandomPassword"]) == [
        "azure-native:web:WebApp"
    ]
