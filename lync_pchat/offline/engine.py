"""A mock Pulumi engine: runs the real program under Pulumi's Python runtime, without Azure or the CLI.

The monitor records every RegisterResourceRequest (with the options mocks never see), forms URNs as
the engine does, with the full chain of parent types, derives each resource's aliases as the engine
does, and refuses a duplicate URN as the engine does. What the program logs (``pulumi.log.warn``)
is kept on the monitor, not printed.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import pulumi
import pulumi.resource as pulumi_resource
import pulumi.runtime.resource as runtime_resource
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.proto import resource_pb2, source_pb2

from ..model import resource_types as rt

T = TypeVar("T")
PROJECT, STACK = "pchat", "test"


AZURE_NAME_INPUT = {
    rt.VM: "vmName",
    rt.VM_EXTENSION: "vmExtensionName",
    rt.RUN_COMMAND: "runCommandName",
    rt.PEERING: "virtualNetworkPeeringName",
    rt.LOCK: "lockName",
    rt.ROLE_ASSIGNMENT: "roleAssignmentName",
    rt.STORAGE_ACCOUNT: "accountName",
    rt.BLOB_SERVICE: "blobServicesName",
    rt.BLOB_CONTAINER: "containerName",
}
"""Where the Azure name of a resource is, when it is not the ``<type>Name`` input."""


SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
NAMESPACES = {
    "compute": "Microsoft.Compute", "network": "Microsoft.Network", "keyvault": "Microsoft.KeyVault",
    "sqlvirtualmachine": "Microsoft.SqlVirtualMachine", "storage": "Microsoft.Storage",
    "privatedns": "Microsoft.Network",
}  # fmt: skip
"""The resource provider of each azure-native module whose resources live in a resource group."""
NESTED = {
    rt.SUBNET: ("virtualNetworks", "virtualNetworkName", "subnets"),
    rt.PEERING: ("virtualNetworks", "virtualNetworkName", "virtualNetworkPeerings"),
    rt.VM_EXTENSION: ("virtualMachines", "vmName", "extensions"),
    rt.RUN_COMMAND: ("virtualMachines", "vmName", "runCommands"),
    rt.SECRET: ("vaults", "vaultName", "secrets"),
    rt.BLOB_SERVICE: ("storageAccounts", "accountName", "blobServices"),
    rt.BLOB_CONTAINER: ("storageAccounts", "accountName", "blobServices/default/containers"),
}
"""Child resources: (parent type, the input naming the parent, child type) in the id path."""
RENAMED = {rt.PRIVATE_ZONE: "privateDnsZones"}
"""Resource types whose ARM type is not their azure-native name's plural."""


def arm_id(token: str, inputs: dict[str, Any], name: str) -> str | None:
    """The id Azure gives a resource in a resource group (None for the others, which keep a mock id):
    ``/subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<types>/<name>``."""
    _, module, kind = token.split(":")
    group = inputs.get("resourceGroupName")
    if token == rt.RESOURCE_GROUP:
        return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{name}"
    if module not in NAMESPACES or not isinstance(group, str):
        return None
    if token in NESTED:
        parents, parent_input, children = NESTED[token]
        path = f"{parents}/{inputs.get(parent_input)}/{children}/{name}"
    else:
        path = f"{RENAMED.get(token, kind[:1].lower() + kind[1:] + 's')}/{name}"
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{group}/providers/{NAMESPACES[module]}/{path}"


def _camel_type_name(token: str) -> str:
    """``azure-native:network:NetworkSecurityGroup`` -> ``networkSecurityGroupName``."""
    kind = token.rsplit(":", 1)[-1]
    return kind[:1].lower() + kind[1:] + "Name"


