"""Rules from the Persistent Chat documentation: editions, capacity, stores, HA and DR."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from . import sources as src
from .addressing import slot_count
from .config import (
    CategoryConfig,
    CompliancePlacement,
    Edition,
    PoolConfig,
    SiteConfig,
    StorePlacement,
    StretchedLayout,
    TopologyConfig,
)
from .errors import Problem, segment
from .host import DEFAULT_INSTANCE
from .layout import (
    MAX_ACTIVE_SERVERS,
    MAX_STANDBY_SERVERS,
    USERS_PER_SERVER,
    active_servers,
    compliance_placement,
    default_active_servers,
    lync_site,
    seats,
    site_subnets,
    store_placement,
)
from .text import is_fqdn, is_https_url, is_lync_site_name, is_principal, is_sql_instance_name, is_unc_path

MAX_USERS = MAX_ACTIVE_SERVERS * USERS_PER_SERVER


def standard_edition(cfg: TopologyConfig) -> Iterator[Problem]:
    """One Persistent Chat server collocated on the Standard Edition server, SQL Express."""
    if cfg.edition is not Edition.STANDARD:
        return
    if len(cfg.pools) > 1:
        yield Problem(
            "pools",
            f"Standard Edition has exactly one Persistent Chat pool, "
            f"collocated on the Standard Edition server; {len(cfg.pools)} are defined",
            src.SE_COLLOCATION,
        )
    for key, pool in cfg.pools.items():
        yield from _standard_pool(f"pools.{key}", pool)
        fqdn = f"{key}.{cfg.domain}"
        if pool.next_hop is not None and pool.next_hop.lower() != fqdn.lower():
            yield Problem(
                f"pools.{key}.nextHop",
                f"the collocated pool's next hop is the Standard Edition server itself ({fqdn}); omit nextHop",
                src.ADD_TO_TOPOLOGY,
            )


def _standard_pool(path: str, pool: PoolConfig) -> Iterator[Problem]:
    """One server that is also the Standard Edition server: no second server, no HA, no standby site.

    Its stores may use the server's SQL Server Express (the default) or another SQL Server: the
    documentation says they *can* use SQL Express [L:...deploying-persistent-chat-server], not must."""
    if pool.active_servers not in (None, 1):
        yield Problem(
            f"{path}.activeServers",
            "a Standard Edition pool is one server: the pool FQDN must equal the Standard Edition server FQDN",
            src.ADD_TO_TOPOLOGY,
        )
    if pool.users > USERS_PER_SERVER:
        yield Problem(
            f"{path}.users",
            f"{pool.users:,} concurrent users: the one Persistent Chat server of a Standard Edition pool "
            f"serves at most {USERS_PER_SERVER:,}; use edition enterprise for more",
            src.CAPACITY,
        )
    if pool.high_availability.mirroring or pool.high_availability.witness:
        yield Problem(
            f"{path}.highAvailability",
            "Standard Edition offers no high availability for Persistent Chat; use edition enterprise",
            src.CAPACITY,
        )
    if pool.disaster_recovery is not None:
        yield Problem(
            f"{path}.disasterRecovery",
            "a Standard Edition pool is one server, so it cannot stretch to a standby data center; "
            "use edition enterprise",
            src.DEPLOYING,
        )
    if pool.computer_name_prefix is not None:
        yield Problem(
            f"{path}.computerNamePrefix",
            "a Standard Edition pool is named after its server: the pool FQDN must equal the server FQDN; "
            "rename the pool instead",
            src.ADD_TO_TOPOLOGY,
        )


def enterprise_edition(cfg: TopologyConfig) -> Iterator[Problem]:
    """A separate pool of dedicated servers with a next-hop Front End pool, never SQL Express."""
    if cfg.edition is not Edition.ENTERPRISE:
        return
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        if pool.store.placement is StorePlacement.EXPRESS:
            yield Problem(
                f"{path}.store.placement",
                "SQL Server Express is for Standard Edition only; use dedicated (recommended) or collocated",
                src.DATABASE_SOFTWARE,
            )
        if pool.next_hop is None:
            yield Problem(
                f"{path}.nextHop",
                "each Persistent Chat pool needs its next-hop Front End pool FQDN, e.g. fe01.corp.contoso.com",
                src.ADD_TO_TOPOLOGY,
            )
        elif not is_fqdn(pool.next_hop):
            yield Problem(f"{path}.nextHop", f"{pool.next_hop!r} is not a Front End pool FQDN")


def capacity(cfg: TopologyConfig) -> Iterator[Problem]:
    """Up to 4 active servers of 20,000 users: 80,000 per pool and across all pools."""
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        if not 1 <= pool.users <= MAX_USERS:
            yield Problem(
                f"{path}.users",
                f"{pool.users:,} concurrent users: a pool serves 1 to "
                f"{MAX_USERS:,} (4 active servers of {USERS_PER_SERVER:,})",
                src.CAPACITY,
            )
        active = pool.active_servers
        if active is None:
            continue
        needed = default_active_servers(pool.users)
        if not 1 <= active <= MAX_ACTIVE_SERVERS:
            yield Problem(
                f"{path}.activeServers",
                f"{active} active servers: a pool has 1 to {MAX_ACTIVE_SERVERS} active servers",
                src.COMPONENTS,
            )
        elif active < needed and pool.users <= MAX_USERS:
            yield Problem(
                f"{path}.activeServers",
                f"{active} active servers serve at most "
                f"{active * USERS_PER_SERVER:,} users, not {pool.users:,}; use "
                f"{needed} or omit the key",
                src.CAPACITY,
            )
    total = sum(pool.users for pool in cfg.pools.values())
    if len(cfg.pools) > 1 and total > MAX_USERS:
        yield Problem(
            "pools",
            f"{total:,} concurrent users in all pools: the {MAX_USERS:,} limit "
            "applies across all Persistent Chat pools together; extra pools do not "
            "add scale",
            src.CAPACITY,
        )


def stores(cfg: TopologyConfig) -> Iterator[Problem]:
    """Store placement, and one mgc and one mgccomp per SQL instance."""
    users_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, pool in cfg.pools.items():
        yield from _store(f"pools.{key}.store", pool, store_placement(pool, cfg.edition))
        yield from store_mirror(f"pools.{key}", pool, cfg.edition)
        store = pool.store
        if store_placement(pool, cfg.edition) is StorePlacement.COLLOCATED and store.sql_server:
            instance = f"{store.sql_server}\\{store.sql_instance or ''}".lower()
            users_of[instance].append((key, "sqlServer"))
            if store.mirror is not None and pool.high_availability.mirroring:
                mirror = f"{store.mirror.sql_server}\\{store.mirror.sql_instance or ''}".lower()
                users_of[mirror].append((key, "mirror.sqlServer"))
        if pool.compliance.placement is not None and not pool.compliance.enabled:
            yield Problem(f"pools.{key}.compliance.placement", "has no effect unless compliance.enabled is true")
    for instance, pools in users_of.items():
        for key, leaf in pools[1:]:
            if key == pools[0][0]:
                continue  # the pool's own mirror on its principal: store_mirror says so
            yield Problem(
                f"pools.{key}.store.{leaf}",
                f"{instance.rstrip(chr(92))} already holds "
                f"the Persistent Chat database of pool {pools[0][0]!r}; a SQL instance holds "
                "one mgc and one mgccomp",
                src.EE_COLLOCATION,
            )


def _store(path: str, pool: PoolConfig, placement: StorePlacement) -> Iterator[Problem]:
    store = pool.store
    if placement is StorePlacement.COLLOCATED:
        if store.sql_server is None:
            yield Problem(
                f"{path}.sqlServer",
                "a collocated store names the existing Back End SQL Server FQDN, e.g. be01.corp.contoso.com",
                src.EE_COLLOCATION,
            )
        elif not is_fqdn(store.sql_server):
            yield Problem(f"{path}.sqlServer", f"{store.sql_server!r} is not a SQL Server FQDN")
    elif store.sql_server is not None or store.sql_instance is not None:
        yield Problem(
            f"{path}.sqlServer",
            "sqlServer and sqlInstance name an existing instance, "
            f"only for placement collocated (this store is {placement})",
        )
    if store.sql_instance is not None and store.sql_instance.upper() == DEFAULT_INSTANCE:
        yield Problem(
            f"{path}.sqlInstance",
            f"{store.sql_instance!r} is the name of the default instance: omit sqlInstance for it",
        )
    elif store.sql_instance is not None and not is_sql_instance_name(store.sql_instance):
        yield Problem(
            f"{path}.sqlInstance",
            f"{store.sql_instance!r} is not a SQL Server instance name (up to 16 letters, digits or _)",
        )
    if store.vm_size is not None and placement is not StorePlacement.DEDICATED:
        yield Problem(f"{path}.vmSize", f"vmSize sizes a dedicated SQL Server VM; this store is {placement}")


def _same_instance(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    """Whether two (server, instance) pairs name one SQL instance: FQDNs and instance names are case-insensitive,
    and the default instance is named by the server alone or as MSSQLSERVER."""

    def key(pair: tuple[str, str | None]) -> tuple[str, str]:
        return pair[0].lower(), (pair[1] or DEFAULT_INSTANCE).upper()

    return key(a) == key(b)


def split_instance(name: str) -> tuple[str, str | None]:
    """``FQDN`` or ``FQDN\\instance`` as (FQDN, instance or None)."""
    server, sep, instance = name.partition("\\")
    return server, (instance if sep else None)


def store_mirror(path: str, pool: PoolConfig, edition: Edition) -> Iterator[Problem]:
    """``store.mirror``: the existing Back End mirror a collocated store is mirrored onto. Topology Builder mirrors
    the store when its "Enable SQL Store mirroring" names a mirroring SQL store, which must be in the same domain
    as the principal, with an optional witness [L:...deploying-sql-mirroring-for-back-end-server-high-availability]
    (JJ204992); one Persistent Chat database per instance [L:...server-collocation-in-an-enterprise-edition-front-
    end-pool-deployment] (the mirror holds the copy, so the same limit)."""
    mirror = pool.store.mirror
    if mirror is None:
        return
    here = f"{path}.store.mirror"
    placement = store_placement(pool, edition)
    if placement is not StorePlacement.COLLOCATED:
        yield Problem(
            here,
            f"store.mirror names the existing Back End mirror of a collocated store; this store is {placement}, "
            "whose mirror highAvailability.mirroring builds",
            src.SQL_MIRRORING,
        )
        return
    if not pool.high_availability.mirroring:
        yield Problem(here, "has no effect unless highAvailability.mirroring is true")
    yield from _mirror_values(here, pool)
    yield from _mirror_scope(path, pool, edition)


def _mirror_values(here: str, pool: PoolConfig) -> Iterator[Problem]:
    """The Back End's mirror, witness and share: whole values, and three distinct instances."""
    mirror = pool.store.mirror
    assert mirror is not None
    if not is_fqdn(mirror.sql_server):
        yield Problem(f"{here}.sqlServer", f"{mirror.sql_server!r} is not a SQL Server FQDN")
    if mirror.sql_instance is not None and mirror.sql_instance.upper() == DEFAULT_INSTANCE:
        yield Problem(
            f"{here}.sqlInstance",
            f"{mirror.sql_instance!r} is the name of the default instance: omit sqlInstance for it",
        )
    elif mirror.sql_instance is not None and not is_sql_instance_name(mirror.sql_instance):
        yield Problem(
            f"{here}.sqlInstance",
            f"{mirror.sql_instance!r} is not a SQL Server instance name (up to 16 letters, digits or _)",
        )
    principal = (pool.store.sql_server or "", pool.store.sql_instance)
    partner = (mirror.sql_server, mirror.sql_instance)
    if pool.store.sql_server is not None and _same_instance(principal, partner):
        yield Problem(
            f"{here}.sqlServer",
            f"{mirror.sql_server} is the principal itself (store.sqlServer): the mirror is the Back End's mirror, "
            "another SQL instance",
            src.SQL_MIRRORING,
        )
    if mirror.witness is not None:
        witness = split_instance(mirror.witness)
        if not is_fqdn(witness[0]) or (witness[1] is not None and not is_sql_instance_name(witness[1])):
            yield Problem(
                f"{here}.witness",
                f"{mirror.witness!r} is not a SQL Server FQDN or FQDN\\instance (up to 16 letters, digits or _)",
            )
        elif _same_instance(witness, principal) or _same_instance(witness, partner):
            yield Problem(
                f"{here}.witness",
                f"{mirror.witness} is the principal or the mirror: the witness is a third SQL instance",
                src.SQL_MIRRORING,
            )
    if not is_unc_path(mirror.file_share):
        yield Problem(
            f"{here}.fileShare",
            f"{mirror.file_share!r} is not a UNC path such as \\\\be01.corp.contoso.com\\mirror",
        )


