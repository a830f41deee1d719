"""The adoption options' rules (VM sizes, zones, private endpoints), "did you mean" and one report for shape and
rule problems, each with its exact message.

Oracles:
- VM sizes: the Azure size pages (learn.microsoft.com/azure/virtual-machines/sizes/...): Dsv6 ``Standard_D32s_v6``
  32 vCPUs, 128 GiB, 64 data disks, Esv6 ``Standard_E16s_v6`` 16 vCPUs, 128 GiB, both "Generation 1 VMs: Not
  Supported"; Dsv6 ``Standard_D96s_v6`` (not in the catalog) 96 vCPUs, 384 GiB, also Generation 2 only; Dsv5
  ``Standard_D48s_v5`` 48 vCPUs, 192 GiB. The documented hardware is 2 x hex-core (12 physical
  cores) and 32 GB (persistent-chat.md §5, §10: a hyper-threaded vCPU is half a core).
- Generation 2 marketplace skus end in ``-gensecond`` (Windows Server 2012 R2 to 2019), ``-g2`` (2022 on) or
  ``-gen2`` (SQL Server images) (learn.microsoft.com/azure/virtual-machines/generation-2).
- Availability zones are "1", "2", "3" (pulumi-azure.md §5, ``zones=["1"]``).
- Resource ids: /subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>.
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology
from lync_pchat.model.catalog import DOCUMENTED_SPEC, EVALUATION_SPEC, VM_SIZES, WITNESS_SPEC, smallest_meeting

from .configs import changed, enterprise, standard

E = enterprise()
SUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/"
PE_SUBNET = SUB + "Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"
ZONE = SUB + "Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
SIZE_SOURCE = "[AZ:sizes]"
SUBNET_SHAPE = "/subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/"


def problems(config: dict[str, Any]) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        plan_topology(config)
    return [str(p) for p in caught.value.problems]


CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "v6 size on the Generation 1 default image",
        changed(E, pools__pchat01__vmSize="Standard_D32s_v6"),
        [
            "pools.pchat01.vmSize: Standard_D32s_v6 runs Generation 2 VMs only, and the image "
            "WindowsServer/2012-R2-Datacenter is Generation 1; choose a Generation 2 image in images.windows (a sku "
            f"ending in -gensecond or -g2) or a v5 size {SIZE_SOURCE}"
        ],
    ),
    (
        "v6 store size on the Generation 1 SQL image",
        changed(E, pools__pchat01__store={"vmSize": "Standard_E32s_v6"}),
        [
            "pools.pchat01.store.vmSize: Standard_E32s_v6 runs Generation 2 VMs only, and the image "
            "SQL2014SP3-WS2012R2/Standard is Generation 1; the SQL Server images' sku is the edition (a Generation 1 "
            f"image): choose a v5 size {SIZE_SOURCE}"
        ],
    ),
    (
        "v6 size below the documented hardware",
        changed(
            E, pools__pchat01__vmSize="Standard_E16s_v6", images={"windows": {"sku": "2012-r2-datacenter-gensecond"}}
        ),
        [
            "pools.pchat01.vmSize: Standard_E16s_v6 has 16 vCPUs (hyper-threaded), i.e. 8 physical cores, and "
            "128 GiB; the documented hardware is 2 x hex-core (12 physical cores and 32 GB). Choose one of "
            "Standard_F32s_v2, Standard_D32s_v5, Standard_E32s_v5, or set hardware: evaluation for a smaller, "
            "unsupported lab [L:lync-server-2013-server-hardware-platforms]"
        ],
    ),
    (
        "size in the wrong case",
        changed(E, pools__pchat01__vmSize="standard_d48s_v5"),
        [
            "pools.pchat01.vmSize: 'standard_d48s_v5' is not in the catalog; did you mean 'Standard_D48s_v5'? choose "
            "one of Standard_F32s_v2, Standard_D32s_v5, Standard_E32s_v5, or state its vCPUs and memory in "
            f"customVmSizes {SIZE_SOURCE}"
        ],
    ),
    (
        "custom size below the documented hardware",
        changed(
            E,
            customVmSizes={"Standard_D24s_v5x": {"vcpus": 16, "memoryGib": 64}},
            pools__pchat01__vmSize="Standard_D24s_v5x",
        ),
        [
            "pools.pchat01.vmSize: Standard_D24s_v5x has 16 vCPUs (hyper-threaded), i.e. 8 physical cores, and 64 GiB; "
            "the documented hardware is 2 x hex-core (12 physical cores and 32 GB). Choose one of Standard_F32s_v2, "
            "Standard_D32s_v5, Standard_E32s_v5, or set hardware: evaluation for a smaller, unsupported lab "
            "[L:lync-server-2013-server-hardware-platforms]"
        ],
    ),
    (
        "custom size already in the catalog",
        changed(E, customVmSizes={"Standard_D32s_v5": {"vcpus": 32, "memoryGib": 128}}),
        [
            "customVmSizes.Standard_D32s_v5: Standard_D32s_v5 is in the catalog already (Standard_D32s_v5 has 32 "
            "vCPUs (hyper-threaded), i.e. 16 physical cores, and 128 GiB); remove it here"
        ],
    ),
    (
        "custom size name",
        changed(E, customVmSizes={"D48 v5": {"vcpus": 48, "memoryGib": 192}}),
        [f"customVmSizes.\"D48 v5\": 'D48 v5' is not an Azure VM size name such as Standard_D48s_v5 {SIZE_SOURCE}"],
    ),
    (
        "custom size without premium storage",
        changed(
            E,
            customVmSizes={"Standard_D48_v5": {"vcpus": 48, "memoryGib": 192, "premiumStorage": False}},
            pools__pchat01__vmSize="Standard_D48_v5",
        ),
        [
            "pools.pchat01.vmSize: Standard_D48_v5 cannot use Premium SSD, which the data volumes need; choose one of "
            f"Standard_F32s_v2, Standard_D32s_v5, Standard_E32s_v5 {SIZE_SOURCE}"
        ],
    ),
    (
        "custom size with too few data disks for a SQL Server VM",
        changed(
            E,
            customVmSizes={"Standard_E32bs_v5": {"vcpus": 32, "memoryGib": 256, "maxDataDisks": 2}},
            pools__pchat01__store={"vmSize": "Standard_E32bs_v5"},
        ),
        [
            "pools.pchat01.store.vmSize: Standard_E32bs_v5 attaches at most 2 data disks; the store needs 4 "
            f"{SIZE_SOURCE}"
        ],
    ),
    (
        "custom Generation 2 only size on a Generation 1 image",
        changed(
            E,
            customVmSizes={"Standard_D96s_v6": {"vcpus": 96, "memoryGib": 384, "generation2Only": True}},
            pools__pchat01__vmSize="Standard_D96s_v6",
        ),
        [
            "pools.pchat01.vmSize: Standard_D96s_v6 runs Generation 2 VMs only, and the image "
            "WindowsServer/2012-R2-Datacenter is Generation 1; choose a Generation 2 image in images.windows (a sku "
            f"ending in -gensecond or -g2) or a v5 size {SIZE_SOURCE}"
        ],
    ),
    (
        "zone out of range and twice",
        changed(E, sites__dublin__availabilityZones=["1", "4", "1"]),
        [
            "sites.dublin.availabilityZones.1: '4' is not an availability zone: Azure numbers them 1, 2 and 3",
            "sites.dublin.availabilityZones.2: zone 1 is listed twice",
        ],
    ),
    (
        "vault endpoint with an existing vault",
        changed(
            E,
            keyVaultId=SUB + "Microsoft.KeyVault/vaults/kv-platform",
            privateEndpoints={"vault": {"subnetId": PE_SUBNET}},
        ),
        [
            "privateEndpoints.vault: with keyVaultId the project creates no vault: give your own vault its private "
            "endpoint"
        ],
    ),
    (
        "backup endpoint of an unknown site",
        changed(E, privateEndpoints={"backup": {"dubln": {"subnetId": PE_SUBNET}}}),
        ["privateEndpoints.backup.dubln: 'dubln' is not a site; did you mean 'dublin'? sites: dublin, amsterdam"],
    ),
    (
        "backup endpoint of a site without a backup account",
        changed(E, privateEndpoints={"backup": {"amsterdam": {"subnetId": PE_SUBNET}}}),
        [
            "privateEndpoints.backup.amsterdam: site 'amsterdam' has no backup storage account of the project's (no "
            "pool backs up a store there, or its backup.storageAccountId is your own account)"
        ],
    ),
    (
        "malformed endpoint ids",
        changed(
            E, privateEndpoints={"backup": {"dublin": {"subnetId": "snet-pe", "privateDnsZoneIds": ["blob.zone"]}}}
        ),
        [
            f"privateEndpoints.backup.dublin.subnetId: 'snet-pe' is not the resource id of a subnet: {SUBNET_SHAPE}"
            "<name>/subnets/<name>",
            "privateEndpoints.backup.dublin.privateDnsZoneIds.0: 'blob.zone' is not the resource id of a private DNS "
            "zone: /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/"
            "privateDnsZones/<name>",
        ],
    ),
    (
        "licence type",
        changed(E, licenseType="Windows_Client", sqlLicenseType="DR"),
        [
            "licenseType: Input should be 'Windows_Server'",
            "sqlLicenseType: Input should be 'PAYG' or 'AHUB'",
        ],
    ),
]


@pytest.mark.parametrize(("config", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(config: dict[str, Any], expected: list[str]) -> None:
    assert problems(config) == expected


def test_valid_options_plan() -> None:
    plan = plan_topology(
        changed(
            E,
            licenseType="Windows_Server",
            sqlLicenseType="AHUB",
            bootDiagnostics=False,
            customVmSizes={"Standard_D48s_v5x": {"vcpus": 48, "memoryGib": 192}},
            pools__pchat01__vmSize="Standard_D48s_v5x",
            sites__dublin__availabilityZones=["1", "2"],
            privateEndpoints={"backup": {"dublin": {"subnetId": PE_SUBNET, "privateDnsZoneIds": [ZONE]}}},
            images={"windows": {"sku": "2012-r2-datacenter-gensecond"}},
        )
    )
    assert (plan.license_type, plan.sql_license_type, plan.boot_diagnostics) == ("Windows_Server", "AHUB", False)
    assert {s.vm_size for s in plan.pools[0].pool_servers} == {"Standard_D48s_v5x"}
    assert [s.zone for s in plan.pools[0].pool_servers] == ["1", "2"]
    assert [s.zone for s in plan.pools[0].sql_servers] == ["1"]


def test_a_v6_size_on_a_generation_2_image_passes() -> None:
    plan = plan_topology(
        changed(
            E,
            product="skype2015",
            pools__pchat01__vmSize="Standard_D32s_v6",
            images={"windows": {"sku": "2019-datacenter-gensecond"}},
        )
    )
    assert {s.vm_size for s in plan.pools[0].pool_servers} == {"Standard_D32s_v6"}


CATALOG = [
    ("Standard_D32s_v6", 32, 128, 64, True),
    ("Standard_D64s_v6", 64, 256, 64, True),
    ("Standard_E16s_v6", 16, 128, 48, True),
    ("Standard_E32s_v6", 32, 256, 64, True),
    ("Standard_D48s_v5", 48, 192, 32, False),
    ("Standard_E48s_v5", 48, 384, 32, False),
]
"""The size pages' vCPUs, memory (GiB) and max data disks, and whether the series runs Generation 2 only."""


