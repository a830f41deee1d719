"""``pchat diff`` for people: the same summary as Markdown (the PR comment) and as terminal text.

Per stack: a warning about stateful losses first, then what reads like the topology (servers, users
per pool, NSG rules, new model warnings), then every resource that changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..report import link_sources, table
from .diff import Change, StackDiff

STATUS = {
    "changed": "changed",
    "unchanged": "no changes",
    "new": "new stack, every resource is created",
    "removed": "removed, every resource is deleted",
    "refused": "refused by the model",
}
LOSS = "chat history, compliance records or secrets may be lost; use `aliases` for renames."
REBUILD = (
    "a rebuild, not an update: every server gets the new product's images and a fresh install, and the chat "
    "history moves only by the migrate runbook (a new stack beside the old one; see docs/skype2015.md)"
)
REFUSAL = "the deployment would fail at that resource, after changing others."


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    folded: bool = False
    """Markdown: collapsed under its title (long resource lists)."""


Block = str | Table
"""A paragraph (Markdown emphasis and code spans, ``#`` headings, ``>`` warnings) or a table."""


def markdown(diffs: Sequence[StackDiff], ref: str, sdk: Sequence[str] = ()) -> str:
    return "\n\n".join(_markdown(block) for block in blocks(diffs, ref, sdk)) + "\n"


def text(diffs: Sequence[StackDiff], ref: str, sdk: Sequence[str] = ()) -> str:
    return "\n\n".join(_text(block) for block in blocks(diffs, ref, sdk)) + "\n"


def blocks(diffs: Sequence[StackDiff], ref: str, sdk: Sequence[str] = ()) -> list[Block]:
    """``sdk``: the declared or locked SDK versions the change moves (:mod:`.sdk`)."""
    out: list[Block] = [f"## Persistent Chat plan diff against `{ref}`"]
    refused = [d for d in diffs if d.refused]
    if refused:
        count = sum(len(d.refused) for d in refused)
        where = ", ".join(f"`{d.stack}`" for d in refused)
        out.append(f"> **Error: Azure refuses {count} change(s) to existing resources** in {where}: {REFUSAL}")
    losses = [d for d in diffs if d.dangerous]
    if losses:
        count = sum(len(d.dangerous) for d in losses)
        where = ", ".join(f"`{d.stack}`" for d in losses)
        out.append(
            f"> **Warning: {count} stateful resource(s) would be deleted, replaced or unprotected** in {where}: {LOSS}"
        )
    if sdk:
        out.append("\n".join(["**SDK versions change** (every resource may read differently):", *sdk]))
    for diff in diffs:
        out += _stack(diff)
    return out


def _stack(diff: StackDiff) -> list[Block]:
    out: list[Block] = [f"### Stack `{diff.stack}`: {STATUS[diff.status]}"]
    if diff.problems:
        out.append("\n".join(diff.problems))
    if diff.topology is not None and diff.topology.product is not None:
        was, now = diff.topology.product
        out.append(f"> **Product change: `{was}` → `{now}`**: {REBUILD}")
    if not diff.changes or diff.topology is None:
        return out
    tally = {a: sum(1 for c in diff.changes if c.action == a) for a in ("create", "update", "replace", "delete")}
    out.append(" · ".join(f"{n} to {a}" for a, n in tally.items() if n))
    if diff.refused:
        rows = [(f"`{c.name}`", "; ".join(map(str, c.values)), "; ".join(c.refused)) for c in diff.refused]
        out.append(Table("✖ Changes Azure refuses", ("resource", "change", "why"), rows))
    if diff.dangerous:
        out.append(_resources("⚠ Stateful resources deleted, replaced or unprotected", diff.dangerous))
    if diff.restarts:
        out.append("\n".join(["VM restarts:", *(f"- {line}" for line in diff.restarts)]))
    topology = diff.topology
    out += [
        Table(title, headers, rows)
        for title, headers, rows in (
            ("Servers", ("change", "server", "pool", "role", "site", "size", "address"), topology.servers),
            ("Users per pool", ("change", "pool", "fqdn", "users", "active", "standby"), topology.pools),
            (
                "NSG rules",
                ("change", "NSG", "rule", "priority", "access", "protocol", "ports", "sources", "destinations"),
                topology.rules,
            ),
            ("Network flows", ("change", "from", "to", "port", "why", "action"), topology.flows),
        )
        if rows
    ]
    if topology.warnings:
        out.append("\n".join(["New model warnings:", *(f"- {w}" for w in topology.warnings)]))
    out.append(_resources(f"Resources ({len(diff.changes)} changes)", diff.changes, folded=True))
    return out


def _resources(title: str, changes: Sequence[Change], folded: bool = False) -> Table:
    rows = [(f"{c.action}{' ⚠' if c.dangerous else ''}", f"`{c.type}`", f"`{c.name}`", _inputs(c)) for c in changes]
    return Table(title, ("action", "type", "name", "changed inputs"), rows, folded)


def _inputs(change: Change) -> str:
    """The first changed inputs as ``key: before → after``, then what protection the change takes away."""
    shown = [str(v) for v in change.values[:6]] or list(change.keys[:6])
    shown += [f"{key} removed" for key in change.unprotected]
    return "; ".join(shown) or "-"


def _markdown(block: Block) -> str:
    if isinstance(block, str):
        return link_sources(block, markdown=True)
    lines = [
        "| " + " | ".join(block.headers) + " |",
        "|" + "---|" * len(block.headers),
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in block.rows),
    ]
    if block.folded:
        return "\n".join([f"<details><summary>{block.title}</summary>", "", *lines, "", "</details>"])
    return "\n".join([f"**{block.title}**", "", *lines])


def _text(block: Block) -> str:
    if isinstance(block, Table):
        rows = [tuple(_plain(cell) for cell in row) for row in block.rows]
        return "\n".join([f"{block.title}:", *table(block.headers, rows)])
    return _plain(link_sources(block.removeprefix("> ").lstrip("# ")))


def _plain(text: str) -> str:
    return text.replace("**", "").replace("`", "")