def _mirror_scope(path: str, pool: PoolConfig, edition: Edition) -> Iterator[Problem]:
    """What this project builds beside a collocated store mirrored onto the Back End's mirror: nothing else mirrored."""
    here = f"{path}.store.mirror"
    if pool.high_availability.mirroring and pool.disaster_recovery is not None:
        yield Problem(
            here,
            "this project mirrors a collocated store only without disasterRecovery (log shipping from the Back "
            "End's mirror is not built); use a dedicated store for a stretched, mirrored pool",
        )
    separate = pool.compliance.enabled and compliance_placement(pool, edition) is CompliancePlacement.SEPARATE
    if pool.high_availability.mirroring and separate:
        yield Problem(
            f"{path}.compliance.placement",
            "a collocated store mirrored onto the Back End's mirror keeps mgccomp beside mgc, mirrored with it: "
            "set placement: shared (a separate compliance store and its mirror are built beside a dedicated "
            "store)",
            src.SQL_MIRRORING,
        )


def compliance_output(cfg: TopologyConfig) -> Iterator[Problem]:
    """The compliance adapter of every pool server writes to one share that exists."""
    for key, pool in cfg.pools.items():
        path = f"pools.{key}.compliance.outputShare"
        share = pool.compliance.output_share
        if share is not None and not is_unc_path(share):
            yield Problem(path, f"{share!r} is not a UNC path such as \\\\fs01.corp.contoso.com\\compliance")
        hosted = store_placement(pool, cfg.edition) is not StorePlacement.COLLOCATED or (
            compliance_placement(pool, cfg.edition) is CompliancePlacement.SEPARATE
        )
        if pool.compliance.enabled and share is None and not hosted and cfg.edition is Edition.ENTERPRISE:
            yield Problem(
                path,
                "the compliance adapter of every pool server writes to one share, and this pool provisions no SQL "
                "Server to host it (mgccomp shares the existing instance of mgc): give the UNC path of an "
                "existing share",
                src.PS_COMPLIANCE,
            )