@pytest.mark.parametrize(("name", "vcpus", "memory", "disks", "gen2"), CATALOG)
def test_catalog_matches_the_size_pages(name: str, vcpus: int, memory: int, disks: int, gen2: bool) -> None:
    size = VM_SIZES[name]
    assert (size.vcpus, size.memory_gib, size.max_data_disks, size.generation2_only) == (vcpus, memory, disks, gen2)
    assert size.hyperthreaded and size.premium_storage


def test_new_sizes_never_change_a_default_size() -> None:
    """The default sizes of the first catalog: a deployed server is never resized by a catalog update."""
    assert (smallest_meeting(DOCUMENTED_SPEC).name, smallest_meeting(EVALUATION_SPEC).name) == (
        "Standard_F32s_v2",
        "Standard_F4s_v2",
    )
    assert smallest_meeting(WITNESS_SPEC).name == "Standard_D2s_v5"


ONE_REPORT: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "unknown key beside a bad region",
        changed(E, edtion="standard", sites__dublin__region="North Europe"),
        [
            "edtion: unknown key; did you mean 'edition'? expected one of: acceptUnsupported, adminUsername, backup, "
            "bootDiagnostics, centralManagementCidr, customVmSizes, diagnostics, domain, domainJoin, edition, "
            "encryptionAtHost, images, keyVaultId, licenseType, lockStores, managementCidr, monitoring, namePrefix, "
            "patching, pools, privateEndpoints, product, protectStatefulResources, secretExpiryDays, secretReaders, "
            "secretsNotAfter, sitePeering, sites, software, sqlLicenseType, tags, userAssignedIdentityId",
            "sites.dublin.region: 'North Europe' is not an Azure region name (did you mean 'northeurope'?)",
        ],
    ),
    (
        "wrong type beside a time zone typo",
        changed(E, pools__pchat01__activeServers="two", pools__pchat01__timeZone="W. Europe Standart Time"),
        [
            "pools.pchat01.activeServers: expected a whole number, got the string 'two'",
            "pools.pchat01.timeZone: 'W. Europe Standart Time' is not a Windows time zone id (tzutil /l lists them); "
            "did you mean 'W. Europe Standard Time' or 'E. Europe Standard Time' or 'Central Europe Standard Time'?",
        ],
    ),
    (
        "a bad list item leaves the list out, the rules still run",
        changed(E, patching={"windows": [{"start": 5}]}, sites__amsterdam__region="westeuropa"),
        [
            "patching.windows.0.start: expected a string, got the number 5",
            "sites.amsterdam.region: 'westeuropa' is not an Azure region name (did you mean 'westeurope'?)",
        ],
    ),
    (
        "a rule problem about the left-out value is not reported",
        changed(E, pools__pchat01__vmSize=32),
        ["pools.pchat01.vmSize: expected a string, got the number 32"],
    ),
    (
        "a missing required key stops before the rules",
        changed(standard(), pools__lyncse01__users="many", sites__lab__region="x"),
        ["pools.lyncse01.users: expected a whole number, got the string 'many'"],
    ),
    (
        "a malformed map member stops before the rules",
        changed(E, sites__dublin=["northeurope"], sites__amsterdam__region="x"),
        ["sites.dublin: expected a map, got a list"],
    ),
]


