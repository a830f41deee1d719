"""Where ``mgc`` and ``mgccomp`` live, and the file shares their mirroring, log shipping and compliance use."""

from __future__ import annotations

from dataclasses import replace

from .config import CompliancePlacement, Edition, PoolConfig, StorePlacement, TopologyConfig
from .layout import compliance_placement, store_placement
from .plan import MGC, MGCCOMP, FileShare, LogShipping, ServerPlan, SqlInstance, StorePlan
from .roles import Role
from .server_specs import BACKUP_FOLDER

SE_SQL_INSTANCE = "RTC"
"""The Standard Edition server's back-end SQL Express instance, ``RTC`` by default
[L:move-the-lync-server-2010-central-management-server-to-lync-server-2013] (JJ688013); that Topology Builder
puts a collocated mgc and mgccomp in it too is UNCONFIRMED."""
MIRROR_SHARE = ("pchat-mirror", f"{BACKUP_FOLDER}\\Mirror")
BACKUP_SHARE = ("pchat-logship", f"{BACKUP_FOLDER}\\LogShipping")
COPY_SHARE = ("pchat-logcopy", f"{BACKUP_FOLDER}\\LogCopy")
COMPLIANCE_SHARE = ("pchat-compliance", "Compliance")
"""(share name, folder on the backup volume) of the mirroring, log-shipping and compliance output shares."""
COMPLIANCE_FOLDER = "PersistentChatCompliance"
"""The compliance output folder on a Standard Edition server's data volume."""

_STORE_ROLES = {Role.STORE, Role.STORE_MIRROR, Role.BACKUP_STORE, Role.BACKUP_STORE_MIRROR}
_COMPLIANCE_ROLES = {
    Role.COMPLIANCE_STORE,
    Role.COMPLIANCE_STORE_MIRROR,
    Role.COMPLIANCE_BACKUP_STORE,
    Role.COMPLIANCE_BACKUP_STORE_MIRROR,
}


def databases(role: Role, pool: PoolConfig, edition: Edition) -> tuple[str, ...]:
    """The databases a server holds: a store role (or a Standard Edition server whose SQL Express has
    them) holds mgc, and mgccomp when it is shared; a compliance role holds mgccomp."""
    shared = pool.compliance.enabled and compliance_placement(pool, edition) is CompliancePlacement.SHARED
    express = role is Role.STANDARD_EDITION and store_placement(pool, edition) is StorePlacement.EXPRESS
    if role in _STORE_ROLES or express:
        return (MGC, MGCCOMP) if shared else (MGC,)
    if role in _COMPLIANCE_ROLES:
        return (MGCCOMP,)
    return ()


def instance(server: ServerPlan | None) -> SqlInstance | None:
    return SqlInstance(server.fqdn, None, server.key) if server else None


def mgc(pool: PoolConfig, cfg: TopologyConfig, by_role: dict[Role, ServerPlan], fqdn: str) -> StorePlan:
    placement = store_placement(pool, cfg.edition)
    if placement is StorePlacement.EXPRESS:
        primary = SqlInstance(fqdn, SE_SQL_INSTANCE)
    elif placement is StorePlacement.COLLOCATED:
        assert pool.store.sql_server is not None
        primary = SqlInstance(pool.store.sql_server.lower(), pool.store.sql_instance)
    else:
        primary = SqlInstance(by_role[Role.STORE].fqdn, None, by_role[Role.STORE].key)
    mirror, witness = instance(by_role.get(Role.STORE_MIRROR)), instance(by_role.get(Role.WITNESS))
    named_share = None
    existing = pool.store.mirror
    if placement is StorePlacement.COLLOCATED and existing is not None and pool.high_availability.mirroring:
        # The Back End's own mirror and witness: not provisioned here (server None), so nothing is built on them.
        mirror = SqlInstance(existing.sql_server.lower(), existing.sql_instance)
        if existing.witness is not None:
            server, _, name = existing.witness.partition("\\")
            witness = SqlInstance(server.lower(), name or None)
        named_share = existing.file_share
    return StorePlan(
        database=MGC,
        primary=primary,
        mirror=mirror,
        witness=witness,
        named_mirror_share=named_share,
        backup=instance(by_role.get(Role.BACKUP_STORE)),
        backup_mirror=instance(by_role.get(Role.BACKUP_STORE_MIRROR)),
        backup_witness=instance(by_role.get(Role.BACKUP_WITNESS)),
    )


