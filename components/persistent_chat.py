"""The multi-language entry point: a whole Persistent Chat deployment from typed args.

No ``from __future__ import annotations`` here: the schema analyzer reads the real types.

The args mirror the ``pchat:topology`` contract (snake_case here, camelCase in the package
schema) and are validated by the same model, so a TypeScript, Go, .NET or YAML stack gets
exactly the checks and messages of the Python program.
"""

from enum import Enum
from typing import Any, NotRequired, TypedDict

import pulumi

from ..errors import TopologyConfigError
from ..model import TopologyError, plan_topology
from ..model.config import CompliancePlacement, Edition, Hardware, SqlEdition, StorePlacement
from ..model.resource_types import PERSISTENT_CHAT_TYPE
from .common import Component, child
from .deployment import DeploymentArgs, PersistentChatDeployment

TYPE = PERSISTENT_CHAT_TYPE


class SiteInput(TypedDict):
    """A Lync central site: one Azure region and virtual network."""

    region: pulumi.Input[str]
    """Azure region, e.g. northeurope."""
    address_space: pulumi.Input[str]
    """Private IPv4 range of the site, /8 to /24."""
    dns_servers: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """DNS servers of the virtual network (your domain controllers)."""


class DataDiskInput(TypedDict):
    """The data volume of each Persistent Chat server."""

    size_gb: NotRequired[pulumi.Input[int]]
    """Size in GB (72 to 32767)."""
    file_system: NotRequired[pulumi.Input[str]]
    """File system; Persistent Chat requires NTFS."""


class StoreInput(TypedDict):
    """The PersistentChatStore (database mgc)."""

    placement: NotRequired[pulumi.Input[StorePlacement]]
    """dedicated, collocated (existing Back End SQL) or express (Standard Edition)."""
    sql_server: NotRequired[pulumi.Input[str]]
    """Collocated only: FQDN of the existing Back End SQL Server."""
    sql_instance: NotRequired[pulumi.Input[str]]
    """Collocated only: named instance; the default instance when omitted."""
    vm_size: NotRequired[pulumi.Input[str]]
    """VM size of the dedicated SQL Servers."""
    sql_edition: NotRequired[pulumi.Input[SqlEdition]]
    """SQL Server edition of the store VMs."""
    data_disk_gb: NotRequired[pulumi.Input[int]]
    log_disk_gb: NotRequired[pulumi.Input[int]]
    temp_db_disk_gb: NotRequired[pulumi.Input[int]]
    backup_disk_gb: NotRequired[pulumi.Input[int]]


class ComplianceInput(TypedDict):
    """The compliance service and its store (database mgccomp)."""

    enabled: NotRequired[pulumi.Input[bool]]
    placement: NotRequired[pulumi.Input[CompliancePlacement]]
    """separate (own SQL Server) or shared (the mgc instance)."""


class HighAvailabilityInput(TypedDict):
    """SQL mirroring of the provisioned stores."""

    mirroring: NotRequired[pulumi.Input[bool]]
    witness: NotRequired[pulumi.Input[bool]]
    witness_vm_size: NotRequired[pulumi.Input[str]]


class DisasterRecoveryInput(TypedDict):
    """A stretched pool with log shipping to a standby site."""

    standby_site: pulumi.Input[str]
    """Site key of the second data center."""
    standby_servers: NotRequired[pulumi.Input[int]]
    """Idle servers there (1 to 4); default: as many as active servers."""


class DiagnosticsInput(TypedDict):
    """Where the key vault's and the NSGs' logs go."""

    workspace_resource_id: pulumi.Input[str]
    """ARM id of an existing Log Analytics workspace."""


class DomainJoinInput(TypedDict):
    """Joins every server to the AD domain."""

    user: pulumi.Input[str]
    ou_path: NotRequired[pulumi.Input[str]]


class CategoryInput(TypedDict):
    """A room category: who may join and create its rooms; members are SIP URIs or AD distinguished names."""

    description: NotRequired[pulumi.Input[str]]
    allowed_members: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """Who may join the category's rooms."""
    denied_members: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """Who may not, even when allowed."""
    creators: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """Who may create rooms: a subset of the allowed members minus the denied ones."""
    invitations: NotRequired[pulumi.Input[bool]]
    file_upload: NotRequired[pulumi.Input[bool]]
    chat_history: NotRequired[pulumi.Input[bool]]


class AddInInput(TypedDict):
    """An add-in: a web page the Persistent Chat client shows beside a room."""

    url: pulumi.Input[str]
    """https URL of the add-in's page."""


class PoolInput(TypedDict):
    """A Persistent Chat pool, as Topology Builder defines it."""

    site: pulumi.Input[str]
    """Site key of the primary site."""
    users: pulumi.Input[int]
    """Concurrent users: 20,000 per active server, 80,000 at most."""
    active_servers: NotRequired[pulumi.Input[int]]
    vm_size: NotRequired[pulumi.Input[str]]
    hardware: NotRequired[pulumi.Input[Hardware]]
    next_hop: NotRequired[pulumi.Input[str]]
    """FQDN of the next-hop Front End pool."""
    front_end_cidr: NotRequired[pulumi.Input[str]]
    port: NotRequired[pulumi.Input[int]]
    default_for_site: NotRequired[pulumi.Input[bool]]
    time_zone: NotRequired[pulumi.Input[str]]
    computer_name_prefix: NotRequired[pulumi.Input[str]]
    address_slot: NotRequired[pulumi.Input[int]]
    file_store: NotRequired[pulumi.Input[str]]
    data_disk: NotRequired[pulumi.Input[DataDiskInput]]
    store: NotRequired[pulumi.Input[StoreInput]]
    compliance: NotRequired[pulumi.Input[ComplianceInput]]
    high_availability: NotRequired[pulumi.Input[HighAvailabilityInput]]
    disaster_recovery: NotRequired[pulumi.Input[DisasterRecoveryInput]]
    categories: NotRequired[pulumi.Input[dict[str, pulumi.Input[CategoryInput]]]]
    """Room categories by name; nobody can create a room until the pool has one."""
    add_ins: NotRequired[pulumi.Input[dict[str, pulumi.Input[AddInInput]]]]
    """Add-ins by name (optional)."""


