"""An ARM template view of a shipped stack's mock-recorded resources, for ARM security scanners.

    python scripts/arm_view.py enterprise > enterprise.json

azure-native inputs are camelCase ARM properties, flattened: the name and resource group become
the ARM ``name``, top-level ARM fields (location, tags, sku, identity, zones) stay on top, and the
rest goes to ``properties``; NSG rules and NIC ip configurations get their nested ``properties``
back. A Pulumi secret becomes a ``securestring``/``secureObject`` parameter reference, so a value
left in plain text stands out; a null input (another resource's output, which the mocks leave
unresolved, e.g. a secret's expiry from a ``time.Offset``) becomes a string parameter. Resource
groups (subscription scope), other providers (random, time) and components have no ARM
counterpart here and are skipped; :func:`unmapped` names any other azure-native type, which the
view leaves out.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lync_pchat.wire import is_secret  # noqa: E402
from tests.pulumi.stacks import stack_graph  # noqa: E402

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
TOP_LEVEL = ("location", "tags", "sku", "identity", "zones", "kind", "plan", "extendedLocation")


@dataclass(frozen=True)
class ArmType:
    """How one azure-native type maps to ARM: type, API version (the SDK's default) and name inputs."""

    type: str
    api_version: str
    names: tuple[str, ...]
    """Inputs joined with ``/`` into the ARM name (parent names first); ``=text`` is that text itself."""
    nested: tuple[str, ...] = ()
    """List properties whose items carry their own ``properties`` in ARM."""
    wrapped: bool = False
    """The inputs already hold ``properties`` (keyvault)."""


TYPES = {
    "azure-native:network:VirtualNetwork": ArmType(
        "Microsoft.Network/virtualNetworks", "2024-05-01", ("virtualNetworkName",), ("subnets",)
    ),
    "azure-native:network:Subnet": ArmType(
        "Microsoft.Network/virtualNetworks/subnets", "2024-05-01", ("virtualNetworkName", "subnetName")
    ),
    "azure-native:network:NetworkSecurityGroup": ArmType(
        "Microsoft.Network/networkSecurityGroups", "2024-05-01", ("networkSecurityGroupName",), ("securityRules",)
    ),
    "azure-native:network:NetworkInterface": ArmType(
        "Microsoft.Network/networkInterfaces", "2024-05-01", ("networkInterfaceName",), ("ipConfigurations",)
    ),
    "azure-native:network:VirtualNetworkPeering": ArmType(
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "2024-05-01",
        ("virtualNetworkName", "virtualNetworkPeeringName"),
    ),
    "azure-native:network:PublicIPAddress": ArmType(
        "Microsoft.Network/publicIPAddresses", "2024-05-01", ("publicIpAddressName",)
    ),
    "azure-native:compute:VirtualMachine": ArmType("Microsoft.Compute/virtualMachines", "2024-11-01", ("vmName",)),
    "azure-native:compute:Disk": ArmType("Microsoft.Compute/disks", "2024-03-02", ("diskName",)),
    "azure-native:compute:AvailabilitySet": ArmType(
        "Microsoft.Compute/availabilitySets", "2024-11-01", ("availabilitySetName",)
    ),
    "azure-native:compute:VirtualMachineExtension": ArmType(
        "Microsoft.Compute/virtualMachines/extensions", "2024-11-01", ("vmName", "vmExtensionName")
    ),
    "azure-native:keyvault:Vault": ArmType("Microsoft.KeyVault/vaults", "2024-11-01", ("vaultName",), wrapped=True),
    "azure-native:keyvault:Secret": ArmType(
        "Microsoft.KeyVault/vaults/secrets", "2024-11-01", ("vaultName", "secretName"), wrapped=True
    ),
    "azure-native:sqlvirtualmachine:SqlVirtualMachine": ArmType(
        "Microsoft.SqlVirtualMachine/sqlVirtualMachines", "2023-10-01", ("sqlVirtualMachineName",)
    ),
    "azure-native:authorization:ManagementLockByScope": ArmType(
        "Microsoft.Authorization/locks", "2020-05-01", ("lockName",)
    ),
    "azure-native:authorization:RoleAssignment": ArmType(
        "Microsoft.Authorization/roleAssignments", "2022-04-01", ("roleAssignmentName",)
    ),
    "azure-native:compute:VirtualMachineRunCommandByVirtualMachine": ArmType(
        "Microsoft.Compute/virtualMachines/runCommands", "2024-11-01", ("vmName", "runCommandName")
    ),
    "azure-native:storage:StorageAccount": ArmType("Microsoft.Storage/storageAccounts", "2024-01-01", ("accountName",)),
    "azure-native:storage:BlobServiceProperties": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices", "2024-01-01", ("accountName", "blobServicesName")
    ),
    "azure-native:storage:BlobContainer": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        "2024-01-01",
        ("accountName", "=default", "containerName"),
    ),
    "azure-native:storage:BlobContainerImmutabilityPolicy": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
        "2024-01-01",
        ("accountName", "=default", "containerName", "immutabilityPolicyName"),
    ),
    "azure-native:operationalinsights:Workspace": ArmType(
        "Microsoft.OperationalInsights/workspaces", "2022-10-01", ("workspaceName",)
    ),
    "azure-native:monitor:ActionGroup": ArmType("Microsoft.Insights/actionGroups", "2023-01-01", ("actionGroupName",)),
    "azure-native:monitor:DataCollectionRule": ArmType(
        "Microsoft.Insights/dataCollectionRules", "2022-06-01", ("dataCollectionRuleName",)
    ),
    "azure-native:monitor:DataCollectionRuleAssociation": ArmType(
        "Microsoft.Insights/dataCollectionRuleAssociations", "2022-06-01", ("associationName",)
    ),
    "azure-native:monitor:DiagnosticSetting": ArmType(
        "Microsoft.Insights/diagnosticSettings", "2021-05-01-preview", ("name",)
    ),
    "azure-native:monitor:ScheduledQueryRule": ArmType(
        "Microsoft.Insights/scheduledQueryRules", "2023-12-01", ("ruleName",)
    ),
    "azure-native:maintenance:MaintenanceConfiguration": ArmType(
        "Microsoft.Maintenance/maintenanceConfigurations", "2023-04-01", ("resourceName",)
    ),
    "azure-native:maintenance:ConfigurationAssignment": ArmType(
        "Microsoft.Maintenance/configurationAssignments", "2023-04-01", ("configurationAssignmentName",)
    ),
}
SKIPPED = ("azure-native:resources:ResourceGroup",)
"""Subscription-scope resources: not part of a resource-group template."""


