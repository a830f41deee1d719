"""``product: lync2013 | skype2015``: default images, and the supported Windows Server and SQL Server versions and
cumulative updates per product.

The supported lists are the reference's, not the code's: ``shared/reference/skype2015.md`` 2 (OS and minimum CU),
3.1 (SQL), 3.2 (Express), 8 (Azure images); ``persistent-chat.md`` 2 and 6 (Lync Server 2013).
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import Role, TopologyError, plan_topology
from lync_pchat.model.products import Product, sql_image, windows_version

from .configs import changed, enterprise, standard

LYNC_OS = "L:lync-server-2013-server-and-tools-operating-system-support"
LYNC_SQL = "L:lync-server-2013-database-software-support"
SRV = "SfB15:plan-your-deployment/requirements-for-your-environment/server-requirements.md"
"""[SRV] of skype2015.md: the Skype for Business Server 2015 server requirements."""

LYNC_WINDOWS = {"2008-R2-SP1": True, "2012-Datacenter": True, "2012-R2-Datacenter": True,
                "2016-Datacenter": False, "2019-Datacenter": False, "2022-datacenter-azure-edition": False}  # fmt: skip
"""persistent-chat.md 6: WS2008 R2 SP1, 2012, 2012 R2; 2016 or later not listed (unsupported)."""
SKYPE_WINDOWS = {"2008-R2-SP1": False, "2012-Datacenter": True, "2012-R2-Datacenter": True,
                 "2016-Datacenter": True, "2019-Datacenter-gensecond": True, "2022-datacenter": False,
                 "2025-datacenter": False}  # fmt: skip
"""skype2015.md 2: WS2008 R2 only for in-place upgraded servers (not new ones); 2012, 2012 R2; 2016 (CU5+);
2019 (CU9+); 2022 and 2025 not listed."""
LYNC_SQL_OFFERS = {"SQL2008R2SP3-WS2008R2SP1": True, "SQL2012SP4-WS2012R2": True, "sql2016sp3-ws2019": False,
                   "sql2017-ws2019": False, "sql2019-ws2019": False}  # fmt: skip
"""skype2015.md 3.1, Lync 2013 column: 2008 R2 and 2012; 2014 No (a warning here, see below); 2016-2019 not
listed."""
SKYPE_SQL_OFFERS = {"SQL2008R2SP3-WS2008R2SP1": False, "SQL2012SP4-WS2012R2": True, "SQL2014SP3-WS2012R2": True,
                    "SQL2016SP1-WS2016": True, "SQL2016-WS2016": False, "SQL2017-WS2016": True,
                    "sql2019-ws2019": True, "sql2022-ws2022": False}  # fmt: skip
"""skype2015.md 3.1, the general list: 2012; 2014 with CU6+ (an SP offer); 2016 SP1 or later; 2017; 2019; not
2008 R2, nor 2022 (not listed)."""

SKYPE = changed(enterprise(), product="skype2015", pools__pchat01__categories={"General": {}})
HA = {"mirroring": True, "witness": True}


def _plan_or_problems(config: dict[str, Any]) -> list[str]:
    try:
        plan_topology(config)
    except TopologyError as error:
        return [str(p) for p in error.problems]
    return []


def test_skype2015_defaults_to_windows_server_2019_and_sql_server_2019() -> None:
    """skype2015.md 8: WindowsServer 2019-Datacenter and sql2019-ws2019, the longest-lived pair (section 1)."""
    plan = plan_topology(changed(SKYPE, pools__pchat01__highAvailability=HA))
    assert plan.product is Product.SKYPE2015
    images = {(s.role, s.image) for s in plan.servers}
    windows = {i for r, i in images if not r.is_sql}
    sql = {(r, i.offer, i.sku) for r, i in images if r.is_sql}
    assert {(i.publisher, i.offer, i.sku, i.version) for i in windows} == {
        ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter", "latest")
    }
    assert sql == {
        (Role.STORE, "sql2019-ws2019", "Standard"),
        (Role.STORE_MIRROR, "sql2019-ws2019", "Standard"),
        (Role.WITNESS, "sql2019-ws2019", "Express"),
    }


def test_lync2013_is_the_default_product_and_keeps_its_images() -> None:
    plan = plan_topology(enterprise())
    assert plan.product is Product.LYNC2013
    assert {s.image.sku for s in plan.servers if not s.role.is_sql} == {"2012-R2-Datacenter"}
    assert {s.image.offer for s in plan.servers if s.role.is_sql} == {"SQL2014SP3-WS2012R2"}


def test_skype2015_images_are_overridable_key_by_key() -> None:
    plan = plan_topology(
        changed(SKYPE, images={"windows": {"sku": "2016-Datacenter"}, "sql": {"offer": "SQL2017-WS2016"}})
    )
    assert {s.image.sku for s in plan.servers if not s.role.is_sql} == {"2016-Datacenter"}
    assert {s.image.offer for s in plan.servers if s.role.is_sql} == {"SQL2017-WS2016"}


@pytest.mark.parametrize(("sku", "supported"), LYNC_WINDOWS.items())
def test_lync2013_windows_versions(sku: str, supported: bool) -> None:
    problems = _plan_or_problems(changed(enterprise(), images={"windows": {"sku": sku}}))
    assert (problems == []) is supported, problems


@pytest.mark.parametrize(("sku", "supported"), SKYPE_WINDOWS.items())
def test_skype2015_windows_versions(sku: str, supported: bool) -> None:
    problems = _plan_or_problems(changed(SKYPE, images={"windows": {"sku": sku}}))
    assert (problems == []) is supported, problems


def test_lync2013_on_windows_server_2016_is_refused_in_one_line_naming_the_key_and_rule() -> None:
    assert _plan_or_problems(changed(enterprise(), images={"windows": {"sku": "2016-Datacenter"}})) == [
        "images.windows.sku: 2016-Datacenter is Windows Server 2016: Lync Server 2013 supports Windows Server "
        "2008 R2, 2012, 2012 R2 (the October 2013 cumulative update or later) (product: lync2013) "
        f"[{LYNC_OS}]"
    ]


def test_skype2015_on_windows_server_2022_is_refused_in_one_line_naming_the_key_and_rule() -> None:
    assert _plan_or_problems(changed(SKYPE, images={"windows": {"sku": "2022-datacenter"}})) == [
        "images.windows.sku: 2022-datacenter is Windows Server 2022: Skype for Business Server 2015 supports "
        "Windows Server 2012, 2012 R2, 2016 (CU5 or later), 2019 (CU9 or later) (product: skype2015) "
        f"[{SRV}]"
    ]


@pytest.mark.parametrize("product", ["lync2013", "skype2015"])
def test_server_core_is_refused(product: str) -> None:
    """Server Core is not supported (persistent-chat.md 6; skype2015.md 8.1)."""
    config = changed(enterprise(), product=product, images={"windows": {"sku": "2019-Datacenter-Core"}})
    problems = _plan_or_problems(config)
    assert len(problems) == 1
    assert problems[0].startswith("images.windows.sku: 2019-Datacenter-Core is Server Core: ")


@pytest.mark.parametrize(("offer", "supported"), LYNC_SQL_OFFERS.items())
def test_lync2013_sql_versions(offer: str, supported: bool) -> None:
    problems = _plan_or_problems(changed(enterprise(), images={"sql": {"offer": offer}}))
    assert (problems == []) is supported, problems


@pytest.mark.parametrize(("offer", "supported"), SKYPE_SQL_OFFERS.items())
def test_skype2015_sql_versions(offer: str, supported: bool) -> None:
    problems = _plan_or_problems(changed(SKYPE, images={"sql": {"offer": offer}}))
    assert (problems == []) is supported, problems


def test_an_unsupported_sql_version_is_refused_in_one_line() -> None:
    assert _plan_or_problems(changed(enterprise(), images={"sql": {"offer": "sql2019-ws2019"}})) == [
        "images.sql.offer: sql2019-ws2019 is SQL Server 2019: Lync Server 2013 supports SQL Server 2008 R2, 2012 "
        f"for its stores (product: lync2013) [{LYNC_SQL}]"
    ]
    assert _plan_or_problems(changed(SKYPE, images={"sql": {"offer": "SQL2016-WS2016"}})) == [
        "images.sql.offer: SQL2016-WS2016 is SQL Server 2016 without a service pack: Skype for Business Server 2015 "
        f"needs SP1 or later, and CU7 or later (the offer names no service pack; choose an SP offer) [{SRV}]"
    ]


def test_lync2013_on_sql_server_2014_plans_with_a_warning_naming_the_documented_versions() -> None:
    """SQL 2014 is supported by SfB 2015 and not by Lync 2013 (skype2015.md 3.1 [UPG-PLAN]); the default image
    stays (no deployed stack changes) and the plan says so."""
    plan = plan_topology(enterprise())
    notes = [w for w in plan.warnings if w.startswith("images.sql.offer")]
    assert notes == [
        "images.sql.offer: SQL2014SP3-WS2012R2 is SQL Server 2014, which is outside Lync Server 2013's documented "
        "SQL versions (2008 R2, 2012) and supported only from Skype for Business Server 2015 on; Azure no longer "
        f"offers 2008 R2 or 2012 images: see docs/skype2015.md for product: skype2015 [{LYNC_SQL}]"
    ]
    assert not [w for w in plan_topology(SKYPE).warnings if w.startswith("images.sql")]


def test_the_sql_image_is_not_checked_without_a_sql_vm() -> None:
    """A collocated store or a Standard Edition server has no SQL VM: images.sql is unused."""
    collocated = changed(
        enterprise(), pools__pchat01__store={"placement": "collocated", "sqlServer": "be01.corp.contoso.com"}
    )
    assert _plan_or_problems(changed(collocated, images={"sql": {"offer": "sql2019-ws2019"}})) == []
    assert not [w for w in plan_topology(collocated).warnings if w.startswith("images.sql")]


ACCOUNT = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
    "Microsoft.Storage/storageAccounts/media01"
)
SOFTWARE = {
    "install": True,
    "mediaUri": "https://media01.blob.core.windows.net/sfb/SfB2015/",
    "storageAccountId": ACCOUNT,
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\svc-setup",
}


def _installing(base: dict[str, Any], **software: Any) -> dict[str, Any]:
    return changed(base, domainJoin={"user": "CORP\\svc-join"}, software={**SOFTWARE, **software})


def test_skype2015_install_on_windows_server_2019_needs_an_update_installer() -> None:
    """WS2019 needs CU9 or later (skype2015.md 2 [SRV]); RTM media predates it."""
    assert _plan_or_problems(_installing(SKYPE)) == [
        "software.updateInstaller: not set, but Skype for Business Server 2015 on Windows Server 2019 needs CU9 or "
        "later: put SkypeServerUpdateInstaller.exe of that update (or a later one) beside the media and give its "
        f"path [{SRV}]"
    ]
    assert _plan_or_problems(_installing(SKYPE, updateInstaller="cu/SkypeServerUpdateInstaller.exe")) == []


def test_skype2015_on_sql_server_2016_needs_cu7_even_on_windows_server_2012_r2() -> None:
    """SQL 2016 needs SP1 and SfB CU7 (skype2015.md 3.1 [SRV])."""
    config = changed(SKYPE, images={"windows": {"sku": "2012-R2-Datacenter"}, "sql": {"offer": "SQL2016SP2-WS2016"}})
    problems = _plan_or_problems(_installing(config))
    assert problems == [
        "software.updateInstaller: not set, but Skype for Business Server 2015 on SQL Server 2016 needs SP1 or "
        "later, and CU7 or later: put SkypeServerUpdateInstaller.exe of that update (or a later one) beside the "
        f"media and give its path [{SRV}]"
    ]
    assert _plan_or_problems(_installing(changed(config, images__sql__offer="SQL2017-WS2016"))) == []


def test_the_other_products_update_installer_is_refused() -> None:
    """LyncServerUpdateInstaller.exe (KB 2809243) vs SkypeServerUpdateInstaller.exe (KB 3061064), skype2015.md 5."""
    assert _plan_or_problems(_installing(SKYPE, updateInstaller="cu/LyncServerUpdateInstaller.exe")) == [
        "software.updateInstaller: LyncServerUpdateInstaller.exe is Lync Server 2013's update installer; Skype for "
        f"Business Server 2015 (product: skype2015) updates with SkypeServerUpdateInstaller.exe [{SRV}]"
    ]
    problems = _plan_or_problems(_installing(enterprise(), updateInstaller="SkypeServerUpdateInstaller.exe"))
    assert problems == [
        "software.updateInstaller: SkypeServerUpdateInstaller.exe is Skype for Business Server 2015's update "
        "installer; Lync Server 2013 (product: lync2013) updates with LyncServerUpdateInstaller.exe "
        "[L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server]"
    ]


def test_lync2013_install_on_2012_r2_without_an_update_is_a_warning_not_a_refusal() -> None:
    """WS2012 R2 from the October 2013 CU (persistent-chat.md 6); existing stacks keep planning."""
    plan = plan_topology(_installing(enterprise()))
    assert [w for w in plan.warnings if w.startswith("software.")] == [
        "software.updateInstaller: not set, but Lync Server 2013 on Windows Server 2012 R2 is supported from the "
        f"October 2013 cumulative update or later: give its LyncServerUpdateInstaller.exe [{LYNC_OS}]"
    ]


def test_a_custom_image_is_a_warning_with_the_supported_list() -> None:
    plan = plan_topology(changed(SKYPE, images={"windows": {"publisher": "contoso", "offer": "golden", "sku": "v7"}}))
    assert [w for w in plan.warnings if w.startswith("images.windows")] == [
        "images.windows: contoso/golden/v7 is not a marketplace Windows Server image this project reads a version "
        "from: check it is one Skype for Business Server 2015 supports (2012, 2012 R2, 2016 (CU5 or later), 2019 "
        f"(CU9 or later)) [{SRV}]"
    ]


def test_skype2015_standard_edition_on_2019_warns_about_sql_express_2014() -> None:
    """SfB 2015 SE gets SQL Server 2014 Express [SRV]; on WS2019 that is [not found] (skype2015.md 3.2)."""
    plan = plan_topology(changed(standard(), product="skype2015", pools__lyncse01__categories={"G": {}}))
    assert [w for w in plan.warnings if w.startswith("edition:")] == [
        "edition: the Standard Edition server gets SQL Server 2014 Express, which the Skype for Business Server 2015 "
        f"pages do not confirm on Windows Server 2019: test Setup on that image first [{SRV}]"
    ]


@pytest.mark.parametrize(
    ("offer", "expected"),
    [
        ("SQL2014SP3-WS2012R2", ("2014", 3, "2012 R2")),
        ("sql2019-ws2019", ("2019", 0, "2019")),
        ("sql2016sp3-ws2019", ("2016", 3, "2019")),
        ("SQL2008R2SP3-WS2008R2SP1", ("2008 R2", 3, "2008 R2")),
        ("contoso-sql", None),
    ],
)
def test_sql_offers_name_version_service_pack_and_os(offer: str, expected: tuple[str, int, str] | None) -> None:
    """Offer names from skype2015.md 8.2 and persistent-chat.md 10."""
    found = sql_image(offer)
    assert (found and (found.version, found.service_pack, found.windows)) == expected


def test_only_the_windows_server_offer_has_a_version() -> None:
    assert windows_version("MicrosoftWindowsServer", "WindowsServer", "2012-r2-datacenter-gensecond") == "2012 R2"
    assert windows_version("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter-smalldisk") == "2016"
    assert windows_version("contoso", "WindowsServer", "2016-Datacenter") is None
    assert windows_version("MicrosoftWindowsServer", "WindowsServer", "datacenter-2016") is None


SKYPE_FRONT_END_LINE = (
    "NET-Framework-Core, RSAT-ADDS, Windows-Identity-Foundation, Web-Server, Web-Static-Content, Web-Default-Doc, "
    "Web-Http-Errors, Web-Dir-Browsing, Web-Asp-Net, Web-Net-Ext, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Http-Logging, "
    "Web-Log-Libraries, Web-Request-Monitor, Web-Http-Tracing, Web-Basic-Auth, Web-Windows-Auth, Web-Client-Auth, "
    "Web-Filtering, Web-Stat-Compression, Web-Dyn-Compression, NET-WCF-HTTP-Activation45, Web-Asp-Net45, "
    "Web-Mgmt-Tools, Web-Scripting-Tools, Web-Mgmt-Compat, Server-Media-Foundation, BITS, Desktop-Experience, "
    "Telnet-Client"
)
"""skype2015.md 4.2, the SfB 2015 FE/SE feature line [SRV]."""
PCHAT_FEATURES = {"NET-Framework-45-Core", "NET-WCF-HTTP-Activation45", "Windows-Identity-Foundation", "MSMQ-Server"}
"""Every Persistent Chat server: .NET 4.5, WCF HTTP activation, WIF, Message Queuing (skype2015.md 4.1, 4.2)."""


@pytest.mark.parametrize(("sku", "desktop"), [("2012-R2-Datacenter", True), ("2019-Datacenter", False)])
def test_a_skype2015_standard_edition_server_gets_the_skype_front_end_line(sku: str, desktop: bool) -> None:
    """Desktop-Experience is a WS2012-era feature; from 2016 on the full server carries it (skype2015.md 4.2 leaves
    the ids on 2016/2019 open: an inference)."""
    plan = plan_topology(changed(standard(), product="skype2015", images={"windows": {"sku": sku}}))
    (server,) = plan.servers
    expected = set(SKYPE_FRONT_END_LINE.split(", ")) | PCHAT_FEATURES
    assert set(server.windows_features) == (expected if desktop else expected - {"Desktop-Experience"})
    assert len(server.windows_features) == len(set(server.windows_features)), "each feature once"


def test_skype2015_persistent_chat_servers_get_the_same_features_as_lync2013() -> None:
    for product in ("lync2013", "skype2015"):
        plan = plan_topology(changed(enterprise(), product=product))
        pool_servers = [s for s in plan.servers if not s.role.is_sql]
        assert {frozenset(s.windows_features) for s in pool_servers} == {frozenset(PCHAT_FEATURES)}


DOTNET_VERSIONS = "https://learn.microsoft.com/dotnet/framework/install/versions-and-dependencies"
IN_BOX = {"2012": (4, 5), "2012 R2": (4, 5, 1), "2016": (4, 6, 2), "2019": (4, 7, 2), "2022": (4, 8)}
""".NET Framework versions and dependencies [DOTNET_VERSIONS]: the 4.x each Windows Server version includes."""


@pytest.mark.parametrize("product", list(Product))
def test_the_default_image_of_each_product_is_one_it_supports_and_includes_a_dotnet_it_supports(
    product: Product,
) -> None:
    """Lync Server 2013 defaults to 2012 R2 (persistent-chat.md 6), Skype for Business Server 2015 to 2019
    (skype2015.md 8, CU9 or later); SfB 2015 does not support .NET 4.8 (skype2015.md 4.1), which no Windows Server
    version it lists includes (2019: 4.7.2 [DOTNET_VERSIONS])."""
    from lync_pchat.model.products import INBOX_DOTNET, facts

    known = facts(product)
    version = windows_version("MicrosoftWindowsServer", "WindowsServer", known.windows_sku)
    assert version == {Product.LYNC2013: "2012 R2", Product.SKYPE2015: "2019"}[product]
    assert version in known.windows
    assert {v: tuple(int(p) for p in d.split(".")) for v, d in INBOX_DOTNET.items()} == IN_BOX
    if known.blocks_dotnet48:
        assert all(IN_BOX[v] < (4, 8) for v in known.windows)


def test_skype2015_warns_that_a_later_image_may_bring_dotnet48_and_lync2013_does_not() -> None:
    """4.8 reaches 2016 and 2019 as an update: the plan warns (the install checks before setup), it does not
    refuse the default image (issue 24 item 7)."""
    plan = plan_topology(SKYPE)
    assert [w for w in plan.warnings if ".NET" in w] == [
        "images.windows: Windows Server 2019 includes .NET Framework 4.7.2, but a later build of 2019-Datacenter "
        "(images.windows.version: latest) or Windows Update may bring 4.8, which Skype for Business Server 2015 does "
        "not support: the install reads the .NET Release value before setup and stops there if it is 4.8 or later; "
        f"pin an image version without it [{SRV}]"
    ]
    assert [w for w in plan_topology(enterprise()).warnings if ".NET" in w] == []


def test_a_listed_windows_version_that_includes_dotnet48_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a listed version to include 4.8 (none does today), the plan refuses it rather than let setup fail."""
    from lync_pchat.model import rules_product

    monkeypatch.setattr(rules_product, "INBOX_DOTNET", {"2019": "4.8"})
    assert _plan_or_problems(SKYPE) == [
        "images.windows.sku: 2019-Datacenter is Windows Server 2019, which includes .NET Framework 4.8: Skype for "
        f"Business Server 2015 does not support .NET Framework 4.8 (product: skype2015) [{DOTNET_VERSIONS}] [{SRV}]"
    ]
