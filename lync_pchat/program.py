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
    secrets = {key: config.get_secret(key) for key in ("domainJoinPassword", "setupPassword")}
    missing = [
        f"pchat:{key} is not set: {why}; set it with `pulumi config set --secret pchat:{key}`"
        for key, why in plan.required_secrets.items()
        if secrets.get(key) is None
    ]
    if missing:
        raise TopologyConfigError("\n".join(missing))
    join_password = secrets["domainJoinPassword"]
    deployment = PersistentChatDeployment(
        "pchat",
        DeploymentArgs(
            plan=plan,
            name_prefix=plan.name_prefix or f"pchat-{pulumi.get_stack()}",
            admin_password=config.get_secret("adminPassword"),
            domain_join_password=join_password,
            setup_password=secrets["setupPassword"],
        ),
    )
    pulumi.export("poolFqdns", deployment.pools)
    pulumi.export("servers", deployment.servers)
    pulumi.export("sqlStores", deployment.stores)
    pulumi.export("sites", deployment.sites)
    pulumi.export("vaultId", deployment.vault_id)
    pulumi.export("vaultUri", deployment.vault_uri)
    pulumi.export("adminPasswordSecretIds", deployment.password_secret_ids)
