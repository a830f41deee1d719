"""Builds the :class:`Plan` of a topology that passed every rule."""

from __future__ import annotations

from dataclasses import replace

from .addressing import address, parse_network, subnets
from .catalog import (
    DOCUMENTED_SPEC,
    EVALUATION_SPEC,
    WINDOWS_IMAGE,
    WITNESS_SPEC,
    WITNESS_SQL_SKU,
    Image,
    smallest_meeting,
    sql_image,
)
from .config import CompliancePlacement, Edition, Hardware, PoolConfig, StorePlacement, TopologyConfig
from .layout import Seat, compliance_placement, name_prefix, seats, store_placement
from .plan import (
    MGC,
    MGCCOMP,
    DiskPlan,
    DomainJoin,
    FileShare,
    LogShipping,
    Plan,
    PoolPlan,
    ServerPlan,
    SitePlan,
    SqlInstance,
    StorePlan,
)
from .roles import Role

SE_SQL_INSTANCE = "RTC"
"""The Standard Edition server's SQL Express instance for the stores (UNCONFIRMED default)."""

PCHAT_FEATURES = ("NET-Framework-45-Core", "NET-WCF-HTTP-Activation45", "Windows-Identity-Foundation")
""".NET 4.5 with WCF HTTP activation and Windows Identity Foundation on every internal server
[L:lync-server-2013-additional-software-requirements]."""
COMPLIANCE_FEATURES = ("MSMQ-Server",)
"""Message Queuing, which the compliance service reads from [L:...technical-requirements...]."""
FRONT_END_FEATURES = (
    "NET-Framework-Core",
    "RSAT-ADDS",
    "Web-Server",
    "Web-Static-Content",
    "Web-Default-Doc",
    "Web-Http-Errors",
    "Web-Asp-Net",
    "Web-Asp-Net45",
    "Web-Net-Ext",
    "Web-ISAPI-Ext",
    "Web-ISAPI-Filter",
    "Web-Http-Logging",
    "Web-Log-Libraries",
    "Web-Request-Monitor",
    "Web-Http-Tracing",
    "Web-Basic-Auth",
    "Web-Windows-Auth",
    "Web-Client-Auth",
    "Web-Filtering",
    "Web-Stat-Compression",
    "Web-Dyn-Compression",
    "Web-Mgmt-Tools",
    "Web-Scripting-Tools",
    "Web-Mgmt-Compat",
    "Server-Media-Foundation",
    "BITS",
)
"""IIS and the other Front End prerequisites a Standard Edition server needs."""

BACKUP_FOLDER = "Backup"
"""SQL Server's default backup folder on the backup volume; the bootstrap creates it."""
MIRROR_SHARE = ("pchat-mirror", "Mirror")
BACKUP_SHARE = ("pchat-logship", "LogShipping")
COPY_SHARE = ("pchat-logcopy", "LogCopy")
"""(share name, folder in :data:`BACKUP_FOLDER`) of the mirroring and log-shipping shares."""

_STORE_ROLES = {Role.STORE, Role.STORE_MIRROR, Role.BACKUP_STORE, Role.BACKUP_STORE_MIRROR}
_COMPLIANCE_ROLES = {
    Role.COMPLIANCE_STORE,
    Role.COMPLIANCE_STORE_MIRROR,
    Role.COMPLIANCE_BACKUP_STORE,
    Role.COMPLIANCE_BACKUP_STORE_MIRROR,
}


def build(cfg: TopologyConfig, warnings: list[str]) -> Plan:
    """The plan of a config that passed :func:`rules.check`."""
    sites = tuple(_site(key, cfg) for key in cfg.sites)
    pools = tuple(_pool(key, pool, cfg) for key, pool in cfg.pools.items())
    join = cfg.domain_join
    return Plan(
        edition=cfg.edition,
        domain=cfg.domain.lower(),
        admin_username=cfg.admin_username,
        management_cidr=cfg.management_cidr,
        protect_stateful_resources=cfg.protect_stateful_resources,
        encryption_at_host=cfg.encryption_at_host,
        lock_stores=cfg.lock_stores,
        secret_expiry_days=cfg.secret_expiry_days,
        secrets_not_after=cfg.secrets_not_after,
        diagnostics_workspace_id=cfg.diagnostics.workspace_resource_id if cfg.diagnostics else None,
        tags=tuple(sorted(cfg.tags.items())),
        domain_join=DomainJoin(join.user, join.ou_path) if join else None,
        sites=sites,
        pools=pools,
        warnings=tuple(warnings),
    )


