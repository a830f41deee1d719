"""No data loss on change: the program is synthesized before and after each change a Lync admin makes.

For every change, every resource that existed keeps its URN (Pulumi replaces or deletes a resource
whose URN disappears), every server (VirtualMachine), Disk and SqlVirtualMachine keeps its inputs
and options exactly, and the only other resources that change are the documented in-place updates
of ``IN_PLACE``, each on the same URN.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from typing import Any

import pytest

from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource
from lync_pchat.offline.synthesis import offline_config

from ..model.configs import DELETE, changed, enterprise
from ..pulumi.stacks import stack_config
from ..support.synthesis import synthesized

KEEP_EXACTLY = (
    "azure-native:compute:VirtualMachine",
    "azure-native:compute:Disk",
    "azure-native:sqlvirtualmachine:SqlVirtualMachine",
)
"""Stateful or expensive: any input change could replace them or reboot a SQL Server."""
IN_PLACE = {
    "azure-native:network:NetworkSecurityGroup": {"securityRules"},
    "azure-native:compute:VirtualMachineExtension": {"protectedSettings"},
    "azure-native:monitor:DataCollectionRule": {"dataSources"},
    "azure-native:monitor:ScheduledQueryRule": {"criteria", "description"},
    "azure-native:network:Subnet": {"serviceEndpoints"},
    "azure-native:storage:StorageAccount": {"networkRuleSet"},
}
"""The product's in-place updates. A new server or SQL role opens its ports in the inline NSG rules of
its subnet (an update of the NSG). A server whose role gains a duty (compliance features, a mirroring
endpoint, a log-shipping share) gets new bootstrap settings: the CustomScriptExtension is updated and
re-runs its idempotent script, which only formats RAW disks and adds what is missing. A new SQL role adds
its counters to the data collection rule and its name to the heartbeat alert, both updated in place. A subnet
that gains a backup host (a Standard Edition server switching backups on) gets the ``Microsoft.Storage`` service
endpoint its backup account admits it through, a subnet update (``az network vnet subnet update
--service-endpoints``, learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview), and
a backup account whose pool gains a backup host in another site admits that host's subnet too (the restore reads
across sites): a network rule added to the account (``az storage account network-rule add``,
learn.microsoft.com/azure/storage/common/storage-network-security)."""

E = enterprise()
JOINED = changed(E, domainJoin={"user": "CORP\\svc-join"})
SOFTWARE = {
    "install": True,
    "mediaUri": "https://contosomedia.blob.core.windows.net/lync/lync2013/",
    "storageAccountId": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-media/providers/"
    "Microsoft.Storage/storageAccounts/contosomedia",
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\lyncsetup",
}
HUB = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/"
    "Microsoft.Network/virtualNetworks/vnet-hub"
)
ONE_SITE = changed(E, sites__amsterdam=DELETE)
AMSTERDAM = {"region": "westeurope", "addressSpace": "10.20.0.0/16"}
SINGLE = stack_config("single")["pchat:topology"]
SECOND_POOL = {"users": 20000, "nextHop": "fe02.corp.contoso.com"}

HA_DR = changed(
    E,
    pools__pchat01__compliance={"enabled": True},
    pools__pchat01__highAvailability={"mirroring": True, "witness": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
)
SE = stack_config("lab")["pchat:topology"]

CHANGES: dict[str, list[dict[str, Any]]] = {
    "switch-backups-on-ha-dr": [changed(HA_DR, backup={"enabled": False}), HA_DR],
    "switch-backups-on-standard-edition": [changed(SE, backup={"enabled": False}), SE],
    "switch-the-install-phase-on-with-dr": [
        changed(HA_DR, domainJoin={"user": "CORP\\svc-join"}),
        changed(HA_DR, domainJoin={"user": "CORP\\svc-join"}, software=SOFTWARE),
    ],
    "grow-40k-60k-80k": [E, changed(E, pools__pchat01__users=60000), changed(E, pools__pchat01__users=80000)],
    "second-pool-in-another-site": [E, changed(E, pools__pchat02={"site": "amsterdam", **SECOND_POOL})],
    "second-pool-in-the-same-site": [E, changed(E, pools__pchat02={"site": "dublin", "addressSlot": 1, **SECOND_POOL})],
    "enable-compliance": [E, changed(E, pools__pchat01__compliance={"enabled": True})],
    "add-a-standby-site": [
        ONE_SITE,
        changed(ONE_SITE, sites__amsterdam=AMSTERDAM, pools__pchat01__disasterRecovery={"standbySite": "amsterdam"}),
    ],
    "enable-mirroring": [E, changed(E, pools__pchat01__highAvailability={"mirroring": True, "witness": True})],
    "switch-the-install-phase-on": [JOINED, changed(JOINED, software=SOFTWARE)],
    "attach-the-second-site-to-a-hub": [
        E,
        changed(E, sites__amsterdam__hubVirtualNetworkId=HUB, sites__amsterdam__useHubGateway=True),
    ],
    "single-stack-grows-gains-compliance-and-a-standby-site": [
        SINGLE,
        changed(SINGLE, pools__pchat01__users=40000),
        changed(SINGLE, pools__pchat01__users=40000, pools__pchat01__compliance={"enabled": True}),
        changed(
            SINGLE,
            pools__pchat01__users=40000,
            pools__pchat01__compliance={"enabled": True},
            sites__amsterdam=AMSTERDAM,
            pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        ),
    ],
}


def graph(topology: dict[str, Any]) -> dict[str, Resource]:
    """Resources by URN; each distinct topology is synthesized once per session."""
    return {r.urn: r for r in synthesized(offline_config({"pchat:topology": topology}))}


def state(res: Resource) -> tuple[Any, ...]:
    return res.inputs, res.protect, res.retain_on_delete, res.ignore_changes


def steps() -> list[Any]:
    return [
        pytest.param(before, after, id=f"{name}-{n}")
        for name, chain in CHANGES.items()
        for n, (before, after) in enumerate(itertools.pairwise(chain), 1)
    ]


@pytest.mark.parametrize(("before", "after"), steps())
def test_a_change_keeps_every_resource_and_every_store(before: dict[str, Any], after: dict[str, Any]) -> None:
    old, new = graph(copy.deepcopy(before)), graph(copy.deepcopy(after))

    lost = sorted(set(old) - set(new))
    assert not lost, "these resources would be deleted or replaced (their URN is gone):\n" + "\n".join(lost)
    assert not [k for k, n in Counter((r.type, r.name) for r in new.values()).items() if n > 1]

    for urn, res in old.items():
        if res.type in KEEP_EXACTLY:
            assert state(new[urn]) == state(res), f"{res.name} would be updated or replaced"

    updated = {
        urn: sorted(
            k
            for k in old[urn].inputs.keys() | new[urn].inputs.keys()
            if old[urn].inputs.get(k) != new[urn].inputs.get(k)
        )
        for urn in old
        if state(old[urn]) != state(new[urn])
    }
    for urn, keys in updated.items():
        res = old[urn]
        assert (res.protect, res.retain_on_delete, res.ignore_changes) == (
            new[urn].protect,
            new[urn].retain_on_delete,
            new[urn].ignore_changes,
        ), res.name
        assert set(keys) <= IN_PLACE.get(res.type, set()), f"{res.type} {res.name}: {keys} is not an in-place update"

    planned = {s.key for s in plan_topology(after).servers} - {s.key for s in plan_topology(before).servers}
    added = {r.name.removesuffix("-vm") for urn, r in new.items() if urn not in old and r.type == KEEP_EXACTLY[0]}
    assert added == planned
    assert set(new) - set(old), "the change adds resources (else this step tests nothing)"
