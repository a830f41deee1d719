"""bootstrap: each SQL Server creates exactly the shares the plan puts on it, at the plan's paths."""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat import bootstrap
from lync_pchat.model import plan_topology

from .model.configs import changed, enterprise

FULL = plan_topology(
    changed(
        enterprise(),
        pools__pchat01__compliance={"enabled": True},
        pools__pchat01__highAvailability={"mirroring": True, "witness": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    )
)
LOGSHIP = {"name": "pchat-logship", "path": "I:\\Backup\\LogShipping"}
LOGCOPY = {"name": "pchat-logcopy", "path": "I:\\Backup\\LogCopy"}
MIRROR = {"name": "pchat-mirror", "path": "I:\\Backup\\Mirror"}


def sql(key: str) -> dict[str, Any]:
    result = bootstrap.settings(FULL.server(key), FULL)["sql"]
    assert isinstance(result, dict)
    return result


def test_the_backup_server_hosts_exactly_the_log_shipping_shares_of_mgc() -> None:
    assert sql("pchat01-bak")["shares"] == [LOGSHIP, LOGCOPY]
    assert sql("pchat01-bak")["backup"] == "I:\\Backup"


@pytest.mark.parametrize(
    ("key", "shares"),
    [
        ("pchat01-sql", [MIRROR]),
        ("pchat01-cmp", [MIRROR]),
        ("pchat01-cbak", [LOGSHIP, LOGCOPY]),
        ("pchat01-sqlm", []),
        ("pchat01-sqlw", []),
        ("pchat01-cmpm", []),
        ("pchat01-bakm", []),
        ("pchat01-bakw", []),
        ("pchat01-cbakm", []),
    ],
)
def test_every_other_sql_server(key: str, shares: list[dict[str, str]]) -> None:
    assert sql(key)["shares"] == shares


def test_the_shares_created_are_the_shares_planned() -> None:
    pool = FULL.pools[0]
    created = {(s.key, share["name"], share["path"]) for s in pool.sql_servers for share in sql(s.key)["shares"]}
    assert created == {(share.host, share.name, share.path) for share in pool.shares}


def test_pool_servers_have_no_sql_settings() -> None:
    assert bootstrap.settings(FULL.server("pchat01-a1"), FULL)["sql"] is None


def test_a_pool_without_mirroring_or_standby_site_creates_no_share() -> None:
    plan = plan_topology(enterprise())
    assert bootstrap.settings(plan.server("pchat01-sql"), plan)["sql"]["shares"] == []
