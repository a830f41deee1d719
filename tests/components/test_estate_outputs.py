"""Every estate id accepts an Output (issue 25): a landing-zone program creates its identity, resource groups,
action group, storage accounts, private endpoint subnet and private DNS zones and hands their ids over as Outputs;
the component plans offline and each resource gets the real ids, as Azure Resource Manager spells them
(``/subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>``:
learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, and the mock engine's ARM ids)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi_azure_native import network, privatedns, resources, storage

from components import PersistentChat
from components.persistent_chat_args import AcceptUnsupportedInput
from lync_pchat.offline.engine import SUBSCRIPTION, AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, flatten, of_type

from ..support.lazy import lazy_list

ROOT = Path(__file__).resolve().parents[2]
GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/"
IDENTITY = GROUP + "rg-platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-lz"
ACTION_GROUP = GROUP + "rg-platform/providers/Microsoft.Insights/actionGroups/ag-lz"
ACCOUNTS = GROUP + "rg-platform/providers/Microsoft.Storage/storageAccounts/"
MEDIA_URI = "https://stlzmedia.blob.core.windows.net/media/lync2013/"
UNSUPPORTED: AcceptUnsupportedInput = {"reason": "a test of Lync Server 2013 on its default images"}
"""The graphs are built at import, outside the fixed "today" of tests/conftest.py: Lync Server 2013's default
images are past every support date (tests/model), which a plan refuses unless accepted."""
NETWORKS = GROUP + "rg-platform/providers/Microsoft.Network/"
"""Subnet ids: ``.../Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>``; private DNS zones:
``.../Microsoft.Network/privateDnsZones/<zone>``, named ``privatelink.blob.core.windows.net`` (blob) and
``privatelink.vaultcore.azure.net`` (vault): learn.microsoft.com/azure/private-link/private-endpoint-dns."""


def _account(name: str, group: resources.ResourceGroup) -> storage.StorageAccount:
    return storage.StorageAccount(
        name, account_name=name, resource_group_name=group.name, kind="StorageV2", sku=storage.SkuArgs(name="LRS")
    )


def landing_zone() -> None:
    """The platform's resources, then Persistent Chat with every estate id one of their Outputs."""
    platform = resources.ResourceGroup("platform", resource_group_name="rg-platform", location="northeurope")
    servers = resources.ResourceGroup("servers", resource_group_name="rg-lz-servers", location="northeurope")
    data = resources.ResourceGroup("data", resource_group_name="rg-lz-data", location="northeurope")
    under_platform = platform.id.apply(lambda group: group + "/providers/")
    action_group = under_platform.apply(lambda p: p + "Microsoft.Insights/actionGroups/ag-lz")
    PersistentChat(
        "chat",
        {
            "domain": "corp.contoso.com",
            "accept_unsupported": UNSUPPORTED,
            "user_assigned_identity_id": under_platform.apply(
                lambda p: p + "Microsoft.ManagedIdentity/userAssignedIdentities/id-lz"
            ),
            "monitoring": {"action_group_id": action_group},
            "domain_join": {"user": "CORP\\svc-domainjoin"},
            "domain_join_password": pulumi.Output.secret("Join-Pw-1!"),
            "backup": {"storage_account_id": _account("stlzbackups", platform).id},
            "software": {
                "install": True,
                "media_uri": MEDIA_URI,
                "storage_account_id": _account("stlzmedia", platform).id,
                "certificate_authority": "dc01.corp.contoso.com\\CORP-DC01-CA",
                "setup_user": "CORP\\svc-lyncsetup",
            },
            "sites": {
                "dublin": {
                    "region": "northeurope",
                    "address_space": "10.10.0.0/16",
                    "resource_groups": {"servers": servers.name, "data": data.name},
                }
            },
            "pools": {
                "pchat01": {"site": "dublin", "users": 15000, "next_hop": "fe01.corp.contoso.com"},
                "pchat02": {
                    "site": "dublin",
                    "users": 15000,
                    "next_hop": "fe01.corp.contoso.com",
                    "address_slot": 1,
                    "backup": {"storage_account_id": _account("stlzpool02", platform).id},
                },
            },
            "admin_password": pulumi.Output.secret("Admin-Pw-1!"),
            "setup_password": pulumi.Output.secret("Setup-Pw-1!"),
        },
    )


