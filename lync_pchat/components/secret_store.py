"""A Key Vault holding every server's administrator password, secure by default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_random as random
from pulumi_azure_native import authorization, keyvault

from .common import child

SOFT_DELETE_DAYS = 90


@dataclass(frozen=True)
class SecretStoreArgs:
    """Inputs of :class:`SecretStore`."""

    resource_group_name: pulumi.Input[str]
    location: str
    secrets: Mapping[str, pulumi.Input[str]]
    """Secret name -> value (a Pulumi secret)."""
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)


class SecretStore(pulumi.ComponentResource):
    """Children: a random vault-name suffix, a Key Vault (RBAC, soft delete, purge protection,
    network rules that deny by default) and one secret per entry.

    Outputs: ``vault_id``, ``vault_uri``, ``secret_ids`` (by name), ``secret_uris`` (by name).
    """

    vault_id: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    secret_ids: dict[str, pulumi.Output[str]]
    secret_uris: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: SecretStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pchat:index:SecretStore", name, None, opts)
        suffix = random.RandomString(f"{name}-suffix", length=8, special=False, upper=False,
                                     opts=child(self))
        tenant = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
        vault = keyvault.Vault(
            f"{name}-vault", resource_group_name=args.resource_group_name, location=args.location,
            vault_name=pulumi.Output.concat("kv-pchat-", suffix.result),
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=tenant, sku=keyvault.SkuArgs(family="A", name="standard"),
                enable_rbac_authorization=True, enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS, enable_purge_protection=True,
                public_network_access="Disabled",
                network_acls=keyvault.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices")),
            tags=dict(args.tags), opts=child(self, stateful=True, protect=args.protect))
        secrets = {
            key: keyvault.Secret(
                f"{name}-{key}", resource_group_name=args.resource_group_name, vault_name=vault.name,
                secret_name=key,
                properties=keyvault.SecretPropertiesArgs(value=pulumi.Output.secret(value),
                                                         content_type="password"),
                tags=dict(args.tags), opts=child(self))
            for key, value in args.secrets.items()
        }
        self.vault_id = vault.id
        self.vault_uri = vault.properties.apply(lambda p: p.vault_uri or "")
        self.secret_ids = {key: secret.id for key, secret in secrets.items()}
        self.secret_uris = {key: secret.properties.apply(lambda p: p.secret_uri or "")
                            for key, secret in secrets.items()}
        self.register_outputs({"vaultId": self.vault_id, "secretIds": self.secret_ids})
