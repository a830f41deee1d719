"""Builders of crafted resources and a driver of the policy SDK's analyzer servicer."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import proto

from lync_pchat.offline.graph import Resource
from lync_pchat.policies import CheckOptions, StackResource

VM_TYPE = "azure-native:compute:VirtualMachine"
NSG_TYPE = "azure-native:network:NetworkSecurityGroup"
NIC_TYPE = "azure-native:network:NetworkInterface"
EXT_TYPE = "azure-native:compute:VirtualMachineExtension"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
NO = CheckOptions()


def secret(value: Any) -> dict[str, Any]:
    """A value in the Pulumi wire format of a secret."""
    return {**SECRET, "value": value}


def vm_props(
    role: str,
    size: str = "Standard_F32s_v2",
    *,
    pool: str = "p1",
    location: str = "northeurope",
    name: str = "",
    **extra_tags: str,
) -> dict[str, Any]:
    return {
        "vmName": name or f"{pool}-{role}",
        "location": location,
        "hardwareProfile": {"vmSize": size},
        "tags": {"pchat-pool": pool, "pchat-site": "s1", "pchat-role": role, **extra_tags},
    }


def vm(
    role: str, size: str = "Standard_F32s_v2", *, pool: str = "p1", location: str = "northeurope", name: str = ""
) -> StackResource:
    props = vm_props(role, size, pool=pool, location=location, name=name)
    return StackResource(VM_TYPE, f"{props['vmName']}-vm", props, urn=f"urn:{props['vmName']}")


def rule(
    name: str = "r",
    *,
    source: str = "10.0.0.0/24",
    port: str = "3389",
    access: str = "Allow",
    direction: str = "Inbound",
    protocol: str = "Tcp",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "sourceAddressPrefix": source,
        "destinationPortRange": port,
        "access": access,
        "direction": direction,
        "protocol": protocol,
        "priority": 100.0,
        **extra,
    }


def nsg(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"networkSecurityGroupName": "nsg", "securityRules": list(rules)}


def edited(resource: Resource, path: str, value: Any, **changes: Any) -> Resource:
    """A copy of a recorded resource with the input at a dotted path set (``[0]`` indexes a list)."""
    inputs = copy.deepcopy(resource.inputs)
    *parents, last = path.split(".")
    node: Any = inputs
    for part in parents:
        node = node[int(part[1:-1])] if part.startswith("[") else node.setdefault(part, {})
    node[last] = value
    return dataclasses.replace(resource, inputs=inputs, **changes)


def struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    return json_format.ParseDict(value, struct_pb2.Struct())


def analyze_request(resource: Resource) -> Any:
    """The AnalyzeRequest the engine sends for a registered resource (inputs in wire format)."""
    return proto.AnalyzeRequest(
        type=resource.type,
        properties=struct(resource.inputs),
        urn=resource.urn,
        name=resource.name,
        options=proto.AnalyzerResourceOptions(protect=resource.protect),
    )


def analyze_stack_request(resources: Iterable[Resource]) -> Any:
    return proto.AnalyzeStackRequest(
        resources=[
            proto.AnalyzerResource(
                type=r.type,
                properties=struct(r.inputs),
                urn=r.urn,
                name=r.name,
                options=proto.AnalyzerResourceOptions(protect=r.protect),
                parent=r.parent,
            )
            for r in resources
        ]
    )


def diagnostics(response: Any) -> list[tuple[str, str, str]]:
    """(policy, enforcement level name, message) of each diagnostic."""
    return [(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.message) for d in response.diagnostics]
