"""``pchat-support-ended`` (advisory): the pack warns, as the plan does, about what has passed the end of Microsoft's
support, by the same dates.

Oracles: operations.md 9.4 (checked this round) and learn.microsoft.com/lifecycle/faq/extended-security-updates:
Lync Server 2013 2023-04-11; Skype for Business Server 2015 2025-10-14; Windows Server 2012 R2 2023-10-10, its
Azure ESU 2026-10-13; SQL Server 2014 2024-07-09. Windows Server 2019 (2029-01-09) and SQL Server 2019
(2030-01-08): learn.microsoft.com/lifecycle/products (skype2015.md 1). The last day of support is still supported.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.model import plan_topology, rules_platform
from lync_pchat.policies import ADVISORY
from lync_pchat.policies.offline import evaluate
from lync_pchat.policies.specs import SPECS
from lync_pchat.policies.support import advise_support
from tests.pulumi.stacks import stack_config

from .support import deployment, pool, server

SKYPE = {"product": "skype2015"}
ISSUE_DAY = date(2026, 12, 8)
"""The day issue 24 was checked: every date above but the 2019 ones has passed."""
LYNC = (
    "product (policy config): Lync Server 2013: extended support ended 2023-04-11 [LC:microsoft-lync-server-2013.yml]"
)
WS2012R2 = (
    "Windows Server 2012 R2: Azure extended security updates (extended support ended 2023-10-10) ended 2026-10-13 "
    "[LCF:extended-security-updates]"
)
SQL2014 = (
    "SQL Server 2014: extended support (extended security updates to 2027-07-12 not assumed) ended 2024-07-09 "
    "[LCF:extended-security-updates]"
)


def _on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(rules_platform, "today", lambda: day)


def _with(windows_sku: str, sql_offer: str) -> Any:
    a1 = server("p1-a1")
    a1.props["storageProfile"]["imageReference"]["sku"] = windows_sku
    sql = server("p1-sql", "sql")
    sql.props["storageProfile"]["imageReference"]["offer"] = sql_offer
    return deployment(pool("p1", a1, sql))


def test_it_is_an_advisory_of_the_pack_citing_the_lifecycle_faq() -> None:
    (spec,) = [s for s in SPECS if s.name == "pchat-support-ended"]
    assert "pchat-support-ended" in ADVISORY and not spec.mandatory
    assert spec.url == "https://learn.microsoft.com/lifecycle/faq/extended-security-updates"


def test_lync_2013_on_2012_r2_and_sql_2014_on_the_issues_day(monkeypatch: pytest.MonkeyPatch) -> None:
    _on(monkeypatch, ISSUE_DAY)
    found = advise_support(_with("2012-R2-Datacenter", "SQL2014SP3-WS2012R2"), {})
    assert [v.message for v in found] == [LYNC, f"p1-a1: {WS2012R2}", f"p1-sql: {WS2012R2}; {SQL2014}"]
    assert found[0].urn == "" and found[1].urn.endswith("p1-a1-vm") and found[2].urn.endswith("p1-sql-vm")


def test_the_last_day_of_support_is_still_supported(monkeypatch: pytest.MonkeyPatch) -> None:
    resources = _with("2012-R2-Datacenter", "SQL2016SP2-WS2016")
    _on(monkeypatch, date(2026, 10, 13))
    assert [v.message for v in advise_support(resources, SKYPE)] == [
        "product (policy config): Skype for Business Server 2015: extended support ended 2025-10-14 "
        "[LC:skype-for-business-server-2015.yml]",
        "p1-sql: SQL Server 2016: extended support ended 2026-07-14 [LC:sql-server-2016.yml]",
    ]
    _on(monkeypatch, date(2026, 10, 14))
    assert [v.message.split(":")[0] for v in advise_support(resources, SKYPE)] == [
        "product (policy config)",
        "p1-a1",
        "p1-sql",
    ]


def test_a_supported_stack_and_a_custom_image_get_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    _on(monkeypatch, date(2025, 10, 14))
    assert advise_support(_with("2019-Datacenter", "sql2019-ws2019"), SKYPE) == []
    _on(monkeypatch, ISSUE_DAY)
    resources = _with("2012-R2-Datacenter", "SQL2014SP3-WS2012R2")
    for vm in resources:
        if vm.name.endswith("-vm"):
            vm.props["storageProfile"]["imageReference"]["publisher"] = "contoso"
    assert [v.message for v in advise_support(resources, {})] == [LYNC]
    assert advise_support(deployment(), {}) == [], "no server, nothing deployed to warn about"


def test_the_enterprise_stack_names_every_server_on_the_issues_day(monkeypatch: pytest.MonkeyPatch, graph: Any) -> None:
    """The default lync2013 images: Windows Server 2012 R2 everywhere, SQL Server 2014 on the SQL Servers."""
    _on(monkeypatch, ISSUE_DAY)
    plan = plan_topology(stackfile.topology(stack_config("enterprise")))
    specs = [s for s in SPECS if s.name == "pchat-support-ended"]
    found = {
        f.message.split(": ", 1)[0]: f.message.split(": ", 1)[1] for f in evaluate(graph("enterprise"), None, specs)
    }
    assert found.pop("product (policy config)") == LYNC.split(": ", 1)[1]
    assert sorted(found) == sorted(s.computer_name for s in plan.servers)
    assert all(WS2012R2 in message for message in found.values())