def high_availability(cfg: TopologyConfig) -> Iterator[Problem]:
    """SQL mirroring, with an optional witness, for the stores this project provisions."""
    if cfg.edition is Edition.STANDARD:
        return
    for key, pool in cfg.pools.items():
        path = f"pools.{key}.highAvailability"
        ha = pool.high_availability
        if ha.witness and not ha.mirroring:
            yield Problem(
                f"{path}.witness",
                "a witness serves SQL mirroring; set mirroring: true or drop the witness",
                src.SQL_MIRRORING,
            )
        placement = store_placement(pool, cfg.edition)
        if ha.mirroring and placement is StorePlacement.COLLOCATED and pool.store.mirror is None:
            yield Problem(
                f"{path}.mirroring",
                "a collocated store is mirrored onto its Back End's mirror, which the project does not build: "
                "name the Back End's mirror in store.mirror (sqlServer, fileShare)",
                src.SQL_MIRRORING,
            )
        if ha.mirroring and ha.witness and placement is StorePlacement.COLLOCATED:
            yield Problem(
                f"{path}.witness",
                "a collocated store's witness is the Back End's: name it in store.mirror.witness "
                "(highAvailability.witness builds a witness VM beside a dedicated store)",
                src.SQL_MIRRORING,
            )
        if ha.witness_vm_size is not None and not ha.witness:
            yield Problem(f"{path}.witnessVmSize", "has no effect without witness: true")


