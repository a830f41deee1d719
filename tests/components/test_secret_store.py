"""SecretStore: a Key Vault secure by default, one secret per password, each with an expiry."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import pulumi

from components import SecretStore, SecretStoreArgs
from components.common import DIAGNOSTIC_SETTING
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, children, flatten, is_secret, named, of_type, reveal, synthesize

from ..oracles.arm import KEY_VAULT, resource_id

OFFSET, DIAG = "time:index/offset:Offset", "azure-native:monitor:DiagnosticSetting"
WORKSPACE = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/"
    "Microsoft.OperationalInsights/workspaces/law-ops"
)
CREATED = 1_800_000_000
"""When the time provider would capture the creation of the secrets, in the tests below."""


def build(protect: bool = True, **options: Any) -> None:
    SecretStore(
        "kv",
        SecretStoreArgs(
            resource_group_name="rg",
            location="northeurope",
            secrets={"a1-admin-password": pulumi.Output.secret("pw1")},
            protect=protect,
            tags={"pchat-role": "secrets"},
            **options,
        ),
    )


class TimeMocks(AzureMocks):
    """AzureMocks plus the time provider: an Offset captured at ``CREATED``."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        resource_id, state = super().new_resource(args)
        if args.typ == OFFSET:
            state["unix"] = CREATED + int(args.inputs["offsetDays"]) * 86_400
        return resource_id, state


def with_time(program: Any) -> list[Resource]:
    _, monitor = run(program, None, RecordingMonitor(TimeMocks()))
    return flatten(monitor)


def attributes(graph: list[Resource]) -> dict[str, Any]:
    return named(graph, "kv-a1-admin-password").inputs["properties"]["attributes"]  # type: ignore[no-any-return]


def test_children() -> None:
    assert children(synthesize(build), "kv") == [
        ("azure-native:keyvault:Secret", "kv-a1-admin-password"),
        ("azure-native:keyvault:Vault", "kv-vault"),
        ("random:index/randomString:RandomString", "kv-suffix"),
        (OFFSET, "kv-a1-admin-password-expiry"),
    ]


def test_the_vault_name_is_unique_and_fits_azure() -> None:
    """Vault names are global, 3 to 24 letters, digits and hyphens [AZ: Key Vault naming]: a fixed prefix and
    a random suffix of 8 lowercase letters and digits, kept in the state."""
    graph = synthesize(build)
    vault, suffix = named(graph, "kv-vault"), named(graph, "kv-suffix")
    assert suffix.inputs == {"length": 8.0, "special": False, "upper": False}
    assert vault.depends_on(suffix)
    assert vault.inputs["vaultName"].startswith("kv-pchat-")
    assert len("kv-pchat-") + int(suffix.inputs["length"]) <= 24


def test_vault_is_secure_and_protected() -> None:
    vault = named(synthesize(build), "kv-vault")
    properties = vault.inputs["properties"]
    assert {
        k: properties[k]
        for k in (
            "enableRbacAuthorization",
            "enableSoftDelete",
            "enablePurgeProtection",
            "softDeleteRetentionInDays",
            "publicNetworkAccess",
            "networkAcls",
        )
    } == {
        "enableRbacAuthorization": True,
        "enableSoftDelete": True,
        "enablePurgeProtection": True,
        "softDeleteRetentionInDays": 90.0,
        "publicNetworkAccess": "Disabled",
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
    }
    assert "accessPolicies" not in properties
    assert properties["tenantId"] == "00000000-0000-0000-0000-000000000000"
    assert (vault.protect, vault.retain_on_delete) == (True, True)


def test_secret_value_is_a_pulumi_secret() -> None:
    secret = named(synthesize(build), "kv-a1-admin-password")
    assert secret.inputs["secretName"] == "a1-admin-password"
    assert secret.inputs["properties"]["contentType"] == "password"
    assert is_secret(secret.inputs["properties"]["value"])
    assert reveal(secret.inputs["properties"]["value"]) == "pw1"


def test_protection_opt_out() -> None:
    vault = named(synthesize(lambda: build(protect=False)), "kv-vault")
    assert (vault.protect, vault.retain_on_delete) == (False, False)


def test_secret_expires_365_days_after_its_creation_captured_once() -> None:
    """No clock in the program: the time provider captures the creation time and keeps it in the state."""
    graph = with_time(build)
    offset = named(graph, "kv-a1-admin-password-expiry")
    assert offset.inputs == {"offsetDays": 365.0}
    assert "baseRfc3339" not in offset.inputs
    assert attributes(graph) == {"enabled": True, "expires": float(CREATED + 365 * 86_400)}
    assert named(graph, "kv-a1-admin-password").depends_on(offset)


def test_expiry_days_are_configurable() -> None:
    graph = with_time(lambda: build(expiry_days=90))
    assert named(graph, "kv-a1-admin-password-expiry").inputs == {"offsetDays": 90.0}
    assert attributes(graph)["expires"] == CREATED + 90 * 86_400


def test_fixed_expiry_date_is_midnight_utc_in_epoch_seconds() -> None:
    graph = synthesize(lambda: build(not_after=date(2027, 6, 30)))
    assert of_type(graph, OFFSET) == []
    assert attributes(graph) == {"enabled": True, "expires": float(calendar.timegm((2027, 6, 30, 0, 0, 0)))}
    assert attributes(graph)["expires"] == 1_814_313_600  # 20,999 days after 1970-01-01


def test_expiry_opt_out() -> None:
    graph = synthesize(lambda: build(expiry_days=None))
    assert of_type(graph, OFFSET) == []
    assert attributes(graph) == {"enabled": True}


def test_expiry_is_the_same_in_every_preview() -> None:
    first, second = synthesize(build), synthesize(build)
    assert [(r.urn, r.inputs) for r in first] == [(r.urn, r.inputs) for r in second]


def test_no_diagnostic_setting_by_default() -> None:
    assert of_type(synthesize(build), DIAG) == []


def test_diagnostic_setting_sends_all_logs_and_metrics_to_the_workspace() -> None:
    graph = synthesize(lambda: build(diagnostics_workspace_id=WORKSPACE))
    setting = named(graph, "kv-diag")
    assert setting.inputs == {
        "resourceUri": resource_id("rg", KEY_VAULT, "vaults", named(graph, "kv-vault").inputs["vaultName"]),
        "name": DIAGNOSTIC_SETTING,
        "workspaceId": WORKSPACE,
        "logs": [{"categoryGroup": "allLogs", "enabled": True}],
        "metrics": [{"category": "AllMetrics", "enabled": True}],
    }
    assert setting.parent.endswith("lync-pchat:index:SecretStore::kv")
    assert setting.depends_on(named(graph, "kv-vault"))
