"""The two server products that have Persistent Chat, and what differs between them: supported Windows Server and
SQL Server versions, the minimum cumulative update per OS, the SQL Express a Standard Edition server gets, .NET,
default images, install paths, module and update installer.

Facts from ``shared/reference/skype2015.md`` (sections 2 to 5 and 8), ``persistent-chat.md`` 2 and 6 and
``lync-install.md`` 1.2, 1.3 and 1.6, each with its source key. Pure data and parsing: no rule is enforced here
(:mod:`lync_pchat.model.rules_product` does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .catalog import SQL_PUBLISHER, Image
from .sources import DATABASE_SOFTWARE, LYNC_OS, SKYPE_SERVER, UPDATE_SERVER


class Product(StrEnum):
    """The server product a stack installs."""

    LYNC2013 = "lync2013"
    SKYPE2015 = "skype2015"


@dataclass(frozen=True)
class Requirement:
    """A supported Windows Server or SQL Server version, and what it needs."""

    version: str
    """As Microsoft names it: ``2012 R2``, ``2019``."""
    minimum_update: int = 0
    """The product's cumulative update the version needs, as a number that orders them (Skype for Business Server
    2015's CU5 is 5; Lync Server 2013's October 2013 update, its first on Windows Server 2012 R2, is 1); 0: none."""
    update: str = ""
    """The same in words, as the source writes it."""
    minimum_service_pack: int = 0
    """SQL Server only: the service pack the version needs (0: any)."""
    update_before_setup: bool = False
    """Windows Server only: the RTM media predates the version, so the cumulative update goes onto the core
    components before the Deployment Wizard's steps (local store, components) run, and again after them
    (:data:`lync_pchat.model.sources.KB4015888`)."""


def _by_version(*items: Requirement) -> MappingProxyType[str, Requirement]:
    return MappingProxyType({item.version: item for item in items})


@dataclass(frozen=True)
class ProductFacts:
    """What a product needs and where it installs."""

    product: Product
    name: str
    windows: MappingProxyType[str, Requirement]
    """Windows Server versions supported for new servers."""
    windows_source: str
    sql: MappingProxyType[str, Requirement]
    """SQL Server versions supported for the Back End and the Persistent Chat stores (Standard, Enterprise)."""
    sql_source: str
    express: str
    """The SQL Server Express Setup installs on a Standard Edition server."""
    express_source: str
    windows_sku: str
    """Default ``images.windows.sku`` (publisher MicrosoftWindowsServer, offer WindowsServer)."""
    sql_offer: str
    """Default ``images.sql.offer`` (publisher MicrosoftSQLServer)."""
    install_folder: str
    """Under ``%ProgramFiles%``: ``Deployment\\Bootstrapper.exe`` is in it."""
    shell: str
    """The Management Shell's name, as the runbooks tell where to run them."""
    module: str
    """The Management Shell module."""
    module_path: str
    """The module manifest, under ``%CommonProgramFiles%``."""
    update_installer: str
    """The cumulative update installer's file name."""
    update_source: str
    blocks_dotnet48: bool
    """.NET Framework 4.8 is documented as not supported: the install refuses it and blocks it from Windows Update."""
    service_prefix: str
    """How the display name of each of the product's Windows services begins (``Lync Server Persistent Chat``,
    ``Skype for Business Server Persistent Chat``); the service names (RTCCHAT, ...) and the event log name
    (``Lync Server``) are the same in both (operations.md 9.3)."""

    @property
    def bootstrapper(self) -> str:
        return f"{self.install_folder}\\Deployment\\Bootstrapper.exe"

    def windows_list(self) -> str:
        return ", ".join(f"{v} ({r.update})" if r.update else v for v, r in self.windows.items())

    def sql_list(self) -> str:
        return ", ".join(f"{v} ({r.update})" if r.update else v for v, r in self.sql.items())


LYNC2013 = ProductFacts(
    product=Product.LYNC2013,
    name="Lync Server 2013",
    # persistent-chat.md 6, lync-install.md 1.2 [L:...server-and-tools-operating-system-support] (Gg412883).
    windows=_by_version(
        Requirement("2008 R2"),
        Requirement("2012"),
        Requirement("2012 R2", 1, "the October 2013 cumulative update or later"),
    ),
    windows_source=LYNC_OS,
    # persistent-chat.md 2; operations.md 1 [L:...database-software-support] (Gg398990): 2008 R2 and 2012 only.
    sql=_by_version(Requirement("2008 R2"), Requirement("2012")),
    sql_source=DATABASE_SOFTWARE,
    express="SQL Server 2012 Express",
    express_source=DATABASE_SOFTWARE,
    windows_sku="2012-R2-Datacenter",
    sql_offer="SQL2014SP3-WS2012R2",
    install_folder="Microsoft Lync Server 2013",
    shell="Lync Server Management Shell",
    module="Lync",
    module_path="Microsoft Lync Server 2013\\Modules\\Lync\\Lync.psd1",
    update_installer="LyncServerUpdateInstaller.exe",
    update_source=UPDATE_SERVER,
    blocks_dotnet48=False,
    service_prefix="Lync Server",
)
"""Lync Server 2013. Its default SQL image (SQL Server 2014) is outside its documented SQL versions; it stays the
default so that no deployed stack changes, and the rules warn (skype2015.md 3.1, persistent-chat.md 2)."""

