"""Builders of crafted resources and a driver of the policy SDK's analyzer servicer."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import proto

from lync_pchat.model.catalog import WITNESS_SQL_SKU, Image
from lync_pchat.model.config import ImagesConfig
from lync_pchat.model.products import LYNC2013
from lync_pchat.model.resource_types import DEPLOYMENT_TYPE, POOL_TYPE, type_token
from lync_pchat.model.tags import PROJECT_TAGS
from lync_pchat.offline.graph import Resource
from lync_pchat.policies import SPECS, CheckOptions, StackResource

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"
VM_TYPE = "azure-native:compute:VirtualMachine"
REGISTRATION_TYPE = "azure-native:sqlvirtualmachine:SqlVirtualMachine"
SERVER_TYPE = type_token("WindowsServer")
ROOT = "urn:pulumi:test::pchat::"
UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's sentinel for a value not known during a preview."""
NE, WE = "northeurope", "westeurope"
_DEFAULT = ImagesConfig()
IMAGES = {
    "windows": Image(_DEFAULT.windows.publisher, _DEFAULT.windows.offer, LYNC2013.windows_sku),
    "sql": Image(_DEFAULT.sql.publisher, LYNC2013.sql_offer, "Enterprise"),
    "express": Image(_DEFAULT.sql.publisher, LYNC2013.sql_offer, WITNESS_SQL_SKU),
}
"""The lync2013 default images."""
NSG_TYPE = "azure-native:network:NetworkSecurityGroup"
NIC_TYPE = "azure-native:network:NetworkInterface"
EXT_TYPE = "azure-native:compute:VirtualMachineExtension"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
NO = CheckOptions()


def secret(value: Any) -> dict[str, Any]:
    """A value in the Pulumi wire format of a secret."""
    return {**SECRET, "value": value}


def image(kind: str) -> dict[str, str]:
    found = IMAGES[kind]
    return {"publisher": found.publisher, "offer": found.offer, "sku": found.sku, "version": found.version}


def vm_props(
    role: str,
    size: str = "Standard_F32s_v2",
    *,
    pool: str = "p1",
    location: str = NE,
    name: str = "",
    image_kind: str = "",
    **extra_tags: str,
) -> dict[str, Any]:
    """A VM tagged the way the components tag it; its image follows the role unless given."""
    witness, sql = role in ("witness", "backup-witness"), role not in ("active", "standby", "standard-edition")
    return {
        "vmName": name or f"{pool}-{role}",
        "location": location,
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {
            "imageReference": image(image_kind or ("express" if witness else "sql" if sql else "windows"))
        },
        "tags": {"pchat-pool": pool, "pchat-site": "s1", "pchat-role": role, **extra_tags},
    }


def server(
    name: str,
    image_kind: str = "windows",
    *,
    size: str = "Standard_F32s_v2",
    location: str = NE,
    role: str | None = None,
    **props: Any,
) -> StackResource:
    """An untagged VM (``role`` adds the pchat-role tag); :func:`pool` puts it in a pool."""
    tags = {} if role is None else {"pchat-role": role}
    inputs = {
        "vmName": name,
        "location": location,
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {"imageReference": image(image_kind)},
        "tags": tags,
        **props,
    }
    return StackResource(VM_TYPE, f"{name}-vm", inputs, urn=f"{ROOT}{VM_TYPE}::{name}-vm")


def pool(name: str, *vms: StackResource, under: str = DEPLOYMENT_TYPE) -> list[StackResource]:
    """A pool component in a deployment, a WindowsServer component per VM, and the VMs beneath them."""
    pool_urn = f"{ROOT}{under}${POOL_TYPE}::{name}"
    found = [StackResource(POOL_TYPE, name, {}, urn=pool_urn, parent=f"{ROOT}{under}::pchat")]
    for r in vms:
        server_urn = f"{ROOT}{under}${POOL_TYPE}${SERVER_TYPE}::{r.name.removesuffix('-vm')}"
        vm_urn = f"{ROOT}{under}${POOL_TYPE}${SERVER_TYPE}${VM_TYPE}::{r.name}"
        found += [
            StackResource(SERVER_TYPE, r.name.removesuffix("-vm"), {}, urn=server_urn, parent=pool_urn),
            dataclasses.replace(r, urn=vm_urn, parent=server_urn),
        ]
    return found


