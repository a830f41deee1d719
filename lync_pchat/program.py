"""The composition root of the Pulumi program: config -> plan -> components -> outputs."""

from __future__ import annotations

import pulumi

from components import PersistentChatDeployment
from components.preparation import SECRETS, deployment_args

from .stack import load_plan
from .stackfile import PROJECT


def run() -> None:
    """Validate the stack's topology, provision it, export what a Lync admin needs."""
    plan = load_plan()
    config = pulumi.Config(PROJECT)
    secrets = {key: config.get_secret(key) for key in SECRETS}
    deployment = PersistentChatDeployment("pchat", deployment_args(plan, secrets, _unset))
    pulumi.export("poolFqdns", deployment.pools)
    pulumi.export("servers", deployment.servers)
    pulumi.export("sqlStores", deployment.stores)
    pulumi.export("sites", deployment.sites)
    pulumi.export("vaultId", deployment.vault_id)
    pulumi.export("vaultUri", deployment.vault_uri)
    pulumi.export("adminPasswordSecretIds", deployment.password_secret_ids)


def _unset(key: str, why: str) -> str:
    return f"pchat:{key} is not set: {why}; set it with `pulumi config set --secret pchat:{key}`"