def disaster_recovery(cfg: TopologyConfig) -> Iterator[Problem]:
    """A stretched pool: up to 4 idle servers and a log-shipped store in another site."""
    if cfg.edition is Edition.STANDARD:
        return
    for key, pool in cfg.pools.items():
        dr = pool.disaster_recovery
        if dr is None:
            continue
        path = f"pools.{key}.disasterRecovery"
        if dr.standby_site not in cfg.sites:
            yield Problem(
                f"{path}.standbySite",
                f"{dr.standby_site!r} is not a site; define it under sites (known: {', '.join(cfg.sites)})",
            )
        elif dr.standby_site == pool.site:
            yield Problem(
                f"{path}.standbySite",
                "standby servers and the backup store live in a second data center, not the pool's own site",
                src.STRETCHED_POOL,
            )
        elif pool.site in cfg.sites and (cfg.sites[dr.standby_site].region == cfg.sites[pool.site].region):
            yield Problem(
                f"{path}.standbySite",
                f"site {dr.standby_site!r} is in the same Azure region as {pool.site!r}; this project maps each "
                "data center to its own region, so a standby data center must be in another one",
                src.STRETCHED_POOL,
            )
        if dr.standby_servers is not None and not 1 <= dr.standby_servers <= MAX_STANDBY_SERVERS:
            yield Problem(
                f"{path}.standbyServers",
                f"{dr.standby_servers} standby servers: a pool "
                f"has at most 8 servers, at most {MAX_ACTIVE_SERVERS} active, so 1 to "
                f"{MAX_STANDBY_SERVERS} standby",
                src.CAPACITY,
            )


