"""``migrate``: moves a Lync Server 2013 Persistent Chat pool's rooms and history to the Skype for Business Server
2015 pool of a ``product: skype2015`` stack (docs/skype2015.md)."""

from __future__ import annotations

from .. import quoting
from ..model import Plan, PoolPlan
from ..model.products import PS_EXPORT, PS_IMPORT, SKYPE_SERVER, SKYPE_UPGRADE, SKYPE_UPGRADE_PLAN, Product
from . import facts
from . import sources as src
from .errors import RunbookNotApplicable
from .templating import fill

BACKING_UP = "L:lync-server-2013-backing-up-persistent-chat-databases"
RESTORING = "L:lync-server-2013-restoring-persistent-chat-data"


def render(plan: Plan) -> dict[str, str]:
    """One ``migrate-<pool>.ps1`` per pool of a skype2015 stack."""
    if plan.product is not Product.SKYPE2015:
        raise RunbookNotApplicable(
            "the migrate runbook moves a Lync Server 2013 pool to a Skype for Business Server 2015 one: it applies "
            "to the new stack, with product: skype2015 (docs/skype2015.md)"
        )
    return {facts.runbook_file("migrate", pool): _pool(pool) for pool in plan.pools}


def _pool(pool: PoolPlan) -> str:
    return fill(
        "migrate.ps1",
        pool_fqdn=pool.fqdn,
        lync_site=pool.lync_site,
        pool_fqdn_ps=quoting.powershell(pool.fqdn),
        target_store_ps=quoting.powershell(pool.mgc.primary.name),
        server_requirements=SKYPE_SERVER,
        upgrade_plan=SKYPE_UPGRADE_PLAN,
        upgrade_deploy=SKYPE_UPGRADE,
        ps_export=PS_EXPORT,
        ps_import=PS_IMPORT,
        backing_up=BACKING_UP,
        restoring=RESTORING,
        services=src.SERVICES,
    )
