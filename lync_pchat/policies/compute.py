"""Server checks: documented VM sizes, protected stateful resources, secrets kept secret."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..model.catalog import DOCUMENTED_SPEC, VM_SIZES, smallest_meeting
from .base import (
    AZURE_SIZES,
    BACKUP,
    EXTENSIONS,
    HARDWARE,
    VM,
    CheckOptions,
    is_secret,
    kind,
    lookup,
    role_of,
    tags,
)

EVALUATION = "evaluation"
STATEFUL = {
    "compute:Disk": "managed disk (a server's data volume)",
    "keyvault:Vault": "key vault (every administrator password)",
    "sqlvirtualmachine:SqlVirtualMachine": "SQL Server registration (the SQL IaaS agent's settings)",
}
SECRET_PATHS = {
    VM: ("osProfile.adminPassword",),
    "compute:VirtualMachineExtension": ("protectedSettings",),
    "keyvault:Secret": ("properties.value",),
}
"""Inputs that must reach the engine as Pulumi secrets."""
PLAIN_KEY = re.compile(r"commandtoexecute|password|passwd|pwd|secret|accountkey|sastoken", re.IGNORECASE)


def check_vm_size(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """A catalog size meeting 2 x hex-core (12 physical cores) and 32 GB; witnesses and VMs tagged
    ``pchat-hardware: evaluation`` need only a catalog size."""
    role = role_of(props) if kind(resource_type) == VM else None
    if role is None:
        return []
    name = lookup(props, "hardwareProfile.vmSize")
    size = VM_SIZES.get(str(name))
    if size is None:
        return [
            f"VM size '{name}' of this {role} server is not in the project's size catalog "
            f"({', '.join(VM_SIZES)}), so it cannot be checked against the documented hardware; "
            f"pick a catalog size [{AZURE_SIZES}]"
        ]
    if role.is_witness or str(tags(props).get("pchat-hardware", "")).lower() == EVALUATION:
        return []
    if DOCUMENTED_SPEC.met_by(size):
        return []
    return [
        f"{size.describe()}: a {role} server needs the documented hardware, 2 x hex-core "
        f"({DOCUMENTED_SPEC.physical_cores} physical cores; hyper-threaded vCPUs count half) and "
        f"{DOCUMENTED_SPEC.memory_gib} GB; use {smallest_meeting(DOCUMENTED_SPEC).name} or larger, or tag "
        f"the VM 'pchat-hardware: {EVALUATION}' for an unsupported lab [{HARDWARE}]"
    ]


def check_protected(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """Disks, the key vault, SQL registrations and SQL Server VMs carry ``protect``."""
    found = kind(resource_type)
    what = STATEFUL.get(found)
    role = role_of(props) if found == VM else None
    if role is not None and role.is_sql:
        what = f"SQL Server VM ({role}: chat history, rooms and compliance data)"
    if what is None or options.protect:
        return []
    return [
        f"This {what} is not protected: `pulumi destroy` or a replacing change would delete it; "
        f"set protectStatefulResources: true so it gets the resource option protect [{BACKUP}]"
    ]


def _plain_keys(value: Any, prefix: str = "settings") -> list[str]:
    if not isinstance(value, Mapping):
        return []
    found: list[str] = []
    for key in value:
        path = f"{prefix}.{key}"
        found += [path] if PLAIN_KEY.search(str(key)) else _plain_keys(value[key], path)
    return found


def plain_at(wire: Mapping[str, Any], path: str) -> bool:
    """Whether a value is set at ``path`` without a secret marker on it or on any parent."""
    node: Any = wire
    for part in path.split("."):
        if is_secret(node):
            return False
        node = node.get(part) if isinstance(node, Mapping) else None
    return node is not None and not is_secret(node)


def check_secrets(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """Extension ``settings`` hold no command or credential; with wire props, secret inputs are secrets."""
    found = kind(resource_type)
    messages = []
    if found == "compute:VirtualMachineExtension":
        messages = [
            f"Extension {path} is stored and shown in plain text (Azure returns settings to anyone "
            f"who can read the VM); move it to protectedSettings, which Azure encrypts [{EXTENSIONS}]"
            for path in _plain_keys(props.get("settings"))
        ]
    if options.wire_props is not None:
        messages += [
            f"{path} is not a Pulumi secret, so it would be stored in plain text in the state and "
            "the preview; pass it as pulumi.Output.secret(...) or a secret config value"
            for path in SECRET_PATHS.get(found, ())
            if plain_at(options.wire_props, path)
        ]
    return messages