def stretched_layout(cfg: TopologyConfig) -> Iterator[Problem]:
    """The two documented layouts of a stretched pool: all active servers in the primary data center
    (low bandwidth, high latency), or half of them in each (high bandwidth, low latency)."""
    for key, pool in cfg.pools.items():
        dr = pool.disaster_recovery
        if cfg.edition is Edition.STANDARD or dr is None or dr.layout is not StretchedLayout.HIGH_BANDWIDTH:
            continue
        path = f"pools.{key}.disasterRecovery"
        if dr.standby_servers is not None:
            yield Problem(
                f"{path}.standbyServers",
                "the highBandwidth layout puts as many servers in each data center as the pool has active "
                "servers, half of them active; omit standbyServers",
                src.REQUIRED_RESOURCES,
            )
        if active_servers(pool) < 2:
            yield Problem(
                f"{path}.layout",
                "highBandwidth spreads the active servers over both data centers, so it needs at least 2; "
                "set activeServers: 2 or use lowBandwidth",
                src.REQUIRED_RESOURCES,
            )


def lync_sites(cfg: TopologyConfig) -> Iterator[Problem]:
    """One default pool per Lync site; a stretched pool is one logical Lync site over two data centers."""
    defaults: dict[str, tuple[str, str]] = {}
    for key, pool in cfg.pools.items():
        if pool.site not in cfg.sites:
            continue
        site = lync_site(cfg.sites, pool.site)
        owner, named = defaults.setdefault(site.lower(), (key, site)) if pool.default_for_site else (key, site)
        if owner != key:
            yield Problem(
                f"pools.{key}.defaultForSite",
                f"pool {owner!r} is already the default for Lync site {named!r}",
                src.ADD_TO_TOPOLOGY,
            )
        dr = pool.disaster_recovery
        standby = cfg.sites.get(dr.standby_site) if dr else None
        if standby is not None and standby.lync_site is not None and standby.lync_site.lower() != site.lower():
            yield Problem(
                f"sites.{dr.standby_site}.lyncSite" if dr else "sites",
                f"{standby.lync_site!r} is another Lync site than {site!r}, but pool {key!r} stretches into this "
                "data center, and a stretched pool is one logical Lync site over two data centers; "
                f"set lyncSite: {site} or omit it",
                src.STRETCHED_POOL,
            )
    for key, site_config in cfg.sites.items():
        if site_config.lync_site is not None and not is_lync_site_name(site_config.lync_site):
            yield Problem(
                f"sites.{key}.lyncSite",
                f"{site_config.lync_site!r} is not a Lync site name: 1 to 64 letters, digits, spaces, "
                "periods, hyphens or underscores, starting with a letter or digit",
            )