class AzureMocks(pulumi.runtime.Mocks):
    """Echo inputs as state, with the ids and ``name`` Azure gives (from the resource's name input, in
    its resource group) and the few outputs Azure would compute."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        name_input = AZURE_NAME_INPUT.get(args.typ) or _camel_type_name(args.typ)
        azure_name = str(state.get(name_input, args.name))
        resource_id = arm_id(args.typ, state, azure_name) if args.typ.startswith(f"{rt.AZURE_NATIVE}:") else None
        resource_id = resource_id or f"/mock/{args.typ}/{args.name}"
        state.setdefault("id", resource_id)
        if args.typ == "random:index/randomPassword:RandomPassword":
            state["result"] = f"Pw-{args.name}-9!"
        if args.typ == "random:index/randomString:RandomString":
            state["result"] = "k3y5u7f1"[: int(args.inputs["length"])]
        if args.typ == rt.VAULT:
            state["properties"] = {**state["properties"], "vaultUri": f"https://{state['vaultName']}.vault.azure.net/"}
        if args.typ == rt.SECRET:
            uri = f"https://vault.vault.azure.net/secrets/{state['secretName']}"
            state["properties"] = {**state["properties"], "secretUri": uri}
        if args.typ == rt.VM:
            identity = {**state.get("identity", {}), "principalId": f"principal-{args.name}"}
            if "userAssignedIdentities" in identity:  # Azure answers a list of ids with a map by id
                identity["userAssignedIdentities"] = {i: {} for i in identity["userAssignedIdentities"]}
            state["identity"] = identity
        state.setdefault("name", azure_name)
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        if args.token == rt.GET_VAULT:
            name = args.args["vaultName"]
            return {"id": f"/mock/vaults/{name}", "properties": {"vaultUri": f"https://{name}.vault.azure.net/"}}, []
        if args.token == rt.GET_CLIENT_CONFIG:
            return {
                "clientId": "client",
                "objectId": "object",
                "subscriptionId": "sub",
                "tenantId": "00000000-0000-0000-0000-000000000000",
            }, []
        return {}, []


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """Keeps each RegisterResourceRequest, so tests can assert options the mocks never see."""

    def __init__(self, mocks: pulumi.runtime.Mocks, on_register: Callable[[int], None] | None = None) -> None:
        super().__init__(mocks)
        self.on_register = on_register
        self.registrations: list[tuple[resource_pb2.RegisterResourceRequest, str]] = []
        self.aliases: dict[str, frozenset[str]] = {}
        """URN -> the other URNs the engine would match it to (its aliases, and its parent's)."""
        self.logs: list[tuple[int, str]] = []
        """(logging level, message) of each ``pulumi.log`` call of the program."""
        self.logger = logging.Logger("pchat.mock-engine")
        self.logger.addHandler(_Collector(self.logs))

    @property
    def warnings(self) -> list[str]:
        """What the program logged at warning level or above, in order."""
        return [message for level, message in self.logs if level >= logging.WARNING]

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The engine's URN: the parent's qualified type chain, then this type."""
        if parent:
            qualified = parent.split("::")[2]
            if qualified != "pulumi:pulumi:Stack":
                type_ = f"{qualified}${type_}"
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), type_, name])

    def _alias_urns(self, request: Any, urn: str) -> frozenset[str]:
        """The aliases the engine derives for a resource: its own alias specs, each also under every
        alias of its parent (a renamed or retyped component keeps its children's identities too)."""
        variants = {(request.type, request.name)}
        found: set[str] = set()
        for alias in request.aliases:
            if alias.urn:
                found.add(alias.urn)
                continue
            spec = alias.spec
            type_, name = spec.type or request.type, spec.name or request.name
            if spec.noParent or spec.parentUrn:
                found.add(self.make_urn("" if spec.noParent else spec.parentUrn, type_, name))
            else:
                variants.add((type_, name))
        parents = {request.parent, *self.aliases.get(request.parent, ())}
        found |= {self.make_urn(parent, type_, name) for parent in parents for type_, name in variants}
        return frozenset(found - {urn})

    @property
    def requests(self) -> list[Any]:
        """Every RegisterResourceRequest, the root stack's included."""
        return [request for request, _ in self.registrations]

    @property
    def registered(self) -> list[Any]:
        """Every registered resource but the root stack that ``set_mocks`` creates."""
        return [r for r in self.requests if r.type != "pulumi:pulumi:Stack"]

    @property
    def registered_urns(self) -> list[str]:
        """The URN of each of :attr:`registered`, in the same order."""
        return [urn for request, urn in self.registrations if request.type != "pulumi:pulumi:Stack"]

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if urn in self.aliases:
            raise ValueError(f"Duplicate resource URN '{urn}'; try giving it a unique name")
        self.aliases[urn] = self._alias_urns(request, urn)
        self.registrations.append((request, urn))
        if self.on_register is not None:
            self.on_register(len(self.registrations))
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


class _Collector(logging.Handler):
    def __init__(self, into: list[tuple[int, str]]) -> None:
        super().__init__()
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.levelno, record.getMessage()))


def run(
    program: Callable[[], T],
    config: dict[str, Any] | None = None,
    monitor: RecordingMonitor | None = None,
    stack: str = STACK,
    project: str = PROJECT,
) -> tuple[T, RecordingMonitor]:
    """Run ``program`` under mocks with stack ``config`` (keys ``<project>:<key>``); drain every RPC
    before returning.

    The cyclic garbage collector pauses meanwhile: the runtime's many live objects made its passes
    half of the run's time; what it would have freed waits for its next pass."""
    pulumi.runtime.set_all_config({k: v if isinstance(v, str) else json.dumps(v) for k, v in (config or {}).items()})
    monitor = monitor or RecordingMonitor(AzureMocks())
    pulumi.runtime.set_mocks(
        monitor.mocks, project=project, stack=stack, preview=False, logger=monitor.logger, monitor=monitor
    )
    box: dict[str, T] = {}

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def _drain() -> None:
        box["result"] = program()

    collecting = gc.isenabled()
    gc.disable()
    collapse = getattr(pulumi_resource, _COLLAPSE)
    stack_trace = getattr(runtime_resource, _STACK_TRACE)
    setattr(pulumi_resource, _COLLAPSE, _alias_sent_as_spec)
    setattr(runtime_resource, _STACK_TRACE, _no_stack_trace)
    try:
        _drain()
    finally:
        setattr(pulumi_resource, _COLLAPSE, collapse)
        setattr(runtime_resource, _STACK_TRACE, stack_trace)
        if collecting:
            gc.enable()
    return box["result"], monitor


_COLLAPSE = "collapse_alias_to_urn"
"""The SDK function :func:`run` replaces by :func:`_alias_sent_as_spec` in ``pulumi.resource``."""
_STACK_TRACE = "_get_stack_trace"
"""The SDK function :func:`run` replaces by :func:`_no_stack_trace` in ``pulumi.runtime.resource``."""


def _no_stack_trace() -> source_pb2.StackTrace:
    """The empty stack trace (and so no source position) in each registration, where the SDK walks the
    Python stack for every resource (about a tenth of a synthesis): the engine shows them next to
    diagnostics, and nothing here reads them."""
    return source_pb2.StackTrace()


def _alias_sent_as_spec(*_: Any) -> None:
    """What each resource's constructor keeps of an alias for its children, unused here.

    The SDK resolves every alias of every resource to a URN Output as the resource is built (azure-native
    adds one alias per API version: about 20 per resource, half of a synthesis), for the children to
    inherit when the engine cannot take alias specs. The mock monitor takes them (ALIAS_SPECS), so the
    SDK sends each alias as a spec in the registration and never reads these; :meth:`RecordingMonitor._alias_urns`
    derives the URNs as the engine does. Were they read, ``None`` would fail loudly."""
    return None
