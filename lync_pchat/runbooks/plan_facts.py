"""Plan facts the runbooks print: SQL instances, database paths, identities, stretched pools."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Plan, PoolPlan, ServerPlan, SqlInstance
from ..model.shipping import Stretched, stretched_pool
from ..scripting import quoting
from .errors import RunbookNotApplicable

MIRROR_PORT, WITNESS_PORT = 5022, 7022
"""Topology Builder's default mirroring and witness endpoint ports [L:...deploying-sql-mirroring...]."""


def fqdns(servers: Iterable[ServerPlan]) -> list[str]:
    return [s.fqdn for s in servers]


def described(instance: SqlInstance) -> str:
    """How Topology Builder's Define New SQL Store dialog takes an instance."""
    kind = f"Named Instance {instance.instance}" if instance.instance else "Default Instance"
    return f"{instance.name} (SQL Server FQDN {instance.fqdn}, {kind})"


def instance_switch(instance: SqlInstance, switch: str) -> str:
    """`` -<switch> '<instance>'`` for a named instance, nothing for the default one."""
    return f" -{switch} {quoting.powershell(instance.instance)}" if instance.instance else ""


def service_identity(pool: PoolPlan) -> str:
    """Service scope of configuration cmdlets [PS:New-CsPersistentChatConfiguration]."""
    return f"service:PersistentChatServer:{pool.fqdn}"


def active_identity(pool: PoolPlan) -> str:
    """The pool's service identity, as ``Get-CsService -PersistentChatServer`` returns it."""
    return f"PersistentChatServer:{pool.fqdn}"


def runbook_file(runbook: str, pool: PoolPlan, *parts: str, ext: str = "ps1") -> str:
    return "-".join((runbook, pool.key, *parts)) + f".{ext}"


def stretched(plan: Plan, runbook: str) -> list[Stretched]:
    """Every pool with a standby site; :class:`RunbookNotApplicable` when there is none."""
    result = [s for s in (stretched_pool(pool) for pool in plan.pools) if s is not None]
    if not result:
        raise RunbookNotApplicable(
            f"stack has no pool with disasterRecovery.standbySite; the {runbook} runbook applies "
            "only to a stretched pool"
        )
    return result
