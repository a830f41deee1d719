"""Builds the :class:`Plan` of a topology that passed every rule."""

from __future__ import annotations

from dataclasses import replace

from . import backup, chat, server_specs, stores
from .addressing import address
from .config import PoolConfig, RuleSubnet, TopologyConfig
from .layout import Seat, lync_site, name_prefix, seats, site_subnets
from .plan import DomainJoin, ExtraRule, Plan, PoolPlan, ServerPlan, SitePlan, Software
from .products import windows_version


def build(cfg: TopologyConfig, warnings: list[str]) -> Plan:
    """The plan of a config that passed :func:`rules.check`."""
    sites = tuple(_site(key, cfg) for key in cfg.sites)
    pools = tuple(_pool(key, pool, cfg) for key, pool in cfg.pools.items())
    join = cfg.domain_join
    return Plan(
        product=cfg.product,
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
        key_vault_id=cfg.key_vault_id,
        tags=tuple(sorted(cfg.tags.items())),
        domain_join=DomainJoin(join.user, join.ou_path) if join else None,
        central_management_cidr=cfg.central_management_cidr,
        software=_software(cfg),
        sites=sites,
        pools=pools,
        warnings=tuple(warnings),
        secret_readers=tuple(r.lower() for r in cfg.secret_readers),
        monitoring=cfg.monitoring if cfg.monitoring.enabled else None,
        patching=cfg.patching if cfg.patching.enabled else None,
        site_peering=cfg.site_peering.value,
        user_assigned_identity_id=cfg.user_assigned_identity_id,
        name_prefix=cfg.name_prefix,
        license_type=cfg.license_type.value if cfg.license_type else None,
        sql_license_type=cfg.sql_license_type.value,
        boot_diagnostics=cfg.boot_diagnostics,
        private_endpoints=cfg.private_endpoints,
    )


def _software(cfg: TopologyConfig) -> Software | None:
    software = cfg.software
    if not software.install:
        return None
    assert software.media_uri and software.storage_account_id, "the rules require them with install"
    assert software.certificate_authority and software.setup_user
    return Software(
        media_uri=software.media_uri if software.media_uri.endswith("/") else software.media_uri + "/",
        storage_account_id=software.storage_account_id,
        update_installer=software.update_installer,
        certificate_authority=software.certificate_authority,
        setup_user=software.setup_user,
        dns_server=software.dns_server,
        run_token=software.run_token,
        keep_setup_rights=software.keep_setup_rights,
        certificate_template=software.certificate_template,
    )


def _site(key: str, cfg: TopologyConfig) -> SitePlan:
    site = cfg.sites[key]
    found = site_subnets(site)
    assert found is not None, "the rules check the address space and the existing subnets"
    pchat, sql = found
    existing = site.existing_network
    return SitePlan(
        key=key,
        region=site.region,
        address_space=site.address_space,
        pchat_subnet=str(pchat),
        sql_subnet=str(sql),
        dns_servers=site.dns_servers,
        existing_subnet_ids=(existing.pchat_subnet_id, existing.sql_subnet_id) if existing else None,
        hub_virtual_network_id=site.hub_virtual_network_id,
        use_hub_gateway=site.use_hub_gateway,
        route_table_id=site.route_table_id,
        resource_groups=(site.resource_groups.servers, site.resource_groups.data)
        if site.resource_groups
        else (None, None),
        availability_zones=site.availability_zones,
        extra_rules=tuple(
            ExtraRule(
                name=f"extra-{name}",
                subnets=("pchat", "sql") if rule.subnet is RuleSubnet.BOTH else (rule.subnet.value,),
                priority=rule.priority,
                access=rule.access.value,
                protocol=rule.protocol.value,
                sources=rule.sources,
                ports=rule.ports,
                description=rule.description or f"extraSecurityRules.{name} of site {key}",
            )
            for name, rule in site.extra_security_rules.items()
        ),
    )


