"""Topologies the shipped stacks do not cover: mirroring without DR, DR without mirroring, collocated DR."""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.runbooks import render

from ..model.configs import changed, enterprise
from .support import assert_order, code, code_lines, plan_of, powershell_errors


def topology(**paths: Any) -> dict[str, Any]:
    return changed(enterprise(), **paths)


MIRRORED = topology(pools__pchat01__highAvailability={"mirroring": True, "witness": True})
SHARED_MIRRORED = topology(
    pools__pchat01__highAvailability={"mirroring": True},
    pools__pchat01__compliance={"enabled": True, "placement": "shared"},
)
STRETCHED = topology(pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "standbyServers": 1})
COLLOCATED_DR = topology(
    pools__pchat01__store={"placement": "collocated", "sqlServer": "be01.corp.contoso.com", "sqlInstance": "rtc"},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
)
TWO_POOLS = topology(
    pools__pchat02={"site": "amsterdam", "users": 20000, "nextHop": "fe02.corp.contoso.com", "addressSlot": 1},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
)


def test_mirroring_without_a_standby_site_uses_the_mirror_share_on_the_principal() -> None:
    text = render(plan_of(MIRRORED), "publish")["publish-pchat01.ps1"]
    assert "\nparam(" not in text and "Mandatory" not in text
    assert [line for line in code_lines(text) if line.startswith("Install-CsMirrorDatabase")] == [
        "Install-CsMirrorDatabase -ConfiguredDatabases -FileShare '\\\\pchat01-sql.corp.contoso.com\\pchat-mirror' "
        "-SqlServerFqdn 'pchat01-sql.corp.contoso.com' -DropExistingDatabasesOnMirror",
    ]
    assert powershell_errors(text) == []


def test_a_shared_compliance_instance_is_mirrored_once() -> None:
    text = render(plan_of(SHARED_MIRRORED), "publish")["publish-pchat01.ps1"]
    assert [line for line in code_lines(text) if line.startswith("Install-CsMirrorDatabase")] == [
        "Install-CsMirrorDatabase -ConfiguredDatabases -FileShare '\\\\pchat01-sql.corp.contoso.com\\pchat-mirror' "
        "-SqlServerFqdn 'pchat01-sql.corp.contoso.com' -DropExistingDatabasesOnMirror",
    ]
    assert "# mgc and mgccomp: pchat01-sql.corp.contoso.com -> pchat01-sqlm.corp.contoso.com" in text


def test_a_stretched_pool_without_mirroring() -> None:
    plan = plan_of(STRETCHED)
    failover = render(plan, "failover")["failover-pchat01.ps1"]
    assert "Install-CsMirrorDatabase" not in code(failover)
    assert "the backup store has no mirror in this stack" in failover
    assert "@{Add = 'pchat01-s1.corp.contoso.com'}" in failover
    assert sorted(render(plan, "log-shipping")) == ["log-shipping-pchat01-mgc.sql"]
    publish = render(plan, "publish")["publish-pchat01.ps1"]
    assert "Install-CsMirrorDatabase" not in code(publish)
    assert "Add SQL store pchat01-bak.corp.contoso.com (mgc backup)" in publish
    assert all(powershell_errors(text) == [] for text in (failover, publish))


def test_a_collocated_store_with_a_standby_site() -> None:
    plan = plan_of(COLLOCATED_DR)
    mgc = render(plan, "log-shipping")["log-shipping-pchat01-mgc.sql"]
    assert ":CONNECT be01.corp.contoso.com\\rtc" in mgc
    assert "@primary_server = N'be01.corp.contoso.com\\rtc'" in mgc
    assert "@backup_share = N'\\\\pchat01-bak.corp.contoso.com\\pchat-logship'" in mgc
    publish = render(plan, "publish")["publish-pchat01.ps1"]
    assert [line for line in code_lines(publish) if line.startswith("Install-")] == [
        "Install-CsDatabase -DatabaseType PersistentChat -SqlServerFqdn 'be01.corp.contoso.com' -SqlInstanceName 'rtc'",
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn 'pchat01-bak.corp.contoso.com' "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
    ]
    failback = render(plan, "failback")["failback-pchat01.ps1"]
    assert "$primary = 'be01.corp.contoso.com\\rtc'" in failback


@pytest.mark.parametrize("runbook", ["log-shipping", "failover", "failback"])
def test_only_the_stretched_pool_of_two(runbook: str) -> None:
    names = render(plan_of(TWO_POOLS), runbook)
    assert names and all("-pchat01" in name for name in names)


def test_publish_covers_both_pools() -> None:
    assert sorted(render(plan_of(TWO_POOLS), "publish")) == ["publish-pchat01.ps1", "publish-pchat02.ps1"]


def test_standby_servers_in_failover_and_active_servers_in_failback() -> None:
    plan = plan_of(TWO_POOLS)
    failover = render(plan, "failover")["failover-pchat01.ps1"]
    failback = render(plan, "failback")["failback-pchat01.ps1"]
    assert "@{Add = 'pchat01-s1.corp.contoso.com', 'pchat01-s2.corp.contoso.com'}" in failover
    assert "@{Add = 'pchat01-a1.corp.contoso.com', 'pchat01-a2.corp.contoso.com'}" in failback
    assert_order(failback, "-ActiveServers $null", "RESTORE DATABASE mgc", "-PoolState Normal")


@pytest.mark.parametrize("raw", [MIRRORED, SHARED_MIRRORED, STRETCHED, COLLOCATED_DR, TWO_POOLS])
def test_every_powershell_file_parses(raw: dict[str, Any]) -> None:
    plan = plan_of(raw)
    for runbook in ("publish", "configure", "log-shipping", "failover", "failback"):
        try:
            rendered = render(plan, runbook)
        except ValueError:
            continue
        for name, text in rendered.items():
            if name.endswith(".ps1"):
                assert powershell_errors(text) == [], name