def _site(key: str, cfg: TopologyConfig) -> SitePlan:
    site = cfg.sites[key]
    pchat, sql = subnets(parse_network(site.address_space))
    return SitePlan(key, site.region, site.address_space, str(pchat), str(sql), site.dns_servers)


def _pool(key: str, pool: PoolConfig, cfg: TopologyConfig) -> PoolPlan:
    domain = cfg.domain.lower()
    servers = tuple(_server(seat, key, pool, cfg) for seat in seats(pool, cfg.edition))
    by_role = {s.role: s for s in servers}
    by_key = {s.key: s for s in servers}
    fqdn = f"{key}.{domain}"
    mgc = _with_shares(_mgc(pool, cfg, by_role, fqdn), by_key)
    mgccomp = _mgccomp(pool, cfg, by_role, mgc)
    dr = pool.disaster_recovery
    return PoolPlan(
        key=key,
        fqdn=fqdn,
        site=pool.site,
        standby_site=dr.standby_site if dr else None,
        users=pool.users,
        hardware=pool.hardware,
        port=pool.port,
        next_hop=(pool.next_hop or fqdn).lower(),
        front_end_cidr=pool.front_end_cidr,
        default_for_site=pool.default_for_site,
        time_zone=pool.time_zone,
        compliance=pool.compliance.enabled,
        file_store=pool.file_store,
        address_slot=pool.address_slot,
        servers=servers,
        mgc=mgc,
        mgccomp=_with_shares(mgccomp, by_key) if mgccomp else None,
    )


def _server(seat: Seat, key: str, pool: PoolConfig, cfg: TopologyConfig) -> ServerPlan:
    name = seat.computer_name(name_prefix(key, pool))
    site = cfg.sites[seat.site]
    ip = address(parse_network(site.address_space), pool.address_slot, seat.role, seat.ordinal)
    return ServerPlan(
        key=name,
        computer_name=name,
        fqdn=f"{name}.{cfg.domain.lower()}",
        pool=key,
        site=seat.site,
        region=site.region,
        role=seat.role,
        ordinal=seat.ordinal,
        vm_size=_vm_size(seat.role, pool),
        private_ip=str(ip),
        image=_image(seat.role, pool),
        disks=_disks(seat.role, pool),
        time_zone=pool.time_zone,
        windows_features=_features(seat.role, pool),
        databases=_databases(seat.role, pool, cfg.edition),
    )


def _vm_size(role: Role, pool: PoolConfig) -> str:
    if role.is_witness:
        return pool.high_availability.witness_vm_size or smallest_meeting(WITNESS_SPEC).name
    chosen = pool.store.vm_size if role.is_sql else pool.vm_size
    spec = DOCUMENTED_SPEC if pool.hardware is Hardware.DOCUMENTED else EVALUATION_SPEC
    return chosen or smallest_meeting(spec).name


def _image(role: Role, pool: PoolConfig) -> Image:
    if role.is_witness:
        return sql_image(WITNESS_SQL_SKU)
    return sql_image(pool.store.sql_edition.value) if role.is_sql else WINDOWS_IMAGE


def _disks(role: Role, pool: PoolConfig) -> tuple[DiskPlan, ...]:
    if role in (Role.ACTIVE, Role.STANDBY):
        return (DiskPlan("data", 0, pool.data_disk.size_gb, "F", "PChatData", 4),)
    if role is Role.STANDARD_EDITION:
        return (DiskPlan("data", 0, pool.data_disk.size_gb, "F", "LyncData", 64),)
    if role.is_witness:
        return (DiskPlan("data", 0, 128, "F", "SQLData", 64), DiskPlan("log", 1, 128, "G", "SQLLog", 64))
    store = pool.store
    return (
        DiskPlan("data", 0, store.data_disk_gb, "F", "SQLData", 64),
        DiskPlan("log", 1, store.log_disk_gb, "G", "SQLLog", 64),
        DiskPlan("tempdb", 2, store.temp_db_disk_gb, "H", "SQLTempDB", 64),
        DiskPlan("backup", 3, store.backup_disk_gb, "I", "SQLBackup", 64),
    )


