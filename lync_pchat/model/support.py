"""Support dates as data: when Microsoft's support (security updates included) ends for each product, Windows
Server and SQL Server version a stack can run, with the source of each date.

Facts: ``shared/reference/skype2015.md`` section 1 and ``operations.md`` 9.4 (checked this round). Windows Server
2012 R2 counts until the end of its Azure extended security updates (free on Azure VMs); SQL Server 2012 and 2014
until the end of their extended support. Versions not listed here have no date in the reference: not judged.
Pure data: :mod:`lync_pchat.model.rules_support` enforces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from .products import Product
from .sources import ESU_FAQ


@dataclass(frozen=True)
class SupportEnd:
    """The last day of support of one product or version."""

    name: str
    """As Microsoft names it: ``Windows Server 2012 R2``."""
    ends: date
    detail: str
    """What ends, in words: ``extended support``, ``Azure extended security updates``."""
    source: str


def _extended(name: str, ends: date, source: str) -> SupportEnd:
    """The common row: the end of ``name``'s extended support."""
    return SupportEnd(name, ends, "extended support", source)


PRODUCTS = MappingProxyType(
    {
        Product.LYNC2013: _extended("Lync Server 2013", date(2023, 4, 11), "LC:microsoft-lync-server-2013.yml"),
        Product.SKYPE2015: _extended(
            "Skype for Business Server 2015", date(2025, 10, 14), "LC:skype-for-business-server-2015.yml"
        ),
    }
)
WINDOWS = MappingProxyType(
    {
        "2012 R2": SupportEnd(
            "Windows Server 2012 R2",
            date(2026, 10, 13),
            "Azure extended security updates (extended support ended 2023-10-10)",
            ESU_FAQ,
        ),
        "2016": _extended("Windows Server 2016", date(2027, 1, 12), "LC:windows-server-2016.yml"),
        "2019": _extended("Windows Server 2019", date(2029, 1, 9), "LC:windows-server-2019.yml"),
    }
)
SQL = MappingProxyType(
    {
        "2012": _extended("SQL Server 2012", date(2022, 7, 12), ESU_FAQ),
        "2014": SupportEnd(
            "SQL Server 2014",
            date(2024, 7, 9),
            "extended support (extended security updates to 2027-07-12 not assumed)",
            ESU_FAQ,
        ),
        "2016": _extended("SQL Server 2016", date(2026, 7, 14), "LC:sql-server-2016.yml"),
        "2017": _extended("SQL Server 2017", date(2027, 10, 12), "LC:sql-server-2017.yml"),
        "2019": _extended("SQL Server 2019", date(2030, 1, 8), "LC:sql-server-2019.yml"),
    }
)
_EXPRESS = re.compile(r"SQL Server (\d{4})")


def express_version(express: str) -> str | None:
    """``2014`` of ``SQL Server 2014 Express``."""
    match = _EXPRESS.match(express)
    return match.group(1) if match else None


def ended(ends: SupportEnd, today: date) -> bool:
    """Whether support has ended by ``today``: the end date is the last supported day."""
    return today > ends.ends


def table() -> list[SupportEnd]:
    """Every date, products first, for the docs."""
    return [*PRODUCTS.values(), *WINDOWS.values(), *SQL.values()]
