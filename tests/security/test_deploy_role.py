"""The deploy identity's roles (``roles/``) against what the program does, in every shipped stack and with every
optional estate input.

- ``pchat-deployer.json`` grants every action the program needs (each resource type, each reference to another
  resource, each lookup) and nothing else: no wildcard, no data action, no role assignment, no delete of what holds
  the data or the backups; it is assignable on resource groups only.
- Role assignments go through Role Based Access Control Administrator limited by
  ``pchat-deployer-rbac-condition.txt`` to exactly the data roles the program assigns.
- ``pchat-breakglass.json`` holds exactly the deletes the deploy role withholds.
- ``pchat-linked.json`` holds exactly what the program needs on resources outside the stack's resource groups
  (a hub network, a central vault, the media account...), so those get no more than that.

A reference (an input holding a resource id) the test cannot map fails it: a new kind of attachment must say which
action ARM checks on the linked resource (LinkedAuthorizationFailed otherwise)."""

from __future__ import annotations

import copy
import fnmatch
import functools
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from lync_pchat import stackfile
from lync_pchat.offline import render
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, flatten
from lync_pchat.offline.synthesis import offline_config, synthesize_stack
from lync_pchat.program import run as program

from ..support.lazy import lazy_list, lazy_set
from .support import script

ROLES = Path(__file__).resolve().parents[2] / "roles"
ROLE = json.loads((ROLES / "pchat-deployer.json").read_text())
BREAK_GLASS = json.loads((ROLES / "pchat-breakglass.json").read_text())
LINKED = json.loads((ROLES / "pchat-linked.json").read_text())
CONDITION = (ROLES / "pchat-deployer-rbac-condition.txt").read_text()
PRIVILEGED_ROLES = script("security_scan").PRIVILEGED_ROLES
"""Owner, Contributor, User Access Administrator, Role Based Access Control Administrator (their built-in ids)."""

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
    "azure-native:network:PrivateEndpoint": ("Microsoft.Network/privateEndpoints", CRUD),
    "azure-native:network:PrivateDnsZoneGroup": ("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", CRUD),
    "azure-native:storage:BlobContainerImmutabilityPolicy": (
        "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
        CRUD,
    ),
}
"""Each azure-native type the program registers -> its ARM resource type and the operations ARM has for it
(learn.microsoft.com/azure/role-based-access-control/permissions/{compute,networking,security,management-and-
governance,databases,monitor,storage}: blob services have no delete; the ARM plane of key vault secrets has
create-or-update and get, no delete: learn.microsoft.com/rest/api/keyvault/keyvault/secrets). ``delete`` is needed
only for a resource that is neither protected nor retained: Pulumi never deletes the others
(pulumi.com/docs/iac/concepts/options/protect, .../retainondelete)."""
NO_AZURE = ("random:", "time:", "pulumi:providers:")
"""Types that live in the state only (random values, time offsets) or are providers: no Azure action."""

