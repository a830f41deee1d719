"""Every documented rule, with the exact message an admin reads."""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology, rules_platform
from lync_pchat.model import sources as src

from .configs import DELETE, changed, enterprise, standard

WATCHED = {
    "emails": ["ops@contoso.com"],
    "testUsers": {"sender": "sip:probe1@contoso.com", "receiver": "sip:probe2@contoso.com"},
}
"""Monitoring that alerts someone and runs the synthetic test: no monitoring advisory in these tests."""
E = changed(enterprise(), monitoring=WATCHED)
S = changed(standard(), monitoring=WATCHED)
DR = {"standbySite": "amsterdam"}

BACKEND_MIRROR = {
    "sqlServer": "be02.corp.contoso.com",
    "sqlInstance": "rtc",
    "fileShare": "\\\\fs01.corp.contoso.com\\mirror",
}
"""The Back End's mirror a collocated store is mirrored onto (store.mirror)."""


def collocated(**mirror: Any) -> dict[str, Any]:
    """A collocated store on be01\\rtc whose mirror is :data:`BACKEND_MIRROR` with ``mirror`` changed."""
    return {"placement": "collocated", "sqlServer": "be01.corp.contoso.com", "sqlInstance": "rtc",
            "mirror": BACKEND_MIRROR | mirror}  # fmt: skip


def mirrored(
    high_availability: dict[str, Any] | None = None,
    compliance: dict[str, Any] | None = None,
    disaster: dict[str, Any] | None = None,
    **mirror: Any,
) -> dict[str, Any]:
    """:data:`E` with a collocated store mirrored onto the Back End's mirror."""
    paths: dict[str, Any] = {
        "pools__pchat01__store": collocated(**mirror),
        "pools__pchat01__highAvailability": high_availability or {"mirroring": True},
    }
    if compliance is not None:
        paths["pools__pchat01__compliance"] = compliance
    if disaster is not None:
        paths["pools__pchat01__disasterRecovery"] = disaster
    return changed(E, **paths)


CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # Capacity [L:capacity-planning]: 4 active x 20,000 users, 80,000 per pool and overall.
    (
        "users over 80,000",
        changed(E, pools__pchat01__users=80001),
        [
            f"pools.pchat01.users: 80,001 concurrent users: a pool serves 1 to 80,000 "
            f"(4 active servers of 20,000) [{src.CAPACITY}]"
        ],
    ),
    (
        "no users",
        changed(E, pools__pchat01__users=0),
        [
            f"pools.pchat01.users: 0 concurrent users: a pool serves 1 to 80,000 "
            f"(4 active servers of 20,000) [{src.CAPACITY}]"
        ],
    ),
    (
        "five active servers",
        changed(E, pools__pchat01__activeServers=5),
        [f"pools.pchat01.activeServers: 5 active servers: a pool has 1 to 4 active servers [{src.COMPONENTS}]"],
    ),
    (
        "active servers do not cover users",
        changed(E, pools__pchat01__activeServers=1),
        [
            f"pools.pchat01.activeServers: 1 active servers serve at most 20,000 users, not 40,000; "
            f"use 2 or omit the key [{src.CAPACITY}]"
        ],
    ),
    (
        "80,000 across pools",
        changed(E, pools__pchat02={"site": "amsterdam", "users": 50000, "nextHop": "fe02.corp.contoso.com"}),
        [
            f"pools: 90,000 concurrent users in all pools: the 80,000 limit applies across all "
            f"Persistent Chat pools together; extra pools do not add scale [{src.CAPACITY}]"
        ],
    ),
    # Standard Edition [L:deploying, L:add-to-topology, L:se-collocation].
    (
        "standard with two pools",
        changed(S, pools__lyncse02={"site": "lab", "users": 10, "addressSlot": 1}),
        [
            f"pools: Standard Edition has exactly one Persistent Chat pool, collocated on the "
            f"Standard Edition server; 2 are defined [{src.SE_COLLOCATION}]"
        ],
    ),
    (
        "standard with two servers",
        changed(S, pools__lyncse01__activeServers=2),
        [
            f"pools.lyncse01.activeServers: a Standard Edition pool is one server: the pool FQDN "
            f"must equal the Standard Edition server FQDN [{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "standard with mirroring",
        changed(S, pools__lyncse01__highAvailability={"mirroring": True}),
        [
            f"pools.lyncse01.highAvailability: Standard Edition offers no high availability for "
            f"Persistent Chat; use edition enterprise [{src.CAPACITY}]"
        ],
    ),
    (
        "standard with a standby site",
        changed(
            S,
            sites__dr={"region": "northeurope", "addressSpace": "10.60.0.0/22"},
            pools__lyncse01__disasterRecovery={"standbySite": "dr"},
        ),
        [
            f"pools.lyncse01.disasterRecovery: a Standard Edition pool is one server, so it cannot stretch to a "
            f"standby data center; use edition enterprise [{src.DEPLOYING}]"
        ],
    ),
    (
        "standard with another next hop",
        changed(S, pools__lyncse01__nextHop="fe01.lab.contoso.com"),
        [
            f"pools.lyncse01.nextHop: the collocated pool's next hop is the Standard Edition server "
            f"itself (lyncse01.lab.contoso.com); omit nextHop [{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "standard with a name prefix",
        changed(S, pools__lyncse01__computerNamePrefix="se"),
        [
            f"pools.lyncse01.computerNamePrefix: a Standard Edition pool is named after its server: "
            f"the pool FQDN must equal the server FQDN; rename the pool instead [{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "standard server name over 15",
        changed(S, pools={"lyncstandard0001": {"site": "lab", "users": 5}}),
        [
            "pools.lyncstandard0001: the computer name 'lyncstandard0001' (16 characters) is not a "
            "valid Windows computer name of at most 15 characters; set computerNamePrefix to a "
            "shorter prefix"
        ],
    ),
    # Enterprise Edition [L:deploying, L:database-software-support, L:add-to-topology].
    (
        "enterprise with SQL Express",
        changed(E, pools__pchat01__store={"placement": "express"}),
        [
            f"pools.pchat01.store.placement: SQL Server Express is for Standard Edition only; use "
            f"dedicated (recommended) or collocated [{src.DATABASE_SOFTWARE}]"
        ],
    ),
    (
        "enterprise without next hop",
        changed(E, pools__pchat01__nextHop=DELETE),
        [
            f"pools.pchat01.nextHop: each Persistent Chat pool needs its next-hop Front End pool "
            f"FQDN, e.g. fe01.corp.contoso.com [{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "next hop not an FQDN",
        changed(E, pools__pchat01__nextHop="fe01"),
        ["pools.pchat01.nextHop: 'fe01' is not a Front End pool FQDN"],
    ),
    # Stores [L:ee-collocation]: one mgc and one mgccomp per SQL instance.
    (
        "collocated without server",
        changed(E, pools__pchat01__store={"placement": "collocated"}),
        [
            f"pools.pchat01.store.sqlServer: a collocated store names the existing Back End SQL "
            f"Server FQDN, e.g. be01.corp.contoso.com [{src.EE_COLLOCATION}]"
        ],
    ),
    (
        "two pools on one Back End",
        changed(
            E,
            pools__pchat01__store={"placement": "collocated", "sqlServer": "be01.corp.contoso.com"},
            pools__pchat02={
                "site": "amsterdam",
                "users": 100,
                "nextHop": "fe02.corp.contoso.com",
                "store": {"placement": "collocated", "sqlServer": "BE01.corp.contoso.com"},
            },
        ),
        [
            f"pools.pchat02.store.sqlServer: be01.corp.contoso.com already holds the Persistent Chat "
            f"database of pool 'pchat01'; a SQL instance holds one mgc and one mgccomp "
            f"[{src.EE_COLLOCATION}]"
        ],
    ),
    (
        "sqlServer on a dedicated store",
        changed(E, pools__pchat01__store={"sqlServer": "be01.corp.contoso.com"}),
        [
            "pools.pchat01.store.sqlServer: sqlServer and sqlInstance name an existing instance, only "
            "for placement collocated (this store is dedicated)"
        ],
    ),
    (
        "bad instance name",
        changed(
            E,
            pools__pchat01__store={
                "placement": "collocated",
                "sqlServer": "be01.corp.contoso.com",
                "sqlInstance": "my instance",
            },
        ),
        [
            "pools.pchat01.store.sqlInstance: 'my instance' is not a SQL Server instance name (up to "
            "16 letters, digits or _)"
        ],
    ),
    (
        "compliance placement while off",
        changed(E, pools__pchat01__compliance={"placement": "shared"}),
        ["pools.pchat01.compliance.placement: has no effect unless compliance.enabled is true"],
    ),
    # High availability [L:sql-mirroring, L:required-resources].
    (
        "witness without mirroring",
        changed(E, pools__pchat01__highAvailability={"witness": True}),
        [
            f"pools.pchat01.highAvailability.witness: a witness serves SQL mirroring; set mirroring: "
            f"true or drop the witness [{src.SQL_MIRRORING}]"
        ],
    ),
    (
        "mirroring a collocated store without naming the Back End's mirror",
        changed(
            E,
            pools__pchat01__store={"placement": "collocated", "sqlServer": "be01.corp.contoso.com"},
            pools__pchat01__highAvailability={"mirroring": True},
        ),
        [
            "pools.pchat01.highAvailability.mirroring: a collocated store is mirrored onto its Back End's mirror, "
            "which the project does not build: name the Back End's mirror in store.mirror (sqlServer, fileShare) "
            f"[{src.SQL_MIRRORING}]"
        ],
    ),
    # A collocated store mirrored onto the Back End's mirror [L:sql-mirroring] (JJ204992), one mgc per instance
    # [L:ee-collocation].
    (
        "store.mirror on a dedicated store",
        changed(E, pools__pchat01__store={"mirror": BACKEND_MIRROR}),
        [
            "pools.pchat01.store.mirror: store.mirror names the existing Back End mirror of a collocated store; "
            f"this store is dedicated, whose mirror highAvailability.mirroring builds [{src.SQL_MIRRORING}]"
        ],
    ),
    (
        "store.mirror without mirroring",
        changed(E, pools__pchat01__store=collocated()),
        ["pools.pchat01.store.mirror: has no effect unless highAvailability.mirroring is true"],
    ),
    (
        "the mirror is the principal",
        mirrored(sqlServer="BE01.corp.contoso.com", sqlInstance="RTC"),
        [
            "pools.pchat01.store.mirror.sqlServer: BE01.corp.contoso.com is the principal itself (store.sqlServer): "
            f"the mirror is the Back End's mirror, another SQL instance [{src.SQL_MIRRORING}]"
        ],
    ),
    (
        "the mirror is the principal's default instance, named",
        changed(
            E,
            pools__pchat01__store={
                "placement": "collocated",
                "sqlServer": "be01.corp.contoso.com",
                "mirror": BACKEND_MIRROR | {"sqlServer": "be01.corp.contoso.com", "sqlInstance": "MSSQLSERVER"},
            },
            pools__pchat01__highAvailability={"mirroring": True},
        ),
        [
            "pools.pchat01.store.mirror.sqlInstance: 'MSSQLSERVER' is the name of the default instance: omit "
            "sqlInstance for it",
            "pools.pchat01.store.mirror.sqlServer: be01.corp.contoso.com is the principal itself (store.sqlServer): "
            f"the mirror is the Back End's mirror, another SQL instance [{src.SQL_MIRRORING}]",
        ],
    ),
    (
        "bad mirror values",
        mirrored(sqlServer="be02", sqlInstance="my instance", witness="w\\x y", fileShare="C:\\mirror"),
        [
            "pools.pchat01.store.mirror.sqlServer: 'be02' is not a SQL Server FQDN",
            "pools.pchat01.store.mirror.sqlInstance: 'my instance' is not a SQL Server instance name (up to 16 "
            "letters, digits or _)",
            "pools.pchat01.store.mirror.witness: 'w\\\\x y' is not a SQL Server FQDN or FQDN\\instance (up to 16 "
            "letters, digits or _)",
            "pools.pchat01.store.mirror.fileShare: 'C:\\\\mirror' is not a UNC path such as "
            "\\\\be01.corp.contoso.com\\mirror",
        ],
    ),
    (
        "the witness is the mirror",
        mirrored(witness="BE02.corp.contoso.com\\rtc"),
        [
            "pools.pchat01.store.mirror.witness: BE02.corp.contoso.com\\rtc is the principal or the mirror: the "
            f"witness is a third SQL instance [{src.SQL_MIRRORING}]"
        ],
    ),
    (
        "a line break in the mirror",
        mirrored(sqlServer="be02.corp.contoso.com\nx"),
        [
            "pools.pchat01.store.mirror.sqlServer: contains U+000A, a control character such as a line break or "
            "tab: every config value is one line of plain text"
        ],
    ),
    (
        "a witness VM beside a collocated store",
        mirrored(high_availability={"mirroring": True, "witness": True}),
        [
            "pools.pchat01.highAvailability.witness: a collocated store's witness is the Back End's: name it in "
            "store.mirror.witness (highAvailability.witness builds a witness VM beside a dedicated store) "
            f"[{src.SQL_MIRRORING}]"
        ],
    ),
    (
        "a collocated mirrored store with a separate compliance store",
        mirrored(compliance={"enabled": True}),
        [
            "pools.pchat01.compliance.placement: a collocated store mirrored onto the Back End's mirror keeps "
            "mgccomp beside mgc, mirrored with it: set placement: shared (a separate compliance store and its "
            f"mirror are built beside a dedicated store) [{src.SQL_MIRRORING}]"
        ],
    ),
    (
        "a collocated mirrored store with a standby site",
        mirrored(disaster={"standbySite": "amsterdam"}),
        [
            "pools.pchat01.store.mirror: this project mirrors a collocated store only without disasterRecovery (log "
            "shipping from the Back End's mirror is not built); use a dedicated store for a stretched, mirrored pool"
        ],
    ),
    (
        "a pool mirrored onto another pool's Back End",
        changed(
            mirrored(),
            pools__pchat02={
                "site": "amsterdam",
                "users": 100,
                "nextHop": "fe02.corp.contoso.com",
                "store": {"placement": "collocated", "sqlServer": "be02.corp.contoso.com", "sqlInstance": "rtc"},
            },
        ),
        [
            "pools.pchat02.store.sqlServer: be02.corp.contoso.com\\rtc already holds the Persistent Chat database "
            f"of pool 'pchat01'; a SQL instance holds one mgc and one mgccomp [{src.EE_COLLOCATION}]"
        ],
    ),
    # Disaster recovery [L:stretched-pool, L:capacity]: up to 4 standby, another site.
    (
        "standby in the same site",
        changed(E, pools__pchat01__disasterRecovery={"standbySite": "dublin"}),
        [
            f"pools.pchat01.disasterRecovery.standbySite: standby servers and the backup store live "
            f"in a second data center, not the pool's own site [{src.STRETCHED_POOL}]"
        ],
    ),
    (
        "standby in the same region",
        changed(E, sites__amsterdam__region="northeurope", pools__pchat01__disasterRecovery=DR),
        [
            f"pools.pchat01.disasterRecovery.standbySite: site 'amsterdam' is in the same Azure region as 'dublin'; "
            f"this project maps each data center to its own region, so a standby data center must be in another one "
            f"[{src.STRETCHED_POOL}]"
        ],
    ),
    (
        "unknown standby site",
        changed(E, pools__pchat01__disasterRecovery={"standbySite": "paris"}),
        [
            "pools.pchat01.disasterRecovery.standbySite: 'paris' is not a site; define it under sites "
            "(known: dublin, amsterdam)"
        ],
    ),
    (
        "five standby servers",
        changed(E, pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "standbyServers": 5}),
        [
            f"pools.pchat01.disasterRecovery.standbyServers: 5 standby servers: a pool has at most 8 "
            f"servers, at most 4 active, so 1 to 4 standby [{src.CAPACITY}]"
        ],
    ),
    # Sites and pools.
    (
        "unknown site",
        changed(E, pools__pchat01__site="paris"),
        ["pools.pchat01.site: 'paris' is not a site; define it under sites (known: dublin, amsterdam)"],
    ),
    (
        "two defaults for a site",
        changed(
            E,
            pools__pchat01__defaultForSite=True,
            pools__pchat02={
                "site": "dublin",
                "users": 100,
                "nextHop": "fe01.corp.contoso.com",
                "defaultForSite": True,
                "addressSlot": 1,
            },
        ),
        [
            f"pools.pchat02.defaultForSite: pool 'pchat01' is already the default for Lync site 'dublin' "
            f"[{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "file store not UNC",
        changed(E, pools__pchat01__fileStore="F:\\share"),
        [
            f"pools.pchat01.fileStore: 'F:\\\\share': a multi-server pool's file store is a UNC path "
            f"such as \\\\fs01.corp.contoso.com\\pchat [{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "address slot taken",
        changed(E, pools__pchat02={"site": "dublin", "users": 100, "nextHop": "fe01.corp.contoso.com"}),
        [
            "pools.pchat02.addressSlot: slot 0 in site 'dublin' belongs to pool 'pchat01'; give this "
            "pool a free slot such as 1, 2, 3, 4, 5"
        ],
    ),
    (
        "address slot out of range",
        changed(E, pools__pchat01__addressSlot=30),
        ["pools.pchat01.addressSlot: slot 30 is outside site 'dublin', whose subnets hold slots 0 to 29"],
    ),
    # Platform: domain, admin, networks, names, sizes, disks, tags.
    (
        "single-label domain",
        changed(E, domain="contoso"),
        [
            f"domain: 'contoso' is not a multi-label DNS domain such as corp.contoso.com; single-label "
            f"domains are not supported [{src.AD_DS}]"
        ],
    ),
    (
        "reserved admin",
        changed(E, adminUsername="Administrator"),
        ["adminUsername: 'Administrator' is a reserved administrator name on Azure; choose another, e.g. 'lyncadmin'"],
    ),
    (
        "admin name too long",
        changed(E, adminUsername="a" * 21),
        [f"adminUsername: {'a' * 21!r} must be 1 to 20 characters long for a Windows VM administrator"],
    ),
    (
        "RDP from the Internet",
        changed(E, managementCidr="0.0.0.0/0"),
        [
            "managementCidr: 0.0.0.0/0 is not inside a private (RFC 1918) range: the servers have no public "
            "address, so only your private networks reach them; give the range of those hosts"
        ],
    ),
    (
        "Front End range is the Internet",
        changed(E, pools__pchat01__frontEndCidr="0.0.0.0/0"),
        [
            "pools.pchat01.frontEndCidr: 0.0.0.0/0 is not inside a private (RFC 1918) range: the servers have no "
            "public address, so only your private networks reach them; give the range of those hosts"
        ],
    ),
    (
        "management range with host bits",
        changed(E, managementCidr="10.0.0.1/24"),
        ["managementCidr: '10.0.0.1/24' is not a network: 10.0.0.1/24 has host bits set"],
    ),
    (
        "unknown region",
        changed(E, sites__dublin__region="North Europe"),
        ["sites.dublin.region: 'North Europe' is not an Azure region name (did you mean 'northeurope'?)"],
    ),
    (
        "public address space",
        changed(E, sites__dublin__addressSpace="20.0.0.0/16"),
        ["sites.dublin.addressSpace: 20.0.0.0/16 is not a private (RFC 1918) range"],
    ),
    (
        "address space too small",
        changed(E, sites__dublin__addressSpace="10.10.0.0/25"),
        [
            "sites.dublin.addressSpace: 10.10.0.0/25 must be a /8 to /24 network to hold the Persistent "
            "Chat and SQL subnets"
        ],
    ),
    (
        "overlapping sites",
        changed(E, sites__amsterdam__addressSpace="10.10.128.0/17"),
        [
            "sites.amsterdam.addressSpace: 10.10.128.0/17 overlaps 10.10.0.0/16 of site 'dublin'; peered "
            "sites need distinct ranges"
        ],
    ),
    (
        "bad DNS server",
        changed(E, sites__dublin__dnsServers=["10.0.0.256"]),
        ["sites.dublin.dnsServers.0: '10.0.0.256' is not an IPv4 address"],
    ),
    (
        "computer name over 15",
        changed(E, pools={"persistentchat": {"site": "dublin", "users": 1, "nextHop": "fe01.corp.contoso.com"}}),
        [
            "pools.persistentchat: the computer name 'persistentchat-a1' (17 characters) is not a valid "
            "Windows computer name of at most 15 characters; set computerNamePrefix to a shorter prefix"
        ],
    ),
    (
        "duplicate computer names",
        changed(
            E,
            pools__pchat02={
                "site": "amsterdam",
                "users": 100,
                "nextHop": "fe02.corp.contoso.com",
                "computerNamePrefix": "pchat01",
            },
        ),
        [
            "pools.pchat02.computerNamePrefix: the computer name 'pchat01-a1' is also planned for pool "
            "'pchat01'; set a distinct computerNamePrefix"
        ],
    ),
    (
        "size below the documented hardware",
        changed(E, pools__pchat01__vmSize="Standard_F16s_v2"),
        [
            f"pools.pchat01.vmSize: Standard_F16s_v2 has 16 vCPUs (hyper-threaded), i.e. 8 physical "
            f"cores, and 32 GiB; the documented hardware is 2 x hex-core (12 physical cores and 32 GB). "
            f"Choose one of Standard_F32s_v2, Standard_D32s_v5, Standard_E32s_v5, or set hardware: "
            f"evaluation for a smaller, unsupported lab [{src.HARDWARE}]"
        ],
    ),
    (
        "size not in catalog",
        changed(E, pools__pchat01__vmSize="Standard_A1"),
        [
            f"pools.pchat01.vmSize: 'Standard_A1' is not in the catalog; choose one of Standard_F32s_v2, "
            f"Standard_D32s_v5, Standard_E32s_v5, or state its vCPUs and memory in customVmSizes [{src.AZURE_SIZES}]"
        ],
    ),
    (
        "size without premium storage",
        changed(E, pools__pchat01__hardware="evaluation", pools__pchat01__vmSize="Standard_D4_v5"),
        [
            f"pools.pchat01.vmSize: Standard_D4_v5 cannot use Premium SSD, which the data volumes need; "
            f"choose one of Standard_F4s_v2, Standard_D4s_v5, Standard_E4s_v5 [{src.AZURE_SIZES}]"
        ],
    ),
    (
        "store size below spec",
        changed(E, pools__pchat01__store={"vmSize": "Standard_E16s_v5"}),
        [
            f"pools.pchat01.store.vmSize: Standard_E16s_v5 has 16 vCPUs (hyper-threaded), i.e. 8 "
            f"physical cores, and 128 GiB; the documented hardware is 2 x hex-core (12 physical cores "
            f"and 32 GB). Choose one of Standard_F32s_v2, Standard_D32s_v5, Standard_E32s_v5, or set "
            f"hardware: evaluation for a smaller, unsupported lab [{src.HARDWARE}]"
        ],
    ),
    (
        "FAT32 data volume",
        changed(E, pools__pchat01__dataDisk={"fileSystem": "FAT32"}),
        [
            f"pools.pchat01.dataDisk.fileSystem: FAT32 is not supported: Persistent Chat must be "
            f"installed on NTFS (FAT32 is explicitly unsupported) [{src.DEPLOYING}]"
        ],
    ),
    (
        "ReFS data volume",
        changed(E, pools__pchat01__dataDisk={"fileSystem": "ReFS"}),
        [
            f"pools.pchat01.dataDisk.fileSystem: ReFS is not supported: Persistent Chat must be "
            f"installed on NTFS (FAT32 is explicitly unsupported) [{src.DEPLOYING}]"
        ],
    ),
    (
        "tiny data volume",
        changed(E, pools__pchat01__dataDisk={"sizeGb": 32}),
        [
            f"pools.pchat01.dataDisk.sizeGb: 32 GB is outside 72 to 32767 GB (the documented hardware "
            f"has at least 72 GB free per disk) [{src.HARDWARE}]"
        ],
    ),
    (
        "port out of range",
        changed(E, pools__pchat01__port=70000),
        ["pools.pchat01.port: 70000 is not a TCP port (1 to 65535)"],
    ),
    (
        "port of the service itself",
        changed(E, pools__pchat01__port=8011),
        [
            f"pools.pchat01.port: 8011 is used by Persistent Chat itself (8011 inter-server, 881 WCF); "
            f"the default SIP port is 5041 [{src.PORTS}]"
        ],
    ),
    (
        "bad time zone",
        changed(E, pools__pchat01__timeZone="Europe/Dublin"),
        [
            "pools.pchat01.timeZone: 'Europe/Dublin' is not a Windows time zone id (tzutil /l lists them); "
            "e.g. 'UTC', 'GMT Standard Time' or 'W. Europe Standard Time'"
        ],
    ),
    (
        "CET is no Windows time zone",
        changed(E, pools__pchat01__timeZone="CET"),
        [
            "pools.pchat01.timeZone: 'CET' is not a Windows time zone id (tzutil /l lists them); "
            "e.g. 'UTC', 'GMT Standard Time' or 'W. Europe Standard Time'"
        ],
    ),
    (
        "a time zone in the wrong case",
        changed(E, pools__pchat01__timeZone="gmt standard time"),
        [
            "pools.pchat01.timeZone: 'gmt standard time' is not a Windows time zone id (tzutil /l lists them); "
            "did you mean 'GMT Standard Time'?"
        ],
    ),
    (
        "half the Internet for RDP",
        changed(E, managementCidr="0.0.0.0/1"),
        [
            "managementCidr: 0.0.0.0/1 is not inside a private (RFC 1918) range: the servers have no public "
            "address, so only your private networks reach them; give the range of those hosts"
        ],
    ),
    (
        "a public Front End range in the list",
        changed(E, pools__pchat01__frontEndCidrs=["10.1.0.0/24", "52.0.0.0/8"]),
        [
            "pools.pchat01.frontEndCidrs.1: 52.0.0.0/8 is not inside a private (RFC 1918) range: the servers have "
            "no public address, so only your private networks reach them; give the range of those hosts"
        ],
    ),
    (
        "both Front End keys",
        changed(E, pools__pchat01__frontEndCidr="10.1.0.0/24", pools__pchat01__frontEndCidrs=["10.2.0.0/24"]),
        ["pools.pchat01.frontEndCidr: set frontEndCidrs (a list) or frontEndCidr, not both"],
    ),
    (
        "a public Central Management store range",
        changed(E, centralManagementCidr="8.8.8.0/24"),
        [
            "centralManagementCidr: 8.8.8.0/24 is not inside a private (RFC 1918) range: the servers have no "
            "public address, so only your private networks reach them; give the range of those hosts"
        ],
    ),
    (
        "MSSQLSERVER is the default instance",
        changed(
            E,
            pools__pchat01__store={
                "placement": "collocated",
                "sqlServer": "be01.corp.contoso.com",
                "sqlInstance": "mssqlserver",
            },
        ),
        ["pools.pchat01.store.sqlInstance: 'mssqlserver' is the name of the default instance: omit sqlInstance for it"],
    ),
    (
        "tag names that differ in case only",
        changed(E, tags={"Environment": "a", "environment": "b"}),
        ["tags.environment: Azure tag names ignore case, so this is the tag 'Environment' again"],
    ),
    (
        "48 tags, with the project's 3 over Azure's 50",
        changed(E, tags={f"t{n}": "v" for n in range(48)}),
        [
            "tags: 48 tags: at most 47, because Azure allows 50 per resource and this project sets pchat-pool, "
            "pchat-site, pchat-role"
        ],
    ),
    (
        "a Standard Edition pool for more users than one server serves",
        changed(S, pools__lyncse01__users=20001),
        [
            f"pools.lyncse01.users: 20,001 concurrent users: the one Persistent Chat server of a Standard Edition "
            f"pool serves at most 20,000; use edition enterprise for more [{src.CAPACITY}]"
        ],
    ),
    (
        "a standby data center in another Lync site",
        changed(
            E,
            sites__dublin__lyncSite="EMEA",
            sites__amsterdam__lyncSite="Benelux",
            pools__pchat01__disasterRecovery=DR,
        ),
        [
            f"sites.amsterdam.lyncSite: 'Benelux' is another Lync site than 'EMEA', but pool 'pchat01' stretches "
            f"into this data center, and a stretched pool is one logical Lync site over two data centers; set "
            f"lyncSite: EMEA or omit it [{src.STRETCHED_POOL}]"
        ],
    ),
    (
        "two default pools in one Lync site over two data centers",
        changed(
            E,
            sites__dublin__lyncSite="EMEA",
            sites__amsterdam__lyncSite="emea",
            pools__pchat01__defaultForSite=True,
            pools__pchat02={
                "site": "amsterdam",
                "users": 100,
                "nextHop": "fe02.corp.contoso.com",
                "defaultForSite": True,
            },
        ),
        [
            f"pools.pchat02.defaultForSite: pool 'pchat01' is already the default for Lync site 'EMEA' "
            f"[{src.ADD_TO_TOPOLOGY}]"
        ],
    ),
    (
        "a Lync site name with a semicolon",
        changed(E, sites__dublin__lyncSite="EMEA;x"),
        [
            "sites.dublin.lyncSite: 'EMEA;x' is not a Lync site name: 1 to 64 letters, digits, spaces, periods, "
            "hyphens or underscores, starting with a letter or digit"
        ],
    ),
    (
        "high bandwidth with standby servers",
        changed(E, pools__pchat01__disasterRecovery={**DR, "layout": "highBandwidth", "standbyServers": 2}),
        [
            f"pools.pchat01.disasterRecovery.standbyServers: the highBandwidth layout puts as many servers in each "
            f"data center as the pool has active servers, half of them active; omit standbyServers "
            f"[{src.REQUIRED_RESOURCES}]"
        ],
    ),
    (
        "high bandwidth with one active server",
        changed(E, pools__pchat01__users=100, pools__pchat01__disasterRecovery={**DR, "layout": "highBandwidth"}),
        [
            f"pools.pchat01.disasterRecovery.layout: highBandwidth spreads the active servers over both data "
            f"centers, so it needs at least 2; set activeServers: 2 or use lowBandwidth [{src.REQUIRED_RESOURCES}]"
        ],
    ),
    (
        "compliance with nowhere to write",
        changed(
            E,
            pools__pchat01__store={"placement": "collocated", "sqlServer": "be01.corp.contoso.com"},
            pools__pchat01__compliance={"enabled": True, "placement": "shared"},
        ),
        [
            f"pools.pchat01.compliance.outputShare: the compliance adapter of every pool server writes to one "
            f"share, and this pool provisions no SQL Server to host it (mgccomp shares the existing instance of "
            f"mgc): give the UNC path of an existing share [{src.PS_COMPLIANCE}]"
        ],
    ),
    (
        "a compliance output that is no share",
        changed(E, pools__pchat01__compliance={"enabled": True, "outputShare": "D:\\compliance"}),
        [
            "pools.pchat01.compliance.outputShare: 'D:\\\\compliance' is not a UNC path such as "
            "\\\\fs01.corp.contoso.com\\compliance"
        ],
    ),
    # Categories and add-ins [L:manage-categories], [L:manage-add-ins], [PS:Set-CsPersistentChatCategory].
    (
        "a nested category",
        changed(E, pools__pchat01__categories={"Finance\\Payroll": {}}),
        [
            'pools.pchat01.categories."Finance\\\\Payroll": a category name is not empty and holds no backslash: '
            "categories cannot be nested, and a category's identity is <pool FQDN>\\<name> "
            f"[{src.NEW_FEATURES}]"
        ],
    ),
    (
        "a member that is neither a SIP URI nor a distinguished name",
        changed(E, pools__pchat01__categories={"Finance": {"allowedMembers": ["bob@corp.contoso.com"]}}),
        [
            "pools.pchat01.categories.Finance.allowedMembers.0: 'bob@corp.contoso.com' is neither a SIP URI "
            f"(sip:user@contoso.com) nor an AD distinguished name (OU=IT,DC=contoso,DC=com) [{src.PS_CATEGORY}]"
        ],
    ),
    (
        "a distinguished name split by a YAML flow list",
        changed(E, pools__pchat01__categories={"Finance": {"deniedMembers": ["OU=Interns", "DC=contoso", "DC=com"]}}),
        [
            f"pools.pchat01.categories.Finance.deniedMembers.{n}: '{dn}' is neither a SIP URI (sip:user@contoso.com) "
            "nor an AD distinguished name (OU=IT,DC=contoso,DC=com); a YAML flow list [a, b] splits a distinguished "
            f"name at its commas [{src.PS_CATEGORY}]"
            for n, dn in enumerate(["OU=Interns", "DC=contoso", "DC=com"])
        ],
    ),
    (
        "a creator who is denied",
        changed(
            E,
            pools__pchat01__categories={
                "Finance": {
                    "allowedMembers": ["OU=Finance,DC=corp,DC=contoso,DC=com"],
                    "deniedMembers": ["OU=Interns,OU=Finance,DC=corp,DC=contoso,DC=com"],
                    "creators": ["CN=Ann,OU=Interns,OU=Finance,DC=corp,DC=contoso,DC=com"],
                }
            },
        ),
        [
            "pools.pchat01.categories.Finance.creators.0: 'CN=Ann,OU=Interns,OU=Finance,DC=corp,DC=contoso,DC=com' "
            "is a denied member, and denied members override allowed ones: creators are a subset of allowedMembers "
            f"minus deniedMembers [{src.MANAGE_CATEGORIES}]"
        ],
    ),
    (
        "a creator who is not allowed",
        changed(
            E,
            pools__pchat01__categories={
                "Finance": {"allowedMembers": ["sip:bob@corp.contoso.com"], "creators": ["sip:eve@corp.contoso.com"]}
            },
        ),
        [
            "pools.pchat01.categories.Finance.creators.0: 'sip:eve@corp.contoso.com' is not among allowedMembers: "
            f"creators are a subset of allowedMembers minus deniedMembers [{src.MANAGE_CATEGORIES}]"
        ],
    ),
    (
        "creators without allowed members",
        changed(E, pools__pchat01__categories={"Finance": {"creators": ["CN=Chat,DC=corp,DC=contoso,DC=com"]}}),
        [
            "pools.pchat01.categories.Finance.creators.0: 'CN=Chat,DC=corp,DC=contoso,DC=com' is not among "
            f"allowedMembers: creators are a subset of allowedMembers minus deniedMembers [{src.MANAGE_CATEGORIES}]"
        ],
    ),
    (
        "an add-in on http",
        changed(E, pools__pchat01__addIns={"Help": {"url": "http://apps.corp.contoso.com/help"}}),
        [
            "pools.pchat01.addIns.Help.url: 'http://apps.corp.contoso.com/help' is not an https URL such as "
            "https://apps.contoso.com/helpdesk"
        ],
    ),
    (
        "an add-in without a name",
        changed(E, pools__pchat01__addIns={"": {"url": "https://apps.corp.contoso.com/help"}}),
        [
            'pools.pchat01.addIns."": an add-in name is not empty and holds no backslash: an add-in\'s identity '
            f"is <pool FQDN>\\<name> [{src.PS_ADD_IN}]"
        ],
    ),
    (
        "reserved tag",
        changed(E, tags={"pchat-role": "x"}),
        ["tags.pchat-role: this tag is set by the project to record the topology; rename yours"],
    ),
    (
        "tag name with slash",
        changed(E, tags={"a/b": "x"}),
        ["tags.a/b: Azure tag names are 1 to 512 characters without < > % & \\ ? /"],
    ),
]


@pytest.mark.parametrize(("config", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(config: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(TopologyError) as caught:
        plan_topology(config)
    assert [str(p) for p in caught.value.problems] == expected


def test_bases_are_valid() -> None:
    assert plan_topology(E).pools[0].key == "pchat01"
    assert plan_topology(S).pools[0].key == "lyncse01"


def test_all_problems_are_reported_together() -> None:
    config = changed(
        E,
        domain="contoso",
        adminUsername="admin",
        pools__pchat01__users=90000,
        pools__pchat01__dataDisk={"fileSystem": "FAT32"},
    )
    with pytest.raises(TopologyError) as caught:
        plan_topology(config)
    assert [p.path for p in caught.value.problems] == [
        "pools.pchat01.users",
        "domain",
        "adminUsername",
        "pools.pchat01.dataDisk.fileSystem",
    ]
    message = str(caught.value)
    assert message.splitlines()[0] == ("pchat:topology is not a supported Persistent Chat topology (4 problems):")
    assert message.splitlines()[1] == f"  - {caught.value.problems[0]}"


def not_calendar(warnings: tuple[str, ...]) -> tuple[str, ...]:
    """The warnings but the support dates' (tests/model/test_support.py)."""
    return tuple(w for w in warnings if not w.startswith(("support:", "acceptUnsupported:")))


ROOMS = {"General": {"allowedMembers": ["OU=Users,DC=corp,DC=contoso,DC=com"]}}
"""A category, so that the pool's rooms have one (no advisory about it)."""


def test_advisories_are_warnings_not_errors() -> None:
    plan = plan_topology(
        changed(
            E,
            managementCidr="10.0.0.0/24",
            pools__pchat01__categories=ROOMS,
            pools__pchat01__hardware="evaluation",
            pools__pchat01__store={"placement": "collocated", "sqlServer": "be01.corp.contoso.com"},
        )
    )
    assert not_calendar(plan.warnings) == (
        f"pools.pchat01.hardware: evaluation sizes are below the documented 2 x hex-core, 32 GB "
        f"servers: not for production [{src.HARDWARE}]",
        f"pools.pchat01.store.placement: collocating mgc on the Back End is supported but a "
        f"dedicated SQL Server is recommended [{src.SYSTEM_PLATFORMS}]",
    )


LYNC2013_SQL2014 = (
    "images.sql.offer: SQL2014SP3-WS2012R2 is SQL Server 2014, which is outside Lync Server 2013's documented SQL "
    "versions (2008 R2, 2012) and supported only from Skype for Business Server 2015 on; Azure no longer offers "
    "2008 R2 or 2012 images: see docs/skype2015.md for product: skype2015 "
    "[L:lync-server-2013-database-software-support]"
)
"""The default lync2013 SQL image's warning: Lync 2013 back ends on 2008 R2 and 2012 only (persistent-chat.md 2,
operations.md 1, [L:lync-server-2013-database-software-support]); 2014 from SfB 2015 on (skype2015.md 3.1)."""


def test_shared_compliance_with_ha_is_advised_against() -> None:
    plan = plan_topology(
        changed(
            E,
            managementCidr="10.0.0.0/24",
            pools__pchat01__compliance={"enabled": True, "placement": "shared"},
            pools__pchat01__highAvailability={"mirroring": True, "witness": True},
            pools__pchat01__categories=ROOMS,
        )
    )
    assert not_calendar(plan.warnings) == (
        f"pools.pchat01.compliance.placement: stand-alone compliance instances are recommended "
        f"with mirroring or log shipping [{src.REQUIRED_RESOURCES}]",
        LYNC2013_SQL2014,
    )


@pytest.mark.parametrize("users", [3000, 20000])
def test_standard_edition_beyond_its_users_is_advised_against(users: int) -> None:
    """Up to 20,000, what one Persistent Chat server serves [L:...capacity-planning]: a warning, not an error."""
    plan = plan_topology(
        changed(S, managementCidr="10.0.0.0/24", pools__lyncse01__users=users, pools__lyncse01__categories=ROOMS)
    )
    assert not_calendar(plan.warnings) == (
        f"pools.lyncse01.users: a Standard Edition server hosts up to 2,500 users [{src.CAPACITY_USER_MODELS}]",
    )


def test_a_pool_without_a_category_is_told_that_nobody_can_create_a_room() -> None:
    """Every room belongs to one category (New-CsPersistentChatRoom -Category) [L:manage-categories]."""
    assert not_calendar(plan_topology(changed(E, managementCidr="10.0.0.0/24")).warnings) == (
        "pools.pchat01.categories: none: every chat room belongs to a category, so nobody can create one until the "
        f"pool has one; define it here (the configure runbook creates it) [{src.MANAGE_CATEGORIES}]",
        LYNC2013_SQL2014,
    )
    managed = changed(E, managementCidr="10.0.0.0/24", pools__pchat01__categories=ROOMS)
    assert not_calendar(plan_topology(managed).warnings) == (LYNC2013_SQL2014,)


def test_47_tags_of_your_own_fit_beside_the_projects_three() -> None:
    """Azure allows 50 tags per resource (learn.microsoft.com/azure/azure-resource-manager/management/
    tag-resources, "Limitations"); the project sets three."""
    plan_topology(changed(E, tags={f"t{i}": "x" for i in range(47)}))


def test_the_clock_is_the_utc_date() -> None:
    """The rule compares with today in UTC, whatever the machine's time zone (the suite pins it)."""
    from datetime import UTC, datetime

    from ..conftest import REAL_TODAY

    assert REAL_TODAY() == datetime.now(UTC).date()


IMPORTED_ON = rules_platform.today()
"""The day a plan built while this module imports (at collection, before any fixture runs) would see."""


def test_plans_built_when_test_modules_import_see_the_fixed_day_too() -> None:
    from ..conftest import TODAY

    assert IMPORTED_ON == TODAY
