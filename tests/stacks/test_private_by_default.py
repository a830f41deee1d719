"""Private by default: the backup storage accounts deny every network but the subnets of the servers that back up
to them (service endpoints), or take a private endpoint; the vault takes one too.

Oracles:
- Azure Storage network rules (learn.microsoft.com/azure/storage/common/storage-network-security): a firewall that
  denies by default is ``networkAcls.defaultAction: Deny``; ``bypass: AzureServices`` lets trusted Azure services
  through; a virtual network rule names a subnet, which needs the ``Microsoft.Storage`` service endpoint; with
  ``publicNetworkAccess: Disabled`` only private endpoints reach the account.
- Private endpoints (learn.microsoft.com/azure/private-link/private-endpoint-dns): the sub-resource (group id) of a
  storage account's blob service is ``blob``, of a key vault ``vault``; a private DNS zone group registers the
  endpoint's address in the given ``privatelink.*`` zones.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, of_type, synthesize
from lync_pchat.offline.synthesis import offline_config
from lync_pchat.program import run as program

from ..model.configs import changed, enterprise, standard
from ..oracles.arm import NETWORK, resource_id
from ..pulumi.stacks import stack_config, stack_graph
from .test_backups import STORE_ROLES

ACCOUNT, SUBNET, VM = (
    "azure-native:storage:StorageAccount",
    "azure-native:network:Subnet",
    "azure-native:compute:VirtualMachine",
)
ENDPOINT, DNS_GROUP = "azure-native:network:PrivateEndpoint", "azure-native:network:PrivateDnsZoneGroup"
PE_SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/"
BLOB_ZONE = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-dns/providers/"
    "Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
)
VAULT_ZONE = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-dns/providers/"
    "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"
)


def subnet_id(stack: str, site: str, subnet: str) -> str:
    """The id ARM gives a subnet the project creates: ``snet-<subnet>`` in ``vnet-<prefix>-<site>``."""
    prefix = f"pchat-{stack}-{site}"
    return resource_id(f"rg-{prefix}", NETWORK, "virtualNetworks", f"vnet-{prefix}", "subnets", f"snet-{subnet}")


def pe_subnet(name: str) -> str:
    return PE_SUBNET + f"Microsoft.Network/virtualNetworks/vnet-hub/subnets/{name}"


@functools.cache
def _graph(topology: str) -> tuple[Resource, ...]:
    return tuple(synthesize(program, offline_config({"pchat:topology": json.loads(topology)}), stack="unseen"))


def graph(topology: dict[str, Any]) -> tuple[Resource, ...]:
    return _graph(json.dumps(topology, sort_keys=True))


def site_of(account: Resource) -> str:
    return str(account.inputs["tags"]["pchat-site"])


def host_subnets(resources: tuple[Resource, ...], site: str) -> set[str]:
    """The subnets of the site's servers holding a store (the backup hosts, tests/stacks/test_backups.py): a SQL
    Server VM in ``sql``, the Standard Edition server (its SQL Express) in ``pchat``."""
    roles = {
        vm.inputs["tags"]["pchat-role"] for vm in of_type(resources, VM) if vm.inputs["tags"]["pchat-site"] == site
    }
    return {"pchat" if role == "standard-edition" else "sql" for role in roles & STORE_ROLES}


@pytest.mark.parametrize("stack", stackfile.stack_names())
def test_backup_accounts_deny_every_network_but_the_backup_hosts_subnets(stack: str) -> None:
    resources = stack_graph(stack)
    topology: Any = stack_config(stack)["pchat:topology"]
    accounts = of_type(resources, ACCOUNT)
    # Every backup host of a pool reads every container of the pool (the restore after a failover reads the other
    # site's container, docs/backups.md): each account admits the subnets of the backup hosts of every pool writing
    # to it, in all their sites.
    plan = plan_topology(topology)

    def subnet(site: str, name: str) -> str:
        existing = topology["sites"][site].get("existingNetwork")
        return existing[f"{name}SubnetId"] if existing else subnet_id(stack, site, name)

    for account in accounts:
        site = site_of(account)
        pools = [p for p in plan.pools if p.backup and any(plan.server(h.server).site == site for h in p.backup.hosts)]
        hosts = {(plan.server(h.server).site, plan.server(h.server).subnet) for p in pools for h in p.backup.hosts}
        rules = [{"virtualNetworkResourceId": subnet(at, name), "action": "Allow"} for at, name in sorted(hosts)]
        assert host_subnets(resources, site), f"{stack}: an account in {site} with no server backing up to it"
        assert account.inputs["publicNetworkAccess"] == "Enabled", "service endpoints need the public endpoint"
        assert account.inputs["networkRuleSet"] == {
            "defaultAction": "Deny",
            "bypass": "AzureServices",
            "virtualNetworkRules": rules,
        }, stack
    for subnet in of_type(resources, SUBNET):
        site = subnet.inputs["virtualNetworkName"].rsplit("-", 1)[-1]
        name = subnet.inputs["subnetName"].removeprefix("snet-")
        storage = [{"service": "Microsoft.Storage"}] if name == "sql" or name in host_subnets(resources, site) else None
        assert subnet.inputs.get("serviceEndpoints") == storage, (stack, site, name)


def test_a_standard_edition_server_backs_up_from_the_pchat_subnet() -> None:
    """The Standard Edition server's SQL Express holds mgc and lives in the pchat subnet: that subnet is admitted
    (and gets the service endpoint) beside the sql one."""
    resources = graph(standard())
    (account,) = of_type(resources, ACCOUNT)
    rules = account.inputs["networkRuleSet"]["virtualNetworkRules"]
    assert [r["virtualNetworkResourceId"] for r in rules] == [subnet_id("unseen", "lab", "pchat")]
    endpoints = {s.inputs["subnetName"]: s.inputs.get("serviceEndpoints") for s in of_type(resources, SUBNET)}
    assert endpoints == {
        "snet-pchat": [{"service": "Microsoft.Storage"}],
        "snet-sql": [{"service": "Microsoft.Storage"}],
    }


WITH_ENDPOINTS = changed(
    enterprise(),
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    privateEndpoints={
        "backup": {"dublin": {"subnetId": pe_subnet("snet-pe-dublin"), "privateDnsZoneIds": [BLOB_ZONE]}},
        "vault": {"subnetId": pe_subnet("snet-pe-vault"), "privateDnsZoneIds": [VAULT_ZONE]},
    },
)


def test_private_endpoints_for_a_backup_account_and_the_vault() -> None:
    resources = graph(WITH_ENDPOINTS)
    accounts = {site_of(a): a for a in of_type(resources, ACCOUNT)}
    assert sorted(accounts) == ["amsterdam", "dublin"]
    dublin, amsterdam = accounts["dublin"], accounts["amsterdam"]
    assert dublin.inputs["publicNetworkAccess"] == "Disabled"
    assert dublin.inputs["networkRuleSet"] == {
        "defaultAction": "Deny",
        "bypass": "AzureServices",
        "virtualNetworkRules": [],
    }
    assert amsterdam.inputs["publicNetworkAccess"] == "Enabled", "no endpoint given for amsterdam"
    endpoints = {e.inputs["privateEndpointName"]: e for e in of_type(resources, ENDPOINT)}
    assert sorted(endpoints) == ["pep-pchat-unseen-dublin-backup", "pep-pchat-unseen-vault"]
    blob = endpoints["pep-pchat-unseen-dublin-backup"]
    assert blob.inputs["subnet"]["id"] == pe_subnet("snet-pe-dublin")
    assert blob.inputs["location"] == "northeurope"
    (connection,) = blob.inputs["privateLinkServiceConnections"]
    assert connection["groupIds"] == ["blob"]
    assert connection["privateLinkServiceId"].endswith(f"/storageAccounts/{dublin.inputs['accountName']}")
    vault = endpoints["pep-pchat-unseen-vault"]
    assert vault.inputs["subnet"]["id"] == pe_subnet("snet-pe-vault")
    (connection,) = vault.inputs["privateLinkServiceConnections"]
    assert connection["groupIds"] == ["vault"]
    assert "/providers/Microsoft.KeyVault/vaults/kv-pchat-" in connection["privateLinkServiceId"]
    groups = {g.inputs["privateEndpointName"]: g.inputs["privateDnsZoneConfigs"] for g in of_type(resources, DNS_GROUP)}
    assert groups == {
        "pep-pchat-unseen-dublin-backup": [
            {"name": "privatelink-blob-core-windows-net", "privateDnsZoneId": BLOB_ZONE}
        ],
        "pep-pchat-unseen-vault": [{"name": "privatelink-vaultcore-azure-net", "privateDnsZoneId": VAULT_ZONE}],
    }


def test_without_dns_zones_no_zone_group() -> None:
    topology = changed(enterprise(), privateEndpoints={"vault": {"subnetId": pe_subnet("snet-pe")}})
    resources = graph(topology)
    assert [e.inputs["privateEndpointName"] for e in of_type(resources, ENDPOINT)] == ["pep-pchat-unseen-vault"]
    assert of_type(resources, DNS_GROUP) == []