SKYPE2015 = ProductFacts(
    product=Product.SKYPE2015,
    name="Skype for Business Server 2015",
    # skype2015.md 2 [SRV]: 2008 R2 only for in-place upgraded servers, so not for new ones; 2022 is not listed.
    windows=_by_version(
        Requirement("2012"),
        Requirement("2012 R2"),
        Requirement("2016", 5, "CU5 or later", update_before_setup=True),
        Requirement("2019", 9, "CU9 or later", update_before_setup=True),
    ),
    windows_source=SKYPE_SERVER,
    # skype2015.md 3.1 [SRV], the general list: the Persistent Chat page lists fewer (a CONFLICT; the general
    # list is followed, as the SfB 2015 upgrade plan does for 2014).
    sql=_by_version(
        Requirement("2012"),
        Requirement("2014", 0, "SQL Server 2014 CU6 or later", 1),
        Requirement("2016", 7, "SP1 or later, and CU7 or later", 1),
        Requirement("2017"),
        Requirement("2019"),
    ),
    sql_source=SKYPE_SERVER,
    express="SQL Server 2014 Express",
    express_source=SKYPE_SERVER,
    windows_sku="2019-Datacenter",
    sql_offer="sql2019-ws2019",
    install_folder="Skype for Business Server 2015",
    shell="Skype for Business Server Management Shell",
    module="SkypeForBusiness",
    module_path="Skype for Business Server 2015\\Modules\\SkypeForBusiness\\SkypeForBusiness.psd1",
    update_installer="SkypeServerUpdateInstaller.exe",
    update_source=SKYPE_SERVER,
    blocks_dotnet48=True,
    service_prefix="Skype for Business Server",
)
"""Skype for Business Server 2015, the last server product with Persistent Chat (skype2015.md 1)."""

FACTS = MappingProxyType({LYNC2013.product: LYNC2013, SKYPE2015.product: SKYPE2015})

DOTNET_RELEASES = "https://learn.microsoft.com/dotnet/framework/install/how-to-determine-which-versions-are-installed"
DOTNET_VERSIONS = "https://learn.microsoft.com/dotnet/framework/install/versions-and-dependencies"
DOTNET48_RELEASE = 528040
"""The lowest ``Release`` value of ``HKLM\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full`` that is .NET
Framework 4.8 (skype2015.md 4.1 names the key): 528040 on Windows 10 May and November 2019 Update, higher values
(528049, 528372, 528449) on the others, every earlier version lower (:data:`DOTNET_RELEASES`)."""
INBOX_DOTNET = MappingProxyType({"2012": "4.5", "2012 R2": "4.5.1", "2016": "4.6.2", "2019": "4.7.2", "2022": "4.8"})
"""The .NET Framework 4.x each Windows Server version includes (:data:`DOTNET_VERSIONS`): 4.8 comes in-box only from
Windows Server 2022, and reaches the earlier versions as an update (a later marketplace image build, Windows
Update)."""

_WINDOWS_SKU = re.compile(r"(?i)^(2008-r2|2012-r2|2012|2016|2019|2022|2025)(?:-|$)")
_SQL_OFFER = re.compile(
    r"(?i)^sql(2008r2|2012|2014|2016|2017|2019|2022)(?:sp(\d))?-ws(2008r2|2012r2|2012|2016|2019|2022)"
)
WINDOWS_PUBLISHER = ("MicrosoftWindowsServer", "WindowsServer")


def facts(product: Product) -> ProductFacts:
    return FACTS[product]


def _name(token: str) -> str:
    """``2012r2`` or ``2012-R2`` -> ``2012 R2``."""
    return token.upper().replace("-", "").replace("R2", " R2")


def windows_version(publisher: str, offer: str, sku: str) -> str | None:
    """The Windows Server version of a marketplace Windows Server image (``2012 R2``); None for another image."""
    if (publisher.lower(), offer.lower()) != tuple(p.lower() for p in WINDOWS_PUBLISHER):
        return None
    match = _WINDOWS_SKU.match(sku)
    return _name(match.group(1)) if match else None


def is_server_core(sku: str) -> bool:
    """Whether a Windows Server sku is Server Core, which neither product supports (persistent-chat.md 6;
    skype2015.md 8.1)."""
    return "core" in sku.lower().split("-")


@dataclass(frozen=True)
class SqlImage:
    """What a SQL Server marketplace offer holds."""

    version: str
    service_pack: int
    windows: str


def sql_image(offer: str) -> SqlImage | None:
    """The SQL Server version, service pack and Windows Server version of a SQL Server offer
    (``SQL2014SP3-WS2012R2``, ``sql2019-ws2019``); None when the offer does not name them."""
    match = _SQL_OFFER.match(offer)
    if match is None:
        return None
    version, service_pack, windows = match.groups()
    return SqlImage(_name(version), int(service_pack or 0), _name(windows))


def windows_of(image: Image) -> str | None:
    """The Windows Server version of a marketplace image: a Windows Server image's, or the one a SQL Server
    offer names (``SQL2019-WS2019``); None when neither says."""
    version = windows_version(image.publisher, image.offer, image.sku)
    if version is not None:
        return version
    sql = sql_image(image.offer) if image.publisher.lower() == SQL_PUBLISHER.lower() else None
    return sql.windows if sql is not None else None
