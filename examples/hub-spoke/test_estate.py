"""Unit tests of the estate stack, offline: its program under the package's mock engine, whose ids are
the ones Azure Resource Manager gives (``/subscriptions/<id>/resourceGroups/<group>/providers/...``).

    .venv/bin/python -m pytest examples/hub-spoke
"""

from __future__ import annotations

import runpy
from pathlib import Path

from lync_pchat.offline.engine import SUBSCRIPTION, AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, flatten

PROGRAM = Path(__file__).with_name("__main__.py")
CONFIG = {"estate:tenantId": "00000000-0000-0000-0000-000000000000", "estate:domainJoinPassword": "Join-Pw-1!"}
SPOKE = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-spoke-lync/providers/Microsoft.Network/virtualNetworks/"


def resources() -> list[Resource]:
    monitor = RecordingMonitor(AzureMocks())
    run(lambda: runpy.run_path(str(PROGRAM)), CONFIG, monitor, stack="prod", project="estate")
    return flatten(monitor)


GRAPH = resources()


def of_type(kind: str) -> dict[str, Resource]:
    return {r.name: r for r in GRAPH if r.type == f"azure-native:{kind}"}


def test_persistent_chat_lives_in_the_spoke_and_builds_no_network() -> None:
    assert sorted(of_type("network:VirtualNetwork")) == ["hub", "spoke"]
    assert sorted(of_type("network:Subnet")) == ["pchat", "sql"]
    nics = of_type("network:NetworkInterface")
    assert (
        nics["pchat01-a1-nic"].inputs["ipConfigurations"][0]["subnet"]["id"]
        == SPOKE + "vnet-spoke-lync/subnets/snet-pchat"
    )
    assert (
        nics["pchat01-sql-nic"].inputs["ipConfigurations"][0]["subnet"]["id"]
        == SPOKE + "vnet-spoke-lync/subnets/snet-sql"
    )


def test_the_documented_rules_sit_on_the_nics() -> None:
    """The spoke's subnets are the platform team's, so the NSGs go on the NICs (the component's own)."""
    nsgs = of_type("network:NetworkSecurityGroup")
    assert sorted(nsgs) == ["chat-dublin-pchat-nsg", "chat-dublin-sql-nsg"]
    for nic in of_type("network:NetworkInterface").values():
        group = nic.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1]
        assert group == ("nsg-pchat-prod-dublin-sql" if "-sql" in nic.name else "nsg-pchat-prod-dublin-pchat")


def test_the_passwords_go_into_the_hub_vault() -> None:
    assert list(of_type("keyvault:Vault")) == ["vault"]
    secrets = of_type("keyvault:Secret").values()
    assert {(s.inputs["vaultName"], s.inputs["resourceGroupName"]) for s in secrets} == {("kv-estate-hub", "rg-hub")}
    assert sorted(s.inputs["secretName"] for s in secrets) == [
        "pchat01-a1-admin-password",
        "pchat01-sql-admin-password",
    ]
