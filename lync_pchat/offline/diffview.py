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


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    folded: bool = False
    """Markdown: collapsed under its title (long resource lists)."""


Block = str | Table
"""A paragraph (Markdown emphasis and code spans, ``#`` headings, ``>`` warnings) or a table."""


def markdown(diffs: Sequence[StackDiff], ref: str) -> str:
    return "\n\n".join(_markdown(block) for block in blocks(diffs, ref)) + "\n"


def text(diffs: Sequence[StackDiff], ref: str) -> str:
    return "\n\n".join(_text(block) for block in blocks(diffs, ref)) + "\n"


def blocks(diffs: Sequence[StackDiff], ref: str) -> list[Block]:
    out: list[Block] = [f"## Persistent Chat plan diff against `{ref}`"]
    losses = [d for d in diffs if d.dangerous]
    if losses:
        count = sum(len(d.dangerous) for d in losses)
        where = ", ".join(f"`{d.stack}`" for d in losses)
        out.append(f"> **Warning: {count} stateful resource(s) would be deleted or replaced** in {where}: {LOSS}")
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
    if diff.dangerous:
        out.append(_resources("⚠ Stateful resources deleted or replaced", diff.dangerous))
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
        )
        if rows
    ]
    if topology.warnings:
        out.append("\n".join(["New model warnings:", *(f"- {w}" for w in topology.warnings)]))
    out.append(_resources(f"Resources ({len(diff.changes)} changes)", diff.changes, folded=True))
    return out


def _resources(title: str, changes: Sequence[Change], folded: bool = False) -> Table:
    rows = [
        (f"{c.action}{' ⚠' if c.dangerous else ''}", f"`{c.type}`", f"`{c.name}`", ", ".join(c.keys[:6]) or "-")
        for c in changes
    ]
    return Table(title, ("action", "type", "name", "changed inputs"), rows, folded)


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
