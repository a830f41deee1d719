"""``migrate``: moves a Lync Server 2013 Persistent Chat pool's rooms and history to the Skype for Business Server
2015 pool of a ``product: skype2015`` stack (docs/skype2015.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan, SqlInstance
from ..model import needs as n
from ..model import sources as src
from ..model.ports import PCHAT
from ..model.products import Product
from ..model.sources import PS_EXPORT, PS_IMPORT, SKYPE_SERVER, SKYPE_UPGRADE, SKYPE_UPGRADE_PLAN
from ..model.text import sql_store_pattern
from ..scripting import quoting
from . import plan_facts, reach
from .errors import RunbookNotApplicable
from .templates import fill


def count_query(database: str) -> str:
    """T-SQL: the chat rooms (tblNode rows whose nodeType, "True if the node is a category", is 0) and the chat
    messages (tblChat "contains all chat messages") of the Persistent Chat store ``database`` [SCHEMA_NODE]
    [SCHEMA_CHAT]; named columns only, as the schema page asks."""
    name = quoting.tsql_name(database)
    return (
        f"SELECT (SELECT COUNT_BIG(nodeID) FROM {name}.dbo.tblNode WHERE nodeType = 0) AS rooms, "
        f"(SELECT COUNT_BIG(chatId) FROM {name}.dbo.tblChat) AS messages;"
    )


def db_instance(instance: SqlInstance) -> str:
    """What ``-DBInstance`` of Export- and Import-CsPersistentChatData gets: ``<FQDN>\\<instance>`` as the cmdlet
    pages document it [PS:Import-CsPersistentChatData]; for a default instance, which the pages do not cover, the
    FQDN alone, the name SQL Server clients give a default instance [SQL_INSTANCE_NAME]."""
    return instance.name


def render(plan: Plan) -> dict[str, str]:
    """One ``migrate-<pool>.ps1`` per pool of a skype2015 stack."""
    if plan.product is not Product.SKYPE2015:
        raise RunbookNotApplicable(
            "the migrate runbook moves a Lync Server 2013 pool to a Skype for Business Server 2015 one: it applies "
            "to the new stack, with product: skype2015 (docs/skype2015.md)"
        )
    return {plan_facts.runbook_file("migrate", pool): _pool(plan, pool) for pool in plan.pools}


def _pool(plan: Plan, pool: PoolPlan) -> str:
    return fill(
        "migrate.ps1",
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, needs(pool)),
        pool_fqdn=pool.fqdn,
        lync_site=pool.lync_site,
        pool_fqdn_ps=quoting.powershell(pool.fqdn),
        target_store_ps=quoting.powershell(db_instance(pool.mgc.primary)),
        count_query_ps=quoting.powershell(count_query(pool.mgc.database)),
        store_pattern_ps=quoting.powershell(sql_store_pattern()),
        probe_task=f"pchat-probe-{pool.key}",
        schema=src.SCHEMA,
        schema_node=src.SCHEMA_NODE,
        schema_chat=src.SCHEMA_CHAT,
        sql_instance_name=src.SQL_INSTANCE_NAME,
        server_requirements=SKYPE_SERVER,
        upgrade_plan=SKYPE_UPGRADE_PLAN,
        upgrade_deploy=SKYPE_UPGRADE,
        ps_export=PS_EXPORT,
        ps_import=PS_IMPORT,
        backing_up=src.BACKING_UP,
        restoring=src.RESTORING,
        services=src.SERVICES,
    )


def needs(pool: PoolPlan) -> Iterator[n.Need]:
    """-Part Import and -Part Verify, from a management host: Import-CsPersistentChatData writes the new pool's mgc
    principal (-DBInstance) [PS:Import-CsPersistentChatData]; Get-CsPersistentChatRoom is Persistent Chat
    administration on the pool's servers, port 8011 [Gg398500]. -Part Export reads the old pool's store, which this
    stack does not build."""
    at = n.Origin("runbook:migrate", n.MANAGEMENT, n.ADMIN, n.INSTALL)
    yield from at.sql(pool.mgc.primary, "Import-CsPersistentChatData into mgc")
    for server in pool.pool_servers:
        yield at.to(server.key, PCHAT, "Get-CsPersistentChatRoom: Persistent Chat administration")