NETWORK_PAGE = "learn.microsoft.com/azure/role-based-access-control/permissions/networking"
VM_CONTRIBUTOR = (
    "learn.microsoft.com/azure/role-based-access-control/built-in-roles/compute#virtual-machine-contributor "
    "(the built-in role for creating VMs grants it)"
)
ALERT_RULES = (
    "learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule, Prerequisites: read on the "
    "target resource, read on any action group of the rule"
)
DCR_PAGE = (
    "learn.microsoft.com/azure/azure-monitor/essentials/data-collection-rule-create, Permissions: Monitoring "
    "Contributor on the rule to deploy associations"
)
SCOPE = "the resource is an extension of this scope: its own actions (ARM_TYPES) are checked there"
REFERENCES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("azure-native:network:NetworkInterface", "ipConfigurations[].subnet.id"): (
        ("Microsoft.Network/virtualNetworks/subnets/join/action",),
        NETWORK_PAGE + ": 'Joins a virtual network'",
    ),
    ("azure-native:network:NetworkInterface", "networkSecurityGroup.id"): (
        ("Microsoft.Network/networkSecurityGroups/join/action",),
        NETWORK_PAGE + ": 'Joins a network security group'",
    ),
    ("azure-native:network:Subnet", "networkSecurityGroup.id"): (
        ("Microsoft.Network/networkSecurityGroups/join/action",),
        NETWORK_PAGE + ": 'Joins a network security group'",
    ),
    ("azure-native:network:Subnet", "routeTable.id"): (
        ("Microsoft.Network/routeTables/join/action",),
        NETWORK_PAGE + ": 'Joins a route table'",
    ),
    ("azure-native:storage:StorageAccount", "networkRuleSet.virtualNetworkRules[].virtualNetworkResourceId"): (
        ("Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action",),
        "learn.microsoft.com/azure/storage/common/storage-network-security (virtual network rules: the subnets being "
        "added need 'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action')",
    ),
    ("azure-native:network:VirtualNetworkPeering", "remoteVirtualNetwork.id"): (
        ("Microsoft.Network/virtualNetworks/peer/action",),
        NETWORK_PAGE + ": 'Peers a virtual network with another virtual network'",
    ),
    ("azure-native:compute:VirtualMachine", "networkProfile.networkInterfaces[].id"): (
        ("Microsoft.Network/networkInterfaces/join/action",),
        NETWORK_PAGE + ": 'Joins a Virtual Machine to a network interface' (LinkedAuthorizationFailed without it)",
    ),
    ("azure-native:compute:VirtualMachine", "storageProfile.dataDisks[].managedDisk.id"): (
        ("Microsoft.Compute/disks/read", "Microsoft.Compute/disks/write"),
        "attaching an existing managed disk sets its managedBy: " + VM_CONTRIBUTOR,
    ),
    ("azure-native:compute:VirtualMachine", "availabilitySet.id"): (
        ("Microsoft.Compute/availabilitySets/read", "Microsoft.Compute/availabilitySets/write"),
        "a VM joins its availability set when created: " + VM_CONTRIBUTOR,
    ),
    ("azure-native:compute:VirtualMachine", "identity.userAssignedIdentities[]"): (
        ("Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",),
        "learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-manage-user-assigned-managed-"
        "identities: 'Managed Identity Operator' to assign an identity to a VM",
    ),
    ("azure-native:sqlvirtualmachine:SqlVirtualMachine", "virtualMachineResourceId"): (
        ("Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/extensions/write"),
        "the SQL IaaS Agent extension is installed on the VM: learn.microsoft.com/azure/azure-sql/virtual-machines/"
        "windows/sql-agent-extension-manually-register-single-vm, Virtual Machine Contributor on the VM",
    ),
    ("azure-native:monitor:ScheduledQueryRule", "actions.actionGroups[]"): (
        ("Microsoft.Insights/actionGroups/read",),
        ALERT_RULES,
    ),
    ("azure-native:monitor:ScheduledQueryRule", "scopes[]"): (
        ("Microsoft.OperationalInsights/workspaces/read",),
        ALERT_RULES,
    ),
    ("azure-native:monitor:DataCollectionRule", "destinations.logAnalytics[].workspaceResourceId"): (
        ("Microsoft.OperationalInsights/workspaces/read",),
        DCR_PAGE + "; the rule's destination workspace is read [inference: no narrower action is documented]",
    ),
    ("azure-native:monitor:DataCollectionRuleAssociation", "dataCollectionRuleId"): (
        ("Microsoft.Insights/dataCollectionRules/read",),
        DCR_PAGE,
    ),
    ("azure-native:monitor:DataCollectionRuleAssociation", "resourceUri"): ((), SCOPE),
    ("azure-native:monitor:DiagnosticSetting", "resourceUri"): ((), SCOPE),
    ("azure-native:monitor:DiagnosticSetting", "workspaceId"): (
        ("Microsoft.OperationalInsights/workspaces/read",),
        "learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings: the destination workspace "
        "[inference: read, as for the rule's destination]",
    ),
    ("azure-native:network:PrivateEndpoint", "subnet.id"): (
        ("Microsoft.Network/virtualNetworks/subnets/join/action",),
        "learn.microsoft.com/azure/private-link/rbac-permissions: 'allows a private endpoint to join a "
        "virtual network'",
    ),
    ("azure-native:network:PrivateEndpoint", "privateLinkServiceConnections[].privateLinkServiceId"): (
        (
            "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action",
            "Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action",
        ),
        "learn.microsoft.com/azure/private-link/private-endpoint-overview (a connection is approved automatically "
        "with the approval action on the target; permissions/storage and permissions/security list it for the two "
        "kinds of target the program links: storage accounts and vaults)",
    ),
    ("azure-native:network:PrivateDnsZoneGroup", "privateDnsZoneConfigs[].privateDnsZoneId"): (
        ("Microsoft.Network/privateDnsZones/join/action",),
        NETWORK_PAGE + ": 'Joins a Private DNS Zone' (registering an endpoint's records in it)",
    ),
    ("azure-native:maintenance:ConfigurationAssignment", "maintenanceConfigurationId"): (
        ("Microsoft.Maintenance/maintenanceConfigurations/read",),
        "learn.microsoft.com/azure/update-manager/roles-permissions: attaching a machine to a schedule reads the "
        "maintenance configuration",
    ),
    ("azure-native:authorization:ManagementLockByScope", "scope"): ((), SCOPE),
    ("azure-native:authorization:RoleAssignment", "scope"): ((), SCOPE),
    ("azure-native:authorization:RoleAssignment", "roleDefinitionId"): (
        (),
        "limited by the condition of the RBAC Administrator assignment (test_the_condition_*)",
    ),
}
"""Each input that holds another resource's id -> the actions ARM checks on that resource, and the source."""
INVOKES = {
    "azure-native:keyvault:getVault": ("Microsoft.KeyVault/vaults/read",),
    "azure-native:authorization:getClientConfig": (),
}
"""Each lookup -> what it reads (getClientConfig reads the caller's own token, no ARM call)."""
DELEGATED = {
    "Microsoft.Authorization/roleAssignments/read": "Role Based Access Control Administrator: */read",
    "Microsoft.Authorization/roleAssignments/write": "Role Based Access Control Administrator, with the condition",
    "Microsoft.Authorization/roleAssignments/delete": "Role Based Access Control Administrator, with the condition",
}
"""Needed actions granted by the second assignment (learn.microsoft.com/azure/role-based-access-control/built-in-
roles/privileged#role-based-access-control-administrator), not by the deploy role."""
WITHHELD = {
    "Microsoft.Authorization/locks/delete": "removing a data group's lock (lockStores off) would expose the backups",
    "Microsoft.Storage/storageAccounts/blobServices/containers/delete": (
        "the install log container in the media account (software.install off): the same action deletes backups"
    ),
}
"""Deletes the program may ask for that the deploy role withholds: they go through pchat-breakglass."""
ARM_ID = re.compile(r"^/(subscriptions|mock)/", re.IGNORECASE)
"""A resource id: a real one, or one the mock engine gave a resource of the stack."""
IN_GROUP = re.compile(r"^/subscriptions/[^/]+/resourceGroups/([^/]+)", re.IGNORECASE)
RESOURCE_GROUP_SCOPE = re.compile(r"^/subscriptions/[0-9a-f-]{36}/resourceGroups/[-\w.()]+$", re.IGNORECASE)
IDENTITY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/"
IDENTITY += "Microsoft.ManagedIdentity/userAssignedIdentities/id-platform"
WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/"
WORKSPACE += "Microsoft.OperationalInsights/workspaces/law-ops"
NETWORK = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/"
BLOB_ZONE, VAULT_ZONE = "privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net"
READER = "0b9e6f1c-5d2a-4c3e-9f8a-7d6b5c4e3a21"


