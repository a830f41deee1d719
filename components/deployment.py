"""The whole Persistent Chat deployment of a stack, from a validated plan."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import pulumi
from pulumi_azure_native import network

from ..model import Plan
from ..model.firewall import subnet_rules
from .claims import claim
from .common import SHARED, Component, child, tags
from .pool import PersistentChatPool, PoolArgs
from .secret_store import SecretStore, SecretStoreArgs
from .site_network import SUBNETS, SiteNetwork, SiteNetworkArgs
from .store_group import StoreGroup, StoreGroupArgs


@dataclass(frozen=True)
class DeploymentArgs:
    """Inputs of :class:`PersistentChatDeployment`."""

    plan: Plan
    """The validated topology (``lync_pchat.model.plan_topology``)."""
    name_prefix: str = "pchat"
    """Prefix of the Azure resource names, e.g. ``pchat-prod``."""
    admin_password: pulumi.Input[str] | None = None
    domain_join_password: pulumi.Input[str] | None = None


class PersistentChatDeployment(Component):
    """Children: a :class:`SiteNetwork` per site, virtual network peerings in both directions
    between sites, a :class:`StoreGroup` per site holding stores (SQL Server VMs, or the vault in the
    home site: the first pool's), a :class:`PersistentChatPool` per pool and a :class:`SecretStore`
    with every administrator password.

    Outputs: ``pools`` (key -> FQDN), ``servers`` (key -> role, site, FQDN, address), ``stores``
    (pool -> database -> instances), ``vault_uri``, ``password_secret_ids`` (server -> secret id).
    """

    pools: dict[str, str]
    servers: dict[str, dict[str, str]]
    stores: dict[str, dict[str, dict[str, str | None]]]
    vault_uri: pulumi.Output[str]
    password_secret_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: DeploymentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("PersistentChatDeployment", name, opts)
        plan = args.plan
        claim(
            name,
            [f"pool {pool.key}" for pool in plan.pools]
            + [f"computer {server.computer_name}" for server in plan.servers]
            + [f"resource group rg-{args.name_prefix}-{site.key}" for site in plan.sites],
        )
        networks = {
            site.key: SiteNetwork(
                f"{name}-{site.key}",
                SiteNetworkArgs(
                    site=site,
                    rules={s: subnet_rules(plan, site.key, s) for s in SUBNETS},
                    name_prefix=args.name_prefix,
                    tags=dict(plan.tags),
                    diagnostics_workspace_id=plan.diagnostics_workspace_id,
                ),
                opts=child(self),
            )
            for site in plan.sites
        }
        for a, b in permutations(networks, 2):
            network.VirtualNetworkPeering(
                f"{name}-{a}-to-{b}",
                resource_group_name=networks[a].resource_group_name,
                virtual_network_name=networks[a].vnet_name,
                virtual_network_peering_name=f"peer-{a}-to-{b}",
                remote_virtual_network=network.SubResourceArgs(id=networks[b].vnet_id),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                opts=child(self),
            )
        home = plan.site(plan.pools[0].site)
        stateful = {server.site for server in plan.servers if server.role.is_sql} | {home.key}
        stores = {
            site.key: StoreGroup(
                f"{name}-{site.key}-data",
                StoreGroupArgs(
                    site=site.key,
                    region=site.region,
                    name_prefix=args.name_prefix,
                    lock=plan.lock_stores,
                    protect=plan.protect_stateful_resources,
                    tags=tags(dict(plan.tags), pool=SHARED, site=site.key, role="data"),
                ),
                opts=child(self),
            )
            for site in plan.sites
            if site.key in stateful
        }
        pools = [
            PersistentChatPool(
                pool.key,
                PoolArgs(
                    pool=pool,
                    plan=plan,
                    networks=networks,
                    stores=stores,
                    admin_password=args.admin_password,
                    domain_join_password=args.domain_join_password,
                ),
                opts=child(self),
            )
            for pool in plan.pools
        ]
        vault = SecretStore(
            f"{name}-secrets",
            SecretStoreArgs(
                resource_group_name=stores[home.key].resource_group_name,
                location=home.region,
                secrets={f"{key}-admin-password": pw for p in pools for key, pw in p.passwords.items()},
                protect=plan.protect_stateful_resources,
                tags=tags(dict(plan.tags), pool=SHARED, site=home.key, role="secrets"),
                expiry_days=plan.secret_expiry_days,
                not_after=plan.secrets_not_after,
                diagnostics_workspace_id=plan.diagnostics_workspace_id,
            ),
            opts=child(self),
        )
        self.pools = {pool.key: pool.fqdn for pool in plan.pools}
        self.servers = {key: value for p in pools for key, value in p.servers.items()}
        self.stores = {
            pool.key: {store.database: store.instance_names() for store in pool.stores} for pool in plan.pools
        }
        self.vault_uri = vault.vault_uri
        self.password_secret_ids = vault.secret_ids
        self.register_outputs(
            {"pools": self.pools, "servers": self.servers, "stores": self.stores, "vaultUri": self.vault_uri}
        )
