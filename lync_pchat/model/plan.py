"""The immutable plan a validated topology yields: what the components wire up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from pydantic.alias_generators import to_camel

from .catalog import Image
from .chat import AddInPlan, CategoryPlan
from .config import Edition, Hardware, MonitoringConfig, PatchingConfig, PrivateEndpointsConfig, StretchedLayout
from .products import Product
from .roles import Role

if TYPE_CHECKING:
    from .backup import BackupPlan

MGC, MGCCOMP = "mgc", "mgccomp"
"""PersistentChatStore and PersistentChatComplianceStore databases
[L:lync-server-2013-persistent-chat-database-schema]."""
DATABASE_TYPE = {MGC: "PersistentChat", MGCCOMP: "PersistentChatCompliance"}
"""``-DatabaseType`` of each database in the Install-/Invoke-CsDatabase* cmdlets [PS:Install-CsDatabase]."""


@dataclass(frozen=True)
class DiskPlan:
    """A managed data disk and the NTFS volume formatted on it."""

    name: str
    lun: int
    size_gb: int
    drive_letter: str
    label: str
    allocation_unit_kb: int


@dataclass(frozen=True)
class SqlFolders:
    """Where a SQL Server VM keeps its files, each on its own volume: the one definition that the VM's
    bootstrap creates and grants and that the runbooks hand to ``Install-CsDatabase -DatabasePaths``."""

    data: str
    log: str
    temp_db: str
    backup: str


@dataclass(frozen=True)
class ServerPlan:
    """One Windows VM: a Persistent Chat server or a dedicated SQL Server."""

    key: str
    computer_name: str
    fqdn: str
    pool: str
    site: str
    region: str
    role: Role
    ordinal: int
    vm_size: str
    private_ip: str
    image: Image
    disks: tuple[DiskPlan, ...]
    time_zone: str
    windows_features: tuple[str, ...] = ()
    databases: tuple[str, ...] = ()
    sql_folders: SqlFolders | None = None
    """Set on the dedicated SQL Server VMs."""
    zone: str | None = None
    """The availability zone of the VM and its disks when its site spreads over zones; None: an availability set."""

    @property
    def subnet(self) -> str:
        return "sql" if self.role.is_sql else "pchat"


@dataclass(frozen=True)
class SqlInstance:
    """A SQL Server instance, provisioned here (``server`` set) or existing."""

    fqdn: str
    instance: str | None = None
    server: str | None = None

    @property
    def name(self) -> str:
        """``fqdn`` or ``fqdn\\instance``, as Topology Builder and connection strings take it."""
        return f"{self.fqdn}\\{self.instance}" if self.instance else self.fqdn


@dataclass(frozen=True)
class FileShare:
    """An SMB share on the backup volume of a SQL Server VM this project provisions, which its
    bootstrap creates. Every SQL Server of the pool reaches it as :attr:`unc`."""

    host: str
    """:attr:`ServerPlan.key` of the server that hosts the share."""
    fqdn: str
    name: str
    path: str
    """The shared folder, local to :attr:`host`."""
    computers: tuple[str, ...] = ()
    """Computer names of the servers whose computer accounts (``DOMAIN\\NAME$``, what SQL Server and the
    Lync services present on the network) may read and write it; local Administrators always may."""

    @property
    def unc(self) -> str:
        return f"\\\\{self.fqdn}\\{self.name}"

    def seen_from(self, server: str | None) -> str:
        """The folder as ``server`` (a server key; None for an existing instance) names it:
        the local path on the host, the UNC path anywhere else."""
        return self.path if server == self.host else self.unc


@dataclass(frozen=True)
class LogShipping:
    """Log shipping of one database to its backup store, in the standby site.

    Both shares are on the database's backup store server (``mgc`` on the backup store,
    ``mgccomp`` on the compliance backup store), on its backup volume:

    - ``backup``, where the primary writes its transaction-log backups. Failover assumes the
      primary data center is completely down (primary database, mirror and Front End) and then
      copies the log backups not copied yet *from the backup share*
      [L:lync-server-2013-failing-over-persistent-chat-server] step 2, so the share cannot be in
      the primary site. Log shipping continues from the primary's mirror after a database
      failover [L:lync-server-2013-set-up-log-shipping-secondary-database], so the principal and
      the mirror both write to it, and the failed-over backup database writes its failback backup
      to it [L:lync-server-2013-failing-back-persistent-chat-server] step 3: every SQL Server of
      the pool in both sites reads and writes it, and it is not the file store
      [L:lync-server-2013-required-resources-for-persistent-chat-server] item 5. The backup store
      is the one server that every one of those steps needs up anyway. The price: the primary
      writes its log backups across the site link, so a link outage fails the backup job (the
      log keeps growing until the link is back; nothing is lost), and the primary names the
      share by its network path, which the documented setup allows only when SQL Server does not
      run as Local System
      [L:lync-server-2013-setting-up-sql-server-log-shipping-for-the-persistent-chat-server-primary-database].
    - ``copy``, the destination of the copy job: "a destination share on the secondary DB
      server for the copied logs" (item 6).
    """

    backup: FileShare
    copy: FileShare


@dataclass(frozen=True)
class StorePlan:
    """Where one database lives, with its mirror, witness and log-shipping copies, and the file
    shares its mirroring and log shipping use."""

    database: str
    primary: SqlInstance
    mirror: SqlInstance | None = None
    witness: SqlInstance | None = None
    backup: SqlInstance | None = None
    backup_mirror: SqlInstance | None = None
    backup_witness: SqlInstance | None = None
    log_shipping: LogShipping | None = None
    """Set when the database has a backup store (the pool has a standby site)."""

    INSTANCE_ROLES = ("primary", "mirror", "witness", "backup", "backup_mirror", "backup_witness")

    def instance_names(self) -> dict[str, str | None]:
        """Each instance role (camelCase, as stack outputs name it) -> the instance's name, or None where the
        role is not planned."""
        instances = {role: getattr(self, role) for role in self.INSTANCE_ROLES}
        return {to_camel(role): instance.name if instance else None for role, instance in instances.items()}

    mirror_share: FileShare | None = None
    """The share ``Install-CsMirrorDatabase -FileShare`` takes to set up the mirror, set when the
    database is mirrored: on the principal, whose SQL Server writes the backups the mirror
    restores [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability].
    Only the mirror setup uses it, while the principal is up."""
    named_mirror_share: str | None = None
    """The UNC path of an existing share (``store.mirror.fileShare``) for a mirror whose principal this project does
    not build, a collocated store's Back End: the project creates no share on a server it does not own."""

    @property
    def mirror_share_unc(self) -> str | None:
        """What ``Install-CsMirrorDatabase -FileShare`` takes: the project's mirror share, else the named one."""
        return self.mirror_share.unc if self.mirror_share is not None else self.named_mirror_share

    @property
    def failover_mirror_share(self) -> FileShare | None:
        """The share to mirror the backup database onto the backup mirror after failover
        [L:lync-server-2013-failing-over-persistent-chat-server] step 6: the log-shipping backup
        share, on the backup store itself, in the surviving site."""
        if self.log_shipping is None or self.backup_mirror is None:
            return None
        return self.log_shipping.backup


