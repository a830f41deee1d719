"""The Azure provider that reaches an existing key vault: the vault's own subscription, not the deployment's.

In a landing zone the central vault usually lives in the platform subscription. A secret is written through
the ARM plane of the vault's subscription, so it needs a provider for that subscription; the deployment's own
(default) provider stays for everything else, and for a vault in the same subscription, so that existing
secrets never move to another provider (which the engine would take as a replacement).

An explicit provider does not read the stack's ``azure-native:*`` config, so the settings that say who
deploys (tenant, client, OIDC or managed identity, cloud) are handed over; the rest comes from ``ARM_*``.
"""

from __future__ import annotations

import os

import pulumi
import pulumi_azure_native as azure_native

from lync_pchat.errors import TopologyConfigError
from lync_pchat.model import arm
from lync_pchat.model.resource_types import AZURE_NATIVE

SUBSCRIPTION_ENV = ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID")
"""Where the default azure-native provider reads its subscription when the stack config does not set
``azure-native:subscriptionId``."""


def deployment_subscription() -> str | None:
    """The subscription the default provider deploys to, when the stack config or environment names it."""
    configured = pulumi.Config(AZURE_NATIVE).get("subscriptionId")
    return configured or next((os.environ[k] for k in SUBSCRIPTION_ENV if os.environ.get(k)), None)


def require_deployment_subscription(vault_id: str) -> str:
    """The deployment's subscription; a config error when it is not configured, since whether the vault at
    ``vault_id`` is in another subscription cannot be told then."""
    deploying = deployment_subscription()
    if deploying is None:
        raise TopologyConfigError(
            f"keyVaultId is in subscription {arm.subscription_of(vault_id)}, and the deployment's subscription is "
            "not configured: set it with `pulumi config set azure-native:subscriptionId <id>` (or "
            "ARM_SUBSCRIPTION_ID), so that the secrets are written through the vault's own subscription when it is "
            "not the deployment's"
        )
    return deploying


def vault_provider(name: str, vault_id: pulumi.Input[str], parent: pulumi.Resource) -> azure_native.Provider | None:
    """A provider for the vault's subscription when ``vault_id`` is known now and names another subscription
    than the deployment's; None otherwise (the default provider; for an Output, pass ``key_vault_provider``).

    With the deployment's subscription unknown (``az login`` with neither ``azure-native:subscriptionId`` nor
    ``ARM_SUBSCRIPTION_ID`` set), whether the vault is elsewhere cannot be told: a config error says how to pin it
    (the secrets would otherwise go through the default provider, to whatever subscription it picks)."""
    if not isinstance(vault_id, str):
        return None
    vault_subscription = arm.subscription_of(vault_id)
    deploying = require_deployment_subscription(vault_id)
    if not vault_subscription or vault_subscription.lower() == deploying.lower():
        return None
    config = pulumi.Config(AZURE_NATIVE)
    return azure_native.Provider(
        f"{name}-vault-provider",
        subscription_id=vault_subscription,
        tenant_id=config.get("tenantId"),
        client_id=config.get("clientId"),
        client_secret=config.get_secret("clientSecret"),
        use_oidc=config.get_bool("useOidc"),
        use_msi=config.get_bool("useMsi"),
        environment=config.get("environment"),
        opts=pulumi.ResourceOptions(parent=parent),
    )
