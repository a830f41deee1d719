"""Passwords that never drift: a new password reaches every server in the same update that writes it to the vault;
the vault's readers are granted; the secrets' expiry is renewed in place.

Oracles: the issue's rule (the vault never holds a password a server does not have); the VMAccess extension for
Windows (publisher Microsoft.Compute, type VMAccessAgent, ``UserName`` in settings and ``Password`` in protected
settings); Key Vault Secrets User is the built-in role 4633458b-17de-408a-b874-0445c86b69e6.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology
from lync_pchat.offline.graph import Resource, is_secret, of_type, reveal

from ..model.configs import changed, enterprise, standard
from ..support.synthesis import synthesized

EXT, VM, SECRET = (
    "azure-native:compute:VirtualMachineExtension",
    "azure-native:compute:VirtualMachine",
    "azure-native:keyvault:Secret",
)
SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
READER = "11111111-2222-3333-4444-555555555555"
HA = changed(enterprise(), pools__pchat01__highAvailability={"mirroring": True, "witness": True})


def graph(topology: dict[str, Any], password: str | None = None) -> dict[str, Resource]:
    config: dict[str, Any] = {"pchat:topology": topology}
    if password is not None:
        config["pchat:adminPassword"] = password
    return {r.urn: r for r in synthesized(config)}


def resets(resources: dict[str, Resource]) -> dict[str, Resource]:
    """The VMAccess extension of each VM, by VM name."""
    found = {}
    for ext in of_type(resources.values(), EXT):
        if ext.inputs["type"] == "VMAccessAgent":
            assert ext.inputs["publisher"] == "Microsoft.Compute"
            found[ext.inputs["vmName"]] = ext
    return found


def without_password(vm: Resource) -> dict[str, Any]:
    inputs = json.loads(json.dumps(vm.inputs, default=str))
    inputs["osProfile"].pop("adminPassword")
    return dict(inputs)


def secrets(resources: dict[str, Resource]) -> dict[str, str]:
    """Secret name -> its value."""
    return {
        s.inputs["secretName"]: reveal(s.inputs["properties"]["value"]) for s in of_type(resources.values(), SECRET)
    }


@pytest.mark.parametrize("topology", [HA, standard()], ids=["enterprise-ha", "standard-edition"])
def test_a_changed_admin_password_reaches_every_server_in_the_same_update(topology: dict[str, Any]) -> None:
    old, new = graph(topology, "Old-Passw0rd!"), graph(topology, "New-Passw0rd!")
    vms = {vm.inputs["vmName"]: vm for vm in of_type(new.values(), VM)}
    assert sorted(resets(new)) == sorted(vms)
    for name, ext in resets(new).items():
        assert ext.urn in old, "the same extension is updated, never replaced"
        assert ext.inputs["settings"] == {"UserName": topology.get("adminUsername", "lyncadmin")}
        assert is_secret(ext.inputs["protectedSettings"])
        assert reveal(ext.inputs["protectedSettings"])["Password"] == "New-Passw0rd!"
        assert reveal(resets(old)[name].inputs["protectedSettings"])["Password"] == "Old-Passw0rd!"
        assert without_password(old[vms[name].urn]) == without_password(vms[name])
        assert vms[name].ignore_changes == ("osProfile.adminPassword",), "the VM itself is not updated"
    assert set(secrets(new).values()) == {"New-Passw0rd!"}, "the vault holds what the servers were given"


def test_a_generated_password_is_the_one_the_vault_holds() -> None:
    resources = graph(HA)
    stored = secrets(resources)
    for name, ext in resets(resources).items():
        assert reveal(ext.inputs["protectedSettings"])["Password"] == stored[f"{name}-admin-password"]


def test_the_reset_follows_the_servers_bootstrap_and_its_restart() -> None:
    """Extensions run one at a time on a VM; a Standard Edition server's bootstrap schedules a restart a minute after
    it ends (Desktop Experience, lync-install.md), so the reset waits for it as the install phase does."""
    for topology in (HA, standard()):
        resources = graph(topology)
        by_urn = {r.urn: r for r in resources.values()}
        for name, ext in resets(resources).items():
            before = set(ext.dependencies)
            for urn in list(before):
                before |= set(by_urn[urn].dependencies) if urn in by_urn else set()
            kinds = {by_urn[u].name for u in before if u in by_urn}
            assert f"{name}-init" in kinds or f"{name}-sqlvm" in kinds, name
            if name == "lyncse01":
                (wait,) = [by_urn[u] for u in ext.dependencies if by_urn[u].type == "time:index/sleep:Sleep"]
                assert wait.inputs == {"createDuration": "5m"}


def test_secret_readers_get_secrets_user_on_the_projects_vault() -> None:
    resources = graph(changed(HA, secretReaders=[READER]))
    (vault,) = of_type(resources.values(), "azure-native:keyvault:Vault")
    (grant,) = [
        r
        for r in of_type(resources.values(), "azure-native:authorization:RoleAssignment")
        if r.inputs["roleDefinitionId"].endswith(f"/roleDefinitions/{SECRETS_USER}")
    ]
    assert grant.inputs["principalId"] == READER
    assert grant.inputs["scope"].endswith(f"/providers/Microsoft.KeyVault/vaults/{vault.inputs['vaultName']}")


@pytest.mark.parametrize(
    ("readers", "extra", "problem"),
    [
        (["not-a-guid"], {}, "secretReaders[0]: 'not-a-guid' is not an Entra object id (a GUID)"),
        (
            [READER],
            {"keyVaultId": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
             "Microsoft.KeyVault/vaults/kv-estate"},
            "secretReaders: applies to the vault this project creates; with keyVaultId, grant your own vault",
        ),
    ],
)  # fmt: skip
def test_secret_readers_are_object_ids_for_the_projects_vault(
    readers: list[str], extra: dict[str, Any], problem: str
) -> None:
    with pytest.raises(TopologyError) as failed:
        plan_topology(changed(HA, secretReaders=readers, **extra))
    assert problem in [str(p) for p in failed.value.problems]


def test_renewing_the_expiry_updates_each_secret_in_place() -> None:
    """README, Passwords: a later ``secretsNotAfter`` renews every secret's expiry; value and URN stay."""
    before = graph(changed(HA, secretsNotAfter="2027-06-30"), "Same-Passw0rd!")
    after = graph(changed(HA, secretsNotAfter="2028-06-30"), "Same-Passw0rd!")
    renewed = calendar.timegm(date(2028, 6, 30).timetuple())
    for secret in of_type(after.values(), SECRET):
        assert secret.urn in before
        assert secret.inputs["properties"]["attributes"]["expires"] == renewed
        old = before[secret.urn].inputs["properties"]
        assert reveal(old["value"]) == reveal(secret.inputs["properties"]["value"])
    changed_urns = {u for u in after if after[u].inputs != before[u].inputs}
    assert {after[u].type for u in changed_urns} == {SECRET}