def mgccomp(pool: PoolConfig, cfg: TopologyConfig, by_role: dict[Role, ServerPlan], mgc: StorePlan) -> StorePlan | None:
    if not pool.compliance.enabled:
        return None
    if compliance_placement(pool, cfg.edition) is CompliancePlacement.SHARED:
        return replace(mgc, database=MGCCOMP)
    store = by_role[Role.COMPLIANCE_STORE]
    return StorePlan(
        database=MGCCOMP,
        primary=SqlInstance(store.fqdn, None, store.key),
        mirror=instance(by_role.get(Role.COMPLIANCE_STORE_MIRROR)),
        witness=mgc.witness,
        backup=instance(by_role.get(Role.COMPLIANCE_BACKUP_STORE)),
        backup_mirror=instance(by_role.get(Role.COMPLIANCE_BACKUP_STORE_MIRROR)),
        backup_witness=mgc.backup_witness,
    )


def with_shares(store: StorePlan, servers: dict[str, ServerPlan]) -> StorePlan:
    """``store`` with its mirror share on the principal and its log-shipping shares on its backup
    store (see :class:`~lync_pchat.model.plan.LogShipping` for why there).

    The mirror share is read and written by the principal and the mirror; the log-shipping backup share
    by every SQL Server of the pool in both data centers [L:lync-server-2013-required-resources-for-
    persistent-chat-server] item 5; the copy destination only by the backup store's own SQL Server Agent,
    locally, and by the administrators who fail over."""
    sql = tuple(s.key for s in servers.values() if s.role.is_sql and not s.role.is_witness)
    mirror_share = None
    if store.mirror is not None and store.named_mirror_share is None:
        principal = _host(store.primary, servers)
        mirror_share = share(principal, MIRROR_SHARE, (principal.key, _host(store.mirror, servers).key))
    log_shipping = None
    if store.backup is not None:
        backup = _host(store.backup, servers)
        log_shipping = LogShipping(backup=share(backup, BACKUP_SHARE, sql), copy=share(backup, COPY_SHARE, ()))
    return replace(store, mirror_share=mirror_share, log_shipping=log_shipping)


def compliance_output(
    pool: PoolConfig, edition: Edition, mgccomp: StorePlan | None, servers: dict[str, ServerPlan]
) -> tuple[str | None, FileShare | None]:
    """Where every pool server's compliance adapter writes, and the share the project creates for it:
    the configured share; else a folder on a Standard Edition server's data volume; else a share on the
    server that holds mgccomp, which every pool server may write."""
    if mgccomp is None:
        return None, None
    if pool.compliance.output_share is not None:
        return pool.compliance.output_share, None
    if edition is Edition.STANDARD:
        se = next(s for s in servers.values() if s.role is Role.STANDARD_EDITION)
        data = next(d for d in se.disks if d.name == "data")
        return f"{data.drive_letter}:\\{COMPLIANCE_FOLDER}", None
    if mgccomp.primary.server is None:
        return None, None
    writers = tuple(s.key for s in servers.values() if not s.role.is_sql)
    created = share(servers[mgccomp.primary.server], COMPLIANCE_SHARE, writers)
    return created.unc, created


def _host(sql: SqlInstance, servers: dict[str, ServerPlan]) -> ServerPlan:
    """The provisioned server of an instance: backup stores, and mirrored stores without a named share, are ours."""
    if sql.server is None:
        raise ValueError(f"{sql.name} is not provisioned here, so it cannot host a file share")
    return servers[sql.server]


def share(server: ServerPlan, name_folder: tuple[str, str], computers: tuple[str, ...]) -> FileShare:
    """The share ``(name, folder)`` on ``server``'s backup volume."""
    name, folder = name_folder
    volume = next((d for d in server.disks if d.name == "backup"), None)
    if volume is None:
        raise ValueError(f"{server.key} has no backup volume to host the {name} share")
    path = f"{volume.drive_letter}:\\{folder}"
    return FileShare(server.key, server.fqdn, name, path, computers)
