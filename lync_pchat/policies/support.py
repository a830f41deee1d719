"""``pchat-support-ended`` (advisory): what the deployment runs whose Microsoft support has ended, by the same dates
the plan warns with (:mod:`lync_pchat.model.support`, :func:`lync_pchat.model.rules_support.describe`).

Read from the resources: each server's Windows Server (its image, or the one a SQL Server offer names) and each
SQL Server VM's SQL Server version (the offer); the product from the policy config ``product``, as the version
policies take it. A custom image, whose versions its name does not say, is not judged. Advisory: refusing a stack
past every date is the plan's (``acceptUnsupported``); the pack says it on every preview, against today's date (UTC).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..model import rules_platform
from ..model.catalog import SQL_PUBLISHER, Image
from ..model.products import sql_image, windows_of
from ..model.rules_support import describe
from ..model.support import PRODUCTS, SQL, WINDOWS, SupportEnd, ended
from .base import StackResource, Violation
from .images import _image, _product
from .recognition import Kind, Server, recognise


def _dates(server: Server) -> list[SupportEnd]:
    """The dated versions a server's image names: its Windows Server, and on a SQL Server image its SQL Server."""
    publisher, offer, sku = _image(server)
    found = []
    windows = windows_of(Image(publisher, offer, sku))
    if windows is not None and windows in WINDOWS:
        found.append(WINDOWS[windows])
    sql = sql_image(offer) if publisher.lower() == SQL_PUBLISHER.lower() else None
    if sql is not None and sql.version in SQL:
        found.append(SQL[sql.version])
    return found


def advise_support(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    today: date = rules_platform.today()
    servers = [s for s in recognise(resources) if s.kind is not Kind.OTHER]
    found: list[Violation] = []
    product = PRODUCTS[_product(config)]
    if servers and ended(product, today):
        found.append(Violation(f"product (policy config): {describe(product)}"))
    for server in servers:
        past = [end for end in _dates(server) if ended(end, today)]
        if past:
            found.append(Violation(f"{server.name}: " + "; ".join(describe(end) for end in past), server.urn))
    return found