@dataclass(frozen=True)
class PoolPlan:
    """A Persistent Chat pool: its servers, stores and Topology Builder settings."""

    key: str
    fqdn: str
    site: str
    standby_site: str | None
    lync_site: str
    """The Lync central site of the pool in Topology Builder: the primary data center's; a stretched
    pool's standby data center is part of the same logical site."""
    layout: StretchedLayout | None
    """How a stretched pool spreads its servers over the two data centers; None without a standby site."""
    users: int
    hardware: Hardware
    port: int
    next_hop: str
    front_end_cidrs: tuple[str, ...]
    """Ranges of the Front End pools the pool serves; empty: the VirtualNetwork tag."""
    default_for_site: bool
    time_zone: str
    compliance: bool
    compliance_output: str | None
    """Where the compliance XmlAdapter of every pool server writes: one share (a local folder on a
    Standard Edition server); None when compliance is off."""
    file_store: str | None
    address_slot: int
    servers: tuple[ServerPlan, ...]
    mgc: StorePlan
    mgccomp: StorePlan | None

    def with_role(self, *roles: Role) -> tuple[ServerPlan, ...]:
        return tuple(s for s in self.servers if s.role in roles)

    @property
    def active(self) -> tuple[ServerPlan, ...]:
        return self.with_role(Role.ACTIVE, Role.STANDARD_EDITION)

    @property
    def install_host(self) -> ServerPlan:
        """Where the install phase runs the pool's databases: its first active (or Standard Edition) server."""
        return self.active[0]

    @property
    def standby(self) -> tuple[ServerPlan, ...]:
        return self.with_role(Role.STANDBY)

    def pool_servers_in(self, site: str) -> tuple[ServerPlan, ...]:
        """The Persistent Chat servers (active and idle) in one data center."""
        return tuple(s for s in self.pool_servers if s.site == site)

    @property
    def pool_servers(self) -> tuple[ServerPlan, ...]:
        return tuple(s for s in self.servers if not s.role.is_sql)

    @property
    def sql_servers(self) -> tuple[ServerPlan, ...]:
        return tuple(s for s in self.servers if s.role.is_sql)

    @property
    def stores(self) -> tuple[StorePlan, ...]:
        """``mgc``, then ``mgccomp`` when compliance is on."""
        return (self.mgc, self.mgccomp) if self.mgccomp else (self.mgc,)

    compliance_share: FileShare | None = None
    """The share behind :attr:`compliance_output` when this project creates it."""
    categories: tuple[CategoryPlan, ...] = ()
    """Room categories the configure runbook creates, in config order."""
    add_ins: tuple[AddInPlan, ...] = ()
    """Add-ins the configure runbook creates, in config order."""
    backup: BackupPlan | None = None
    """The backups of the pool's stores; None when ``backup.enabled`` is false (docs/backups.md)."""

    @property
    def shares(self) -> tuple[FileShare, ...]:
        """Every file share the pool's servers create, once: each store's mirror share and log-shipping
        shares, then the compliance share."""
        found: dict[tuple[str, str], FileShare] = {}
        for store in self.stores:
            shipping = store.log_shipping
            for share in (store.mirror_share, *((shipping.backup, shipping.copy) if shipping else ())):
                if share is not None:
                    found.setdefault((share.host, share.name), share)
        if self.compliance_share is not None:
            found.setdefault((self.compliance_share.host, self.compliance_share.name), self.compliance_share)
        return tuple(found.values())