RENAMED = {"expires": "exp", "notBefore": "nbf"}
"""azure-native names of ARM properties (key vault secret attributes)."""


class Parameters:
    """The template's parameters: one per secret value and one per value computed at deployment."""

    def __init__(self) -> None:
        self.declared: dict[str, dict[str, Any]] = {}

    def reference(self, hint: str, type_: str, description: str) -> str:
        name = re.sub(r"[^A-Za-z0-9]+", "_", hint).strip("_")
        self.declared[name] = {"type": type_, "metadata": {"description": description}}
        return f"[parameters('{name}')]"

    def secret(self, hint: str, value: Any) -> str:
        return self.reference(hint, "secureObject" if isinstance(value, dict) else "securestring", "a Pulumi secret")

    def computed(self, hint: str) -> str:
        """A value that is another resource's output, unknown under the mocks (they record null)."""
        return self.reference(hint, "string", "computed by Pulumi at deployment")


def _secure(value: Any, hint: str, params: Parameters) -> Any:
    if is_secret(value):
        return params.secret(hint, value["value"])
    if value is None:
        return params.computed(hint)
    if isinstance(value, dict):
        return {RENAMED.get(k, k): _secure(v, f"{hint}_{k}", params) for k, v in value.items()}
    if isinstance(value, list):
        return [_secure(v, f"{hint}_{i}", params) for i, v in enumerate(value)]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf Struct numbers are floats; ARM wants integers
    return value


def _nest(item: Any) -> Any:
    """An inline child (NSG rule, ip configuration, subnet) in ARM form: ``name`` plus ``properties``."""
    if not isinstance(item, dict):
        return item
    rest = {k: v for k, v in item.items() if k not in ("name", "id")}
    return {key: item[key] for key in ("name", "id") if key in item} | {"properties": rest}


def unmapped(types: Iterable[str]) -> list[str]:
    """azure-native types the view cannot express, so a scan of it does not cover them."""
    return sorted({t for t in types if t.startswith("azure-native:") and t not in TYPES and t not in SKIPPED})


def resource(type_: str, name: str, inputs: dict[str, Any], params: Parameters) -> dict[str, Any] | None:
    """The ARM resource of one recorded resource; None for other providers, components and unmapped types."""
    arm = TYPES.get(type_)
    if arm is None:
        return None
    values = _secure(inputs, name, params)
    dropped = {"resourceGroupName", "scope", *arm.names}
    if arm.wrapped:
        properties = values.get("properties", {})
    else:
        properties = {k: v for k, v in values.items() if k not in dropped and k not in TOP_LEVEL}
    for key in arm.nested:
        if isinstance(properties.get(key), list):
            properties[key] = [_nest(item) for item in properties[key]]
    top = {k: values[k] for k in (*TOP_LEVEL, "scope") if k in values}
    arm_name = "/".join(n[1:] if n.startswith("=") else str(values.get(n, name)) for n in arm.names)
    return {"type": arm.type, "apiVersion": arm.api_version, "name": arm_name, **top, "properties": properties}


def template(resources: Iterable[Any]) -> dict[str, Any]:
    """An ARM deployment template of recorded resources (``type``, ``name``, ``inputs``)."""
    params = Parameters()
    arm = [r for r in (resource(x.type, x.name, x.inputs, params) for x in resources) if r is not None]
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": params.declared, "resources": arm}


def stack_template(stack: str, graph: Callable[[str], Iterable[Any]] = stack_graph) -> dict[str, Any]:
    """The ARM view of a shipped stack, synthesized with the mock engine."""
    return template(graph(stack))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: arm_view.py STACK", file=sys.stderr)
        return 2
    json.dump(stack_template(argv[0]), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
