"""The whole Persistent Chat deployment of a stack, from a validated plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations

import pulumi
from pulumi_azure_native import network

from lync_pchat.model import Plan, arm
from lync_pchat.model.config import SitePeering
from lync_pchat.model.firewall import subnet_rules

from .backup import BackupStorage, BackupStorageArgs, BackupTarget
from .claims import claim
from .common import SHARED, Component, child, tags
from .estate import EstateInputs
from .monitoring import Monitoring, MonitoringArgs
from .patching import PatchWaves, PatchWavesArgs
from .pool import PersistentChatPool, PoolArgs
from .secret_store import SecretStore, SecretStoreArgs
from .site_network import SUBNETS, SiteNetwork, SiteNetworkArgs
from .store_group import StoreGroup, StoreGroupArgs
from .vault_provider import vault_provider

MESH = SitePeering.MESH.value


@dataclass(frozen=True)
class DeploymentArgs:
    """Inputs of :class:`PersistentChatDeployment`."""

    plan: Plan
    """The validated topology (``lync_pchat.model.plan_topology``)."""
    name_prefix: str = "pchat"
    """Prefix of the Azure resource names, e.g. ``pchat-prod``."""
    admin_password: pulumi.Input[str] | None = None
    domain_join_password: pulumi.Input[str] | None = None
    setup_password: pulumi.Input[str] | None = None
    """The password of ``software.setupUser``, a secret; needed when the topology installs Lync."""
    estate: EstateInputs = field(default_factory=EstateInputs)
    """Outputs of a larger stack that stand in for the plan's ids, DNS servers and workspace."""


