"""``pchat-supported-versions`` (mandatory) and ``pchat-sql-outside-lync2013`` (advisory): the image versions per
product, as the policy config ``product`` names it.

Oracles: skype2015.md 2 (OS per product), 3.1 (SQL per product: Lync 2013 on 2008 R2 and 2012 only; SQL 2014 from
SfB 2015 on), 8 (offer names); persistent-chat.md 6 (no Server Core).
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.policies.images import advise_sql2014, check_versions

from .support import deployment, pool, server

SKYPE = {"product": "skype2015"}


def _with(windows_sku: str, sql_offer: str) -> Any:
    a1 = server("p1-a1")
    a1.props["storageProfile"]["imageReference"]["sku"] = windows_sku
    sql = server("p1-sql", "sql")
    sql.props["storageProfile"]["imageReference"]["offer"] = sql_offer
    witness = server("p1-sqlw", "express")
    witness.props["storageProfile"]["imageReference"]["offer"] = sql_offer
    return deployment(pool("p1", a1, sql, witness))


@pytest.mark.parametrize(
    ("config", "sku", "offer", "refused"),
    [
        ({}, "2012-R2-Datacenter", "SQL2012SP4-WS2012R2", set()),
        ({}, "2016-Datacenter", "SQL2012SP4-WS2012R2", {"p1-a1"}),
        ({}, "2012-R2-Datacenter", "sql2019-ws2019", {"p1-sql"}),
        ({}, "2012-R2-Datacenter", "SQL2014SP3-WS2012R2", set()),
        (SKYPE, "2019-Datacenter", "sql2019-ws2019", set()),
        (SKYPE, "2022-datacenter", "sql2019-ws2019", {"p1-a1"}),
        (SKYPE, "2019-Datacenter-Core", "SQL2017-WS2016", {"p1-a1"}),
        (SKYPE, "2019-Datacenter", "SQL2008R2SP3-WS2008R2SP1", {"p1-sql"}),
        (SKYPE, "2019-Datacenter", "SQL2016-WS2016", {"p1-sql"}),
        (SKYPE, "2019-Datacenter", "SQL2016SP2-WS2016", set()),
    ],
)
def test_supported_versions_per_product(config: dict[str, str], sku: str, offer: str, refused: set[str]) -> None:
    found = check_versions(_with(sku, offer), config)
    assert {v.message.split(":")[0] for v in found} == refused
    assert all(v.urn.endswith(f"{v.message.split(':')[0]}-vm") for v in found)


def test_the_messages_name_the_image_and_the_documented_versions() -> None:
    (os,) = check_versions(_with("2016-Datacenter", "SQL2012SP4-WS2012R2"), {})
    assert os.message == (
        "p1-a1: image MicrosoftWindowsServer/WindowsServer/2016-Datacenter is not a Windows Server Lync Server 2013 "
        "supports (2008 R2, 2012, 2012 R2 (the October 2013 cumulative update or later); full installation) "
        "[L:lync-server-2013-server-and-tools-operating-system-support]"
    )
    (sql,) = check_versions(_with("2019-Datacenter", "sql2022-ws2022"), SKYPE)
    assert sql.message == (
        "p1-sql: image offer sql2022-ws2022 is SQL Server 2022, which Skype for Business Server 2015 does not support "
        "for its stores (2012, 2014 (SQL Server 2014 CU6 or later), 2016 (SP1 or later, and CU7 or later), 2017, "
        "2019) [SfB15:plan-your-deployment/requirements-for-your-environment/server-requirements.md]"
    )


def test_sql_2014_under_lync_2013_is_the_advisorys() -> None:
    resources = _with("2012-R2-Datacenter", "SQL2014SP3-WS2012R2")
    assert [v.message for v in advise_sql2014(resources, {})] == [
        "p1-sql: image offer SQL2014SP3-WS2012R2 is SQL Server 2014, outside Lync Server 2013's documented SQL "
        "versions (2008 R2, 2012); Skype for Business Server 2015 supports it (product: skype2015, "
        "docs/skype2015.md) [L:lync-server-2013-database-software-support]"
    ]
    assert advise_sql2014(resources, SKYPE) == []
    assert advise_sql2014(_with("2012-R2-Datacenter", "SQL2012SP4-WS2012R2"), {}) == []


def test_a_custom_image_is_not_judged() -> None:
    resources = _with("2019-Datacenter", "SQL2012SP4-WS2012R2")
    (a1,) = [r for r in resources if r.name == "p1-a1-vm"]
    a1.props["storageProfile"]["imageReference"]["publisher"] = "contoso"
    assert check_versions(resources, {}) == []
