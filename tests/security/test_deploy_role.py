"""The deploy identity's custom role (``roles/pchat-deployer.json``) covers every resource type, attachment
and lookup the program uses, in every shipped stack and with every optional estate input, and no more
than that: no wildcard, no data action, no role definition of its own."""

from __future__ import annotations

import copy
import fnmatch
import json
from pathlib import Path
from typing import Any

import pulumi
import pytest

from lync_pchat import stackfile
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, flatten
from lync_pchat.offline.synthesis import offline_config
from lync_pchat.program import run as program

ROLE = json.loads((Path(__file__).resolve().parents[2] / "roles" / "pchat-deployer.json").read_text())
CRUD, SECRET_OPERATIONS = ("read", "write", "delete"), ("read", "write")
ARM_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "azure-native:resources:ResourceGroup": ("Microsoft.Resources/subscriptions/resourceGroups", CRUD),
    "azure-native:authorization:ManagementLockByScope": ("Microsoft.Authorization/locks", CRUD),
    "azure-native:authorization:RoleAssignment": ("Microsoft.Authorization/roleAssignments", CRUD),
    "azure-native:compute:AvailabilitySet": ("Microsoft.Compute/availabilitySets", CRUD),
    "azure-native:compute:Disk": ("Microsoft.Compute/disks", CRUD),
    "azure-native:compute:VirtualMachine": ("Microsoft.Compute/virtualMachines", CRUD),
    "azure-native:compute:VirtualMachineExtension": ("Microsoft.Compute/virtualMachines/extensions", CRUD),
    "azure-native:compute:VirtualMachineRunCommandByVirtualMachine": (
        "Microsoft.Compute/virtualMachines/runCommands",
        CRUD,
    ),
    "azure-native:sqlvirtualmachine:SqlVirtualMachine": ("Microsoft.SqlVirtualMachine/sqlVirtualMachines", CRUD),
    "azure-native:keyvault:Vault": ("Microsoft.KeyVault/vaults", CRUD),
    "azure-native:keyvault:Secret": ("Microsoft.KeyVault/vaults/secrets", SECRET_OPERATIONS),
    "azure-native:network:NetworkInterface": ("Microsoft.Network/networkInterfaces", CRUD),
    "azure-native:network:NetworkSecurityGroup": ("Microsoft.Network/networkSecurityGroups", CRUD),
    "azure-native:network:VirtualNetwork": ("Microsoft.Network/virtualNetworks", CRUD),
    "azure-native:network:Subnet": ("Microsoft.Network/virtualNetworks/subnets", CRUD),
    "azure-native:network:VirtualNetworkPeering": ("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", CRUD),
    "azure-native:monitor:DiagnosticSetting": ("Microsoft.Insights/diagnosticSettings", CRUD),
    "azure-native:operationalinsights:Workspace": ("Microsoft.OperationalInsights/workspaces", CRUD),
    "azure-native:monitor:DataCollectionRule": ("Microsoft.Insights/dataCollectionRules", CRUD),
    "azure-native:monitor:DataCollectionRuleAssociation": ("Microsoft.Insights/dataCollectionRuleAssociations", CRUD),
    "azure-native:monitor:ScheduledQueryRule": ("Microsoft.Insights/scheduledQueryRules", CRUD),
    "azure-native:monitor:ActionGroup": ("Microsoft.Insights/actionGroups", CRUD),
    "azure-native:maintenance:MaintenanceConfiguration": ("Microsoft.Maintenance/maintenanceConfigurations", CRUD),
    "azure-native:maintenance:ConfigurationAssignment": ("Microsoft.Maintenance/configurationAssignments", CRUD),
    "azure-native:storage:StorageAccount": ("Microsoft.Storage/storageAccounts", CRUD),
    "azure-native:storage:BlobServiceProperties": ("Microsoft.Storage/storageAccounts/blobServices", ("read", "write")),
    "azure-native:storage:BlobContainer": ("Microsoft.Storage/storageAccounts/blobServices/containers", CRUD),
    "azure-native:storage:BlobContainerImmutabilityPolicy": (
        "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
        CRUD,
    ),
}
"""Each azure-native type the program registers -> its ARM resource type and the operations ARM has for it
(learn.microsoft.com/azure/role-based-access-control/permissions/{compute,networking,security,management-and-
governance,databases,monitor,storage}: blob services have no delete; the ARM plane of key vault secrets has
create-or-update and get, no delete: learn.microsoft.com/rest/api/keyvault/keyvault/secrets)."""
NO_AZURE = ("random:", "time:", "pulumi:providers:")
"""Types that live in the state only (random values, time offsets) or are providers: no Azure action."""
JOINS = {
    ("azure-native:network:NetworkInterface", "subnet"): "Microsoft.Network/virtualNetworks/subnets/join/action",
    ("azure-native:network:NetworkInterface", "networkSecurityGroup"): (
        "Microsoft.Network/networkSecurityGroups/join/action"
    ),
    ("azure-native:network:Subnet", "networkSecurityGroup"): "Microsoft.Network/networkSecurityGroups/join/action",
    ("azure-native:network:Subnet", "routeTable"): "Microsoft.Network/routeTables/join/action",
    ("azure-native:network:VirtualNetworkPeering", "remoteVirtualNetwork"): (
        "Microsoft.Network/virtualNetworks/peer/action"
    ),
    ("azure-native:compute:VirtualMachine", "userAssignedIdentities"): (
        "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"
    ),
}
"""An input that points at another resource -> the action on that resource ARM checks (the Network
permissions page: "join" a subnet, NSG or route table, "peer" a virtual network; a VM that carries a
user-assigned identity needs "assign" on it: learn.microsoft.com/entra/identity/managed-identities-azure-
resources/how-manage-user-assigned-managed-identities, "Managed Identity Operator")."""
INVOKES = {
    "azure-native:keyvault:getVault": ("Microsoft.KeyVault/vaults/read",),
    "azure-native:authorization:getClientConfig": (),
}
"""Each lookup -> what it reads (getClientConfig reads the caller's own token, no ARM call)."""
IDENTITY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/"
IDENTITY += "Microsoft.ManagedIdentity/userAssignedIdentities/id-platform"
WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/"
WORKSPACE += "Microsoft.OperationalInsights/workspaces/law-ops"
NETWORK = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/"