class PersistentChatDeployment(Component):
    """Children: a :class:`SiteNetwork` per site, virtual network peerings in both directions between
    the sites whose networks it creates, a :class:`StoreGroup` per site holding stores (SQL Server VMs,
    and the vault in the home site, the first pool's, unless an existing vault is used), a
    :class:`PersistentChatPool` per pool and a :class:`SecretStore` with every administrator password.

    Outputs: ``pools`` (key -> FQDN), ``servers`` (key -> role, site, FQDN, address, VM, principal, NIC
    and NSG ids), ``stores`` (pool -> database -> instances), ``sites`` (key -> resource groups, network,
    subnet and NSG ids),
    ``vault_id``, ``vault_uri``, ``password_secret_ids`` (server -> secret id).
    """

    pools: dict[str, str]
    servers: dict[str, dict[str, pulumi.Input[str]]]
    stores: dict[str, dict[str, dict[str, str | None]]]
    sites: dict[str, dict[str, pulumi.Input[object]]]
    vault_id: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    password_secret_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: DeploymentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("PersistentChatDeployment", name, opts)
        plan = args.plan
        claim(
            name,
            [f"pool {pool.key}" for pool in plan.pools]
            + [f"computer {server.computer_name}" for server in plan.servers]
            + [
                f"resource group {site.resource_groups[0] or f'rg-{args.name_prefix}-{site.key}'}"
                for site in plan.sites
                if not args.estate.given(site.resource_groups[0])  # an Output's name is not known yet
            ],
        )
        networks = self._networks(name, args)
        stores = self._store_groups(name, args)
        targets = self._backup_storage(name, args, stores, networks)
        pools = [
            PersistentChatPool(
                pool.key,
                PoolArgs(pool=pool, plan=plan, networks=networks, stores=stores, admin_password=args.admin_password,
                         domain_join_password=args.domain_join_password, setup_password=args.setup_password,
                         backup_targets=targets.get(pool.key, {}), estate=args.estate),
                opts=child(self),
            )
            for pool in plan.pools
        ]  # fmt: skip
        vms = {k: vm for p in pools for k, vm in p.vms.items()}
        monitoring = None
        if plan.monitoring is not None:
            first = plan.site(plan.pools[0].site)  # the home site, as the vault's: stable when sites are added
            monitoring = Monitoring(
                f"{name}-monitoring",
                MonitoringArgs(
                    plan=plan, monitoring=plan.monitoring, vms=vms, site=first.key, location=first.region,
                    resource_group_name=networks[first.key].resource_group_name,
                    workspace_id=args.estate.diagnostics_workspace_id or plan.diagnostics_workspace_id,
                    name_prefix=args.name_prefix, tags=dict(plan.tags),
                    action_group_id=args.estate.resolve(plan.monitoring.action_group_id),
                ),
                opts=child(self),
            )  # fmt: skip
        if plan.patching is not None:
            PatchWaves(
                f"{name}-patching",
                PatchWavesArgs(
                    plan=plan, patching=plan.patching, vms=vms,
                    resource_groups={key: net.resource_group_name for key, net in networks.items()},
                    name_prefix=args.name_prefix, tags=dict(plan.tags),
                ),
                opts=child(self),
            )  # fmt: skip
        vault = self._vault(
            name,
            args,
            stores,
            {f"{k}-admin-password": pw for p in pools for k, pw in p.passwords.items()},
            monitoring.workspace_id if monitoring is not None else None,
        )
        self.pools = {pool.key: pool.fqdn for pool in plan.pools}
        self.servers = {key: value for p in pools for key, value in p.servers.items()}
        self.stores = {
            pool.key: {store.database: store.instance_names() for store in pool.stores} for pool in plan.pools
        }
        self.sites = {
            key: {
                "resourceGroupName": net.resource_group_name,
                "dataResourceGroupName": stores[key].resource_group_name if key in stores else None,
                "vnetId": net.vnet_id,
                "pchatSubnetId": net.subnet_ids["pchat"],
                "sqlSubnetId": net.subnet_ids["sql"],
                "pchatNsgId": net.nsg_ids["pchat"],
                "sqlNsgId": net.nsg_ids["sql"],
            }
            for key, net in networks.items()
        }
        self.vault_id, self.vault_uri = vault.vault_id, vault.vault_uri
        self.password_secret_ids = vault.secret_ids
        self.register_outputs({
            "pools": self.pools, "servers": self.servers, "stores": self.stores, "sites": self.sites,
            "vaultId": self.vault_id, "vaultUri": self.vault_uri,
        })  # fmt: skip

    def _networks(self, name: str, args: DeploymentArgs) -> dict[str, SiteNetwork]:
        plan, estate = args.plan, args.estate
        networks = {
            site.key: SiteNetwork(
                f"{name}-{site.key}",
                SiteNetworkArgs(
                    site=site,
                    rules={s: subnet_rules(plan, site.key, s) for s in SUBNETS},
                    name_prefix=args.name_prefix,
                    tags=dict(plan.tags),
                    diagnostics_workspace_id=estate.diagnostics_workspace_id or plan.diagnostics_workspace_id,
                    dns_servers=estate.dns_servers.get(site.key),
                    existing_subnet_ids=estate.subnet_ids.get(site.key),
                    hub_virtual_network_id=estate.hub_virtual_network_ids.get(site.key),
                    route_table_id=estate.route_table_ids.get(site.key),
                    storage_endpoint_subnets=tuple(
                        sorted({"sql", *(s for at, s in _backup_subnets(plan).get(site.key, ()) if at == site.key)})
                    ),
                    resource_group_name=estate.resolve(site.resource_groups[0]),
                ),
                opts=child(self),
            )
            for site in plan.sites
        }
        created = {key: net for key, net in networks.items() if net.vnet_id is not None}
        if plan.site_peering != MESH:
            return networks
        for a, b in permutations(created, 2):
            network.VirtualNetworkPeering(
                f"{name}-{a}-to-{b}",
                resource_group_name=created[a].resource_group_name,
                virtual_network_name=created[a].vnet_name,
                virtual_network_peering_name=f"peer-{a}-to-{b}",
                remote_virtual_network=network.SubResourceArgs(id=created[b].vnet_id),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                opts=child(self),
            )
        return networks

    def _store_groups(self, name: str, args: DeploymentArgs) -> dict[str, StoreGroup]:
        """A data group in every site with a SQL Server, and in the home site for the vault it creates."""
        plan = args.plan
        stateful = {server.site for server in plan.servers if server.role.is_sql}
        stateful |= {site for site, account_id in _backup_storages(plan).values() if account_id is None}
        if not _external_vault(args):
            stateful.add(plan.pools[0].site)
        return {
            site.key: StoreGroup(
                f"{name}-{site.key}-data",
                StoreGroupArgs(
                    site=site.key,
                    region=site.region,
                    name_prefix=args.name_prefix,
                    lock=plan.lock_stores,
                    protect=plan.protect_stateful_resources,
                    tags=tags(dict(plan.tags), pool=SHARED, site=site.key, role="data"),
                    existing=args.estate.resolve(site.resource_groups[1]),
                ),
                opts=child(self),
            )
            for site in plan.sites
            if site.key in stateful
        }

    def _backup_storage(
        self, name: str, args: DeploymentArgs, stores: dict[str, StoreGroup], networks: dict[str, SiteNetwork]
    ) -> dict[str, dict[str, BackupTarget]]:
        """Pool key -> site -> backup container: the project's account in each site holding a store it backs up
        (in the site's data group), or the pool's own ``backup.storageAccountId``."""
        plan = args.plan
        built = {
            key: BackupStorage(
                f"{name}-{site}-backup" if account_id is None else f"{name}-backup-{arm.name_of(account_id)}",
                BackupStorageArgs(
                    location=plan.site(site).region,
                    resource_group_name=stores[site].resource_group_name if account_id is None else None,
                    existing_account_id=args.estate.resolve(account_id),
                    protect=plan.protect_stateful_resources,
                    tags=tags(dict(plan.tags), pool=SHARED, site=site, role="backup"),
                    immutable_days=_immutable_days(plan, key),
                    allowed_subnet_ids=[networks[at].subnet_ids[s] for at, s in _backup_subnets(plan).get(site, ())],
                    private_endpoint=args.estate.endpoint(plan.private_endpoints.backup.get(site)),
                    private_endpoint_name=f"pep-{args.name_prefix}-{site}-backup",
                ),
                opts=child(self),
            )
            for key, (site, account_id) in _backup_storages(plan).items()
        }
        return {
            pool.key: {
                plan.server(h.server).site: built[pool.backup.storage_account_id or plan.server(h.server).site].target
                for h in pool.backup.hosts
            }
            for pool in plan.pools
            if pool.backup is not None
        }

    def _vault(
        self,
        name: str,
        args: DeploymentArgs,
        stores: dict[str, StoreGroup],
        secrets: dict[str, pulumi.Output[str]],
        monitoring_workspace: pulumi.Output[str] | None,
    ) -> SecretStore:
        """The vault of the passwords; its audit log (every secret read, ``AuditEvent``) goes to the diagnostics
        workspace, else to the monitoring workspace: reads of the passwords are audited by default."""
        plan = args.plan
        home = plan.site(plan.pools[0].site)
        existing = args.estate.key_vault_id or plan.key_vault_id
        provider = args.estate.key_vault_provider
        if existing is not None and provider is None:
            provider = vault_provider(name, existing, self)
        return SecretStore(
            f"{name}-secrets",
            SecretStoreArgs(
                resource_group_name=None if existing else stores[home.key].resource_group_name,
                location=home.region,
                secrets=secrets,
                protect=plan.protect_stateful_resources,
                tags=tags(dict(plan.tags), pool=SHARED, site=home.key, role="secrets"),
                expiry_days=plan.secret_expiry_days,
                not_after=plan.secrets_not_after,
                diagnostics_workspace_id=(
                    args.estate.diagnostics_workspace_id or plan.diagnostics_workspace_id or monitoring_workspace
                ),
                existing_vault_id=existing,
                readers=plan.secret_readers,
                provider=provider,
                private_endpoint=args.estate.endpoint(plan.private_endpoints.vault) if existing is None else None,
                private_endpoint_name=f"pep-{args.name_prefix}-vault",
            ),
            opts=child(self),
        )