def pool_sites(cfg: TopologyConfig) -> Iterator[Problem]:
    """Known sites, file stores."""
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        if pool.site not in cfg.sites:
            yield Problem(
                f"{path}.site", f"{pool.site!r} is not a site; define it under sites (known: {', '.join(cfg.sites)})"
            )
        if pool.file_store is not None:
            servers = len([s for s in seats(pool, cfg.edition) if not s.role.is_sql])
            if not is_unc_path(pool.file_store) and (servers > 1 or not _is_local_path(pool.file_store)):
                yield Problem(
                    f"{path}.fileStore",
                    f"{pool.file_store!r}: a multi-server pool's file "
                    "store is a UNC path such as \\\\fs01.corp.contoso.com\\pchat",
                    src.ADD_TO_TOPOLOGY,
                )


def addresses(cfg: TopologyConfig) -> Iterator[Problem]:
    """Each pool owns one block (addressSlot) in every site it uses."""
    taken: dict[tuple[str, int], str] = {}
    for key, pool in cfg.pools.items():
        path = f"pools.{key}.addressSlot"
        used_sites = sorted({seat.site for seat in seats(pool, cfg.edition)})
        for site_key in used_sites:
            site = cfg.sites.get(site_key)
            slots = _slots(site) if site else None
            if slots is not None and slots > 0 and not 0 <= pool.address_slot < slots:  # 0: a subnet too small
                yield Problem(
                    path,
                    f"slot {pool.address_slot} is outside site {site_key!r}, whose subnets hold slots 0 to {slots - 1}",
                )
                continue
            owner = taken.setdefault((site_key, pool.address_slot), key)
            if owner != key:
                free = [n for n in range(slots or 0) if (site_key, n) not in taken][:5]
                yield Problem(
                    path,
                    f"slot {pool.address_slot} in site {site_key!r} belongs to pool "
                    f"{owner!r}; give this pool a free slot such as "
                    f"{', '.join(map(str, free)) or 'none (use a larger address space)'}",
                )


def _slots(site: SiteConfig) -> int | None:
    found = site_subnets(site)
    return None if found is None else min(slot_count(subnet) for subnet in found)


def _is_local_path(text: str) -> bool:
    return len(text) > 2 and text[1] == ":" and text[0].isalpha() and text[2] == "\\"


def chat(cfg: TopologyConfig) -> Iterator[Problem]:
    """Room categories and add-ins: flat names, members Persistent Chat resolves, creators among the allowed
    members, add-ins on https."""
    for key, pool in cfg.pools.items():
        for name, category in pool.categories.items():
            path = f"pools.{key}.categories.{segment(name)}"
            if not _is_flat_name(name):
                yield Problem(
                    path,
                    "a category name is not empty and holds no backslash: categories cannot be nested, and a "
                    "category's identity is <pool FQDN>\\<name>",
                    src.NEW_FEATURES,
                )
            yield from _members(path, category)
            yield from _creators(path, category)
        for name, add_in in pool.add_ins.items():
            yield from _add_in(f"pools.{key}.addIns.{segment(name)}", name, add_in.url)