def _pool(key: str, pool: PoolConfig, cfg: TopologyConfig) -> PoolPlan:
    domain = cfg.domain.lower()
    servers = _zoned(tuple(_server(seat, key, pool, cfg) for seat in seats(pool, cfg.edition)), cfg)
    by_role = {s.role: s for s in servers}
    by_key = {s.key: s for s in servers}
    fqdn = f"{key}.{domain}"
    mgc = stores.with_shares(stores.mgc(pool, cfg, by_role, fqdn), by_key)
    mgccomp = stores.mgccomp(pool, cfg, by_role, mgc)
    mgccomp = stores.with_shares(mgccomp, by_key) if mgccomp else None
    output, compliance_share = stores.compliance_output(pool, cfg.edition, mgccomp, by_key)
    dr = pool.disaster_recovery
    front_ends = pool.front_end_cidrs or ((pool.front_end_cidr,) if pool.front_end_cidr else ())
    planned = PoolPlan(
        key=key,
        fqdn=fqdn,
        site=pool.site,
        standby_site=dr.standby_site if dr else None,
        lync_site=lync_site(cfg.sites, pool.site),
        layout=dr.layout if dr else None,
        users=pool.users,
        hardware=pool.hardware,
        port=pool.port,
        next_hop=(pool.next_hop or fqdn).lower(),
        front_end_cidrs=front_ends,
        default_for_site=pool.default_for_site,
        time_zone=pool.time_zone,
        compliance=pool.compliance.enabled,
        compliance_output=output,
        file_store=pool.file_store,
        address_slot=pool.address_slot,
        servers=servers,
        mgc=mgc,
        mgccomp=mgccomp,
        compliance_share=compliance_share,
        categories=chat.categories(pool.categories),
        add_ins=chat.add_ins(pool.add_ins),
    )
    return replace(planned, backup=backup.plan(planned, backup.effective(cfg, pool), cfg.monitoring.mirroring_queue_kb))


def _zoned(servers: tuple[ServerPlan, ...], cfg: TopologyConfig) -> tuple[ServerPlan, ...]:
    """Each server in a zone of its site, when the site lists zones: the servers of one subnet take the zones in
    turn, so active servers, and a principal, its mirror and its witness, land in different zones."""
    turn: dict[tuple[str, str], int] = {}
    placed = []
    for server in servers:
        zones = cfg.sites[server.site].availability_zones
        if not zones:
            placed.append(server)
            continue
        index = turn.get((server.site, server.subnet), 0)
        turn[(server.site, server.subnet)] = index + 1
        placed.append(replace(server, zone=zones[index % len(zones)]))
    return tuple(placed)


def _windows(cfg: TopologyConfig) -> str | None:
    image = server_specs.windows_image(cfg.images, cfg.product)
    return windows_version(image.publisher, image.offer, image.sku)


def _server(seat: Seat, key: str, pool: PoolConfig, cfg: TopologyConfig) -> ServerPlan:
    name = seat.computer_name(name_prefix(key, pool))
    site = cfg.sites[seat.site]
    found = site_subnets(site)
    assert found is not None, "the rules check the address space and the existing subnets"
    ip = address(found[1] if seat.role.is_sql else found[0], pool.address_slot, seat.role, seat.ordinal)
    volumes = server_specs.disks(seat.role, pool)
    return ServerPlan(
        key=name,
        computer_name=name,
        fqdn=f"{name}.{cfg.domain.lower()}",
        pool=key,
        site=seat.site,
        region=site.region,
        role=seat.role,
        ordinal=seat.ordinal,
        vm_size=server_specs.vm_size(seat.role, pool),
        private_ip=str(ip),
        image=server_specs.image(seat.role, pool, cfg.images, cfg.product),
        disks=volumes,
        time_zone=pool.time_zone,
        windows_features=server_specs.features(seat.role, cfg.product, _windows(cfg)),
        databases=stores.databases(seat.role, pool, cfg.edition),
        sql_folders=server_specs.sql_folders(volumes) if seat.role.is_sql else None,
    )