def _backup_storages(plan: Plan) -> dict[str, tuple[str, str | None]]:
    """Where the backups go, by key: a site key -> (that site, None) for the project's account in a site holding a
    store it backs up; your account id (``backup.storageAccountId``) -> (the site of its first store, the id)."""
    found: dict[str, tuple[str, str | None]] = {}
    for pool in plan.pools:
        backups = pool.backup
        if backups is None:
            continue
        for host in backups.hosts:
            site, account_id = plan.server(host.server).site, backups.storage_account_id
            found.setdefault(account_id or site, (site, account_id))
    return found


def _immutable_days(plan: Plan, key: str) -> int:
    """The shortest ``retentionDays`` of the pools whose backups land in the storage ``key`` of
    :func:`_backup_storages`: each pool's pruning can delete what its retention lets go."""
    return min(
        pool.backup.retention_days
        for pool in plan.pools
        if pool.backup is not None
        for host in pool.backup.hosts
        if (pool.backup.storage_account_id or plan.server(host.server).site) == key
    )


def _backup_subnets(plan: Plan) -> dict[str, tuple[tuple[str, str], ...]]:
    """Site key -> the subnets of the servers that reach the project's account in that site: the servers that back
    up to it, and every other backup host of their pools, which reads it to restore (docs/backups.md)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for pool in plan.pools:
        if pool.backup is None or pool.backup.storage_account_id is not None:
            continue
        servers = [plan.server(host.server) for host in pool.backup.hosts]
        for site in {server.site for server in servers}:
            found.setdefault(site, set()).update((server.site, server.subnet) for server in servers)
    return {site: tuple(sorted(subnets)) for site, subnets in found.items()}


def _external_vault(args: DeploymentArgs) -> bool:
    return args.estate.key_vault_id is not None or args.plan.key_vault_id is not None