@pytest.mark.parametrize(("config", "expected"), [c[1:] for c in ONE_REPORT], ids=[c[0] for c in ONE_REPORT])
def test_shape_and_rule_problems_in_one_report(config: dict[str, Any], expected: list[str]) -> None:
    assert problems(config) == expected


@pytest.mark.parametrize(
    ("region", "hint"),
    [
        ("West Europe", "did you mean 'westeurope'?"),
        ("westeurope2", "did you mean 'westeurope'?"),
        ("Mars", "lowercase, e.g. westeurope"),
    ],
)
def test_region_did_you_mean(region: str, hint: str) -> None:
    assert problems(changed(E, sites__amsterdam__region=region)) == [
        f"sites.amsterdam.region: {region!r} is not an Azure region name ({hint})"
    ]


EXISTING = {
    "pchatSubnetId": SUB + "Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pchat",
    "pchatSubnetPrefix": "10.10.0.0/24",
    "sqlSubnetId": SUB + "Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-sql",
    "sqlSubnetPrefix": "10.10.1.0/24",
}


def test_existing_subnets_are_told_to_enable_the_storage_service_endpoint() -> None:
    """Azure Storage refuses a virtual network rule for a subnet without the Microsoft.Storage service endpoint
    (learn.microsoft.com/azure/storage/common/storage-network-security); the project cannot set it on your subnets."""
    warning = (
        "sites.dublin.existingNetwork: the site's backup storage account admits only the subnets of the servers that "
        "back up (a virtual network rule), which Azure accepts once those subnets have the Microsoft.Storage service "
        "endpoint: enable it on your subnets, or give privateEndpoints.backup.dublin"
    )
    spoke = changed(E, sites__dublin__existingNetwork=EXISTING)
    assert warning in plan_topology(spoke).warnings
    endpoint = changed(spoke, privateEndpoints={"backup": {"dublin": {"subnetId": PE_SUBNET}}})
    assert warning not in plan_topology(endpoint).warnings
    assert not [w for w in plan_topology(E).warnings if "existingNetwork" in w]


def test_rule_problems_under_a_left_out_value_are_dropped() -> None:
    """A left-out value's default stands in for it: a rule problem on that path (or inside it) is about the default,
    not about what the admin wrote, so only the shape problem is reported."""
    from lync_pchat.model import Problem, _under_any

    shape = [Problem("pools.pchat01.store", "expected a map, got a list")]
    assert _under_any("pools.pchat01.store", shape)
    assert _under_any("pools.pchat01.store.vmSize", shape)
    assert not _under_any("pools.pchat01.storeX", shape)
    assert not _under_any("pools.pchat01", shape)