class CallRecorder(AzureMocks):
    def __init__(self) -> None:
        self.calls: set[tuple[str, str]] = set()
        """Each lookup's token and the resource group it reads in ('' when none)."""

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        self.calls.add((args.token, str(args.args.get("resourceGroupName", "")).lower()))
        return super().call(args)


def estate_variant() -> dict[str, Any]:
    """``single`` with every optional estate input: diagnostics, a hub to peer with, a route table, a
    user-assigned identity, a secret reader, private endpoints (in the hub) for the backup account and the vault."""
    config = copy.deepcopy(stackfile.read("single"))
    topology = config["pchat:topology"]
    topology["diagnostics"] = {"workspaceResourceId": WORKSPACE}
    topology["userAssignedIdentityId"] = IDENTITY
    topology["secretReaders"] = [READER]
    topology["sites"]["dublin"] |= {
        "hubVirtualNetworkId": NETWORK + "virtualNetworks/vnet-hub",
        "routeTableId": NETWORK + "routeTables/rt-hub",
    }
    subnet = NETWORK + "virtualNetworks/vnet-hub/subnets/snet-pe"
    topology["privateEndpoints"] = {
        "backup": {"dublin": {"subnetId": subnet, "privateDnsZoneIds": [NETWORK + "privateDnsZones/" + BLOB_ZONE]}},
        "vault": {"subnetId": subnet, "privateDnsZoneIds": [NETWORK + "privateDnsZones/" + VAULT_ZONE]},
    }
    return config


