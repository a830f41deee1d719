"""The estate and install rules (issues 10 and 12), each with the exact message an admin reads.

Oracles: Azure resource ids are ``/subscriptions/<guid>/resourceGroups/<group>/providers/<namespace>/<type>/
<name>`` (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules for the names); a
subnet of a pool holds its static addresses; Install-CsDatabase needs a sysadmin login, which SQL Server takes
as ``DOMAIN\\user`` [L:deployment-permissions-for-sql-server]; Request-CsCertificate's ``-CA`` is
``<CA FQDN>\\<CA name>`` [PS:Request-CsCertificate].
"""

from __future__ import annotations

from ipaddress import ip_address, ip_network
from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology

from .configs import changed, enterprise

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke/providers/"
VNET = SUB + "Microsoft.Network/virtualNetworks/vnet-spoke"
EXISTING = {
    "pchatSubnetId": VNET + "/subnets/pchat",
    "pchatSubnetPrefix": "10.10.4.0/24",
    "sqlSubnetId": VNET + "/subnets/sql",
    "sqlSubnetPrefix": "10.10.5.0/24",
}
ACCOUNT = SUB + "Microsoft.Storage/storageAccounts/media01"
SOFTWARE = {
    "install": True,
    "mediaUri": "https://media01.blob.core.windows.net/lync/Lync2013/",
    "storageAccountId": ACCOUNT,
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\svc-lyncsetup",
}
JOINED = changed(enterprise(), domainJoin={"user": "CORP\\svc-join"})
SHAPE = "/subscriptions/<subscription id>/resourceGroups/<group>/providers/"


def existing(**keys: Any) -> dict[str, Any]:
    return changed(enterprise(), sites__dublin__existingNetwork={**EXISTING, **keys})


def installing(**keys: Any) -> dict[str, Any]:
    return changed(JOINED, software={**SOFTWARE, **keys})


CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "a subnet id of another kind",
        existing(pchatSubnetId=VNET),
        [
            f"sites.dublin.existingNetwork.pchatSubnetId: {VNET!r} is not the resource id of a subnet: {SHAPE}"
            "Microsoft.Network/virtualNetworks/<name>/subnets/<name>"
        ],
    ),
    (
        "a prefix that is no network",
        existing(sqlSubnetPrefix="10.10.5.0/33"),
        ["sites.dublin.existingNetwork.sqlSubnetPrefix: '10.10.5.0/33' is not an IPv4 network such as 10.10.0.0/24"],
    ),
    (
        "a prefix outside the site",
        existing(pchatSubnetPrefix="10.99.0.0/24"),
        [
            "sites.dublin.existingNetwork.pchatSubnetPrefix: 10.99.0.0/24 is outside the address space "
            "10.10.0.0/16 of site 'dublin'"
        ],
    ),
    (
        "a subnet too small for the pools' blocks",
        existing(sqlSubnetPrefix="10.10.5.0/28"),
        [
            "sites.dublin.existingNetwork.sqlSubnetPrefix: 10.10.5.0/28 is too small: a subnet holds the pools' "
            "blocks of 8 static addresses beside the first and last 1 blocks that Azure reserves, so at least a /27"
        ],
    ),
    (
        "overlapping subnets",
        existing(sqlSubnetPrefix="10.10.4.0/25"),
        ["sites.dublin.existingNetwork.sqlSubnetPrefix: 10.10.4.0/25 overlaps the pchat subnet 10.10.4.0/24"],
    ),
    (
        "one subnet for both",
        existing(sqlSubnetId=VNET + "/subnets/PCHAT"),
        [
            "sites.dublin.existingNetwork.sqlSubnetId: the SQL Servers need a subnet of their own, apart from the "
            "pchat one"
        ],
    ),
    (
        "a route table on existing subnets",
        changed(existing(), sites__dublin__routeTableId=SUB + "Microsoft.Network/routeTables/rt-hub"),
        [
            "sites.dublin.routeTableId: applies to the subnets this project creates; with existingNetwork, route "
            "your own subnets"
        ],
    ),
    (
        "a hub peering of an existing network",
        changed(existing(), sites__dublin__hubVirtualNetworkId=SUB + "Microsoft.Network/virtualNetworks/vnet-hub"),
        [
            "sites.dublin.hubVirtualNetworkId: peers the virtual network this project creates with the hub; with "
            "existingNetwork, your network and its peerings are yours"
        ],
    ),
    (
        "a hub that is no virtual network",
        changed(enterprise(), sites__dublin__hubVirtualNetworkId=SUB + "Microsoft.Network/routeTables/rt"),
        [
            f"sites.dublin.hubVirtualNetworkId: {SUB + 'Microsoft.Network/routeTables/rt'!r} is not the resource "
            f"id of a virtual network: {SHAPE}Microsoft.Network/virtualNetworks/<name>"
        ],
    ),
    (
        "the hub's gateway without a hub",
        changed(enterprise(), sites__dublin__useHubGateway=True),
        ["sites.dublin.useHubGateway: uses the gateway of the hub: set hubVirtualNetworkId"],
    ),
    (
        "a key vault name Azure refuses",
        changed(enterprise(), keyVaultId=SUB + "Microsoft.KeyVault/vaults/kv_hub"),
        [
            f"keyVaultId: {SUB + 'Microsoft.KeyVault/vaults/kv_hub'!r} is not the resource id of a key vault: "
            f"{SHAPE}Microsoft.KeyVault/vaults/<name>"
        ],
    ),
    (
        "install without what it needs",
        changed(JOINED, software={"install": True}),
        [
            f"software.{key}: install: true needs it (see the README, Installing Lync Server)"
            for key in ("mediaUri", "storageAccountId", "certificateAuthority", "setupUser")
        ],
    ),
    (
        "install without a domain join",
        changed(enterprise(), software=SOFTWARE),
        [
            "software.install: the installation runs as a domain account after the servers join the domain: set "
            "domainJoin"
        ],
    ),
    (
        "media behind a SAS token",
        installing(mediaUri="https://media01.blob.core.windows.net/lync/Lync2013/?sv=2022&sig=x"),
        [
            # the SAS token is never shown
            "software.mediaUri: 'https://media01.blob.core.windows.net/lync/Lync2013/' is not the "
            "https URL of a folder in a blob container with no query: no SAS token "
            "(https://<account>.blob.core.windows.net/<container>/<folder>/); each server reads the media with its "
            "managed identity"
        ],
    ),
    (
        "media in another account",
        installing(storageAccountId=SUB + "Microsoft.Storage/storageAccounts/other01"),
        ["software.storageAccountId: names the account 'other01', but mediaUri is in 'media01'"],
    ),
    (
        "a CA without its server",
        installing(certificateAuthority="CORP-DC01-CA"),
        [
            "software.certificateAuthority: 'CORP-DC01-CA' is not '<CA server FQDN>\\<CA name>' as certutil shows "
            "the CA's config, e.g. dc01.corp.contoso.com\\CORP-DC01-CA"
        ],
    ),
    (
        "a setup account as a UPN",
        installing(setupUser="svc-lyncsetup@corp.contoso.com"),
        [
            "software.setupUser: 'svc-lyncsetup@corp.contoso.com' is not a domain account DOMAIN\\user, the form "
            "SQL Server logins and local groups take"
        ],
    ),
    (
        "a DNS server that is neither a name nor an address",
        installing(dnsServer="dc01 corp"),
        ["software.dnsServer: 'dc01 corp' is not a DNS server's FQDN or IPv4 address"],
    ),
    (
        "an update outside the media folder",
        installing(updateInstaller="../LyncServerUpdateInstaller.exe"),
        [
            "software.updateInstaller: '../LyncServerUpdateInstaller.exe' is not the path of an installer under "
            "mediaUri, e.g. LyncServerUpdateInstaller.exe or cu2023-02/LyncServerUpdateInstaller.exe"
        ],
    ),
    (
        "media over http, no query",
        installing(mediaUri="http://media01.blob.core.windows.net/lync/Lync2013/"),
        [
            "software.mediaUri: 'http://media01.blob.core.windows.net/lync/Lync2013/' is not the https URL of a "
            "folder in a blob container (https://<account>.blob.core.windows.net/<container>/<folder>/); each "
            "server reads the media with its managed identity"
        ],
    ),
    (
        "a storage account id that is a container's",
        installing(storageAccountId=ACCOUNT + "/blobServices/default/containers/lync"),
        [
            f"software.storageAccountId: {ACCOUNT + '/blobServices/default/containers/lync'!r} is not the resource "
            f"id of a storage account: {SHAPE}Microsoft.Storage/storageAccounts/<name>"
        ],
    ),
]