def deployment(*pools: Sequence[StackResource], kind: str = DEPLOYMENT_TYPE) -> list[StackResource]:
    """The deployment component and its pools."""
    return [StackResource(kind, "pchat", {}, urn=f"{ROOT}{kind}::pchat"), *(r for p in pools for r in p)]


def registration(vm_name: Any) -> StackResource:
    """A SqlVirtualMachine registration naming a VM."""
    return StackResource(REGISTRATION_TYPE, "sqlvm", {"sqlVirtualMachineName": vm_name}, urn=f"{ROOT}sqlvm")


def vm(
    role: str, size: str = "Standard_F32s_v2", *, pool: str = "p1", location: str = NE, name: str = ""
) -> StackResource:
    """A VM as the components build it: image by role, tagged with its role (to put in :func:`pool`)."""
    props = vm_props(role, size, pool=pool, location=location, name=name)
    return StackResource(VM_TYPE, f"{props['vmName']}-vm", props)


def pools(*members: StackResource) -> list[StackResource]:
    """A deployment with the VMs of :func:`vm` in the pools their pchat-pool tags name."""
    by_pool: dict[str, list[StackResource]] = {}
    for r in members:
        by_pool.setdefault(r.props["tags"]["pchat-pool"], []).append(r)
    return deployment(*(pool(name, *vms) for name, vms in by_pool.items()))


def untagged(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without any pchat-* tag."""
    tags = props.get("tags")
    if not isinstance(tags, Mapping):
        return dict(props)
    return {**props, "tags": {k: v for k, v in tags.items() if not str(k).startswith("pchat-")}}


def stripped(resources: Iterable[Resource]) -> list[Resource]:
    """Recorded resources with every pchat-* tag removed (``PROJECT_TAGS`` and any other)."""
    assert all(tag.startswith("pchat-") for tag in PROJECT_TAGS)
    return [dataclasses.replace(r, inputs=untagged(r.inputs)) for r in resources]


def recorded(resources: Iterable[StackResource]) -> list[Resource]:
    """Crafted stack resources as the offline engine records them."""
    return [
        Resource(r.urn, r.type, r.name, r.parent, r.type == VM_TYPE, dict(r.props), r.protect, False, (), ())
        for r in resources
    ]


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


def pack_config(path: Path) -> dict[str, Any]:
    """A ``--policy-pack-config`` file, as the CLI reads it: policy -> level string or object."""
    config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return config


def configure_request(config: Mapping[str, Any]) -> Any:
    """The ConfigureAnalyzerRequest the CLI sends for a policy pack config: a string is an enforcement
    level; an object holds ``enforcementLevel`` (default: the policy's own) and the properties."""
    own = {spec.name: "mandatory" if spec.mandatory else "advisory" for spec in SPECS}
    policies = {}
    for name, value in config.items():
        entry = {"enforcementLevel": value} if isinstance(value, str) else dict(value)
        level = str(entry.pop("enforcementLevel", own[name])).upper()
        policies[name] = proto.PolicyConfig(
            enforcementLevel=proto.EnforcementLevel.Value(level), properties=struct(entry)
        )
    return proto.ConfigureAnalyzerRequest(policyConfig=policies)


def offline_config(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A policy pack config as :func:`lync_pchat.policies.offline.evaluate` takes it: the properties."""
    return {
        name: {k: v for k, v in value.items() if k != "enforcementLevel"}
        for name, value in config.items()
        if isinstance(value, Mapping)
    }


def diagnostics(response: Any) -> list[tuple[str, str, str]]:
    """(policy, enforcement level name, message) of each diagnostic."""
    return [(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.message) for d in response.diagnostics]
