"""A Persistent Chat pool: its servers in both sites and its dedicated SQL Servers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pulumi
import pulumi_random as random
import pulumiverse_time
from pulumi_azure_native import compute

from lync_pchat import bootstrap, install
from lync_pchat.model import Plan, PoolPlan, ServerPlan
from lync_pchat.model.plan import Software

from .backup import BackupTarget, PoolBackup, PoolBackupArgs
from .common import Component, child, tags
from .estate import EstateInputs
from .lync_install import RESTART_WAIT, LyncInstall, LyncInstallArgs
from .password_reset import reset_password
from .patching import scheduled_patching
from .server_handle import ServerHandle
from .site_network import SiteNetwork
from .sql_server import SqlServer, SqlServerArgs
from .store_group import StoreGroup
from .windows_server import WindowsServer, WindowsServerArgs

FAULT_DOMAINS, UPDATE_DOMAINS = 2, 5
PASSWORD_LENGTH = 24


@dataclass(frozen=True)
class PoolArgs:
    """Inputs of :class:`PersistentChatPool`."""

    pool: PoolPlan
    plan: Plan
    networks: Mapping[str, SiteNetwork]
    """The site networks by site key; every site of the pool must be there."""
    stores: Mapping[str, StoreGroup]
    """The data resource groups by site key: every site with a SQL Server of the pool must be there.
    The SQL Servers and their availability set go there; the pool servers stay in the site group."""
    admin_password: pulumi.Input[str] | None = None
    """One password for every server; by default each server gets its own random one."""
    domain_join_password: pulumi.Input[str] | None = None
    setup_password: pulumi.Input[str] | None = None
    """The password of ``software.setupUser`` (a secret), for the install phase."""
    backup_targets: Mapping[str, BackupTarget] = field(default_factory=dict)
    """The backup container of each site holding the pool's stores, when the pool backs them up."""
    estate: EstateInputs = field(default_factory=EstateInputs)
    """Outputs of a larger stack that stand for the plan's identity and media storage account ids."""


@dataclass
class _Tier:
    """The availability set of the pool servers or SQL Servers of one site, made on first use."""

    sets: dict[tuple[str, str], compute.AvailabilitySet] = field(default_factory=dict)