@dataclass(frozen=True)
class ExtraRule:
    """An inbound rule of the platform's, in the NSG of ``subnets``."""

    name: str
    subnets: tuple[str, ...]
    priority: int
    access: str
    protocol: str
    sources: tuple[str, ...]
    ports: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class SitePlan:
    """A Lync central site in one Azure region: one virtual network, two subnets."""

    key: str
    region: str
    address_space: str
    pchat_subnet: str
    sql_subnet: str
    dns_servers: tuple[str, ...]
    existing_subnet_ids: tuple[str, str] | None = None
    """(pchat, sql) ids of the existing subnets the servers attach to; None: the project creates them."""
    hub_virtual_network_id: str | None = None
    use_hub_gateway: bool = False
    route_table_id: str | None = None
    extra_rules: tuple[ExtraRule, ...] = ()
    resource_groups: tuple[str | None, str | None] = (None, None)
    """(servers, data): existing groups to use instead of new ones."""
    availability_zones: tuple[str, ...] = ()
    """The zones the site's servers spread over; empty: availability sets."""

    def subnet_prefix(self, subnet: str) -> str:
        return self.pchat_subnet if subnet == "pchat" else self.sql_subnet


@dataclass(frozen=True)
class DomainJoin:
    user: str
    ou_path: str | None