def _features(role: Role, pool: PoolConfig) -> tuple[str, ...]:
    if role.is_sql:
        return ()
    compliance = COMPLIANCE_FEATURES if pool.compliance.enabled else ()
    front_end = FRONT_END_FEATURES if role is Role.STANDARD_EDITION else ()
    return front_end + PCHAT_FEATURES + compliance


def _databases(role: Role, pool: PoolConfig, edition: Edition) -> tuple[str, ...]:
    shared = pool.compliance.enabled and compliance_placement(pool, edition) is CompliancePlacement.SHARED
    if role in _STORE_ROLES or role is Role.STANDARD_EDITION:
        return (MGC, MGCCOMP) if shared else (MGC,)
    if role in _COMPLIANCE_ROLES:
        return (MGCCOMP,)
    return ()


def _instance(server: ServerPlan | None) -> SqlInstance | None:
    return SqlInstance(server.fqdn, None, server.key) if server else None


def _mgc(pool: PoolConfig, cfg: TopologyConfig, by_role: dict[Role, ServerPlan], fqdn: str) -> StorePlan:
    placement = store_placement(pool, cfg.edition)
    if placement is StorePlacement.EXPRESS:
        primary = SqlInstance(fqdn, SE_SQL_INSTANCE)
    elif placement is StorePlacement.COLLOCATED:
        assert pool.store.sql_server is not None
        primary = SqlInstance(pool.store.sql_server.lower(), pool.store.sql_instance)
    else:
        primary = SqlInstance(by_role[Role.STORE].fqdn, None, by_role[Role.STORE].key)
    return StorePlan(
        database=MGC,
        primary=primary,
        mirror=_instance(by_role.get(Role.STORE_MIRROR)),
        witness=_instance(by_role.get(Role.WITNESS)),
        backup=_instance(by_role.get(Role.BACKUP_STORE)),
        backup_mirror=_instance(by_role.get(Role.BACKUP_STORE_MIRROR)),
        backup_witness=_instance(by_role.get(Role.BACKUP_WITNESS)),
    )


def _mgccomp(
    pool: PoolConfig, cfg: TopologyConfig, by_role: dict[Role, ServerPlan], mgc: StorePlan
) -> StorePlan | None:
    if not pool.compliance.enabled:
        return None
    if compliance_placement(pool, cfg.edition) is CompliancePlacement.SHARED:
        return replace(mgc, database=MGCCOMP)
    store = by_role[Role.COMPLIANCE_STORE]
    return StorePlan(
        database=MGCCOMP,
        primary=SqlInstance(store.fqdn, None, store.key),
        mirror=_instance(by_role.get(Role.COMPLIANCE_STORE_MIRROR)),
        witness=mgc.witness,
        backup=_instance(by_role.get(Role.COMPLIANCE_BACKUP_STORE)),
        backup_mirror=_instance(by_role.get(Role.COMPLIANCE_BACKUP_STORE_MIRROR)),
        backup_witness=mgc.backup_witness,
    )


def _with_shares(store: StorePlan, servers: dict[str, ServerPlan]) -> StorePlan:
    """``store`` with its mirror share on the principal and its log-shipping shares on its backup
    store (see :class:`LogShipping` for why there)."""
    mirror_share = _share(_host(store.primary, servers), MIRROR_SHARE) if store.mirror else None
    log_shipping = None
    if store.backup is not None:
        backup = _host(store.backup, servers)
        log_shipping = LogShipping(backup=_share(backup, BACKUP_SHARE), copy=_share(backup, COPY_SHARE))
    return replace(store, mirror_share=mirror_share, log_shipping=log_shipping)


def _host(instance: SqlInstance, servers: dict[str, ServerPlan]) -> ServerPlan:
    """The provisioned server of ``instance``: mirrored stores and backup stores always are ours."""
    if instance.server is None:
        raise ValueError(f"{instance.name} is not provisioned here, so it cannot host a file share")
    return servers[instance.server]


def _share(server: ServerPlan, share: tuple[str, str]) -> FileShare:
    """The share ``(name, folder)`` in the backup folder of ``server``'s backup volume."""
    name, folder = share
    volume = next((d for d in server.disks if d.name == "backup"), None)
    if volume is None:
        raise ValueError(f"{server.key} has no backup volume to host the {name} share")
    return FileShare(server.key, server.fqdn, name, f"{volume.drive_letter}:\\{BACKUP_FOLDER}\\{folder}")
