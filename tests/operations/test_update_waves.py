"""Cumulative updates in waves (the issue): each wave's update Run Command starts only after every update of the
previous wave succeeded (``treatFailureAsDeploymentFailure`` makes a failed one stop the rest), in the patch wave
order: odd active servers, then even active servers with the standby servers. No update waits for one of its
own wave, so a wave runs in parallel; the pool's database step follows the last wave."""

from __future__ import annotations

from lync_pchat.install import UPDATE
from lync_pchat.offline.graph import named, of_type

from ..model.configs import changed, enterprise
from ..support.lazy import lazy_list
from ..support.synthesis import synthesized

RUN = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
SOFTWARE = {
    "install": True,
    "mediaUri": "https://contosomedia.blob.core.windows.net/lync/lync2013/",
    "storageAccountId": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-media/providers/"
    "Microsoft.Storage/storageAccounts/contosomedia",
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\lyncsetup",
    "updateInstaller": "cu2023-02/LyncServerUpdateInstaller.exe",
}
TOPOLOGY = changed(
    enterprise(),
    domainJoin={"user": "CORP\\svc-join"},
    software=SOFTWARE,
    pools__pchat01__users=80000,
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "standbyServers": 2},
)
GRAPH = lazy_list(
    lambda: synthesized(
        {"pchat:topology": TOPOLOGY, "pchat:domainJoinPassword": "Join-Pw-1!", "pchat:setupPassword": "S-Pw-1!"}
    )
)
WAVES = [["pchat01-a1", "pchat01-a3"], ["pchat01-a2", "pchat01-a4", "pchat01-s1", "pchat01-s2"]]
LAST = UPDATE.commands()[-1]
"""The update phase's last Run Command (its resume after the restart it may take, docs/install.md): a wave
follows the previous wave's update through its end."""


def updates_before(server: str) -> set[str]:
    resource = named(GRAPH, f"{server}-pchat-update")
    return {
        r.name.removesuffix(f"-{LAST}")
        for r in of_type(GRAPH, RUN)
        if r.name.endswith(f"-{LAST}") and resource.depends_on(r)
    }


def test_the_updates_of_a_pool_form_two_waves_chained_by_dependencies() -> None:
    every = sorted(
        r.name.removesuffix("-pchat-update") for r in of_type(GRAPH, RUN) if r.name.endswith("-pchat-update")
    )
    assert every == sorted(WAVES[0] + WAVES[1])
    for server in WAVES[0]:
        assert updates_before(server) == set()
    for server in WAVES[1]:
        assert updates_before(server) == set(WAVES[0])


def test_the_databases_follow_the_last_wave() -> None:
    databases = named(GRAPH, "pchat01-a1-pchat-databases")
    for server in WAVES[0] + WAVES[1]:
        assert databases.depends_on(named(GRAPH, f"{server}-{LAST}"))
