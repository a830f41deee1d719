"""``failover`` and ``failback`` of a stretched pool, in the documented order."""

from __future__ import annotations

from ..model import Plan
from . import facts
from . import sources as src
from .facts import Shipped, Stretched
from .log_shipping import sql_file
from .sources import cite
from .templating import fill


def render_failover(plan: Plan) -> dict[str, str]:
    """One ``failover-<pool>.ps1`` per stretched pool."""
    return {facts.runbook_file("failover", s.pool): _failover(s) for s in facts.stretched(plan, "failover")}


def render_failback(plan: Plan) -> dict[str, str]:
    """One ``failback-<pool>.ps1`` per stretched pool."""
    return {facts.runbook_file("failback", s.pool): _failback(s) for s in facts.stretched(plan, "failback")}


def _common(pool: Stretched) -> dict[str, str]:
    return {
        "pool_fqdn": pool.pool.fqdn,
        "site": pool.pool.site,
        "standby_site": pool.pool.standby_site or "",
        "state_identity": facts.ps(facts.state_identity(pool.pool)),
        "active_identity": facts.ps(facts.active_identity(pool.pool)),
        "backup_ps": facts.ps(pool.mgc.backup.name),
        "ps_active_server": src.PS_ACTIVE_SERVER,
    }


def _failover(pool: Stretched) -> str:
    mgc = pool.mgc
    shares = mgc.log_shipping
    return fill(
        "failover.ps1",
        **_common(pool),
        primary=mgc.primary.name,
        backup=mgc.backup.name,
        backup_share_ps=facts.ps(shares.backup.unc),
        copy_share_ps=facts.ps(shares.copy.unc),
        copy_path_ps=facts.ps(shares.copy.seen_from(mgc.backup.server)),
        mirror=_mirror(mgc),
        standby=facts.ps_list(facts.fqdns(pool.pool.standby)),
        failover=src.FAILOVER,
        ps_state=src.PS_STATE,
    )


def _mirror(mgc: Shipped) -> str:
    step = f"# {cite(src.FAILOVER, 6)}"
    share = mgc.failover_mirror_share
    if mgc.backup_mirror is None or share is None:
        return f"{step}: the backup store has no mirror in this stack (highAvailability.mirroring is off)."
    return "\n".join(
        [
            f"{step}: mirror the backup database, now the primary, onto the backup mirror",
            f"# {mgc.backup_mirror.name}, not the mirror of the original primary [{src.PS_MIRROR_DATABASE}], through",
            "# the log-shipping backup share on the backup store, which both of them read and write",
            f"# [{src.REQUIRED_RESOURCES}] item 5",
            f"Install-CsMirrorDatabase -DatabaseType {mgc.database_type} -FileShare {facts.ps(share.unc)} "
            f"-SqlServerFqdn {mgc.backup.fqdn}{facts.instance_switch(mgc.backup, 'SqlInstanceName')}",
        ]
    )


def partner_off(database: str) -> str:
    """T-SQL that removes database mirroring when there is any (SSMS: Tasks > Mirror > Remove Mirroring)."""
    return (
        f"IF EXISTS (SELECT 1 FROM sys.database_mirroring WHERE database_id = DB_ID(N'{database}') "
        f"AND mirroring_guid IS NOT NULL) ALTER DATABASE {database} SET PARTNER OFF;"
    )


def _failback(pool: Stretched) -> str:
    mgc, share = pool.mgc, pool.mgc.log_shipping.backup
    return fill(
        "failback.ps1",
        **_common(pool),
        primary_ps=facts.ps(mgc.primary.name),
        backup=mgc.backup.name,
        failback_backup_ps=facts.ps(f"{share.seen_from(mgc.backup.server)}\\mgc_failback.bak"),
        failback_restore_ps=facts.ps(f"{share.seen_from(mgc.primary.server)}\\mgc_failback.bak"),
        remove_mirroring="\n".join(
            f"Invoke-Sql {facts.ps(s.backup.name)} {facts.ps(partner_off(s.database))}" for s in pool.shipped
        ),
        partner_off_mgc=facts.ps(partner_off("mgc")),
        log_shipping_files="\n".join(f"Invoke-SqlFile {facts.ps(sql_file(pool, s))}" for s in pool.shipped),
        active=facts.ps_list(facts.fqdns(pool.pool.active)),
        after=_after(pool),
        failback=src.FAILBACK,
        log_shipping=src.LOG_SHIPPING,
    )


def _after(pool: Stretched) -> str:
    lines = ["# After failback (not in the topic):"]
    if pool.mgc.mirror is not None:
        lines.append(
            f"# - mirror the primary stores again: the publish runbook's Install-CsMirrorDatabase lines "
            f"[{src.SQL_MIRRORING}]."
        )
        lines.append(f"# - then the log-shipping-{pool.pool.key}-from-mirror.ps1 runbook [{src.LOG_SHIPPING_MIRROR}].")
    lines.append("# - Get-CsService -PersistentChatServer shows the pool's services.")
    return "\n".join(lines)
