"""Changes Azure refuses on an existing resource, and changes that restart a VM: one table, each with its source.

``pchat diff`` flags a refused change as an error (the deployment would fail half-way) and names every
restart, so a reviewer sees both before ``pulumi up`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import resource_types as rt

VM = rt.VM
DISK = rt.DISK
VAULT = rt.VAULT
SUBNET = rt.SUBNET
ABSENT = object()
"""An input one side does not set."""

EXPAND_DISK = "https://learn.microsoft.com/azure/virtual-machines/windows/expand-os-disk"
VM_API = "https://learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update"
SOFT_DELETE = "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
SUBNETS = "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet"
RESIZE_VM = "https://learn.microsoft.com/azure/virtual-machines/sizes/resize-vm"
HOST_ENCRYPTION = (
    "https://learn.microsoft.com/azure/virtual-machines/windows/disks-enable-host-based-encryption-powershell"
)


@dataclass(frozen=True)
class Rule:
    """A change of ``key`` on a resource of ``type`` that Azure refuses (or that restarts the VM)."""

    type: str
    key: str
    applies: Callable[[Any, Any], bool]
    """(before, after) -> whether this change is the refused (or restarting) one; ``ABSENT`` for unset."""
    why: str
    source: str

    def message(self) -> str:
        return f"{self.why} ({self.source})"


def _changed(before: Any, after: Any) -> bool:
    return before is not ABSENT and before != after


def _smaller(before: Any, after: Any) -> bool:
    return isinstance(before, int | float) and isinstance(after, int | float) and after < before


def _turned_off(before: Any, after: Any) -> bool:
    return before is True and after is not True


REFUSED = (
    Rule(DISK, "diskSizeGB", _smaller, "Azure cannot shrink a managed disk", EXPAND_DISK),
    Rule(
        VM,
        "osProfile.windowsConfiguration.timeZone",
        _changed,
        "the time zone is an osProfile setting Azure takes only when it creates the VM",
        VM_API,
    ),
    Rule(VM, "osProfile.customData", _changed, "custom data is taken only when Azure creates the VM", VM_API),
    Rule(
        VAULT,
        "properties.enablePurgeProtection",
        _turned_off,
        "purge protection, once on, cannot be turned off",
        SOFT_DELETE,
    ),
    Rule(
        VAULT,
        "properties.softDeleteRetentionInDays",
        _changed,
        "the soft-delete retention is set when the vault is created and cannot change",
        SOFT_DELETE,
    ),
    Rule(VAULT, "properties.enableSoftDelete", _turned_off, "soft delete, once on, cannot be turned off", SOFT_DELETE),
    Rule(
        SUBNET,
        "addressPrefix",
        _changed,
        "Azure changes a subnet's address range only while no resource uses it",
        SUBNETS,
    ),
)
"""Changes Azure refuses on an existing resource."""

RESTARTS = (
    Rule(VM, "hardwareProfile.vmSize", _changed, "resize: Azure restarts a running VM to change its size", RESIZE_VM),
    Rule(
        VM,
        "securityProfile.encryptionAtHost",
        _changed,
        "encryption at host changes only on a deallocated VM",
        HOST_ENCRYPTION,
    ),
)
"""Changes Azure makes only by restarting (or deallocating) the VM."""


def matching(rules: tuple[Rule, ...], type_: str, key: str, before: Any, after: Any) -> list[Rule]:
    """The rules of ``rules`` this change of ``key`` (from ``before`` to ``after``) breaks."""
    return [r for r in rules if r.type == type_ and r.key == key and r.applies(before, after)]
