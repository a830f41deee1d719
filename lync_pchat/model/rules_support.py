"""Rules on the calendar: what the stack runs whose support has ended (:mod:`lync_pchat.model.support`).

The plan warns about every ended date; a stack whose product, Windows Server and SQL Server have all ended is
refused unless ``acceptUnsupported: {reason}`` says why it is deployed anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from . import rules_platform
from .catalog import SQL_PUBLISHER
from .config import Edition, TopologyConfig
from .errors import Problem
from .layout import seats
from .products import facts, sql_image, windows_version
from .server_specs import sql_offer, windows_image
from .support import PRODUCTS, SQL, WINDOWS, SupportEnd, ended, express_version


def dated(cfg: TopologyConfig) -> list[tuple[str, SupportEnd]]:
    """(config path, support end) of everything the stack runs that has a date: the product, the Windows Server of
    the pool servers and of the SQL Servers, their SQL Server and a Standard Edition server's SQL Express."""
    found = [("product", PRODUCTS[cfg.product])]
    image = windows_image(cfg.images, cfg.product)
    version = windows_version(image.publisher, image.offer, image.sku)
    if version is not None and version in WINDOWS:
        found.append(("images.windows.sku", WINDOWS[version]))
    has_sql = any(seat.role.is_sql for pool in cfg.pools.values() for seat in seats(pool, cfg.edition))
    sql = sql_image(sql_offer(cfg.images, cfg.product))
    if has_sql and sql is not None and cfg.images.sql.publisher.lower() == SQL_PUBLISHER.lower():
        if sql.version in SQL:
            found.append(("images.sql.offer", SQL[sql.version]))
        if sql.windows in WINDOWS and sql.windows != version:
            found.append(("images.sql.offer", WINDOWS[sql.windows]))
    express = express_version(facts(cfg.product).express)
    if cfg.edition is Edition.STANDARD and express is not None and express in SQL:
        found.append(("edition", SQL[express]))
    return found


def _ended(cfg: TopologyConfig, today: date) -> list[tuple[str, SupportEnd]]:
    return [(path, end) for path, end in dated(cfg) if ended(end, today)]


def describe(end: SupportEnd) -> str:
    return f"{end.name}: {end.detail} ended {end.ends.isoformat()} [{end.source}]"


def unsupported(cfg: TopologyConfig) -> Iterator[Problem]:
    """Everything dated has ended, and no ``acceptUnsupported`` with a reason."""
    today = rules_platform.today()
    every, past = dated(cfg), _ended(cfg, today)
    if cfg.accept_unsupported is not None or len(past) < len(every):
        return
    yield Problem(
        "acceptUnsupported",
        f"today ({today.isoformat()}, UTC) Microsoft supports nothing this stack runs: "
        + "; ".join(describe(end) for _, end in past)
        + ". Choose supported versions (docs/skype2015.md), or set acceptUnsupported: {reason: ...} to deploy anyway",
    )


def advisories(cfg: TopologyConfig) -> list[str]:
    """One note per ended date, and the reason it is accepted."""
    today = rules_platform.today()
    notes = [f"support: {describe(end)} ({path})" for path, end in _ended(cfg, today)]
    if cfg.accept_unsupported is not None and notes:
        notes.append(
            f"acceptUnsupported: deployed without Microsoft's support because: {cfg.accept_unsupported.reason}"
        )
    return notes


RULES = (unsupported,)
