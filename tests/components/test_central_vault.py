"""A central key vault in another subscription (the landing zone's platform subscription): the secrets are
written through a provider of that subscription, never through the deployment's own."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pulumi
import pytest

from components import PersistentChat
from lync_pchat import cli, stackfile
from lync_pchat.errors import TopologyConfigError
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, flatten, of_type
from lync_pchat.offline.synthesis import offline_config, synthesize_stack
from lync_pchat.program import run as program

DEPLOYING = "00000000-0000-0000-0000-000000000000"
PLATFORM = "22222222-3333-4444-5555-666666666666"
VAULT = f"/subscriptions/{PLATFORM}/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform"
SECRET = "azure-native:keyvault:Secret"
PROVIDER = "pulumi:providers:azure-native"


def spoke(vault_id: str, **config: Any) -> tuple[list[Resource], tuple[str, ...]]:
    """The shipped spoke stack with its vault at ``vault_id``, and ``config`` beside it."""
    raw = copy.deepcopy(stackfile.read("spoke"))
    raw["pchat:topology"]["keyVaultId"] = vault_id
    synthesis = synthesize_stack("spoke", {**raw, **config})
    return list(synthesis.resources), synthesis.warnings


def test_a_vault_in_another_subscription_gets_its_own_provider() -> None:
    graph, _ = spoke(VAULT, **{"azure-native:subscriptionId": DEPLOYING, "azure-native:tenantId": "t-1"})
    (provider,) = of_type(graph, PROVIDER)
    assert provider.inputs["subscriptionId"] == PLATFORM
    assert provider.inputs["tenantId"] == "t-1"
    secrets = of_type(graph, SECRET)
    assert provider.name == "pchat-vault-provider"
    assert secrets and {s.provider.rsplit("::", 1)[0] for s in secrets} == {provider.urn}
    assert {(s.inputs["vaultName"], s.inputs["resourceGroupName"]) for s in secrets} == {("kv-platform", "rg-platform")}
    others = [r for r in graph if r.custom and r.type not in (SECRET, PROVIDER)]
    assert others and not any(r.provider.startswith(provider.urn) for r in others)


def test_the_deployment_subscription_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARM_SUBSCRIPTION_ID", DEPLOYING)
    graph, _ = spoke(VAULT)
    (provider,) = of_type(graph, PROVIDER)
    assert {s.provider.rsplit("::", 1)[0] for s in of_type(graph, SECRET)} == {provider.urn}


def test_a_vault_in_the_deployment_subscription_keeps_the_default_provider() -> None:
    """Moving existing secrets to another provider would replace them: same subscription, same provider."""
    same = VAULT.replace(PLATFORM, DEPLOYING.upper())
    graph, warnings = spoke(same, **{"azure-native:subscriptionId": DEPLOYING})
    assert of_type(graph, PROVIDER) == []
    assert {s.provider for s in of_type(graph, SECRET)} == {""}
    assert not [w for w in warnings if "keyVaultId" in w]


UNKNOWN = (
    f"keyVaultId is in subscription {PLATFORM}, and the deployment's subscription is not configured: set it with "
    "`pulumi config set azure-native:subscriptionId <id>` (or ARM_SUBSCRIPTION_ID), so that the secrets are written "
    "through the vault's own subscription when it is not the deployment's"
)
"""Issue 25: with the deployment's subscription unknown, the secrets could go to the wrong subscription."""


def test_an_unknown_deployment_subscription_is_an_error_before_any_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"):
        monkeypatch.delenv(name, raising=False)
    raw = copy.deepcopy(stackfile.read("spoke"))
    del raw["azure-native:subscriptionId"]
    raw["pchat:topology"]["keyVaultId"] = VAULT
    monitor = RecordingMonitor(AzureMocks())
    with pytest.raises(TopologyConfigError) as caught:
        run(program, offline_config(raw), monitor, stack="spoke")
    assert str(caught.value) == UNKNOWN
    assert flatten(monitor) == []


def test_pchat_plan_fails_with_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID"):
        monkeypatch.delenv(name, raising=False)
    text = (stackfile.STACKS_DIR / "Pulumi.spoke.yaml").read_text()
    (tmp_path / "Pulumi.spoke.yaml").write_text(
        "\n".join(line for line in text.splitlines() if "azure-native:subscriptionId" not in line)
    )
    code = cli.main(["plan", "spoke", "--stacks-dir", str(tmp_path), "--json", str(tmp_path / "plan.json")])
    assert code == 1
    spoke_vault = "11111111-2222-3333-4444-555555555555"  # the shipped spoke's keyVaultId's subscription
    assert capsys.readouterr().err.splitlines()[-1] == f"error: {UNKNOWN.replace(PLATFORM, spoke_vault)}"
    assert not (tmp_path / "plan.json").exists()


def test_the_component_takes_a_provider_for_a_vault_id_that_is_an_output() -> None:
    def program() -> None:
        platform = pulumi.ProviderResource("azure-native", "platform", {"subscriptionId": PLATFORM})
        PersistentChat(
            "chat",
            {
                "accept_unsupported": {"reason": "a test of Lync Server 2013 on its default images"},
                "domain": "corp.contoso.com",
                "key_vault_id": pulumi.Output.from_input(VAULT),
                "sites": {"dublin": {"region": "northeurope", "address_space": "10.10.0.0/16"}},
                "pools": {"pchat01": {"site": "dublin", "users": 15000, "next_hop": "fe01.corp.contoso.com"}},
                "admin_password": pulumi.Output.secret("Pw-1234567890!"),
            },
            key_vault_provider=platform,
        )

    monitor = RecordingMonitor(AzureMocks())
    run(program, None, monitor)
    graph = flatten(monitor)
    (provider,) = of_type(graph, PROVIDER)
    secrets = of_type(graph, SECRET)
    assert secrets and {s.provider.rsplit("::", 1)[0] for s in secrets} == {provider.urn}
