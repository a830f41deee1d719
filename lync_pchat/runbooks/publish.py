"""``publish``: Topology Builder values per pool, database installation, publish, mirroring."""

from __future__ import annotations

from ..model import Plan, PoolPlan, SqlInstance, StorePlan
from ..model.config import Edition
from ..model.plan import MGC
from . import facts
from . import sources as src
from .sources import cite
from .templating import fill


def render(plan: Plan) -> dict[str, str]:
    """One ``publish-<pool>.ps1`` per pool."""
    return {facts.runbook_file("publish", pool): _pool(plan, pool) for pool in plan.pools}


def _pool(plan: Plan, pool: PoolPlan) -> str:
    mirrored = [s for s in pool.stores if s.mirror is not None]
    return fill(
        "publish.ps1",
        pool_fqdn=pool.fqdn,
        site=pool.site,
        checklist="\n".join(_topology(plan, pool) + _hadr(pool) + _machine_state(pool)),
        databases="\n".join(_databases(plan, pool)),
        mirroring="\n".join(_mirroring(mirrored)),
        members=", ".join(facts.fqdns(pool.pool_servers)),
        add_to_topology=src.ADD_TO_TOPOLOGY,
        publish=src.PUBLISH,
        install_database=src.PS_INSTALL_DATABASE,
        sql_mirroring=src.SQL_MIRRORING,
        checklist_source=src.CHECKLIST,
    )


def _check(step: int | str, *items: str, source: str = src.ADD_TO_TOPOLOGY) -> list[str]:
    return [f"# {cite(source, step)}", *(f"#   [ ] {item}" for item in items)]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _topology(plan: Plan, pool: PoolPlan) -> list[str]:
    compliance = _store(plan, pool.mgccomp.primary) if pool.mgccomp else "none: compliance is off"
    return [
        *_check(3, f"Pool FQDN: {pool.fqdn}", *_members(plan, pool)),
        *_check(4, f"Display name: {pool.key}"),
        *_check(5, f"Port: {pool.port}"),
        *_check(6, f"Enable compliance: {_yes(pool.compliance)}"),
        *_check(7, f"Use this pool as default for site {pool.site}: {_yes(pool.default_for_site)}"),
        *_check(8, f"SQL store: {_store(plan, pool.mgc.primary)}"),
        *_check(9, f"Compliance SQL store: {compliance}"),
        *_check(10, _file_store(pool)),
        *_check(11, f"Next hop pool: {pool.next_hop}"),
        *_check(12, "Finish"),
    ]


def _members(plan: Plan, pool: PoolPlan) -> list[str]:
    if plan.edition is Edition.STANDARD:
        return ["Single Computer Pool on the Standard Edition server: the pool FQDN is the server FQDN"]
    lines = [
        "Multiple Computer Pool (a single computer pool cannot take more servers later)",
        f"Member servers, active in {pool.site}: {', '.join(facts.fqdns(pool.active))}",
    ]
    if pool.standby:
        lines.append(f"Member servers, standby in {pool.standby_site}: {', '.join(facts.fqdns(pool.standby))}")
    return lines


def _store(plan: Plan, instance: SqlInstance) -> str:
    if instance.server is not None:
        return facts.described(instance)
    if plan.edition is Edition.STANDARD:
        return f"{facts.described(instance)}: SQL Server Express on the Standard Edition server"
    return f"{facts.described(instance)}: the existing Back End instance, collocated"


def _file_store(pool: PoolPlan) -> str:
    if pool.file_store is None:
        return (
            "File store: not set in the stack (fileStore): the Lync file store share, a UNC path (a local "
            "path only for a single computer pool) that must exist before publishing"
        )
    server, _, share = pool.file_store.lstrip("\\").partition("\\")
    return (
        f"File store: {pool.file_store} (File Server FQDN {server}, File Share {share}); "
        "it must exist before publishing"
    )


def _hadr(pool: PoolPlan) -> list[str]:
    """Extra stores and their relations [L:...using-topology-builder-to-configure-high-availability...]."""
    stores = [s for s in pool.stores if s.mirror or s.backup]
    if not stores:
        return []
    added: dict[str, list[str]] = {}
    for store in stores:
        for role, instance in _extra(store):
            added.setdefault(instance.name, []).append(f"{store.database} {role}")
    lines = ["#", "# High availability and disaster recovery in Topology Builder"]
    lines += _check(
        1, *(f"Add SQL store {name} ({', '.join(roles)})" for name, roles in added.items()), source=src.HADR_TOPOLOGY
    )
    for store in stores:
        lines += _edits(store)
    return lines


