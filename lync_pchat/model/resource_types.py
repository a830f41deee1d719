"""The Pulumi type tokens of this project's components, for the components that register them and the policies
that recognise them in a stack, and the one home of the azure-native type tokens the policy pack and the offline
engine read (``azure-native:<module>:<Type>``, as a plan and the state name them without an API version)."""

from __future__ import annotations

PACKAGE = "lync-pchat"
"""The Pulumi package of every component type: ``lync-pchat:index:<Kind>``."""
LEGACY_PACKAGE = "pchat"
"""The package of the first release's component types, kept as an alias so no deployed URN changes."""


def type_token(kind: str, package: str = PACKAGE) -> str:
    return f"{package}:index:{kind}"


DEPLOYMENT_TYPE = type_token("PersistentChatDeployment")
"""The deployment component of the Python program."""
PERSISTENT_CHAT_TYPE = type_token("PersistentChat")
"""The multi-language component, which wraps a deployment (it has no first-release type)."""
POOL_TYPE = type_token("PersistentChatPool")
"""A pool component, named after the pool key; its servers are beneath it."""
DEPLOYMENT_TYPES = frozenset(
    {DEPLOYMENT_TYPE, PERSISTENT_CHAT_TYPE, type_token("PersistentChatDeployment", LEGACY_PACKAGE)}
)
"""Every type of a deployment component, including the first release's in state it wrote."""
POOL_TYPES = frozenset({POOL_TYPE, type_token("PersistentChatPool", LEGACY_PACKAGE)})


AZURE_NATIVE = "azure-native"
"""The package of every Azure resource the project creates."""


def azure(kind: str) -> str:
    """The type token of azure-native ``<module>:<Type>``."""
    return f"{AZURE_NATIVE}:{kind}"


def unversioned(token: str) -> str:
    """An azure-native type token without its API version (``azure-native:network/v20230501:Subnet`` ->
    ``azure-native:network:Subnet``); any other token as it is."""
    parts = token.split(":")
    if len(parts) == 3 and parts[0] == AZURE_NATIVE:
        return azure(f"{parts[1].split('/')[0]}:{parts[2]}")
    return token


VM = azure("compute:VirtualMachine")
VM_EXTENSION = azure("compute:VirtualMachineExtension")
RUN_COMMAND = azure("compute:VirtualMachineRunCommandByVirtualMachine")
DISK = azure("compute:Disk")
AVAILABILITY_SET = azure("compute:AvailabilitySet")
VAULT = azure("keyvault:Vault")
SECRET = azure("keyvault:Secret")
SQL_VM = azure("sqlvirtualmachine:SqlVirtualMachine")
RESOURCE_GROUP = azure("resources:ResourceGroup")
STORAGE_ACCOUNT = azure("storage:StorageAccount")
BLOB_SERVICE = azure("storage:BlobServiceProperties")
BLOB_CONTAINER = azure("storage:BlobContainer")
IMMUTABILITY_POLICY = azure("storage:BlobContainerImmutabilityPolicy")
NSG = azure("network:NetworkSecurityGroup")
SECURITY_RULE = azure("network:SecurityRule")
NIC = azure("network:NetworkInterface")
PUBLIC_IP = azure("network:PublicIPAddress")
VNET = azure("network:VirtualNetwork")
SUBNET = azure("network:Subnet")
PEERING = azure("network:VirtualNetworkPeering")
PRIVATE_ZONE = azure("privatedns:PrivateZone")
LOCK = azure("authorization:ManagementLockByScope")
ROLE_ASSIGNMENT = azure("authorization:RoleAssignment")
ALERT_RULE = azure("monitor:ScheduledQueryRule")
GET_VAULT = azure("keyvault:getVault")
"""An invoke (a function), not a resource."""
GET_CLIENT_CONFIG = azure("authorization:getClientConfig")
"""An invoke (a function), not a resource."""