class PersistentChatArgs(TypedDict):
    """The topology, as in the ``pchat:topology`` stack config, plus the secrets."""

    edition: NotRequired[pulumi.Input[Edition]]
    domain: pulumi.Input[str]
    """AD DS DNS domain; pool and server FQDNs are <name>.<domain>."""
    admin_username: NotRequired[pulumi.Input[str]]
    management_cidr: NotRequired[pulumi.Input[str]]
    """The only range allowed to RDP; no RDP rule when omitted."""
    protect_stateful_resources: NotRequired[pulumi.Input[bool]]
    encryption_at_host: NotRequired[pulumi.Input[bool]]
    lock_stores: NotRequired[pulumi.Input[bool]]
    """A CanNotDelete lock on each site's data resource group (default true)."""
    secret_expiry_days: NotRequired[pulumi.Input[int]]
    """Days each key vault secret is valid from its creation (default 365)."""
    secrets_not_after: NotRequired[pulumi.Input[str]]
    """A fixed expiry date (YYYY-MM-DD) for every secret instead."""
    diagnostics: NotRequired[pulumi.Input[DiagnosticsInput]]
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    domain_join: NotRequired[pulumi.Input[DomainJoinInput]]
    sites: pulumi.Input[dict[str, pulumi.Input[SiteInput]]]
    """Lync central sites by key."""
    pools: pulumi.Input[dict[str, pulumi.Input[PoolInput]]]
    """Persistent Chat pools by key; the key is the pool name."""
    admin_password: NotRequired[pulumi.Input[str]]
    """One administrator password for every server (a secret); random per server when omitted."""
    domain_join_password: NotRequired[pulumi.Input[str]]
    """Password of the domain join account (a secret)."""
    name_prefix: NotRequired[pulumi.Input[str]]
    """Prefix of the Azure resource names; default pchat-<stack>."""


SECRET_ARGS = ("admin_password", "domain_join_password")


class PersistentChat(Component):
    """A whole Persistent Chat deployment: validates the topology before registering anything,
    then builds a :class:`PersistentChatDeployment` (sites, peerings, pools, SQL Servers, key vault)."""

    pool_fqdns: pulumi.Output[dict[str, str]]
    """Pool key -> pool FQDN."""
    server_addresses: pulumi.Output[dict[str, str]]
    """Server name -> static private address."""
    server_roles: pulumi.Output[dict[str, str]]
    """Server name -> role (active, standby, store, store-mirror, witness, ...)."""
    vault_uri: pulumi.Output[str]
    """URI of the key vault holding the administrator passwords."""
    admin_password_secret_ids: pulumi.Output[dict[str, str]]
    """Server name -> key vault secret id of its administrator password."""

    def __init__(self, name: str, args: PersistentChatArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        plan = _plan(args)
        super().__init__("PersistentChat", name, opts, legacy=False)
        prefix = str(args.get("name_prefix") or f"pchat-{pulumi.get_stack()}")
        deployment = PersistentChatDeployment(
            name,
            DeploymentArgs(
                plan=plan,
                name_prefix=prefix,
                admin_password=args.get("admin_password"),
                domain_join_password=args.get("domain_join_password"),
            ),
            opts=child(self),
        )
        self.pool_fqdns = pulumi.Output.from_input(deployment.pools)
        self.server_addresses = pulumi.Output.from_input({k: v["address"] for k, v in deployment.servers.items()})
        self.server_roles = pulumi.Output.from_input({k: v["role"] for k, v in deployment.servers.items()})
        self.vault_uri = deployment.vault_uri
        self.admin_password_secret_ids = pulumi.Output.all(**deployment.password_secret_ids)
        self.register_outputs(
            {
                "poolFqdns": self.pool_fqdns,
                "serverAddresses": self.server_addresses,
                "serverRoles": self.server_roles,
                "vaultUri": self.vault_uri,
                "adminPasswordSecretIds": self.admin_password_secret_ids,
            }
        )


def _plan(args: PersistentChatArgs) -> Any:
    topology = {k: _plain(v, k) for k, v in args.items() if k not in (*SECRET_ARGS, "name_prefix")}
    try:
        plan = plan_topology(topology)
    except TopologyError as error:
        raise TopologyConfigError(str(error)) from None
    missing = [
        f"{key} is not set: {why}; pass it as a secret input"
        for key, why in plan.required_secrets.items()
        if args.get(_snake(key)) is None
    ]
    if missing:
        raise TopologyConfigError("\n".join(missing))
    return plan


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


def _plain(value: Any, path: str) -> Any:
    """The value with enums as strings; an Output (unknown until deployment) is refused."""
    if isinstance(value, pulumi.Output):
        raise TopologyConfigError(
            f"{path}: the topology must be known when the program runs, not an output of another resource"
        )
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{path}.{i}") for i, v in enumerate(value)]
    return value
