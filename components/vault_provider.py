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

from ..model import arm

SUBSCRIPTION_ENV = ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID")
"""Where the default azure-native provider reads its subscription when the stack config does not set
``azure-native:subscriptionId``."""


def deployment_subscription() -> str | None:
    """The subscription the default provider deploys to, when the stack config or environment names it."""
    configured = pulumi.Config("azure-native").get("subscriptionId")
    return configured or next((os.environ[k] for k in SUBSCRIPTION_ENV if os.environ.get(k)), None)


def vault_provider(name: str, vault_id: pulumi.Input[str], parent: pulumi.Resource) -> azure_native.Provider | None:
    """A provider for the vault's subscription when ``vault_id`` is known now and names another subscription
    than the deployment's; None otherwise (the default provider; for an Output, pass ``key_vault_provider``).

    With the deployment's subscription unknown (``az login`` with neither ``azure-native:subscriptionId`` nor
    ``ARM_SUBSCRIPTION_ID`` set), a warning says how to pin it."""
    if not isinstance(vault_id, str):
        return None
    vault_subscription = arm.subscription_of(vault_id)
    deploying = deployment_subscription()
    if deploying is None:
        pulumi.log.warn(
            f"keyVaultId is in subscription {vault_subscription}: set azure-native:subscriptionId (or "
            "ARM_SUBSCRIPTION_ID) so the secrets are written there when it is not the deployment's",
            resource=parent,
        )
        return None
    if not vault_subscription or vault_subscription.lower() == deploying.lower():
        return None
    config = pulumi.Config("azure-native")
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
