"""Which VMs are the servers of a Persistent Chat deployment, read from the resources themselves.

- Scope: a VM is in a deployment when a ``PersistentChatDeployment`` or ``PersistentChat``
  component is among its ancestors: the ``parent`` chain the engine records, or the type chain of
  its URN. Other VMs (the domain controllers of a larger stack) are out of scope. The first
  release's component types (``pchat:index:*``) count too, for state it wrote.
- Pool: the name of the nearest ``PersistentChatPool`` ancestor component (the pool key).
- Kind: a SQL Server when its image publisher is MicrosoftSQLServer or a ``SqlVirtualMachine``
  registration of the stack names it (``sqlVirtualMachineName`` equals ``vmName``, compared only
  when both are known strings); a mirroring witness when it is a SQL Server from a SQL Express
  image (sku ``Express``); a non-Windows VM when it has a Linux configuration or OS disk; else a
  pool server (a Persistent Chat or Standard Edition server).
- Region: the VM's ``location``.

Names, publishers and skus are compared case-insensitively, as Azure does. The ``pchat-role`` tag
is only a hint (:attr:`Server.tag`) for what the resources cannot tell (active or standby, store,
mirror or backup store); :attr:`Server.contradicts` says when it disagrees with the resource.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..model import Role
from ..model import resource_types as rt
from ..model.catalog import SQL_PUBLISHER, WITNESS_SQL_SKU
from ..model.resource_types import DEPLOYMENT_TYPES, POOL_TYPES
from ..model.roles import PCHAT_ROLES
from .base import UNKNOWN, VM, StackResource, kind, read, region, role_of, text

REGISTRATION = rt.SQL_VM
UNRESOLVED_POOL = "?"
"""The pool of a VM whose URN names a pool component that is not among the resources."""
UNKNOWN_REGION = "an unknown region"


class Kind(StrEnum):
    """What a VM of a deployment is, as its resources tell."""

    POOL_SERVER = "Persistent Chat server"
    SQL = "SQL Server"
    WITNESS = "SQL Server mirroring witness"
    OTHER = "non-Windows VM"


def tag_kind(role: Role) -> Kind:
    """The kind of VM a ``pchat-role`` tag claims."""
    if role in PCHAT_ROLES:
        return Kind.POOL_SERVER
    return Kind.WITNESS if role.is_witness else Kind.SQL


@dataclass(frozen=True)
class Server:
    """A VM of a deployment: what its resources say, and its role tag as a hint."""

    name: str
    """``vmName`` when known, else the resource name."""
    vm_name: str | None
    pool: str
    """The pool component's name; empty when the VM is in no pool."""
    kind: Kind
    evidence: str
    """What the kind was read from, for messages."""
    region: str
    urn: str
    props: Mapping[str, Any]
    tag: Role | None

    @property
    def title(self) -> str:
        where = f"pool '{self.pool}'" if self.pool else "the deployment"
        return f"{self.kind} '{self.name}' of {where}"

    @property
    def contradicts(self) -> bool:
        """Whether the role tag claims another kind of VM than the resource is."""
        return self.tag is not None and tag_kind(self.tag) is not self.kind

    @property
    def hint(self) -> Role | None:
        """The role tag, when it agrees with the resource."""
        return None if self.contradicts else self.tag


def urn_ancestor_types(urn: str) -> list[str]:
    """The types of a resource's ancestors from its URN (``urn:pulumi:s::p::A$B$Type::name``)."""
    parts = urn.split("::")
    return parts[2].split("$")[:-1] if len(parts) >= 4 else []


def ancestors(resource: StackResource, by_urn: Mapping[str, StackResource]) -> list[StackResource]:
    """The recorded ancestors of a resource, nearest first (as far as the chain is among the resources)."""
    found: list[StackResource] = []
    parent = resource.parent
    while parent in by_urn and all(a.urn != parent for a in found):
        found.append(by_urn[parent])
        parent = by_urn[parent].parent
    return found


def pool_of(resource: StackResource, chain: Sequence[StackResource]) -> str:
    pool = next((a.name for a in chain if a.type in POOL_TYPES), None)
    if pool is not None:
        return pool
    return UNRESOLVED_POOL if POOL_TYPES & set(urn_ancestor_types(resource.urn)) else ""


def in_deployment(resource: StackResource, chain: Sequence[StackResource]) -> bool:
    types = {a.type for a in chain} | set(urn_ancestor_types(resource.urn))
    return bool(types & DEPLOYMENT_TYPES)


def registered_names(resources: Iterable[StackResource]) -> frozenset[str]:
    """The known ``sqlVirtualMachineName`` of every SQL registration of the stack."""
    names = (text(r.props, "sqlVirtualMachineName") for r in resources if kind(r.type) == REGISTRATION)
    return frozenset(name.casefold() for name in names if name)


def _same(value: str | None, expected: str) -> bool:
    return value is not None and value.casefold() == expected.casefold()


def _linux(props: Mapping[str, Any]) -> bool:
    configured = read(props, "osProfile.linuxConfiguration") not in (None, UNKNOWN)
    return configured or _same(text(props, "storageProfile.osDisk.osType"), "Linux")


def kind_of(props: Mapping[str, Any], registered: frozenset[str]) -> tuple[Kind, str]:
    """The kind of a deployment VM and the evidence for it."""
    publisher, offer, sku = (text(props, f"storageProfile.imageReference.{k}") for k in ("publisher", "offer", "sku"))
    image = f"image {'/'.join(part or '?' for part in (publisher, offer, sku))}"
    if _same(publisher, SQL_PUBLISHER):
        return (Kind.WITNESS if _same(sku, WITNESS_SQL_SKU) else Kind.SQL), image
    vm_name = text(props, "vmName")
    if vm_name and vm_name.casefold() in registered:
        return Kind.SQL, f"{image}, named by a SqlVirtualMachine registration"
    if _linux(props):
        return Kind.OTHER, "a Linux configuration"
    return Kind.POOL_SERVER, f"{image}, no SqlVirtualMachine registration"


def recognise(resources: Sequence[StackResource]) -> list[Server]:
    """Every VM of a Persistent Chat deployment in the stack, in the order of the resources."""
    by_urn = {r.urn: r for r in resources if r.urn}
    registered = registered_names(resources)
    found = []
    for r in (r for r in resources if kind(r.type) == VM):
        chain = ancestors(r, by_urn)
        if not in_deployment(r, chain):
            continue
        vm_name = text(r.props, "vmName")
        what, evidence = kind_of(r.props, registered)
        place = region(text(r.props, "location")) or UNKNOWN_REGION
        pool = pool_of(r, chain)
        found.append(Server(vm_name or r.name, vm_name, pool, what, evidence, place, r.urn, r.props, role_of(r.props)))
    return found


def pools(resources: Sequence[StackResource]) -> dict[str, list[Server]]:
    """The VMs of each pool, by pool name."""
    found: dict[str, list[Server]] = defaultdict(list)
    for server in recognise(resources):
        if server.pool:
            found[server.pool].append(server)
    return dict(sorted(found.items()))