def private_landing_zone() -> None:
    """The platform's endpoint subnet and private DNS zones, then Persistent Chat with its backup storage (dublin)
    and its vault reached through private endpoints whose subnet and zone ids are their Outputs."""
    platform = resources.ResourceGroup("platform", resource_group_name="rg-platform", location="northeurope")
    subnet = network.Subnet(
        "pe", resource_group_name=platform.name, virtual_network_name="vnet-hub", subnet_name="snet-pe",
        address_prefix="10.0.5.0/24",
    )  # fmt: skip
    blob, vault = (
        privatedns.PrivateZone(zone, resource_group_name=platform.name, location="Global", private_zone_name=zone)
        for zone in ("privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net")
    )
    PersistentChat(
        "chat",
        {
            "domain": "corp.contoso.com",
            "accept_unsupported": UNSUPPORTED,
            "name_prefix": "lz",
            "sites": {"dublin": {"region": "northeurope", "address_space": "10.10.0.0/16"}},
            "pools": {"pchat01": {"site": "dublin", "users": 15000, "next_hop": "fe01.corp.contoso.com"}},
            "private_endpoints": {
                "backup": {"dublin": {"subnet_id": subnet.id, "private_dns_zone_ids": [blob.id]}},
                "vault": {"subnet_id": subnet.id, "private_dns_zone_ids": [vault.id]},
            },
            "admin_password": pulumi.Output.secret("Admin-Pw-1!"),
        },
    )


def _graph(program: Callable[[], None]) -> list[Resource]:
    monitor = RecordingMonitor(AzureMocks())
    run(program, {}, monitor)
    return flatten(monitor)


GRAPH = lazy_list(lambda: _graph(landing_zone))
PRIVATE = lazy_list(lambda: _graph(private_landing_zone))


def test_the_component_creates_no_group_and_places_the_servers_in_the_platforms() -> None:
    groups = of_type(GRAPH, "azure-native:resources:ResourceGroup")
    assert sorted(g.name for g in groups) == ["data", "platform", "servers"]  # the program's own, none of the chat's
    vms = {vm.name: vm.inputs["resourceGroupName"] for vm in of_type(GRAPH, "azure-native:compute:VirtualMachine")}
    assert vms["pchat01-a1-vm"] == vms["pchat02-a1-vm"] == "rg-lz-servers"
    assert vms["pchat01-sql-vm"] == vms["pchat02-sql-vm"] == "rg-lz-data"
    (lock,) = of_type(GRAPH, "azure-native:authorization:ManagementLockByScope")
    assert lock.inputs["lockName"] == "lock-rg-lz-data"
    assert lock.inputs["scope"].endswith("/resourceGroups/rg-lz-data")


def test_every_server_carries_the_platforms_identity() -> None:
    vms = of_type(GRAPH, "azure-native:compute:VirtualMachine")
    assert vms
    for vm in vms:
        assert vm.inputs["identity"]["type"] == "SystemAssigned, UserAssigned", vm.name
        assert list(vm.inputs["identity"]["userAssignedIdentities"]) == [IDENTITY], vm.name


def test_every_alert_goes_to_the_platforms_action_group() -> None:
    alerts = of_type(GRAPH, "azure-native:monitor:ScheduledQueryRule")
    assert alerts
    assert {tuple(a.inputs["actions"]["actionGroups"]) for a in alerts} == {(ACTION_GROUP,)}
    assert of_type(GRAPH, "azure-native:monitor:ActionGroup") == []


def test_the_backups_go_to_the_given_accounts_the_pools_own_first() -> None:
    containers = {
        (c.inputs["accountName"], c.inputs["resourceGroupName"])
        for c in of_type(GRAPH, "azure-native:storage:BlobContainer")
        if c.inputs["containerName"] == "pchat-backups"
    }
    assert containers == {("stlzbackups", "rg-platform"), ("stlzpool02", "rg-platform")}
    created = {a.name for a in of_type(GRAPH, "azure-native:storage:StorageAccount")}
    assert created == {"stlzbackups", "stlzmedia", "stlzpool02"}  # the program's; the component creates none


def test_the_install_reads_the_media_account_it_is_given() -> None:
    logs = [c for c in of_type(GRAPH, "azure-native:storage:BlobContainer") if c.name.endswith("-install-logs")]
    assert {(c.inputs["accountName"], c.inputs["resourceGroupName"]) for c in logs} == {("stlzmedia", "rg-platform")}
    readers = [
        r for r in of_type(GRAPH, "azure-native:authorization:RoleAssignment") if r.name.endswith("-media-reader")
    ]
    assert readers
    assert {r.inputs["scope"] for r in readers} == {ACCOUNTS + "stlzmedia/blobServices/default/containers/media"}
    assert {r.inputs["roleDefinitionId"].split("/")[2] for r in readers} == {SUBSCRIPTION}