def synthesized() -> tuple[list[Resource], set[tuple[str, str]]]:
    graph: list[Resource] = []
    mocks = CallRecorder()
    configs = [stackfile.read(s) for s in stackfile.stack_names()] + [estate_variant()]
    for config in configs:
        monitor = RecordingMonitor(mocks)
        run(program, offline_config(config), monitor)
        graph += flatten(monitor)
    return graph, mocks.calls


_SYNTHESIZED = functools.cache(synthesized)  # on first use, not at import: each xdist worker imports every module
GRAPH = lazy_list(lambda: _SYNTHESIZED()[0])
CALLS = lazy_set(lambda: _SYNTHESIZED()[1])
INVOKED = lazy_set(lambda: {token for token, _ in CALLS})
AZURE = lazy_list(lambda: [r for r in GRAPH if r.custom and not r.type.startswith(NO_AZURE)])
OWN_GROUPS = lazy_set(
    lambda: {r.inputs["resourceGroupName"].lower() for r in AZURE if r.type == "azure-native:resources:ResourceGroup"}
)
"""The resource groups the stacks create (no shipped stack names existing groups of its own)."""


def granted(action: str, role: dict[str, Any] = ROLE) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), allowed.lower()) for allowed in role["Actions"])


def references(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """The path (``a.b[].c``) and value of every input in ``value`` that holds a resource id."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from references(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner, path + "[]")
    elif isinstance(value, str) and ARM_ID.match(value):
        yield path, value


def outside(resource_id: str) -> bool:
    """Whether the id names something in a resource group the stacks do not create (a mock id is the stack's)."""
    group = IN_GROUP.match(resource_id)
    return group is not None and group.group(1).lower() not in OWN_GROUPS


def home(resource: Resource) -> str:
    """The id of the scope a resource is created in: its resource group, or the resource it extends."""
    if "resourceGroupName" in resource.inputs:
        return f"/subscriptions/s/resourceGroups/{resource.inputs['resourceGroupName']}"
    return str(resource.inputs.get("scope") or resource.inputs.get("resourceUri") or "")


def needed(resources: list[Resource] = AZURE, where: bool | None = None) -> set[str]:
    """Every action ``pulumi up`` of these resources asks ARM for; fails on a type, reference or lookup it
    cannot map. ``where``: only the actions on resources outside the stacks' groups (True) or inside (False)."""
    actions: set[str] = set()
    for resource in resources:
        assert resource.type in ARM_TYPES, f"{resource.type}: add its ARM type here and its actions to the role"
        arm_type, operations = ARM_TYPES[resource.type]
        deletable = not (resource.protect or resource.retain_on_delete)
        if where is None or outside(home(resource)) == where:
            actions |= {f"{arm_type}/{op}" for op in operations if op != "delete" or deletable}
        for path, value in references(resource.inputs):
            assert (resource.type, path) in REFERENCES, (
                f"{resource.type} references another resource at {path}: add the action ARM checks on it to "
                "REFERENCES (with its source) and to the role"
            )
            if where is None or outside(value) == where:
                actions |= set(REFERENCES[(resource.type, path)][0])
    for token, group in CALLS:
        assert token in INVOKES, f"{token}: add what it reads here and to the role"
        if where is None or (group not in OWN_GROUPS and group != "") == where:
            actions |= set(INVOKES[token])
    return actions


@functools.cache
def deploy() -> frozenset[str]:
    """What the deploy role must grant: what the program needs in the stacks' own groups, less the delegated and
    withheld actions (outside them: pchat-linked)."""
    return frozenset(needed(where=False) - set(DELEGATED) - set(WITHHELD))


@functools.cache
def linked() -> frozenset[str]:
    """What the linked role must grant: what the program needs on resources outside the stacks' groups."""
    return frozenset(needed(where=True) - set(DELEGATED) - set(WITHHELD))


def test_the_variants_use_every_kind_of_reference() -> None:
    """Otherwise the coverage below would prove less than it says."""
    seen = {(r.type, path) for r in AZURE for path, _ in references(r.inputs)}
    assert sorted(set(REFERENCES) - seen) == []
    assert {"azure-native:keyvault:getVault", "azure-native:monitor:DiagnosticSetting"} <= INVOKED | {
        r.type for r in GRAPH
    }


def test_an_unmapped_reference_fails_the_coverage() -> None:
    """A VM that points at something REFERENCES does not know (here a proximity placement group) is not dropped."""
    vm = next(r for r in AZURE if r.type == "azure-native:compute:VirtualMachine")
    group = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/"
    inputs = vm.inputs | {"proximityPlacementGroup": {"id": group + "proximityPlacementGroups/ppg"}}
    odd = Resource(**{**vm.__dict__, "inputs": inputs})
    with pytest.raises(AssertionError, match=r"VirtualMachine references another resource at proximityPlacementGroup"):
        needed([odd])


def test_the_role_grants_every_action_the_program_needs() -> None:
    assert sorted(a for a in deploy() if not granted(a)) == []


def test_every_vm_can_join_its_nic() -> None:
    """The action whose absence fails every VM with LinkedAuthorizationFailed (issue 27)."""
    assert "Microsoft.Network/networkInterfaces/join/action" in ROLE["Actions"]


def test_the_role_grants_nothing_else() -> None:
    assert sorted(set(ROLE["Actions"]) - deploy()) == []
    assert ROLE["DataActions"] == ROLE["NotActions"] == ROLE["NotDataActions"] == []
    assert not any("*" in action for action in ROLE["Actions"])


@pytest.mark.parametrize(
    "action",
    [
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/roleAssignments/delete",
        "Microsoft.Authorization/roleDefinitions/write",
        "Microsoft.Authorization/elevateAccess/action",
        "Microsoft.Authorization/locks/delete",
        "Microsoft.Storage/storageAccounts/delete",
        "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
        "Microsoft.Compute/disks/delete",
        "Microsoft.KeyVault/vaults/delete",
    ],
)
def test_the_role_cannot_grant_access_or_destroy_the_data(action: str) -> None:
    """Granting itself Owner, or removing a lock and then the backups, is not in the deploy role."""
    assert not granted(action)


def test_the_break_glass_role_is_exactly_what_the_deploy_role_withholds() -> None:
    """The deletes of protected resources (stateful: disks, SQL VMs, vault, storage) and the withheld ones."""
    everything = needed([r for r in AZURE if r.type != "azure-native:authorization:RoleAssignment"]) | {
        f"{ARM_TYPES[r.type][0]}/delete" for r in AZURE if "delete" in ARM_TYPES[r.type][1]
    }
    assert sorted(BREAK_GLASS["Actions"]) == sorted(everything - deploy() - linked() - set(DELEGATED))
    assert set(BREAK_GLASS["Actions"]) >= set(WITHHELD)
    assert BREAK_GLASS["DataActions"] == BREAK_GLASS["NotActions"] == BREAK_GLASS["NotDataActions"] == []


def test_the_linked_role_is_exactly_what_the_program_needs_outside_its_groups() -> None:
    """A hub network, a route table, an identity, a workspace, an action group, existing subnets, a central vault,
    the media account: join, peer, assign, read, and the secrets and the install log container written there."""
    assert sorted(LINKED["Actions"]) == sorted(linked())
    assert LINKED["DataActions"] == LINKED["NotActions"] == LINKED["NotDataActions"] == []


def test_the_variants_reach_outside_their_groups() -> None:
    """Each kind of outside resource the linked role is for is in a variant."""
    assert {
        "Microsoft.Network/virtualNetworks/peer/action",
        "Microsoft.Network/virtualNetworks/subnets/join/action",
        "Microsoft.KeyVault/vaults/secrets/write",
        "Microsoft.Storage/storageAccounts/blobServices/containers/write",
        "Microsoft.Insights/actionGroups/read",
    } <= linked()


ALL_ROLES = pytest.mark.parametrize("role", [ROLE, BREAK_GLASS, LINKED], ids=["deployer", "breakglass", "linked"])


@ALL_ROLES
def test_the_roles_are_assignable_on_resource_groups_only(role: dict[str, Any]) -> None:
    """Not at ``/``, a management group or a subscription: there VM write, extensions and run commands would be
    SYSTEM on every VM (domain controllers included)."""
    scopes = role["AssignableScopes"]
    assert scopes
    assert [s for s in scopes if not RESOURCE_GROUP_SCOPE.match(s)] == []


def assigned_roles() -> set[str]:
    """The built-in role ids the program assigns, over every stack and the estate variant."""
    return {
        r.inputs["roleDefinitionId"].rsplit("/", 1)[-1].lower()
        for r in AZURE
        if r.type == "azure-native:authorization:RoleAssignment"
    }


DEPLOYER = "DEPLOYER-OBJECT-ID"
"""The placeholder docs/estate.md says to replace with the deploy identity's object id before assigning."""


def condition(roles: set[str]) -> str:
    """The documented shape of 'Constrain roles' (learn.microsoft.com/azure/role-based-access-control/delegate-
    role-assignments-examples#example-constrain-roles): write checks the request's RoleDefinitionId, delete the
    existing assignment's, each only for its own action. A write must also name a principal other than the deploy
    identity: the request attribute ``Microsoft.Authorization/roleAssignments:PrincipalId`` (GUID, operator
    ``ForAnyOfAllValues:GuidNotEquals``; learn.microsoft.com/azure/role-based-access-control/conditions-
    authorization-actions-attributes#principal-id), so it cannot give itself a data role (issue 27)."""
    guids = ", ".join(sorted(roles))
    clause = "( ( !(ActionMatches{{'Microsoft.Authorization/roleAssignments/{}'}}) ) OR ( @{}[Microsoft.Authorization/"
    clause += "roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{}}}{} ) )"
    not_itself = " AND @Request[Microsoft.Authorization/roleAssignments:PrincipalId] "
    not_itself += f"ForAnyOfAllValues:GuidNotEquals {{{DEPLOYER}}}"
    return (
        clause.format("write", "Request", guids, not_itself) + " AND " + clause.format("delete", "Resource", guids, "")
    )


def test_the_condition_allows_exactly_the_roles_the_program_assigns() -> None:
    assert {"ba92f5b4-2d11-453d-a403-e96b0029c9fe", "4633458b-17de-408a-b874-0445c86b69e6"} <= assigned_roles()
    assert " ".join(CONDITION.split()) == condition(assigned_roles())


def test_the_deployer_cannot_assign_a_role_to_itself() -> None:
    """The write clause excludes exactly the deploy identity, by the placeholder the docs tell how to fill;
    principal type is left open: ``secretReaders`` are users or groups (docs/stack-config.md)."""
    write = CONDITION[: CONDITION.index("roleAssignments/delete")]
    assert write.count(f"ForAnyOfAllValues:GuidNotEquals {{{DEPLOYER}}}") == 1
    assert "roleAssignments:PrincipalId]" in write and "PrincipalType" not in CONDITION
    estate = (ROLES.parent / "docs" / "estate.md").read_text()
    assert f"sed 's/{DEPLOYER}/" in estate and "az ad sp show --id <deploy-app-id> --query id -o tsv" in estate


def test_the_condition_allows_no_privileged_role() -> None:
    listed = set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", CONDITION.lower()))
    assert listed == assigned_roles()
    assert listed.isdisjoint(PRIVILEGED_ROLES)


@pytest.mark.parametrize("key", ["Name", "IsCustom", "Description", "Actions", "AssignableScopes"])
@ALL_ROLES
def test_the_files_are_custom_role_definitions(role: dict[str, Any], key: str) -> None:
    """The shape ``az role definition create --role-definition @file`` takes
    (learn.microsoft.com/azure/role-based-access-control/custom-roles-cli)."""
    assert key in role


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_documented_recipe_lists_the_groups_to_assign(tmp_path: Path) -> None:
    """docs/estate.md's ``jq`` over ``plan.json`` names the groups ``spoke`` creates, plus the groups of its central
    vault and media account, where the program writes too (the documented exceptions)."""
    recipe = re.search(r"jq -r '([^']+)' out/<stack>/plan\.json", (ROLES.parent / "docs" / "estate.md").read_text())
    assert recipe
    plan = tmp_path / "plan.json"
    synthesis = synthesize_stack("spoke", stackfile.read("spoke"))
    plan.write_text(render.dumps(render.plan_json(synthesis)))
    listed = subprocess.run(["jq", "-r", recipe.group(1), str(plan)], check=True, capture_output=True, text=True)
    topology = stackfile.read("spoke")["pchat:topology"]
    created = {r.inputs["resourceGroupName"] for r in synthesis.resources if r.type.endswith(":ResourceGroup")}
    writes_to = {topology["keyVaultId"].split("/")[4], topology["software"]["storageAccountId"].split("/")[4]}
    assert listed.stdout.split() == sorted(created | writes_to)
