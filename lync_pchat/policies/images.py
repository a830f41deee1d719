"""``pchat-supported-versions`` and ``pchat-sql-outside-lync2013``: the Windows Server version of each pool server
image and the SQL Server version of each store image are ones the product documents
(:mod:`lync_pchat.model.products`).

The product is the policy config's ``product`` (lync2013 unless set), as in the stack's ``pchat:topology``: the pack
sees resources, not the stack config. A custom image, whose version the offer does not name, is not judged. SQL
Server 2014 under Lync Server 2013 (the default image of every deployed lync2013 stack) is the advisory's, not the
mandatory policy's, so that those stacks keep deploying while the pack says plainly that it is outside the
documented versions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model.products import Product, facts, is_server_core, sql_image, windows_version
from .base import StackResource, Violation, text
from .recognition import Kind, Server, recognise

PRODUCT = "product"
PRODUCT_CONFIG: Mapping[str, Any] = {
    PRODUCT: {
        "type": "string",
        "enum": [p.value for p in Product],
        "description": "The stack's pchat:topology product: lync2013 (default) or skype2015.",
    }
}
LYNC2013_SQL2014 = "2014"


def _product(config: Mapping[str, Any]) -> Product:
    value = config.get(PRODUCT, Product.LYNC2013.value)
    return Product(value) if value in {p.value for p in Product} else Product.LYNC2013


def _image(server: Server) -> tuple[str, str, str]:
    reference = "storageProfile.imageReference."
    publisher, offer, sku = (text(server.props, reference + k) or "" for k in ("publisher", "offer", "sku"))
    return publisher, offer, sku


def _sql_versions(resources: Sequence[StackResource]) -> Iterator[tuple[Server, str, str]]:
    """(server, offer, version) of every store VM from a SQL Server offer that names its version."""
    for server in recognise(resources):
        if server.kind is Kind.SQL:
            offer = _image(server)[1]
            found = sql_image(offer)
            if found is not None:
                yield server, offer, found.version


def check_versions(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    product = facts(_product(config))
    found: list[Violation] = []
    for server in recognise(resources):
        if server.kind is not Kind.POOL_SERVER:
            continue
        publisher, offer, sku = _image(server)
        version = windows_version(publisher, offer, sku)
        if is_server_core(sku) or (version is not None and version not in product.windows):
            found.append(
                Violation(
                    f"{server.name}: image {publisher}/{offer}/{sku} is not a Windows Server {product.name} supports "
                    f"({product.windows_list()}; full installation) [{product.windows_source}]",
                    server.urn,
                )
            )
    for server, offer, version in _sql_versions(resources):
        if product.product is Product.LYNC2013 and version == LYNC2013_SQL2014:
            continue
        needed = product.sql.get(version)
        service_pack = sql_image(offer)
        if needed is None or (service_pack is not None and service_pack.service_pack < needed.minimum_service_pack):
            found.append(
                Violation(
                    f"{server.name}: image offer {offer} is SQL Server {version}, which "
                    f"{product.name} does not support for its stores ({product.sql_list()}) [{product.sql_source}]",
                    server.urn,
                )
            )
    return found


def advise_sql2014(resources: Sequence[StackResource], config: Mapping[str, Any]) -> list[Violation]:
    if _product(config) is not Product.LYNC2013:
        return []
    lync = facts(Product.LYNC2013)
    return [
        Violation(
            f"{server.name}: image offer {offer} is SQL Server 2014, outside Lync Server 2013's documented SQL "
            f"versions ({lync.sql_list()}); Skype for Business Server 2015 supports it (product: skype2015, "
            f"docs/skype2015.md) [{lync.sql_source}]",
            server.urn,
        )
        for server, offer, version in _sql_versions(resources)
        if version == LYNC2013_SQL2014
    ]
