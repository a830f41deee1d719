"""Shape errors: wrong types, missing and unknown keys, each with its path."""

from __future__ import annotations

import pytest

from lync_pchat.model import TopologyError, plan_topology

from .configs import DELETE, changed, enterprise

E = enterprise()


def problems(raw: object) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        plan_topology(raw)
    return [str(p) for p in caught.value.problems]


def test_not_a_map() -> None:
    assert problems(["edition"]) == ["pchat:topology: expected a map of settings, got a list"]
    assert problems(None) == ["pchat:topology: expected a map of settings, got nothing (null)"]


def test_unknown_key_lists_the_allowed_ones() -> None:
    assert problems(changed(E, pools__pchat01__activeServer=2)) == [
        "pools.pchat01.activeServer: unknown key; did you mean 'activeServers'? expected one of: activeServers, "
        "addIns, addressSlot, backup, categories, compliance, computerNamePrefix, dataDisk, defaultForSite, "
        "disasterRecovery, fileStore, frontEndCidr, frontEndCidrs, hardware, highAvailability, nextHop, port, site, "
        "store, timeZone, users, vmSize",
    ]


def test_unknown_nested_key() -> None:
    assert problems(changed(E, pools__pchat01__store={"placment": "dedicated"})) == [
        "pools.pchat01.store.placment: unknown key; did you mean 'placement'? expected one of: backupDiskGb, "
        "dataDiskGb, logDiskGb, mirror, placement, sqlEdition, sqlInstance, sqlServer, tempDbDiskGb, vmSize",
    ]


def test_unknown_top_level_key() -> None:
    assert problems(changed(E, edtion="standard")) == [
        "edtion: unknown key; did you mean 'edition'? expected one of: acceptUnsupported, adminUsername, backup, "
        "bootDiagnostics, centralManagementCidr, customVmSizes, diagnostics, domain, domainJoin, edition, "
        "encryptionAtHost, images, keyVaultId, licenseType, lockStores, managementCidr, monitoring, namePrefix, "
        "patching, pools, privateEndpoints, product, protectStatefulResources, secretExpiryDays, secretReaders, "
        "secretsNotAfter, sitePeering, sites, software, sqlLicenseType, tags, userAssignedIdentityId",
    ]


def test_missing_keys() -> None:
    assert problems(changed(E, domain=DELETE, pools__pchat01__users=DELETE)) == [
        "domain: required key is missing",
        "pools.pchat01.users: required key is missing",
    ]


def test_wrong_types() -> None:
    assert problems(
        changed(E, pools__pchat01__users="many", protectStatefulResources="maybe", sites__dublin=["northeurope"])
    ) == [
        "pools.pchat01.users: expected a whole number, got the string 'many'",
        "protectStatefulResources: expected true or false, got the string 'maybe'",
        "sites.dublin: expected a map, got a list",
    ]


def test_fractional_number() -> None:
    assert problems(changed(E, pools__pchat01__users=1.5)) == [
        "pools.pchat01.users: expected a whole number, got the number 1.5",
    ]


def test_whole_float_is_accepted_as_from_a_multi_language_caller() -> None:
    assert plan_topology(changed(E, pools__pchat01__users=40000.0)).pools[0].users == 40000


def test_enum_values() -> None:
    assert problems(changed(E, edition="datacenter")) == [
        "edition: Input should be 'enterprise' or 'standard'",
    ]


def test_empty_maps() -> None:
    assert problems(changed(E, pools={}, sites={})) == [
        "pools: define at least one entry",
        "sites: define at least one entry",
    ]


def test_bad_map_key() -> None:
    assert problems(changed(E, pools={"PChat 01": E["pools"]["pchat01"]})) == [
        'pools."PChat 01".[key]: names are lowercase letters, digits and hyphens, starting with a letter',
    ]


def test_odd_keys_are_quoted_in_paths() -> None:
    assert problems(changed(E, sites={"pool\n01": E["sites"]["dublin"]}, pools__pchat01__site="pool\n01")) == [
        "pools.pchat01.site: contains U+000A, a control character such as a line break or tab: every config "
        "value is one line of plain text",
        'sites."pool\\n01".[key]: names are lowercase letters, digits and hyphens, starting with a letter',
    ]


def test_each_overlapping_site_is_reported_once() -> None:
    sites = {f"s{n}": {"region": "northeurope", "addressSpace": "10.10.0.0/16"} for n in range(30)}
    with pytest.raises(TopologyError) as caught:
        plan_topology(changed(E, sites=sites, pools__pchat01__site="s0"))
    assert len(caught.value.problems) == 29
    assert str(caught.value.problems[0]) == (
        "sites.s1.addressSpace: 10.10.0.0/16 overlaps 10.10.0.0/16 of site 's0'; peered sites need distinct ranges"
    )
