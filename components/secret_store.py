"""A Key Vault holding every server's administrator password, secure by default."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pulumi
import pulumi_random as random
import pulumiverse_time
from pulumi_azure_native import authorization, keyvault

from lync_pchat.model import arm

from .common import Component, child, diagnostics
from .private_endpoint import Endpoint, private_endpoint
from .role_assignments import KEY_VAULT_SECRETS_USER, assign_role

SOFT_DELETE_DAYS = 90
EXPIRY_DAYS = 365


@dataclass(frozen=True)
class SecretStoreArgs:
    """Inputs of :class:`SecretStore`."""

    resource_group_name: pulumi.Input[str] | None
    """Where the vault is created; None with an existing vault."""
    location: str
    secrets: Mapping[str, pulumi.Input[str]]
    """Secret name -> value (a Pulumi secret)."""
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)
    expiry_days: int | None = EXPIRY_DAYS
    """Each secret expires this many days after its creation, a time captured once (a
    ``time.Offset`` per secret) and kept in the stack state; ``None``: no expiry."""
    not_after: date | None = None
    """A fixed expiry date (midnight UTC) for every secret, instead of ``expiry_days``."""
    diagnostics_workspace_id: pulumi.Input[str] | None = None
    """Log Analytics workspace for the vault's logs (allLogs) and metrics (AllMetrics)."""
    existing_vault_id: pulumi.Input[str] | None = None
    """An existing vault (RBAC authorization) to put the secrets in, instead of a new one; its owner
    keeps its settings and diagnostics."""
    readers: tuple[str, ...] = ()
    """Entra object ids given Key Vault Secrets User on the new vault."""
    provider: pulumi.ProviderResource | None = None
    """The provider that reaches the existing vault (its subscription); None: the default provider."""
    private_endpoint: Endpoint | None = None
    """A private endpoint (``vault``) for the new vault, in a subnet of your network."""
    private_endpoint_name: str | None = None
    """The Azure name of the private endpoint; default ``pep-<component name>-<sub-resource>``."""


class SecretStore(Component):
    """Children: a random vault-name suffix, a Key Vault (RBAC, soft delete, purge protection,
    no public network access, network rules that deny by default), one secret per entry, each
    with an expiry, a Key Vault Secrets User role assignment per reader, and, with a diagnostics workspace, the
    vault's diagnostic setting, and a private endpoint when one is given. With an
    existing vault, only the secrets, in that vault.

    The expiry never reads the clock in the program, so every preview is the same: either the
    fixed ``not_after`` date, or a ``time.Offset`` per secret whose base time the time provider
    captures when the secret is first created and keeps in the state (``expires`` = its ``unix``).

    Outputs: ``vault_id``, ``vault_uri``, ``secret_ids`` (by name), ``secret_uris`` (by name).
    """

    vault_id: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    secret_ids: dict[str, pulumi.Output[str]]
    secret_uris: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: SecretStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("SecretStore", name, opts)
        if args.existing_vault_id is not None:
            vault_id = pulumi.Output.from_input(args.existing_vault_id)
            vault_name, group = vault_id.apply(arm.name_of), vault_id.apply(arm.group_of)
            found = keyvault.get_vault_output(
                resource_group_name=group,
                vault_name=vault_name,
                opts=pulumi.InvokeOutputOptions(parent=self, provider=args.provider),
            )
            vault_uri = found.properties.apply(lambda p: p.vault_uri or "")
        else:
            assert args.resource_group_name is not None, "a new vault needs its resource group"
            vault = self._vault(name, args)
            vault_id, vault_name, group = vault.id, vault.name, pulumi.Output.from_input(args.resource_group_name)
            vault_uri = vault.properties.apply(lambda p: p.vault_uri or "")
        secrets = {
            key: keyvault.Secret(
                f"{name}-{key}",
                resource_group_name=group,
                vault_name=vault_name,
                secret_name=key,
                properties=keyvault.SecretPropertiesArgs(
                    value=pulumi.Output.secret(value),
                    content_type="password",
                    attributes=keyvault.SecretAttributesArgs(enabled=True, expires=self._expiry(name, key, args)),
                ),
                tags=dict(args.tags),
                opts=child(self, provider=args.provider),
            )
            for key, value in args.secrets.items()
        }
        self.vault_id = vault_id
        self.vault_uri = vault_uri
        self.secret_ids = {key: secret.id for key, secret in secrets.items()}
        self.secret_uris = {
            key: secret.properties.apply(lambda p: p.secret_uri or "") for key, secret in secrets.items()
        }
        self.register_outputs({"vaultId": self.vault_id, "secretIds": self.secret_ids})

    def _vault(self, name: str, args: SecretStoreArgs) -> keyvault.Vault:
        """A new vault: RBAC, soft delete, purge protection, no public network; its diagnostics when asked."""
        # The vault's name carries the suffix: a new suffix is a new vault, so it is kept like the vault.
        suffix = random.RandomString(
            f"{name}-suffix",
            length=8,
            special=False,
            upper=False,
            opts=child(self, stateful=True, protect=args.protect),
        )
        tenant = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
        vault = keyvault.Vault(
            f"{name}-vault",
            resource_group_name=args.resource_group_name,
            location=args.location,
            vault_name=pulumi.Output.concat("kv-pchat-", suffix.result),
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=tenant,
                sku=keyvault.SkuArgs(family="A", name="standard"),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS,
                enable_purge_protection=True,
                public_network_access="Disabled",
                network_acls=keyvault.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices"),
            ),
            tags=dict(args.tags),
            opts=child(self, stateful=True, protect=args.protect),
        )
        for reader in args.readers:
            assign_role(
                self, f"{name}-reader-{reader}", scope=vault.id, role=KEY_VAULT_SECRETS_USER, principal_id=reader,
                assignment_name=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{name}|{reader}|secrets-user")),
                description="reads the Persistent Chat servers' administrator passwords", principal_type=None,
                delete_before_replace=False,
            )  # fmt: skip
        if args.diagnostics_workspace_id is not None:
            diagnostics(
                f"{name}-diag", self, resource_uri=vault.id, workspace_id=args.diagnostics_workspace_id, metrics=True
            )
        if args.private_endpoint is not None and args.resource_group_name is not None:
            private_endpoint(
                self, f"{name}-vault", vault.id, "vault", args.private_endpoint,
                resource_group_name=args.resource_group_name, location=args.location, tags=args.tags,
                endpoint_name=args.private_endpoint_name,
            )  # fmt: skip
        return vault

    def _expiry(self, name: str, key: str, args: SecretStoreArgs) -> pulumi.Input[int] | None:
        """Epoch seconds at which secret ``key`` expires, or ``None`` for no expiry."""
        if args.not_after is not None:
            return epoch(args.not_after)
        if args.expiry_days is None:
            return None
        offset = pulumiverse_time.Offset(f"{name}-{key}-expiry", offset_days=args.expiry_days, opts=child(self))
        return offset.unix


def epoch(day: date) -> int:
    """Midnight UTC of ``day`` in seconds since the epoch, as Key Vault's ``exp`` attribute takes it."""
    return int(datetime.combine(day, time.min, tzinfo=UTC).timestamp())
