"""SecretStore: a Key Vault secure by default, one secret per password."""

from __future__ import annotations

import pulumi

from lync_pchat.components import SecretStore, SecretStoreArgs
from lync_pchat.offline.graph import children, is_secret, named, reveal, synthesize


def build(protect: bool = True) -> None:
    SecretStore("kv", SecretStoreArgs(resource_group_name="rg", location="northeurope",
                                      secrets={"a1-admin-password": pulumi.Output.secret("pw1")},
                                      protect=protect, tags={"pchat-role": "secrets"}))


def test_children() -> None:
    assert children(synthesize(build), "kv") == [
        ("azure-native:keyvault:Secret", "kv-a1-admin-password"),
        ("azure-native:keyvault:Vault", "kv-vault"),
        ("random:index/randomString:RandomString", "kv-suffix"),
    ]


def test_vault_is_secure_and_protected() -> None:
    vault = named(synthesize(build), "kv-vault")
    assert vault.inputs["vaultName"] == "kv-pchat-k3y5u7f1"
    properties = vault.inputs["properties"]
    assert {k: properties[k] for k in ("enableRbacAuthorization", "enableSoftDelete", "enablePurgeProtection",
                                       "softDeleteRetentionInDays", "publicNetworkAccess", "networkAcls")} == {
        "enableRbacAuthorization": True, "enableSoftDelete": True, "enablePurgeProtection": True,
        "softDeleteRetentionInDays": 90.0, "publicNetworkAccess": "Disabled",
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}
    assert properties["tenantId"] == "00000000-0000-0000-0000-000000000000"
    assert (vault.protect, vault.retain_on_delete) == (True, True)


def test_secret_value_is_a_pulumi_secret() -> None:
    secret = named(synthesize(build), "kv-a1-admin-password")
    assert secret.inputs["secretName"] == "a1-admin-password"
    assert is_secret(secret.inputs["properties"]["value"])
    assert reveal(secret.inputs["properties"]["value"]) == "pw1"


def test_protection_opt_out() -> None:
    vault = named(synthesize(lambda: build(protect=False)), "kv-vault")
    assert (vault.protect, vault.retain_on_delete) == (False, False)
