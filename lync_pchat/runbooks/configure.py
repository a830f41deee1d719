"""``configure``: administrators, pool settings, compliance adapter, room categories, add-ins and policy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import PoolPlan
from ..model import needs as n
from ..model import sources as src
from ..model.chat import AddInPlan, CategoryPlan
from ..model.plan import Plan
from ..model.ports import PCHAT
from ..scripting import for_product, quoting
from . import plan_facts, reach
from .templates import fill

XML_ADAPTER = "Microsoft.Rtc.Internal.Chat.Server.Compliance.XmlAdapter,compliance"
"""The built-in compliance adapter type [PS:New-CsPersistentChatComplianceConfiguration]."""


@for_product
def render(plan: Plan) -> dict[str, str]:
    """One ``configure-<pool>.ps1`` per pool."""
    return {plan_facts.runbook_file("configure", pool): _pool(plan, pool) for pool in plan.pools}


def _pool(plan: Plan, pool: PoolPlan) -> str:
    return fill(
        "configure.ps1",
        run_location=reach.location(plan),
        reachability=reach.precheck(plan, needs(pool)),
        pool_fqdn=pool.fqdn,
        lync_site=pool.lync_site,
        pool_fqdn_ps=quoting.powershell(pool.fqdn),
        policy_identity=quoting.powershell(f"site:{pool.lync_site}"),
        service_identity=quoting.powershell(plan_facts.service_identity(pool)),
        compliance=_compliance(pool),
        categories=_categories(pool),
        add_ins=_add_ins(pool),
        checklist=src.CHECKLIST,
        add_administrator=src.ADD_ADMINISTRATOR,
        user_roles=src.USER_ROLES,
        configure=src.CONFIGURE,
        ps_configuration=src.PS_CONFIGURATION,
        enable_policy=src.ENABLE_POLICY,
        ps_policy=src.PS_POLICY,
    )


def _compliance(pool: PoolPlan) -> str:
    if not pool.compliance:
        return f"# [{src.PS_COMPLIANCE}]: compliance is off for this pool: no compliance configuration."
    assert pool.compliance_output is not None, "the planner gives every compliance pool its output folder"
    return fill(
        "configure-compliance.ps1",
        ps_compliance=src.PS_COMPLIANCE,
        service_identity=quoting.powershell(plan_facts.service_identity(pool)),
        adapter_type=quoting.powershell(XML_ADAPTER),
        output=pool.compliance_output,
        output_ps=quoting.powershell(pool.compliance_output),
    )


def _categories(pool: PoolPlan) -> str:
    """Each category, created when missing and then set: members, creators and options, every run."""
    lines = [
        f"# [{src.MANAGE_CATEGORIES}]: every room belongs to a category, so nobody can create a room before the",
        f"# pool has one [{src.PS_NEW_CATEGORY}]. New- creates a category; Set- then sets what New- cannot (the",
        "# members: {Replace = ...} makes each list exactly the configured one, $null empties it)",
        f"# [{src.PS_CATEGORY}].",
        "# Creators are a subset of the allowed members minus the denied ones; denied members override allowed ones.",
        "# -Invitations $true turns invitations on (the reference's sentence says $False does, against New-'s",
        "# -EnableInvitations and the Invites property; read as a typo).",
    ]
    if not pool.categories:
        return "\n".join([*lines, "# This pool defines no category (pools.<pool>.categories)."])
    return "\n".join(lines + [_category(pool, category) for category in pool.categories])


def _category(pool: PoolPlan, category: CategoryPlan) -> str:
    description = category.description
    return fill(
        "configure-category.ps1",
        category=category.name,
        name_ps=quoting.powershell(category.name),
        identity_ps=quoting.powershell(f"{pool.fqdn}\\{category.name}"),
        description="" if description is None else f" -Description {quoting.powershell(description)}",
        allowed=_principals(category.allowed_members),
        denied=_principals(category.denied_members),
        creators=_principals(category.creators),
        invitations=_boolean(category.invitations),
        file_upload=_boolean(category.file_upload),
        chat_history=_boolean(category.chat_history),
    ).rstrip("\n")


def _principals(members: Iterable[str]) -> str:
    listed = list(members)
    return f"@{{Replace = {quoting.powershell_list(listed)}}}" if listed else "$null"


def _boolean(flag: bool) -> str:
    return "$true" if flag else "$false"


def _add_ins(pool: PoolPlan) -> str:
    lines = [f"# [{src.MANAGE_ADD_INS}]: add-ins, the web pages rooms can show [{src.PS_ADD_IN}]."]
    if not pool.add_ins:
        return "\n".join([*lines, "# This pool defines no add-in (pools.<pool>.addIns)."])
    return "\n".join(lines + [_add_in(pool, add_in) for add_in in pool.add_ins])


def _add_in(pool: PoolPlan, add_in: AddInPlan) -> str:
    return fill(
        "configure-add-in.ps1",
        add_in=add_in.name,
        name_ps=quoting.powershell(add_in.name),
        identity_ps=quoting.powershell(f"{pool.fqdn}\\{add_in.name}"),
        url_ps=quoting.powershell(add_in.url),
    ).rstrip("\n")


def needs(pool: PoolPlan) -> Iterator[n.Need]:
    """Persistent Chat administration (categories, add-ins, policy) on the pool's servers, port 8011 [Gg398500]."""
    at = n.Origin("runbook:configure", n.MANAGEMENT, n.ADMIN, n.INSTALL)
    for server in pool.pool_servers:
        yield at.to(server.key, PCHAT, "Persistent Chat administration")