def _extra(store: StorePlan) -> list[tuple[str, SqlInstance]]:
    pairs = [
        ("mirror", store.mirror),
        ("witness", store.witness),
        ("backup", store.backup),
        ("backup mirror", store.backup_mirror),
        ("backup witness", store.backup_witness),
    ]
    return [(role, instance) for role, instance in pairs if instance is not None]


def _witness(instance: SqlInstance | None) -> list[str]:
    if instance is None:
        return []
    return [f"Use SQL mirroring witness to enable automatic failover: {instance.name} (port {facts.WITNESS_PORT})"]


def _edits(store: StorePlan) -> list[str]:
    label = "SQL store" if store.database == MGC else "Compliance SQL store"
    lines: list[str] = []
    if store.mirror:
        lines += _check(
            "2.1-2.2",
            f"{label} {store.primary.name}: Enable SQL Store mirroring, mirroring SQL "
            f"store {store.mirror.name} (port {facts.MIRROR_PORT})",
            *_witness(store.witness),
            source=src.HADR_TOPOLOGY,
        )
    if store.backup:
        lines += _check(
            "2.3-2.4",
            f"{label} {store.primary.name}: enable SQL Server log shipping, backup SQL store {store.backup.name}",
            source=src.HADR_TOPOLOGY,
        )
    if store.backup and store.backup_mirror:
        lines += _check(
            "2.5",
            f"{label} backup {store.backup.name}: mirroring SQL store "
            f"{store.backup_mirror.name} (port {facts.MIRROR_PORT})",
            *_witness(store.backup_witness),
            source=src.HADR_TOPOLOGY,
        )
    return lines


def _machine_state(pool: PoolPlan) -> list[str]:
    if not pool.standby:
        return []
    return [
        "#",
        f"# {cite(src.MACHINE_STATE)} Machine state settings (at least one server stays active)",
        f"#   [ ] Make active: {', '.join(facts.fqdns(pool.active))}",
        f"#   [ ] Make inactive: {', '.join(facts.fqdns(pool.standby))}",
    ]


def _databases(plan: Plan, pool: PoolPlan) -> list[str]:
    """Install-CsDatabase on each store instance: primary stores, then backup stores."""
    stores = pool.stores
    lines: list[str] = []
    for instance in facts.unique([s.primary for s in stores] + [s.backup for s in stores]):
        held = [s.database for s in stores if instance in (s.primary, s.backup)]
        lines.append(f"# {' and '.join(held)} on {instance.name}")
        lines.append(_install_database(plan, instance))
    return lines


def _install_database(plan: Plan, instance: SqlInstance) -> str:
    line = f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn {instance.fqdn}"
    line += facts.instance_switch(instance, "ForInstance")
    paths = facts.database_paths(plan, instance)
    return line + (f" -DatabasePaths {','.join(facts.ps(p) for p in paths)}" if paths else "")


def _mirroring(mirrored: list[StorePlan]) -> list[str]:
    """Install-CsMirrorDatabase once per principal instance, through the mirror share on it."""
    if not mirrored:
        return ["# No store of this pool is mirrored (highAvailability.mirroring is off, or the store is not ours)."]
    lines = [
        f"# {cite(src.SQL_MIRRORING, 1)}: mirror each principal onto the mirror defined in the topology, through",
        "# the principal's pchat-mirror share (the VM bootstrap created it); the SQL Server service accounts of the",
        "# principal and the mirror need read/write access to it",
    ]
    for principal in facts.unique(s.primary for s in mirrored):
        held = [s for s in mirrored if s.primary == principal]
        mirror, share = held[0].mirror, held[0].mirror_share
        assert mirror is not None and share is not None, "the planner shares every mirrored principal"
        lines.append(f"# {' and '.join(s.database for s in held)}: {principal.name} -> {mirror.name}")
        lines.append(
            f"Install-CsMirrorDatabase -ConfiguredDatabases -FileShare {facts.ps(share.unc)} "
            f"-SqlServerFqdn {principal.fqdn}{facts.instance_switch(principal, 'ForInstance')}"
        )
    lines.append(
        f"# {cite(src.SQL_MIRRORING, 2)}: open TCP {facts.MIRROR_PORT} on principal and mirror and TCP "
        f"{facts.WITNESS_PORT} on the witness; WMI must run on all of them"
    )
    return lines