def _is_flat_name(name: str) -> bool:
    return bool(name) and "\\" not in name


def _add_in(path: str, name: str, url: str) -> Iterator[Problem]:
    if not _is_flat_name(name):
        yield Problem(
            path,
            "an add-in name is not empty and holds no backslash: an add-in's identity is <pool FQDN>\\<name>",
            src.PS_ADD_IN,
        )
    if not is_https_url(url):
        yield Problem(f"{path}.url", f"{url!r} is not an https URL such as https://apps.contoso.com/helpdesk")


def _members(path: str, category: CategoryConfig) -> Iterator[Problem]:
    lists = (
        ("allowedMembers", category.allowed_members),
        ("deniedMembers", category.denied_members),
        ("creators", category.creators),
    )
    for field, members in lists:
        for index, member in enumerate(members):
            if not is_principal(member):
                yield Problem(
                    f"{path}.{field}.{index}",
                    f"{member!r} is neither a SIP URI (sip:user@contoso.com) nor an AD distinguished name "
                    f"(OU=IT,DC=contoso,DC=com){_split_hint(member)}",
                    src.PS_CATEGORY,
                )


def _split_hint(member: str) -> str:
    """What went wrong when one relative name of a distinguished name stands alone."""
    if "=" in member and "," not in member:
        return "; a YAML flow list [a, b] splits a distinguished name at its commas"
    return ""


def _creators(path: str, category: CategoryConfig) -> Iterator[Problem]:
    """Creators are a subset of the allowed members minus the denied ones, as far as the config shows it:
    the members of a group, or the users of an OU named by SIP URI, are only known to Active Directory."""
    subset = "creators are a subset of allowedMembers minus deniedMembers"
    for index, creator in enumerate(category.creators):
        if not is_principal(creator):
            continue
        if _within(creator, category.denied_members):
            yield Problem(
                f"{path}.creators.{index}",
                f"{creator!r} is a denied member, and denied members override allowed ones: {subset}",
                src.MANAGE_CATEGORIES,
            )
        elif not _maybe_within(creator, category.allowed_members):
            yield Problem(
                f"{path}.creators.{index}", f"{creator!r} is not among allowedMembers: {subset}", src.MANAGE_CATEGORIES
            )


def _within(member: str, principals: tuple[str, ...]) -> bool:
    """Whether ``member`` is one of ``principals`` or, as a distinguished name, lies under one of them."""
    name = member.casefold()
    return any(name == p.casefold() or name.endswith("," + p.casefold()) for p in principals)


def _maybe_within(member: str, principals: tuple[str, ...]) -> bool:
    """:func:`_within`, or possibly: a group or an OU among ``principals`` may hold a user named by SIP URI,
    and a group named as ``member`` may hold only allowed users; only Active Directory knows."""
    if _within(member, principals):
        return True
    sip = member.casefold().startswith("sip:")
    return any("=" in p for p in principals) or (not sip and bool(principals))


def compliance_advice(pool: PoolConfig, edition: Edition) -> bool:
    """True where mgccomp shares an instance although HA/DR recommends stand-alone ones."""
    return (
        pool.compliance.enabled
        and compliance_placement(pool, edition) is CompliancePlacement.SHARED
        and (pool.high_availability.mirroring or pool.disaster_recovery is not None)
    )


RULES = (
    standard_edition,
    enterprise_edition,
    capacity,
    stores,
    compliance_output,
    high_availability,
    disaster_recovery,
    stretched_layout,
    lync_sites,
    pool_sites,
    addresses,
    chat,
)