class PersistentChatPool(Component):
    """Children: an availability set per site and tier (pool servers, SQL Servers), a random
    password per server unless one is given, a :class:`WindowsServer` per pool server and a
    :class:`SqlServer` per dedicated SQL role, each with a VMAccess extension that keeps its administrator's password
    the vault's, a :class:`PoolBackup` when the pool backs up its stores and, with the install phase, a
    :class:`LyncInstall` (which arms log shipping on the backup store of a pool with a standby site). No VM
    depends on another VM. The SQL tier lives in the site's data resource group, the pool servers in the site
    group.

    Outputs: ``fqdn``, ``servers`` (key -> role, site, fqdn, address and the ids of its VM, identity, NIC
    and NSG), ``passwords`` (key -> secret); ``vms`` (key -> :class:`ServerHandle`, ready after its last extension)
    for the operations components.
    """

    fqdn: pulumi.Output[str]
    servers: dict[str, dict[str, pulumi.Input[str]]]
    passwords: dict[str, pulumi.Output[str]]
    vms: dict[str, ServerHandle]

    def __init__(self, name: str, args: PoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("PersistentChatPool", name, opts)
        self._args = args
        self._sets = _Tier()
        self.passwords = {}
        self.handles: dict[str, ServerHandle] = {}
        built = {server.key: self._server(server) for server in args.pool.servers}
        if args.pool.backup is not None and args.pool.backup.hosts:
            PoolBackup(
                f"{args.pool.key}-backup",
                PoolBackupArgs(args.pool.backup, self.handles, args.backup_targets, dict(args.plan.tags)),
                opts=child(self),
            )  # fmt: skip
        self.vms = {s.key: replace(self.handles[s.key], ready=built[s.key].ready) for s in args.pool.servers}
        if args.plan.software is not None:
            self._install(args, args.plan.software, built)
        self.fqdn = pulumi.Output.from_input(args.pool.fqdn)
        self.servers = {s.key: {**self._describe(s), **_ids(built[s.key])} for s in args.pool.servers}
        self.register_outputs({"fqdn": self.fqdn, "servers": self.servers})

    def _describe(self, server: ServerPlan) -> dict[str, pulumi.Input[str]]:
        nsg = self._args.networks[server.site].nsg_ids[server.subnet]
        return {"role": server.role.value, "site": server.site, "fqdn": server.fqdn, "address": server.private_ip,
                "nsgId": nsg}  # fmt: skip

    def _server(self, server: ServerPlan) -> WindowsServer | SqlServer:
        args, plan = self._args, self._args.plan
        password = (
            args.admin_password
            or random.RandomPassword(
                f"{server.key}-admin-password",
                length=PASSWORD_LENGTH,
                special=True,
                min_lower=1,
                min_upper=1,
                min_numeric=1,
                min_special=1,
                override_special="!#%*-_+=?",
                opts=child(self),
            ).result
        )
        self.passwords[server.key] = pulumi.Output.secret(password)
        network = args.networks[server.site]
        spec = WindowsServerArgs(
            server=server,
            resource_group_name=self._resource_group(server),
            subnet_id=network.subnet_ids[server.subnet],
            nsg_id=network.nsg_ids[server.subnet] if network.nsgs_on_nics else None,
            admin_username=plan.admin_username,
            admin_password=pulumi.Output.secret(password),
            bootstrap_command=bootstrap.command(server, plan),
            domain=plan.domain,
            domain_join=plan.domain_join,
            domain_join_password=args.domain_join_password,
            availability_set_id=self._availability_set(server).id if server.zone is None else None,
            encryption_at_host=plan.encryption_at_host,
            patch_settings=scheduled_patching() if plan.patching is not None else None,
            user_assigned_identity_id=args.estate.resolve(plan.user_assigned_identity_id),
            protect=plan.protect_stateful_resources,
            tags=tags(dict(plan.tags), pool=server.pool, site=server.site, role=server.role),
            license_type=plan.license_type,
            boot_diagnostics=plan.boot_diagnostics,
        )
        options = child(self)
        built = (
            SqlServer(server.key, SqlServerArgs(vm=spec, license_type=plan.sql_license_type), opts=options)
            if server.role.is_sql
            else WindowsServer(server.key, spec, opts=options)
        )
        handle = ServerHandle(
            server,
            built.vm_id,
            built.vm_name,
            built.principal_id,
            spec.resource_group_name,
            self._settled(server, built),
        )
        self.handles[server.key] = handle
        reset_password(
            self, server.key, vm_name=built.vm_name, resource_group_name=spec.resource_group_name,
            location=server.region, username=plan.admin_username, password=spec.admin_password, after=handle.ready,
            tags=dict(spec.tags),
        )  # fmt: skip
        return built

    def _settled(self, server: ServerPlan, built: WindowsServer | SqlServer) -> pulumi.Resource:
        """What follows the server's bootstrap: the bootstrap itself, or a wait for the restart it schedules one
        minute after it ends when its features need one (a Standard Edition server), as the install phase waits."""
        if not set(server.windows_features) & install.RESTART_FEATURES:
            return built.ready
        return pulumiverse_time.Sleep(
            f"{server.key}-bootstrap-restart", create_duration=RESTART_WAIT, opts=child(self, depends_on=[built.ready])
        )

    def _install(self, args: PoolArgs, software: Software, built: dict[str, WindowsServer | SqlServer]) -> None:
        """The install phase: Lync Server 2013 on the pool's servers (``software.install``)."""
        if args.setup_password is None:
            raise ValueError("software.install needs the setup password (pchat:setupPassword)")
        servers = {s.key: self.vms[s.key] for s in args.pool.pool_servers}
        backup_store = args.pool.mgc.backup
        LyncInstall(
            f"{args.pool.key}-install",
            LyncInstallArgs(
                pool=args.pool, plan=args.plan, software=software, servers=servers,
                sql_ready=[built[s.key].ready for s in args.pool.sql_servers], setup_password=args.setup_password,
                tags=tags(dict(args.plan.tags), pool=args.pool.key, site=args.pool.site, role="install"),
                storage_account_id=args.estate.resolve(software.storage_account_id),
                sql_servers={s.key: self.handles[s.key] for s in args.pool.sql_servers},
                shipping_host=(
                    self.handles[backup_store.server]
                    if backup_store is not None and backup_store.server is not None
                    else None
                ),
            ),
            opts=child(self),
        )  # fmt: skip

    def _availability_set(self, server: ServerPlan) -> compute.AvailabilitySet:
        key = (server.site, server.subnet)
        if key not in self._sets.sets:
            pool, plan = self._args.pool, self._args.plan
            name = f"{pool.key}-{server.site}-{server.subnet}"
            self._sets.sets[key] = compute.AvailabilitySet(
                f"{name}-avset",
                resource_group_name=self._resource_group(server),
                location=server.region,
                availability_set_name=f"avail-{name}",
                platform_fault_domain_count=FAULT_DOMAINS,
                platform_update_domain_count=UPDATE_DOMAINS,
                sku=compute.SkuArgs(name="Aligned"),
                tags=tags(dict(plan.tags), pool=pool.key, site=server.site, role=f"{server.subnet}-servers"),
                opts=child(self),
            )
        return self._sets.sets[key]

    def _resource_group(self, server: ServerPlan) -> pulumi.Output[str]:
        """The site's data group for a SQL Server, the site group for a pool server."""
        if server.role.is_sql:
            return self._args.stores[server.site].resource_group_name
        return self._args.networks[server.site].resource_group_name


def _ids(server: WindowsServer | SqlServer) -> dict[str, pulumi.Input[str]]:
    """The Azure ids of a server a platform wires to (monitoring, backup, role assignments)."""
    return {"vmId": server.vm_id, "principalId": server.principal_id, "nicId": server.nic_id}
