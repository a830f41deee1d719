"""One preparation path from a validated plan to :class:`DeploymentArgs`, for the program and the component."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pulumi

from lync_pchat.errors import TopologyConfigError
from lync_pchat.model import Plan

from .deployment import DeploymentArgs
from .estate import EstateInputs
from .vault_provider import require_deployment_subscription

SECRETS = ("adminPassword", "domainJoinPassword", "setupPassword")
"""The secret inputs, camelCase as in the stack config and the package schema."""


def resource_prefix(plan: Plan) -> str:
    """The validated ``namePrefix``, or ``pchat-<stack>``."""
    return plan.name_prefix or f"pchat-{pulumi.get_stack()}"


def deployment_args(
    plan: Plan,
    secrets: Mapping[str, pulumi.Input[str] | None],
    unset: Callable[[str, str], str],
    estate: EstateInputs | None = None,
) -> DeploymentArgs:
    """The deployment's args; a config error with one line per secret the plan needs and ``secrets`` lacks,
    ``unset(key, why)``, which says where to set it, or when the plan's vault is known and the deployment's
    subscription is not (:func:`require_deployment_subscription`)."""
    missing = [unset(key, why) for key, why in plan.required_secrets.items() if secrets.get(key) is None]
    if missing:
        raise TopologyConfigError("\n".join(missing))
    estate = estate or EstateInputs()
    if plan.key_vault_id is not None and estate.key_vault_id is None and estate.key_vault_provider is None:
        require_deployment_subscription(plan.key_vault_id)  # before any resource exists
    return DeploymentArgs(
        plan=plan,
        name_prefix=resource_prefix(plan),
        admin_password=secrets.get("adminPassword"),
        domain_join_password=secrets.get("domainJoinPassword"),
        setup_password=secrets.get("setupPassword"),
        estate=estate,
    )
