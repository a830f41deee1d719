"""Rules of the product switch: the Windows Server and SQL Server versions of the images, and the cumulative
update the install needs, per product (:mod:`lync_pchat.model.products`).

An image this project cannot read a version from (a custom or private image) is not refused: the plan warns
that its version is the operator's to check.
"""

from __future__ import annotations

from collections.abc import Iterator

from .catalog import SQL_PUBLISHER
from .config import Edition, TopologyConfig
from .errors import Problem
from .layout import seats
from .products import (
    DOTNET_VERSIONS,
    INBOX_DOTNET,
    Product,
    ProductFacts,
    facts,
    is_server_core,
    sql_image,
    windows_version,
)
from .server_specs import sql_offer, windows_image

SQL_IN_LYNC2013_ADVICE = "2014"
"""The SQL Server version the ``lync2013`` default image holds: outside Lync Server 2013's documented versions, a
warning rather than a refusal, so that no deployed stack stops planning."""


def _has_sql_vms(cfg: TopologyConfig) -> bool:
    return any(seat.role.is_sql for pool in cfg.pools.values() for seat in seats(pool, cfg.edition))


def windows(cfg: TopologyConfig) -> Iterator[Problem]:
    """The pool servers' Windows Server version is one the product lists for new servers."""
    product = facts(cfg.product)
    image = windows_image(cfg.images, cfg.product)
    path = "images.windows.sku"
    if is_server_core(image.sku):
        message = f"{image.sku} is Server Core: {product.name} needs the full installation"
        yield Problem(path, message, product.windows_source)
        return
    version = windows_version(image.publisher, image.offer, image.sku)
    if version is not None and version not in product.windows:
        yield Problem(
            path,
            f"{image.sku} is Windows Server {version}: {product.name} supports Windows Server "
            f"{product.windows_list()} (product: {cfg.product.value})",
            product.windows_source,
        )


def dotnet(cfg: TopologyConfig) -> Iterator[Problem]:
    """A product that does not support .NET Framework 4.8 (skype2015.md 4.1) is refused only on a Windows Server
    version it lists that includes 4.8 (:data:`INBOX_DOTNET`; none today); where 4.8 comes as an update, the plan
    warns (:func:`advisories`) and the install checks the server before setup."""
    product = facts(cfg.product)
    image = windows_image(cfg.images, cfg.product)
    version = windows_version(image.publisher, image.offer, image.sku)
    if version is None or version not in product.windows:
        return  # not a version the product lists: the windows rule refuses it
    inbox = INBOX_DOTNET.get(version)
    if product.blocks_dotnet48 and inbox is not None and _at_least_48(inbox):
        yield Problem(
            "images.windows.sku",
            f"{image.sku} is Windows Server {version}, which includes .NET Framework {inbox}: {product.name} does "
            f"not support .NET Framework 4.8 (product: {cfg.product.value}) [{DOTNET_VERSIONS}]",
            product.windows_source,
        )


def _at_least_48(version: str) -> bool:
    return tuple(int(part) for part in version.split(".")) >= (4, 8)


def sql(cfg: TopologyConfig) -> Iterator[Problem]:
    """The SQL Server version of the store VMs is one the product lists for its back ends and stores."""
    if not _has_sql_vms(cfg) or cfg.images.sql.publisher.lower() != SQL_PUBLISHER.lower():
        return
    product = facts(cfg.product)
    offer = sql_offer(cfg.images, cfg.product)
    found = sql_image(offer)
    if found is None:
        return
    path = "images.sql.offer"
    if cfg.product is Product.LYNC2013 and found.version == SQL_IN_LYNC2013_ADVICE:
        return
    needed = product.sql.get(found.version)
    if needed is None:
        yield Problem(
            path,
            f"{offer} is SQL Server {found.version}: {product.name} supports SQL Server {product.sql_list()} "
            f"for its stores (product: {cfg.product.value})",
            product.sql_source,
        )
    elif found.service_pack < needed.minimum_service_pack:
        yield Problem(
            path,
            f"{offer} is SQL Server {found.version} without a service pack: {product.name} needs "
            f"{needed.update} (the offer names no service pack; choose an SP offer)",
            product.sql_source,
        )


