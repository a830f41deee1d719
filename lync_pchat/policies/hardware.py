"""``pchat-vm-size``: every VM of a Persistent Chat deployment meets the documented hardware.

Exceptions come from the resources and the policy config, never from a tag: a mirroring witness
(a SQL Server from a SQL Express image) and the VMs the config exempts (``evaluationPools``,
``evaluationVms``) need only a catalog size.

Why a stack check and not a resource check: a resource check sees one VM's props and
``args.urn``. The URN's type chain would tell whether the VM is inside a deployment component, and
the image whether it is a witness, but the URN holds the types of the ancestors, not their names,
so the pool a VM belongs to (the name of its ``PersistentChatPool`` component) and therefore
``evaluationPools`` are out of its reach. A stack check sees every resource with its parent, so it
finds the pool; its diagnostics still name each VM's URN. The price: a stack check runs once the
engine has every resource (the end of a preview), not before each VM is created, so run the pack
on ``pulumi preview`` before ``pulumi up``. A VM whose size is not known during a preview fails
closed with its own message, and does not stop the other VMs from being checked (a resource check
reading it would have made the whole policy an advisory, as the SDK does for unknown values).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..model.catalog import DOCUMENTED_SPEC, VM_SIZES, VmSize, smallest_meeting
from .base import AZURE_SIZES, HARDWARE, UNKNOWN, StackResource, Violation, items, read
from .recognition import Kind, Server, recognise

EVALUATION_POOLS, EVALUATION_VMS, CUSTOM_SIZES = "evaluationPools", "evaluationVms", "customVmSizes"
EVALUATION_CONFIG: Mapping[str, Any] = {
    CUSTOM_SIZES: {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "properties": {
                "vcpus": {"type": "integer", "minimum": 1},
                "memoryGib": {"type": "integer", "minimum": 1},
                "hyperthreaded": {"type": "boolean"},
            },
            "required": ["vcpus", "memoryGib"],
        },
        "description": "VM sizes the catalog does not list, as the stack's customVmSizes states them (vCPUs and "
        "memory from the Azure size page; hyperthreaded by default): they are checked like catalog sizes.",
    },
    EVALUATION_POOLS: {
        "type": "array",
        "items": {"type": "string"},
        "description": "Pools (pool keys, the names of their PersistentChatPool components) whose VMs are an "
        "unsupported evaluation: they need only a catalog size.",
    },
    EVALUATION_VMS: {
        "type": "array",
        "items": {"type": "string"},
        "description": "VMs (vmName) that are an unsupported evaluation: they need only a catalog size.",
    },
}
"""The config schema of pchat-vm-size."""


def exempted(config: Mapping[str, Any], key: str) -> tuple[frozenset[str], list[Violation]]:
    """The names a config property exempts; a malformed value exempts nothing and is reported."""
    value = config.get(key, [])
    names = items(value)
    if isinstance(value, Sequence) and not isinstance(value, str) and all(isinstance(n, str) for n in names):
        return frozenset(n for n in names if n), []
    shown = json.dumps(value, default=str)
    return frozenset(), [
        Violation(f'Policy config {key} must be an array of names such as ["lab01"], not {shown}; it exempts nothing')
    ]


def custom_sizes(config: Mapping[str, Any]) -> tuple[dict[str, VmSize], list[Violation]]:
    """The sizes the config states (``customVmSizes``, the stack config's shape); a malformed one is reported."""
    value = config.get(CUSTOM_SIZES, {})
    sizes: dict[str, VmSize] = {}
    if not isinstance(value, Mapping):
        return sizes, [Violation(f"Policy config {CUSTOM_SIZES} must be an object of sizes; it adds none")]
    found: list[Violation] = []
    for name, size in value.items():
        vcpus = size.get("vcpus") if isinstance(size, Mapping) else None
        memory = size.get("memoryGib") if isinstance(size, Mapping) else None
        threads = size.get("hyperthreaded", True) if isinstance(size, Mapping) else None
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in (vcpus, memory)) or not (
            isinstance(threads, bool)
        ):
            shown = json.dumps(size, default=str)
            found.append(Violation(f"Policy config {CUSTOM_SIZES}.{name} needs vcpus and memoryGib, not {shown}"))
            continue
        assert isinstance(vcpus, int) and isinstance(memory, int) and isinstance(threads, bool)
        sizes[str(name)] = VmSize(str(name), vcpus, memory, threads, premium_storage=True, max_data_disks=4)
    return sizes, found


def size_findings(server: Server, exempt: bool, custom: Mapping[str, VmSize] | None = None) -> list[Violation]:
    """A catalog (or configured) size, meeting 2 x hex-core and 32 GB unless a witness or exempted."""
    name = read(server.props, "hardwareProfile.vmSize")
    if name is UNKNOWN:
        message = (
            f"The VM size of {server.title} is not known yet (a preview computes it from another resource's "
            f"output), so it cannot be checked against the documented hardware; use a known size [{HARDWARE}]"
        )
        return [Violation(message, server.urn)]
    size = VM_SIZES.get(str(name)) or (custom or {}).get(str(name))
    if size is None:
        message = (
            f"VM size '{name}' of {server.title} is not in the project's size catalog ({', '.join(VM_SIZES)}), so "
            f"it cannot be checked against the documented hardware; pick a catalog size, or state its vCPUs and "
            f"memory in the policy config's {CUSTOM_SIZES} as the stack's customVmSizes does [{AZURE_SIZES}]"
        )
        return [Violation(message, server.urn)]
    if server.kind is Kind.WITNESS or exempt or DOCUMENTED_SPEC.met_by(size):
        return []
    message = (
        f"{size.describe()}: {server.title} needs the documented hardware, 2 x hex-core "
        f"({DOCUMENTED_SPEC.physical_cores} physical cores; hyper-threaded vCPUs count half) and "
        f"{DOCUMENTED_SPEC.memory_gib} GB; use {smallest_meeting(DOCUMENTED_SPEC).name} or larger, or exempt "
        f"an unsupported lab in the policy config ({EVALUATION_POOLS}, {EVALUATION_VMS}) [{HARDWARE}]"
    )
    return [Violation(message, server.urn)]


def check_vm_size(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    """Every VM of a deployment, tagged or not: a catalog size meeting 2 x hex-core (12 physical cores)
    and 32 GB; witnesses and the pools and VMs the config exempts need only a catalog size."""
    pools, bad_pools = exempted(config, EVALUATION_POOLS)
    vms, bad_vms = exempted(config, EVALUATION_VMS)
    custom, bad_sizes = custom_sizes(config)
    found = bad_pools + bad_vms + bad_sizes
    for server in recognise(resources):
        found += size_findings(server, server.pool in pools or server.vm_name in vms, custom)
    return found
