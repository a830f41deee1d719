"""Azure resource ids a stack config names: one pattern per kind, matched on the whole value."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUBSCRIPTION = r"/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_GROUP = r"/resourceGroups/[-\w.()]{1,90}"
_NAME = r"[A-Za-z0-9][-A-Za-z0-9_.]{0,78}[A-Za-z0-9_]|[A-Za-z0-9]"


@dataclass(frozen=True)
class ResourceKind:
    """A kind of Azure resource: its provider path and how its name is spelled."""

    what: str
    path: str
    """The provider path after the resource group, with ``<name>`` for each name."""
    name: str = _NAME

    @property
    def pattern(self) -> re.Pattern[str]:
        segments = re.escape(self.path).replace(re.escape("<name>"), f"(?:{self.name})")
        return re.compile(_SUBSCRIPTION + _GROUP + "/providers/" + segments, re.IGNORECASE)

    def matches(self, text: str) -> bool:
        return bool(self.pattern.fullmatch(text))

    def problem(self, text: str) -> str:
        """Why ``text`` is not the id of this kind of resource, with the shape it should have."""
        shape = "/subscriptions/<subscription id>/resourceGroups/<group>/providers/" + self.path
        return f"{text[:200]!r} is not the resource id of {self.what}: {shape}"


WORKSPACE = ResourceKind(
    "a Log Analytics workspace", "Microsoft.OperationalInsights/workspaces/<name>", r"[A-Za-z0-9][-A-Za-z0-9]{2,62}"
)
VIRTUAL_NETWORK = ResourceKind("a virtual network", "Microsoft.Network/virtualNetworks/<name>")
SUBNET = ResourceKind("a subnet", "Microsoft.Network/virtualNetworks/<name>/subnets/<name>")
ROUTE_TABLE = ResourceKind("a route table", "Microsoft.Network/routeTables/<name>")
KEY_VAULT = ResourceKind("a key vault", "Microsoft.KeyVault/vaults/<name>", r"[A-Za-z][-A-Za-z0-9]{1,22}[A-Za-z0-9]")
ACTION_GROUP = ResourceKind(
    "an action group", "Microsoft.Insights/actionGroups/<name>", r"[A-Za-z0-9][-A-Za-z0-9_.]{0,259}"
)
USER_ASSIGNED_IDENTITY = ResourceKind(
    "a user-assigned managed identity",
    "Microsoft.ManagedIdentity/userAssignedIdentities/<name>",
    r"[A-Za-z0-9][-A-Za-z0-9_]{2,127}",
)
STORAGE_ACCOUNT = ResourceKind("a storage account", "Microsoft.Storage/storageAccounts/<name>", r"[a-z0-9]{3,24}")


def name_of(resource_id: str) -> str:
    """The last segment of a resource id: the resource's name."""
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def group_of(resource_id: str) -> str:
    """The resource group of a resource id."""
    parts = resource_id.split("/")
    return parts[parts.index("resourceGroups") + 1] if "resourceGroups" in parts else ""


def subscription_of(resource_id: str) -> str:
    """The subscription id of a resource id (empty when it names none)."""
    parts = resource_id.split("/")
    return parts[parts.index("subscriptions") + 1] if "subscriptions" in parts[:-1] else ""


PRIVATE_DNS_ZONE = ResourceKind(
    "a private DNS zone", "Microsoft.Network/privateDnsZones/<name>", r"[A-Za-z0-9][-A-Za-z0-9.]{0,251}[A-Za-z0-9]"
)