def update(cfg: TopologyConfig) -> Iterator[Problem]:
    """An install on a version that needs a cumulative update brings one (``software.updateInstaller``), and an
    update installer named as the other product's is not this product's."""
    software = cfg.software
    if not software.install:
        return
    product = facts(cfg.product)
    installer = software.update_installer
    if installer is not None:
        leaf = installer.replace("\\", "/").rsplit("/", 1)[-1]
        other = next(f for f in (facts(p) for p in Product) if f.product is not cfg.product)
        if leaf.lower() == other.update_installer.lower():
            yield Problem(
                "software.updateInstaller",
                f"{leaf} is {other.name}'s update installer; {product.name} (product: {cfg.product.value}) "
                f"updates with {product.update_installer}",
                product.update_source,
            )
        return
    if cfg.product is Product.LYNC2013:
        return
    for what, needed in _needs(cfg, product):
        yield Problem(
            "software.updateInstaller",
            f"not set, but {product.name} on {what} needs {needed}: put {product.update_installer} of that "
            "update (or a later one) beside the media and give its path",
            product.windows_source,
        )


def _needs(cfg: TopologyConfig, product: ProductFacts) -> Iterator[tuple[str, str]]:
    image = windows_image(cfg.images, cfg.product)
    version = windows_version(image.publisher, image.offer, image.sku)
    required = product.windows.get(version) if version else None
    if required is not None and required.minimum_update:
        yield f"Windows Server {version}", required.update
    found = sql_image(sql_offer(cfg.images, cfg.product)) if _has_sql_vms(cfg) else None
    store = product.sql.get(found.version) if found else None
    if found is not None and store is not None and store.minimum_update:
        yield f"SQL Server {found.version}", store.update


def advisories(cfg: TopologyConfig) -> list[str]:
    """Supported-but-check notes of the product choice."""
    product = facts(cfg.product)
    notes = []
    offer = sql_offer(cfg.images, cfg.product)
    found = sql_image(offer) if _has_sql_vms(cfg) else None
    if cfg.product is Product.LYNC2013 and found is not None and found.version == SQL_IN_LYNC2013_ADVICE:
        notes.append(
            f"images.sql.offer: {offer} is SQL Server 2014, which is outside Lync Server 2013's documented SQL "
            f"versions ({product.sql_list()}) and supported only from Skype for Business Server 2015 on; Azure "
            "no longer offers 2008 R2 or 2012 images: see docs/skype2015.md for product: skype2015 "
            f"[{product.sql_source}]"
        )
    image = windows_image(cfg.images, cfg.product)
    version = windows_version(image.publisher, image.offer, image.sku)
    if version is None:
        notes.append(
            f"images.windows: {image.publisher}/{image.offer}/{image.sku} is not a marketplace Windows Server image "
            f"this project reads a version from: check it is one {product.name} supports "
            f"({product.windows_list()}) [{product.windows_source}]"
        )
    required = product.windows.get(version) if version else None
    installs_rtm = cfg.software.install and cfg.software.update_installer is None
    if cfg.product is Product.LYNC2013 and installs_rtm and required is not None and required.minimum_update:
        notes.append(
            f"software.updateInstaller: not set, but Lync Server 2013 on Windows Server {version} is supported "
            f"from {required.update}: give its LyncServerUpdateInstaller.exe [{product.windows_source}]"
        )
    inbox = INBOX_DOTNET.get(version) if version else None
    if product.blocks_dotnet48 and inbox is not None and not _at_least_48(inbox):
        notes.append(
            f"images.windows: Windows Server {version} includes .NET Framework {inbox}, but a later build of "
            f"{image.sku} (images.windows.version: {image.version}) or Windows Update may bring 4.8, which "
            f"{product.name} does not support: the install reads the .NET Release value before setup and stops "
            "there if it is 4.8 or later; pin an image version without it [" + product.windows_source + "]"
        )
    if cfg.product is Product.SKYPE2015 and cfg.edition is Edition.STANDARD and version in ("2016", "2019"):
        notes.append(
            f"edition: the Standard Edition server gets {product.express}, which the Skype for Business Server "
            f"2015 pages do not confirm on Windows Server {version}: test Setup on that image first "
            f"[{product.express_source}]"
        )
    return notes


RULES = (windows, dotnet, sql, update)
