"""The multi-language entry point: a whole Persistent Chat deployment from typed args.

No ``from __future__ import annotations`` here: the schema analyzer reads the real types.

The args (``persistent_chat_args``) are validated by the same model as the stack config, so a
TypeScript, Go, .NET or YAML stack gets exactly the checks and messages of the Python program. The
values a larger stack may hand over as Outputs stand in the model as placeholders of the right shape,
and reach the resources as the Outputs they are.
"""

import dataclasses
import hashlib
from collections.abc import Mapping
from enum import Enum
from typing import Any

import pulumi

from lync_pchat.errors import TopologyConfigError
from lync_pchat.model import TopologyError, plan_topology
from lync_pchat.model.resource_types import PERSISTENT_CHAT_TYPE
from lync_pchat.model.rules_estate import BLOB_URL

from .common import Component, child
from .deployment import DeploymentArgs, PersistentChatDeployment
from .estate import EstateInputs
from .persistent_chat_args import SECRET_ARGS, PersistentChatArgs, ServerOutput, SiteOutput, StoreOutput
from .preparation import deployment_args

__all__ = ["TYPE", "PersistentChat", "PersistentChatArgs"]

TYPE = PERSISTENT_CHAT_TYPE
_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/from-an-output/providers/"
PLACEHOLDERS = {
    "subnet": _ID + "Microsoft.Network/virtualNetworks/from-an-output/subnets/{}",
    "hub": _ID + "Microsoft.Network/virtualNetworks/from-an-output",
    "routes": _ID + "Microsoft.Network/routeTables/from-an-output",
    "vault": _ID + "Microsoft.KeyVault/vaults/from-an-output",
    "workspace": _ID + "Microsoft.OperationalInsights/workspaces/from-an-output",
}
"""Well-formed stand-ins the model validates in place of an Output (its value is not known yet)."""


class PersistentChat(Component):
    """A whole Persistent Chat deployment: validates the topology before registering anything,
    then builds a :class:`PersistentChatDeployment` (sites, peerings, pools, SQL Servers, key vault)."""

    pool_fqdns: pulumi.Output[dict[str, str]]
    """Pool key -> pool FQDN."""
    servers: pulumi.Output[dict[str, ServerOutput]]
    """Server name -> role, site, FQDN and static address."""
    sql_stores: pulumi.Output[dict[str, dict[str, StoreOutput]]]
    """Pool key -> database (mgc, mgccomp) -> its instances."""
    sites: pulumi.Output[dict[str, SiteOutput]]
    """Site key -> resource groups, virtual network and subnet ids."""
    server_addresses: pulumi.Output[dict[str, str]]
    """Server name -> static private address."""
    server_roles: pulumi.Output[dict[str, str]]
    """Server name -> role (active, standby, store, store-mirror, witness, ...)."""
    vault_id: pulumi.Output[str]
    """Id of the key vault holding the administrator passwords."""
    vault_uri: pulumi.Output[str]
    """URI of the key vault holding the administrator passwords."""
    admin_password_secret_ids: pulumi.Output[dict[str, str]]
    """Server name -> key vault secret id of its administrator password."""

    def __init__(
        self,
        name: str,
        args: PersistentChatArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        key_vault_provider: pulumi.ProviderResource | None = None,
    ) -> None:
        """``key_vault_provider`` (Python only): the azure-native provider of the subscription of
        ``key_vault_id``, when that id is an Output or the deployment's subscription is not configured."""
        prepared = _prepare(args, key_vault_provider)
        super().__init__("PersistentChat", name, opts, legacy=False)
        for warning in prepared.plan.warnings:
            pulumi.log.warn(warning, resource=self)
        deployment = PersistentChatDeployment(name, prepared, opts=child(self))
        self.pool_fqdns = pulumi.Output.from_input(deployment.pools)
        self.servers = pulumi.Output.from_input(deployment.servers)  # type: ignore[arg-type]
        stores = {p: {db: _set(v) for db, v in dbs.items()} for p, dbs in deployment.stores.items()}
        self.sql_stores = pulumi.Output.from_input(stores)  # type: ignore[arg-type]
        self.sites = pulumi.Output.from_input({k: _set(v) for k, v in deployment.sites.items()})  # type: ignore[misc]
        self.server_addresses = pulumi.Output.all(**{k: v["address"] for k, v in deployment.servers.items()})
        self.server_roles = pulumi.Output.all(**{k: v["role"] for k, v in deployment.servers.items()})
        self.vault_id = deployment.vault_id
        self.vault_uri = deployment.vault_uri
        self.admin_password_secret_ids = pulumi.Output.all(**deployment.password_secret_ids)
        self.register_outputs({
            "poolFqdns": self.pool_fqdns, "servers": self.servers, "sqlStores": self.sql_stores, "sites": self.sites,
            "serverAddresses": self.server_addresses, "serverRoles": self.server_roles, "vaultId": self.vault_id,
            "vaultUri": self.vault_uri, "adminPasswordSecretIds": self.admin_password_secret_ids,
        })  # fmt: skip