@dataclass(frozen=True)
class Software:
    """Installing Lync Server 2013 from the customer's media once the topology is published."""

    media_uri: str
    """HTTPS URL of the folder holding the extracted media, ending in ``/``."""
    storage_account_id: str
    update_installer: str | None
    certificate_authority: str
    setup_user: str
    dns_server: str | None
    run_token: str | None = None
    """A new value runs every install phase again."""
    keep_setup_rights: bool = False
    """False: the install ends by removing the setup account's local administrator and sysadmin rights."""
    certificate_template: str = "WebServer"
    """The certificate template name Request-CsCertificate asks the CA for."""

    @property
    def media_container(self) -> str:
        """The blob container of the media (the narrowest scope a role assignment takes)."""
        return self.media_uri.split("/")[3]


@dataclass(frozen=True)
class Plan:
    """Everything to provision, derived deterministically from ``pchat:topology``."""

    edition: Edition
    domain: str
    admin_username: str
    management_cidr: str | None
    protect_stateful_resources: bool
    encryption_at_host: bool
    lock_stores: bool
    secret_expiry_days: int | None
    secrets_not_after: date | None
    diagnostics_workspace_id: str | None
    key_vault_id: str | None
    """An existing key vault for the passwords; None: the project creates one."""
    tags: tuple[tuple[str, str], ...]
    domain_join: DomainJoin | None
    central_management_cidr: str | None
    software: Software | None
    """Set when ``software.install`` is true: the servers install Lync Server 2013."""
    sites: tuple[SitePlan, ...]
    pools: tuple[PoolPlan, ...]
    warnings: tuple[str, ...] = field(default=())
    product: Product = Product.LYNC2013
    """The server product the servers install and the images fit."""
    secret_readers: tuple[str, ...] = ()
    """Entra object ids granted Key Vault Secrets User on the vault the project creates."""
    monitoring: MonitoringConfig | None = None
    """Azure Monitor on every server (``monitoring``); None when switched off."""
    patching: PatchingConfig | None = None
    """Patch waves (``patching``); None when switched off: the servers keep their patch settings."""
    user_assigned_identity_id: str | None = None
    """A user-assigned identity every server carries beside its system-assigned one."""
    name_prefix: str | None = None
    """The prefix of the Azure names the stack config asks for; None: the program's default."""
    site_peering: str = "mesh"
    """``mesh``: the site networks the project creates are peered with each other; ``none``: not."""
    license_type: str | None = None
    """``Windows_Server`` (Azure Hybrid Benefit) on every VM; None: pay-as-you-go."""
    sql_license_type: str = "PAYG"
    """``PAYG`` or ``AHUB`` on the registration of every Standard or Enterprise SQL Server VM."""
    boot_diagnostics: bool = True
    """Boot diagnostics in Azure-managed storage on every VM."""
    private_endpoints: PrivateEndpointsConfig = field(default_factory=PrivateEndpointsConfig)
    """Private endpoints of the backup storage (by site) and the vault."""

    @property
    def servers(self) -> Iterator[ServerPlan]:
        for pool in self.pools:
            yield from pool.servers

    @property
    def required_secrets(self) -> dict[str, str]:
        """Secret name (as the stack config names it, after ``pchat:``) -> why the topology needs it."""
        needed = {}
        if self.domain_join is not None:
            needed["domainJoinPassword"] = "domainJoin names an account, which needs its password"
        if self.software is not None:
            needed["setupPassword"] = "software.install runs the installation as software.setupUser"
        return needed

    def site(self, key: str) -> SitePlan:
        return next(s for s in self.sites if s.key == key)

    def pool(self, key: str) -> PoolPlan:
        return next(p for p in self.pools if p.key == key)

    def server(self, key: str) -> ServerPlan:
        return next(s for s in self.servers if s.key == key)
