"""Which resources hold data, and which of their inputs make Azure replace them.

One definition for the URN snapshots, ``pchat diff`` and its ``--fail-on-stateful`` gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import resource_types as rt
from ..model.roles import Role
from ..model.tags import ROLE_TAG

VM = rt.VM
RANDOM_STRING = "random:index/randomString:RandomString"
STATEFUL_TYPES = frozenset(
    {
        rt.DISK,
        rt.VAULT,
        rt.SQL_VM,
        rt.RESOURCE_GROUP,
        rt.STORAGE_ACCOUNT,
        rt.BLOB_CONTAINER,
        rt.IMMUTABILITY_POLICY,
        RANDOM_STRING,
    }
)
"""Resources whose loss loses data: chat history, compliance records, secrets, backups (and the groups holding
them, and the immutability policy keeping them from deletion), and the random suffix of the vault's or the backup
account's name (a new suffix is a new one)."""
REPLACE_KEYS: Mapping[str, tuple[str, ...]] = {
    "*": ("location", "resourceGroupName", "zones"),
    VM: (
        "vmName",
        "osProfile.computerName",
        "osProfile.adminUsername",
        "storageProfile.imageReference",
        "storageProfile.osDisk.name",
        "storageProfile.osDisk.createOption",
        "availabilitySet",
    ),
    rt.DISK: ("diskName", "creationData"),
    rt.VAULT: ("vaultName", "properties.tenantId"),
    rt.STORAGE_ACCOUNT: ("accountName",),
    rt.BLOB_CONTAINER: ("accountName", "containerName"),
    rt.SQL_VM: ("sqlVirtualMachineName", "virtualMachineResourceId"),
    rt.NIC: ("networkInterfaceName",),
    rt.VNET: ("virtualNetworkName",),
    rt.SUBNET: ("subnetName", "virtualNetworkName"),
    rt.RESOURCE_GROUP: ("resourceGroupName",),
    rt.AVAILABILITY_SET: ("availabilitySetName",),
    RANDOM_STRING: (
        "length",
        "special",
        "upper",
        "lower",
        "numeric",
        "minUpper",
        "minLower",
        "minNumeric",
        "minSpecial",
        "overrideSpecial",
        "keepers",
    ),
}
"""Inputs whose change makes Azure (and azure-native) replace the resource: names, places, how a disk
was created, the image a VM was built from (and with it the SQL Server edition), its availability set; every
input of a random string (pulumi-random replaces it on any change)."""


def is_stateful(entry: Mapping[str, Any]) -> bool:
    """Disks, vaults, SQL registrations, data groups, VMs that hold databases, anything protected.

    ``entry`` is a resource of the plan JSON (``type``, ``protect``, ``inputs``)."""
    if entry["type"] in STATEFUL_TYPES or entry.get("protect"):
        return True
    if entry["type"] != VM:
        return False
    disks = entry.get("inputs", {}).get("storageProfile", {}).get("dataDisks", [])
    if any(disk.get("deleteOption") == "Delete" for disk in disks):
        return True  # deleting or replacing the VM deletes its data disks
    try:
        return Role(entry.get("inputs", {}).get("tags", {}).get(ROLE_TAG)).holds_data
    except ValueError:
        return True  # a VM without the project's role tag: assume it holds data


def forcing_keys(resource_type: str) -> tuple[str, ...]:
    return REPLACE_KEYS["*"] + REPLACE_KEYS.get(resource_type, ())


def under(key: str, roots: tuple[str, ...]) -> bool:
    """Whether the dotted input path ``key`` is one of ``roots`` or inside one."""
    return any(key == root or key.startswith(root + ".") for root in roots)


def replace_inputs(resource_type: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs of a resource that force its replacement, by dotted path (absent ones left out)."""
    found: dict[str, Any] = {}
    for key in forcing_keys(resource_type):
        value: Any = inputs
        for part in key.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is not None:
            found[key] = value
    return found
