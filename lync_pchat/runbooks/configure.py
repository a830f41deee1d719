"""``configure``: administrators, pool settings, compliance adapter and policy, per pool."""

from __future__ import annotations

from ..model import PoolPlan
from ..model.plan import Plan
from . import facts
from . import sources as src
from .templating import fill

XML_ADAPTER = "Microsoft.Rtc.Internal.Chat.Server.Compliance.XmlAdapter,compliance"
"""The built-in compliance adapter type [PS:New-CsPersistentChatComplianceConfiguration]."""
COMPLIANCE_FOLDER = "PersistentChatCompliance"
"""Folder for the XmlAdapter's output on each server's data volume: this runbook's choice."""


def render(plan: Plan) -> dict[str, str]:
    """One ``configure-<pool>.ps1`` per pool."""
    return {facts.runbook_file("configure", pool): _pool(pool) for pool in plan.pools}


def _pool(pool: PoolPlan) -> str:
    return fill(
        "configure.ps1",
        pool_fqdn=pool.fqdn,
        site=pool.site,
        policy_identity=facts.ps(f"site:{pool.site}"),
        compliance_params=_compliance_params(pool),
        service_identity=facts.ps(facts.service_identity(pool)),
        compliance=_compliance(pool),
        checklist=src.CHECKLIST,
        add_administrator=src.ADD_ADMINISTRATOR,
        user_roles=src.USER_ROLES,
        configure=src.CONFIGURE,
        ps_configuration=src.PS_CONFIGURATION,
        enable_policy=src.ENABLE_POLICY,
        ps_policy=src.PS_POLICY,
    )


def _output_directory(pool: PoolPlan) -> str:
    data = next(d for d in pool.pool_servers[0].disks if d.name == "data")
    return f"{data.drive_letter}:\\{COMPLIANCE_FOLDER}"


def _compliance_params(pool: PoolPlan) -> str:
    if not pool.compliance:
        return ""
    return (
        ",\n    # Where the XmlAdapter writes on each Persistent Chat server (the data volume by default)\n"
        f"    [string]$ComplianceOutputDirectory = {facts.ps(_output_directory(pool))}"
    )


def _compliance(pool: PoolPlan) -> str:
    if not pool.compliance:
        return f"# [{src.PS_COMPLIANCE}]: compliance is off for this pool: no compliance configuration."
    return fill(
        "configure-compliance.ps1",
        ps_compliance=src.PS_COMPLIANCE,
        service_identity=facts.ps(facts.service_identity(pool)),
        adapter_type=facts.ps(XML_ADAPTER),
    )