def test_the_private_endpoints_sit_in_the_platforms_subnet() -> None:
    """Names: ``pep-<prefix>-<site>-backup`` and ``pep-<prefix>-vault`` (docs/estate.md, privateEndpoints)."""
    endpoints = {e.inputs["privateEndpointName"]: e for e in of_type(PRIVATE, "azure-native:network:PrivateEndpoint")}
    assert sorted(endpoints) == ["pep-lz-dublin-backup", "pep-lz-vault"]
    for endpoint in endpoints.values():
        assert endpoint.inputs["subnet"]["id"] == NETWORKS + "virtualNetworks/vnet-hub/subnets/snet-pe"
    groups = {name: [c["groupIds"] for c in e.inputs["privateLinkServiceConnections"]] for name, e in endpoints.items()}
    assert groups == {"pep-lz-dublin-backup": [["blob"]], "pep-lz-vault": [["vault"]]}


def test_the_zone_groups_register_the_endpoints_in_the_platforms_zones() -> None:
    zone_groups = of_type(PRIVATE, "azure-native:network:PrivateDnsZoneGroup")
    assert {g.inputs["privateEndpointName"]: g.inputs["privateDnsZoneConfigs"] for g in zone_groups} == {
        "pep-lz-dublin-backup": [
            {
                "name": "privatelink-blob-core-windows-net",
                "privateDnsZoneId": NETWORKS + "privateDnsZones/privatelink.blob.core.windows.net",
            }
        ],
        "pep-lz-vault": [
            {
                "name": "privatelink-vaultcore-azure-net",
                "privateDnsZoneId": NETWORKS + "privateDnsZones/privatelink.vaultcore.azure.net",
            }
        ],
    }


TYPED = """
import pulumi
from components import PersistentChat
from components.persistent_chat_args import AcceptUnsupportedInput

identity: pulumi.Output[str] = pulumi.Output.from_input("{identity}")
group: pulumi.Output[str] = pulumi.Output.from_input("rg-lz-servers")
PersistentChat(
    "chat",
    {{
        "domain": "corp.contoso.com",
        "user_assigned_identity_id": identity,
        "monitoring": {{"action_group_id": identity}},
        "backup": {{"storage_account_id": identity}},
        "software": {{"storage_account_id": identity}},
        "diagnostics": {{"workspace_resource_id": identity}},
        "key_vault_id": identity,
        "private_endpoints": {{"backup": {{"dublin": {{"subnet_id": identity, "private_dns_zone_ids": [identity]}}}},
                              "vault": {{"subnet_id": identity, "private_dns_zone_ids": [identity, "{identity}"]}}}},
        "sites": {{"dublin": {{"region": "northeurope", "address_space": "10.10.0.0/16",
                              "resource_groups": {{"servers": group, "data": group}}}}}},
        "pools": {{"pchat01": {{"site": "dublin", "users": 100, "backup": {{"storage_account_id": identity}}}}}},
    }},
)
"""


def test_mypy_accepts_an_output_for_every_estate_id_and_refuses_one_for_the_topology(tmp_path: Path) -> None:
    """The args' types say the same as the runtime: estate ids are ``pulumi.Input[str]``, a region is not."""
    program = tmp_path / "estate.py"
    program.write_text(textwrap.dedent(TYPED.format(identity=IDENTITY)))
    command = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental", str(program)]
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", "/dev/null"]  # leave .mypy_cache be
    result = subprocess.run([*command, *config], capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout
    program.write_text(program.read_text().replace('"region": "northeurope"', '"region": group'))
    result = subprocess.run([*command, *config], capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)
    assert result.returncode == 1, result.stdout
    assert 'expression has type "Output[str]", TypedDict item "region" has type "str"' in result.stdout


@pytest.mark.parametrize(
    ("key", "path"), [("region", "sites.dublin.region"), ("users", "pools.pchat01.users")], ids=["region", "users"]
)
def test_an_output_where_the_topology_is_shaped_is_still_refused(key: str, path: str) -> None:
    """The model validates the topology before anything exists: only the estate ids may be Outputs."""
    site: dict[str, Any] = {"region": "northeurope", "address_space": "10.10.0.0/16"}
    pool: dict[str, Any] = {"site": "dublin", "users": 100, "next_hop": "fe01.corp.contoso.com"}
    (site if key == "region" else pool)[key] = pulumi.Output.from_input(site.get(key) or 100)

    def program() -> None:
        PersistentChat("chat", {"domain": "corp.contoso.com", "sites": {"dublin": site}, "pools": {"pchat01": pool}})

    with pytest.raises(Exception, match=f"{path}: shapes the topology"):
        run(program, {}, RecordingMonitor(AzureMocks()))