@pytest.mark.parametrize(("raw", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_rule(raw: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(TopologyError) as caught:
        plan_topology(raw)
    assert [str(p) for p in caught.value.problems] == expected


@pytest.mark.parametrize(
    "raw",
    [
        existing(),
        installing(updateInstaller="cu2023-02/LyncServerUpdateInstaller.exe"),
        installing(dnsServer="10.0.0.4"),
        changed(enterprise(), sites__dublin__hubVirtualNetworkId=VNET, sites__dublin__useHubGateway=True),
        changed(enterprise(), keyVaultId=SUB + "Microsoft.KeyVault/vaults/kv-hub"),
        changed(enterprise(), software={"install": False}),
        existing(sqlSubnetPrefix="10.10.5.0/27"),
    ],
    ids=["existing subnets", "an update in a folder", "a DNS server by address", "hub with gateway", "a vault",
         "install off needs nothing", "a /27, the smallest subnet"],
)  # fmt: skip
def test_valid(raw: dict[str, Any]) -> None:
    plan_topology(raw)


def test_static_addresses_come_from_the_existing_subnets() -> None:
    """Azure reserves the first four addresses and the last of every subnet
    (learn.microsoft.com/azure/virtual-network/virtual-networks-faq, "Are there any restrictions on using IP
    addresses within these subnets?"); every address lies in the given prefix, none of them reserved."""
    plan = plan_topology(
        changed(existing(sqlSubnetPrefix="10.10.5.0/26"), pools__pchat01__compliance={"enabled": True})
    )
    given = {"pchat": ip_network("10.10.4.0/24"), "sql": ip_network("10.10.5.0/26")}
    here = [s for s in plan.servers if s.site == "dublin"]
    assert {s.subnet for s in here} == {"pchat", "sql"}
    for server in here:
        net, address = given[server.subnet], ip_address(server.private_ip)
        assert address in net, server
        assert int(address) - int(net.network_address) >= 4 and address != net.broadcast_address, server
    everyone = [s.private_ip for s in plan.servers]
    assert len(set(everyone)) == len(everyone)


DOTS = "https://www.rfc-editor.org/rfc/rfc3986#section-5.2.4"


@pytest.mark.parametrize(
    "uri",
    [
        "https://media01.blob.core.windows.net/lync/../other/",
        "https://media01.blob.core.windows.net/lync/Lync2013/..",
        "https://media01.blob.core.windows.net/lync/./Lync2013/",
        "https://media01.blob.core.windows.net/lync/%2e%2e/other/",
        "https://media01.blob.core.windows.net/lync/%2E./other/",
        "https://media01.blob.core.windows.net/lync/Lync2013%2f..%2fother/",
        "https://media01.blob.core.windows.net/lync/Lync2013\\..\\other/",
    ],
)
def test_media_uri_with_dot_segments_is_refused(uri: str) -> None:
    """RFC 3986 §5.2.4: a client removes dot segments before the request, so the server would read another folder
    (or container) than the one named."""
    with pytest.raises(TopologyError) as caught:
        plan_topology(installing(mediaUri=uri))
    assert [str(p) for p in caught.value.problems] == [
        f"software.mediaUri: {uri!r} has a '.' or '..' segment (also as %2e): name the media folder as it is, not "
        f"relative to another [{DOTS}]"
    ]


@pytest.mark.parametrize("folder", ["Lync2013.v2/", "..Lync/", "cu.../", "a.b/c..d/"])
def test_dots_inside_a_folder_name_are_fine(folder: str) -> None:
    plan_topology(installing(mediaUri=f"https://media01.blob.core.windows.net/lync/{folder}"))
