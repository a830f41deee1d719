"""The composition root of the Pulumi program: config -> plan -> components -> outputs."""

from __future__ import annotations

import pulumi

from .components import DeploymentArgs, PersistentChatDeployment
from .errors import TopologyConfigError
from .stack import load_plan
from .stackfile import PROJECT


def run() -> None:
    """Validate the stack's topology, provision it, export what a Lync admin needs."""
    plan = load_plan()
    config = pulumi.Config(PROJECT)
    join_password = config.get_secret("domainJoinPassword")
    if plan.domain_join is not None and join_password is None:
        raise TopologyConfigError(
            "pchat:domainJoinPassword is not set: domainJoin names an account, so set its password "
            "with `pulumi config set --secret pchat:domainJoinPassword`"
        )
    deployment = PersistentChatDeployment(
        "pchat",
        DeploymentArgs(
            plan=plan,
            name_prefix=f"pchat-{pulumi.get_stack()}",
            admin_password=config.get_secret("adminPassword"),
            domain_join_password=join_password,
        ),
    )
    pulumi.export("poolFqdns", deployment.pools)
    pulumi.export("servers", deployment.servers)
    pulumi.export("sqlStores", deployment.stores)
    pulumi.export("vaultUri", deployment.vault_uri)
    pulumi.export("adminPasswordSecretIds", deployment.password_secret_ids)
