"""The immutable plan a validated topology yields: what the components wire up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .catalog import Image
from .config import Edition, Hardware
from .roles import Role

MGC, MGCCOMP = "mgc", "mgccomp"
"""PersistentChatStore and PersistentChatComplianceStore databases
[L:lync-server-2013-persistent-chat-database-schema]."""


@dataclass(frozen=True)
class DiskPlan:
    """A managed data disk and the NTFS volume formatted on it."""

    name: str
    lun: int
    size_gb: int
    drive_letter: str
    label: str
    allocation_unit_kb: int
    file_system: str = "NTFS"


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
class StorePlan:
    """Where one database lives, with its mirror, witness and log-shipping copies."""

    database: str
    primary: SqlInstance
    mirror: SqlInstance | None = None
    witness: SqlInstance | None = None
    backup: SqlInstance | None = None
    backup_mirror: SqlInstance | None = None
    backup_witness: SqlInstance | None = None


@dataclass(frozen=True)
class LogShippingPlan:
    """Log shipping of ``mgc`` (and ``mgccomp``) to the standby site's backup store."""

    backup_share: str
    copy_share: str


@dataclass(frozen=True)
class PoolPlan:
    """A Persistent Chat pool: its servers, stores and Topology Builder settings."""

    key: str
    fqdn: str
    site: str
    standby_site: str | None
    users: int
    hardware: Hardware
    port: int
    next_hop: str
    front_end_cidr: str | None
    default_for_site: bool
    time_zone: str
    compliance: bool
    file_store: str | None
    address_slot: int
    servers: tuple[ServerPlan, ...]
    mgc: StorePlan
    mgccomp: StorePlan | None
    log_shipping: LogShippingPlan | None

    def with_role(self, *roles: Role) -> tuple[ServerPlan, ...]:
        return tuple(s for s in self.servers if s.role in roles)

    @property
    def active(self) -> tuple[ServerPlan, ...]:
        return self.with_role(Role.ACTIVE, Role.STANDARD_EDITION)

    @property
    def standby(self) -> tuple[ServerPlan, ...]:
        return self.with_role(Role.STANDBY)

    @property
    def pool_servers(self) -> tuple[ServerPlan, ...]:
        return tuple(s for s in self.servers if not s.role.is_sql)

    @property
    def sql_servers(self) -> tuple[ServerPlan, ...]:
        return tuple(s for s in self.servers if s.role.is_sql)


@dataclass(frozen=True)
class SitePlan:
    """A Lync central site in one Azure region: one virtual network, two subnets."""

    key: str
    region: str
    address_space: str
    pchat_subnet: str
    sql_subnet: str
    dns_servers: tuple[str, ...]


@dataclass(frozen=True)
class DomainJoin:
    user: str
    ou_path: str | None


@dataclass(frozen=True)
class Plan:
    """Everything to provision, derived deterministically from ``pchat:topology``."""

    edition: Edition
    domain: str
    admin_username: str
    management_cidr: str | None
    protect_stateful_resources: bool
    encryption_at_host: bool
    tags: tuple[tuple[str, str], ...]
    domain_join: DomainJoin | None
    sites: tuple[SitePlan, ...]
    pools: tuple[PoolPlan, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def servers(self) -> Iterator[ServerPlan]:
        for pool in self.pools:
            yield from pool.servers

    def site(self, key: str) -> SitePlan:
        return next(s for s in self.sites if s.key == key)

    def pool(self, key: str) -> PoolPlan:
        return next(p for p in self.pools if p.key == key)

    def server(self, key: str) -> ServerPlan:
        return next(s for s in self.servers if s.key == key)