def _set(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entries that are set: an output type leaves out (``NotRequired``) what the topology lacks."""
    return {key: value for key, value in entry.items() if value is not None}


def _prepare(args: PersistentChatArgs, vault_provider: pulumi.ProviderResource | None) -> DeploymentArgs:
    """The program's preparation path: the whole topology (namePrefix too) through the model, then the secrets."""
    estate = _Estate(_media_account(args))
    topology = {k: _plain(v, k, estate) for k, v in args.items() if k not in SECRET_ARGS}
    try:
        plan = plan_topology(topology)
    except TopologyError as error:
        raise TopologyConfigError(str(error)) from None
    secrets = {
        "adminPassword": args.get("admin_password"),
        "domainJoinPassword": args.get("domain_join_password"),
        "setupPassword": args.get("setup_password"),
    }
    inputs = dataclasses.replace(estate.inputs(), key_vault_provider=vault_provider)
    return deployment_args(plan, secrets, _unset, inputs)


def _unset(key: str, why: str) -> str:
    return f"{key} is not set: {why}; pass it as a secret input"


STANDS_IN = {
    ("user_assigned_identity_id",): _ID + "Microsoft.ManagedIdentity/userAssignedIdentities/from-an-output",
    ("sites", "*", "resource_groups", "servers"): "from-an-output-{site}-servers",
    ("sites", "*", "resource_groups", "data"): "from-an-output-{site}-data",
    ("monitoring", "action_group_id"): _ID + "Microsoft.Insights/actionGroups/from-an-output",
    ("backup", "storage_account_id"): _ID + "Microsoft.Storage/storageAccounts/{name}",
    ("pools", "*", "backup", "storage_account_id"): _ID + "Microsoft.Storage/storageAccounts/{name}",
    ("software", "storage_account_id"): _ID + "Microsoft.Storage/storageAccounts/{name}",
    ("private_endpoints", "backup", "*", "subnet_id"): PLACEHOLDERS["subnet"].format("{name}"),
    ("private_endpoints", "backup", "*", "private_dns_zone_ids", "*"): _ID + "Microsoft.Network/privateDnsZones/{name}",
    ("private_endpoints", "vault", "subnet_id"): PLACEHOLDERS["subnet"].format("{name}"),
    ("private_endpoints", "vault", "private_dns_zone_ids", "*"): _ID + "Microsoft.Network/privateDnsZones/{name}",
}
"""The estate ids whose Outputs stand in the plan as a placeholder of the right shape, one per path (a name is a
hash of the path: the backup storage's resource name is made of its account's, so it is stable), and reach the
resources through :meth:`EstateInputs.resolve`."""


def _stand_in(shape: tuple[str, ...], path: tuple[str, ...], media_account: str | None) -> str:
    """The media's account stands in as the account mediaUri names (the model checks they agree)."""
    name = "out" + hashlib.sha256(".".join(path).encode()).hexdigest()[:12]
    if shape == ("software", "storage_account_id") and media_account is not None:
        name = media_account
    return STANDS_IN[shape].format(site=path[1] if shape[0] == "sites" else "", name=name)


def _media_account(args: PersistentChatArgs) -> str | None:
    """The storage account software.mediaUri names, when it is a blob URL."""
    uri = args.get("software", {}).get("media_uri")
    found = BLOB_URL.fullmatch(uri) if isinstance(uri, str) else None
    return found["account"] if found else None


OUTPUT_PATHS = frozenset(
    {
        ("sites", "*", "dns_servers"),
        ("sites", "*", "existing_network", "pchat_subnet_id"),
        ("sites", "*", "existing_network", "sql_subnet_id"),
        ("sites", "*", "hub_virtual_network_id"),
        ("sites", "*", "route_table_id"),
        ("key_vault_id",),
        ("diagnostics", "workspace_resource_id"),
        *STANDS_IN,
    }
)
"""Where an arg may be an Output of the larger stack (``pulumi.Input`` in the args); the rest is plain."""
_SITE = {"dns_servers": ("dns", ()), "hub_virtual_network_id": ("hubs", PLACEHOLDERS["hub"]),
         "route_table_id": ("routes", PLACEHOLDERS["routes"])}  # fmt: skip


class _Estate:
    """The Outputs found in the args, by what they stand for."""

    def __init__(self, media_account: str | None = None) -> None:
        self.media_account = media_account
        self.dns: dict[str, pulumi.Input[Any]] = {}
        self.subnets: dict[str, dict[str, pulumi.Input[str]]] = {}
        self.hubs: dict[str, pulumi.Input[str]] = {}
        self.routes: dict[str, pulumi.Input[str]] = {}
        self.vault: pulumi.Input[str] | None = None
        self.workspace: pulumi.Input[str] | None = None
        self.outputs: dict[str, pulumi.Input[str]] = {}

    def take(self, path: tuple[str, ...], value: pulumi.Output[Any]) -> Any:
        """Keep ``value``, an Output at ``path`` (snake_case keys), and return its placeholder."""
        shape = _shape(path)
        if shape not in OUTPUT_PATHS:
            raise TopologyConfigError(
                f"{'.'.join(path)}: shapes the topology, so it must be known when the program runs, not an output "
                "of another resource"
            )
        if shape in STANDS_IN:
            stand_in = _stand_in(shape, path, self.media_account)
            self.outputs[stand_in] = value
            return stand_in
        if shape[-1].endswith("_subnet_id"):
            kind = shape[-1].removesuffix("_subnet_id")
            self.subnets.setdefault(path[1], {})[kind] = value
            return PLACEHOLDERS["subnet"].format(kind)
        if shape[0] == "sites":
            store, placeholder = _SITE[shape[2]]
            getattr(self, store)[path[1]] = value
            return placeholder
        if shape == ("key_vault_id",):
            self.vault = value
            return PLACEHOLDERS["vault"]
        self.workspace = value
        return PLACEHOLDERS["workspace"]

    def inputs(self) -> EstateInputs:
        return EstateInputs(
            dns_servers=self.dns, subnet_ids=self.subnets, hub_virtual_network_ids=self.hubs,
            route_table_ids=self.routes, key_vault_id=self.vault, diagnostics_workspace_id=self.workspace,
            outputs=self.outputs,
        )  # fmt: skip


def _holds_output(value: Any) -> bool:
    if isinstance(value, pulumi.Output):
        return True
    if isinstance(value, dict):
        return any(_holds_output(v) for v in value.values())
    return isinstance(value, list) and any(_holds_output(v) for v in value)


_KEYED = {("sites",): 1, ("pools",): 1, ("private_endpoints", "backup"): 2}
"""Maps by key: where a path names an entry (a site, a pool, a site's backup endpoint)."""


def _shape(path: tuple[str, ...]) -> tuple[str, ...]:
    """A path with its map keys and list indices generalized: ``sites.dublin.x`` -> ``sites.*.x``,
    ``privateEndpoints.vault.privateDnsZoneIds.0`` -> ``...privateDnsZoneIds.*``."""
    parts = list(path)
    for prefix, at in _KEYED.items():
        if tuple(parts[:at]) == prefix and len(parts) > at + 1:
            parts[at] = "*"
    if len(parts) > 1 and parts[-2] == "private_dns_zone_ids":
        parts[-1] = "*"
    return tuple(parts)


def _plain(value: Any, path: str, estate: _Estate) -> Any:
    """The value with enums as strings; an Output where the schema allows one becomes a placeholder (and
    an estate input); anywhere else it is refused: the topology must be known before anything exists."""
    where = tuple(path.split("."))
    if isinstance(value, pulumi.Output) or (_holds_output(value) and _shape(where) in OUTPUT_PATHS):
        return estate.take(where, pulumi.Output.from_input(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v, f"{path}.{k}", estate) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{path}.{i}", estate) for i, v in enumerate(value)]
    return value