class CallRecorder(AzureMocks):
    def __init__(self) -> None:
        self.tokens: set[str] = set()

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        self.tokens.add(args.token)
        return super().call(args)


def estate_variant() -> dict[str, Any]:
    """``single`` with every optional estate input: diagnostics, a hub to peer with, a route table, a
    user-assigned identity."""
    config = copy.deepcopy(stackfile.read("single"))
    topology = config["pchat:topology"]
    topology["diagnostics"] = {"workspaceResourceId": WORKSPACE}
    topology["userAssignedIdentityId"] = IDENTITY
    topology["sites"]["dublin"] |= {
        "hubVirtualNetworkId": NETWORK + "virtualNetworks/vnet-hub",
        "routeTableId": NETWORK + "routeTables/rt-hub",
    }
    return config


def synthesized() -> tuple[list[Resource], set[str]]:
    graph: list[Resource] = []
    mocks = CallRecorder()
    configs = [stackfile.read(s) for s in stackfile.stack_names()] + [estate_variant()]
    for config in configs:
        monitor = RecordingMonitor(mocks)
        run(program, offline_config(config), monitor)
        graph += flatten(monitor)
    return graph, mocks.tokens


GRAPH, INVOKED = synthesized()


def granted(action: str) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), allowed.lower()) for allowed in ROLE["Actions"])


def pointers(value: Any, key: str = "") -> set[str]:
    """The input keys anywhere in ``value`` that hold a reference (``{"id": ...}``, or a list of ids)."""
    found = {key} if isinstance(value, dict) and "id" in value else set()
    if isinstance(value, list) and any(isinstance(v, str) and v.startswith("/subscriptions/") for v in value):
        found.add(key)
    if isinstance(value, dict):
        return found.union(*(pointers(v, k) for k, v in value.items()))
    if isinstance(value, list):
        return found.union(*(pointers(v, key) for v in value))
    return found


def needed() -> set[str]:
    actions: set[str] = set()
    for resource in (r for r in GRAPH if r.custom and not r.type.startswith(NO_AZURE)):
        assert resource.type in ARM_TYPES, f"{resource.type}: add its ARM type here and its actions to the role"
        arm_type, operations = ARM_TYPES[resource.type]
        actions |= {f"{arm_type}/{op}" for op in operations}
        actions |= {JOINS[(resource.type, key)] for key in pointers(resource.inputs) if (resource.type, key) in JOINS}
    for token in INVOKED:
        assert token in INVOKES, f"{token}: add what it reads here and to the role"
        actions |= set(INVOKES[token])
    return actions


def test_the_variants_use_every_kind_of_attachment() -> None:
    """Otherwise the coverage below would prove less than it says."""
    kinds = {(r.type, key) for r in GRAPH for key in pointers(r.inputs)}
    assert set(JOINS) <= kinds
    assert {"azure-native:keyvault:getVault", "azure-native:monitor:DiagnosticSetting"} <= INVOKED | {
        r.type for r in GRAPH
    }


def test_the_role_grants_every_action_the_program_needs() -> None:
    assert sorted(a for a in needed() if not granted(a)) == []


def test_the_role_grants_nothing_else() -> None:
    assert sorted(set(ROLE["Actions"]) - needed()) == []
    assert ROLE["DataActions"] == ROLE["NotActions"] == ROLE["NotDataActions"] == []
    assert not any("*" in action for action in ROLE["Actions"])


@pytest.mark.parametrize("key", ["Name", "IsCustom", "Description", "Actions", "AssignableScopes"])
def test_the_file_is_a_custom_role_definition(key: str) -> None:
    """The shape ``az role definition create --role-definition @file`` takes
    (learn.microsoft.com/azure/role-based-access-control/custom-roles-cli)."""
    assert key in ROLE
