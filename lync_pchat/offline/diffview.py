"""``pchat diff`` for people: the same summary as Markdown (the PR comment) and as terminal text.

Per stack: a warning about stateful losses first, then what reads like the topology (servers, users
per pool, NSG rules, new model warnings), then every resource that changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..report import link_sources, table
from .diff import Change, StackDiff
from .gate import LOSSES, NO_GATES, POSTURE, Gates
from .summary import ALERT

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
WEAKENED = (
    "soft delete, versioning, immutability, public or shared-key access, TLS, purge protection, RBAC or NSG sources."
)
COMMENT_LIMIT = 65_536
"""GitHub refuses a comment body longer than this: "Body is too long (maximum is 65536 characters)"
(https://docs.github.com/rest/issues/comments#create-an-issue-comment)."""
COMMENT_BUDGET = COMMENT_LIMIT - 1_536
"""What the bounded Markdown may take: the sticky-comment action adds its own marker line."""
FULL_DIFF = "the `plan-diff-full` artefact of this workflow run (`plan-diff-full.md`)"


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    folded: bool = False
    """Markdown: collapsed under its title (long resource lists)."""
    keep: bool = False
    """Kept when the PR comment is cut to fit: the changes the gates judge."""


Block = str | Table
"""A paragraph (Markdown emphasis and code spans, ``#`` headings, ``>`` warnings) or a table."""


def markdown(
    diffs: Sequence[StackDiff],
    ref: str,
    sdk: Sequence[str] = (),
    *,
    gates: Gates = NO_GATES,
    stale: Sequence[str] = (),
    limit: int | None = None,
) -> str:
    """The whole diff; with ``limit``, at most that many characters: every paragraph and the tables of
    refused, stateful and posture changes, then the other tables in order while they fit, each one left out
    named with a pointer to :data:`FULL_DIFF`."""
    parts = [
        (_markdown(block), isinstance(block, str) or block.keep, block)
        for block in blocks(diffs, ref, sdk, gates=gates, stale=stale)
    ]
    whole = "\n\n".join(text for text, _, _ in parts) + "\n"
    return whole if limit is None or len(whole) <= limit else _fit(parts, limit)


def _fit(parts: Sequence[tuple[str, bool, Block]], limit: int) -> str:
    """The kept parts, and the other tables in order while they fit: from the first that does not, each is
    the line naming it (the rest is truncated, not picked over)."""
    pointer = f"**The diff was cut to fit a PR comment**: the whole diff is {FULL_DIFF}."
    short = [text if keep or isinstance(block, str) else _omitted(block) for text, keep, block in parts]
    room = limit - len(pointer) - 4 - sum(len(text) + 2 for text in short)
    out, truncated = [], False
    for (text, keep, _), brief in zip(parts, short, strict=True):
        grows = len(text) - len(brief)
        truncated = truncated or (not keep and grows > room)
        room -= 0 if keep or truncated else grows
        out.append(brief if truncated else text)
    cut = "\n\n".join([out[0], pointer, *out[1:]])
    if len(cut) + 1 > limit:  # the kept parts alone are too long: cut at a line
        cut = cut[: limit - len(pointer) - 3].rsplit("\n", 1)[0] + "\n\n" + pointer
    return cut + "\n"


def _omitted(block: Table) -> str:
    return f"_{block.title}: {len(block.rows)} row(s) in the full diff_"


def text(
    diffs: Sequence[StackDiff], ref: str, sdk: Sequence[str] = (), *, gates: Gates = NO_GATES, stale: Sequence[str] = ()
) -> str:
    return "\n\n".join(_text(block) for block in blocks(diffs, ref, sdk, gates=gates, stale=stale)) + "\n"


def blocks(
    diffs: Sequence[StackDiff], ref: str, sdk: Sequence[str] = (), *, gates: Gates = NO_GATES, stale: Sequence[str] = ()
) -> list[Block]:
    """``sdk``: the declared or locked SDK versions the change moves (:mod:`.sdk`); ``gates``: the gates that
    fail the diff (their findings read **Error**, the others **Warning**); ``stale``: entries of
    ``accepted-changes.yaml`` that match no change."""
    out: list[Block] = [f"## Persistent Chat plan diff against `{ref}`"]
    refused = [d for d in diffs if d.refused]
    if refused:
        count = sum(len(d.refused) for d in refused)
        where = ", ".join(f"`{d.stack}`" for d in refused)
        out.append(f"> **Error: Azure refuses {count} change(s) to existing resources** in {where}: {REFUSAL}")
    losses = {d.stack: n for d in diffs if (n := sum(c.blocks(LOSSES) for c in d.changes))}
    if losses:
        label = "Error" if gates.stateful else "Warning"
        where = ", ".join(f"`{s}`" for s in losses)
        out.append(
            f"> **{label}: {sum(losses.values())} stateful resource(s) would be deleted, replaced or unprotected** "
            f"in {where}: {LOSS}"
        )
    weakened = {d.stack: n for d in diffs if (n := sum(c.blocks(POSTURE) for c in d.changes))}
    if weakened:
        label = "Error" if gates.kinds >= POSTURE else "Warning"
        where = ", ".join(f"`{s}`" for s in weakened)
        out.append(f"> **{label}: {sum(weakened.values())} change(s) weaken security settings** in {where}: {WEAKENED}")
    accepted = [(d.stack, c) for d in diffs for c in d.changes if c.accepted]
    if accepted:
        rows = [(f"`{s}`", f"`{c.name}`", ", ".join(sorted(c.accepted)), c.acceptance) for s, c in accepted]
        out.append(
            Table(
                "✔ Accepted on purpose (accepted-changes.yaml)",
                ("stack", "resource", "change", "reason"),
                rows,
                keep=True,
            )
        )
    if stale:
        out.append("\n".join(["> **Warning: stale entries in accepted-changes.yaml**", *(f"> - {s}" for s in stale)]))
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
        out.append(Table("✖ Changes Azure refuses", ("resource", "change", "why"), rows, keep=True))
    if diff.dangerous:
        out.append(_resources("⚠ Stateful resources deleted, replaced or unprotected", diff.dangerous, keep=True))
    if diff.weakened:
        weak = [(_action(c), f"`{c.type}`", f"`{c.name}`", "; ".join(c.posture)) for c in diff.weakened]
        out.append(Table("🔓 Security settings weakened", ("action", "type", "name", "why"), weak, keep=True))
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
            (
                "Alert rules",
                ("change", "alert", "enabled", "severity", "every / window", "condition", "query"),
                topology.alerts,
            ),
            ("Network flows", ("change", "from", "to", "port", "why", "action"), topology.flows),
        )
        if rows
    ]
    if topology.warnings:
        out.append("\n".join(["New model warnings:", *(f"- {w}" for w in topology.warnings)]))
    out.append(_resources(f"Resources ({len(diff.changes)} changes)", diff.changes, folded=True))
    return out


def _resources(title: str, changes: Sequence[Change], folded: bool = False, keep: bool = False) -> Table:
    rows = [(_action(c), f"`{c.type}`", f"`{c.name}`", _inputs(c)) for c in changes]
    return Table(title, ("action", "type", "name", "changed inputs"), rows, folded, keep)


def _action(change: Change) -> str:
    """The action, ``⚠`` for a stateful loss, ``🔓`` for a weakened setting, ``✔ accepted`` when listed."""
    marks = [
        " ⚠" if change.dangerous else "",
        " 🔓" if change.posture else "",
        " ✔ accepted" if change.accepted else "",
    ]
    return change.action + "".join(marks)


def _inputs(change: Change) -> str:
    """The first changed inputs as ``key: before → after``, then what protection the change takes away; an
    alert rule's inputs by name only (the Alert rules table reads them)."""
    alert = change.type == ALERT
    shown = [str(v) for v in change.values[:6]] if not alert else []
    shown = shown or list(change.keys[:6])
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
