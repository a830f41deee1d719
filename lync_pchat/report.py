"""Human-readable views of a plan: the topology table a Lync admin reviews."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .install.regrant import regrant_servers
from .model import Plan, PoolPlan
from .model.products import facts, windows_of
from .model.sources import TAG, url
from .model.waves import update_order


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, ruled: bool = True) -> list[str]:
    """A plain-text table with aligned columns, two spaces apart; ``ruled``: a line of dashes under the headers.
    The one table renderer of the command line's views."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = [line(["-" * w for w in widths])] if ruled else []
    return [line(headers), *rule, *(line(r) for r in rows)]


def link_sources(text: str, markdown: bool = False) -> str:
    """Each ``[L:<slug>]`` source tag in ``text`` as its address, or as a Markdown link."""

    def link(match: re.Match[str]) -> str:
        key = match.group(1)
        return f"([{key}]({url(key)}))" if markdown else f"({url(key)})"

    return TAG.sub(link, text)


def summary(plan: Plan, stack: str, logged: Sequence[str] = ()) -> str:
    """The plan of one stack as text: sites, pools, servers, stores, then every warning: the model's and what
    the program ``logged`` (the synthesis's warnings), each once."""
    servers = list(plan.servers)
    out = [
        f"Persistent Chat plan for stack '{stack}': {plan.edition.value} edition, "
        f"domain {plan.domain}, {len(plan.pools)} pool(s), {len(servers)} server(s)",
        product_line(plan),
        "",
        *table(
            ["site", "region", "address space", "pchat subnet", "sql subnet"],
            [[s.key, s.region, s.address_space, s.pchat_subnet, s.sql_subnet] for s in plan.sites],
        ),
        "",
        *table(
            ["pool", "fqdn", "users", "active", "standby", "next hop", "port"],
            [
                [p.key, p.fqdn, f"{p.users:,}", str(len(p.active)), str(len(p.standby)), p.next_hop, str(p.port)]
                for p in plan.pools
            ],
        ),
        "",
        *table(
            ["server", "pool", "role", "site", "size", "address", "databases"],
            [
                [s.computer_name, s.pool, s.role.value, s.site, s.vm_size, s.private_ip, ",".join(s.databases)]
                for s in servers
            ],
        ),
        "",
        *table(
            ["pool", "database", "primary", "mirror", "witness", "backup"],
            [row for p in plan.pools for row in _store_rows(p)],
        ),
    ]
    out += ["", *install_phase(plan)]
    out += warnings([*plan.warnings, *logged])
    return "\n".join(out)


def warnings(found: Sequence[str], title: str = "Warnings:") -> list[str]:
    """A blank line, ``title`` and each warning once, in order; nothing without warnings."""
    unique = list(dict.fromkeys(found))
    return ["", title, *(f"  - {link_sources(w)}" for w in unique)] if unique else []


def product_line(plan: Plan) -> str:
    """The product and the images its servers run."""
    images = dict.fromkeys(
        f"{'SQL' if s.role.is_sql else 'Windows'} {s.image.publisher}/{s.image.offer}"
        + ("" if s.role.is_sql else f"/{s.image.sku}")
        for s in plan.servers
    )
    return f"Product: {facts(plan.product).name} ({plan.product.value}); images: {', '.join(images)}"


def install_phase(plan: Plan) -> list[str]:
    """The second phase: each Run Command in the order ``pulumi up`` runs them, or how to switch it on."""
    software = plan.software
    if software is None:
        return [
            "Install phase: off (software.install is false). After the topology is published (the publish "
            "runbook), set software.install: true and run pulumi up, or install with the Deployment Wizard.",
            platform(plan),
        ]
    rows = []
    for pool in plan.pools:
        host = pool.install_host
        databases = "/".join(store.database for store in pool.stores)
        rows += [["pchat-install", s.computer_name, "its bootstrap and domain join"] for s in pool.pool_servers]
        ready = "pchat-install"
        if software.update_installer is not None:
            step = f"pchat-update ({software.update_installer})"
            names = {s.key: s.computer_name for s in pool.pool_servers}
            rows += [
                [step, names[key], "; ".join([ready, *(f"pchat-update on {names[k]}" for k in after)])]
                for key, after in update_order(pool.pool_servers).items()
            ]
            ready = "pchat-update"
        every = "; every pchat-update" if software.update_installer is not None else ""
        rows.append([f"pchat-databases ({databases})", host.computer_name, f"its {ready}{every}; the SQL Servers"])
        settled = f"pchat-databases on {host.computer_name}"
        if software.update_installer is not None:
            granted = regrant_servers(pool, plan)
            rows += [["pchat-cu-grant", s.computer_name, "its bootstrap"] for s in granted]
            grants = "; every pchat-cu-grant" if granted else ""
            rows.append(["pchat-cu-databases", host.computer_name, f"its pchat-databases{every}{grants}"])
            settled = f"pchat-cu-databases on {host.computer_name}"
        after = f"its {ready}; {settled}"
        rows += [["pchat-start", s.computer_name, after] for s in pool.pool_servers]
        verified = "every pchat-start of the pool"
        backup = pool.mgc.backup
        if backup is not None and backup.server is not None:
            shipping = plan.server(backup.server).computer_name
            rows.append(["pchat-log-shipping", shipping, f"pchat-databases on {host.computer_name}; {verified}"])
            verified += f"; pchat-log-shipping on {shipping}"
        rows.append(["pchat-verify", host.computer_name, verified])
        if not software.keep_setup_rights:
            rows += [["pchat-release", s.computer_name, f"{verified}; pchat-verify"] for s in pool.pool_servers]
    return [
        f"Install phase: on. {facts(plan.product).name} from {software.media_uri}, as {software.setup_user}:",
        *table(["run command", "server", "after"], rows),
        platform(plan),
    ]


DOCUMENTED_FROM = 2016
"""Azure documents the Custom Script Extension and managed Run Commands for Windows Server 2016 and later only
(operations.md §5.1)."""


def platform(plan: Plan) -> str:
    """Where Azure's documentation stands on the extensions the deployment uses, for this stack's Windows Servers."""
    versions = sorted({v for s in plan.servers if (v := windows_of(s.image)) is not None})
    off = [v for v in versions if int(v[:4]) < DOCUMENTED_FROM]
    said = (
        "Platform: the bootstrap is a Custom Script Extension, the install managed Run Commands; Azure documents both "
        f"for Windows Server {DOCUMENTED_FROM} and later only"
        if plan.software is not None
        else "Platform: the bootstrap is a Custom Script Extension (the backups a managed Run Command); Azure "
        f"documents both for Windows Server {DOCUMENTED_FROM} and later only"
    )
    if off:
        return f"{said}, not {', '.join(off)}, which this stack runs (docs/install.md, 'Platform')."
    runs = " and ".join(versions) or "(an image of unknown version)"
    return f"{said}: this stack runs Windows Server {runs}, on that list."


def _store_rows(pool: PoolPlan) -> list[list[str]]:
    rows = []
    for store in pool.stores:
        names = store.instance_names()
        rows.append([pool.key, store.database, *(names[r] or "-" for r in ("primary", "mirror", "witness", "backup"))])
    return rows
