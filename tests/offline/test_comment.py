"""The PR comment fits GitHub's limit: "Body is too long (maximum is 65536 characters)"
(https://docs.github.com/rest/issues/comments#create-an-issue-comment). Issue 25 saw 72-78 KB for two new
stacks; the comment keeps every paragraph and the tables the gates judge, and points to the full diff."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.offline.diff import StackDiff, diff_stack
from lync_pchat.offline.diffview import COMMENT_BUDGET, FULL_DIFF, markdown
from lync_pchat.offline.gate import Gates
from lync_pchat.offline.render import plan_json
from lync_pchat.offline.synthesis import synthesize_stack

GITHUB_COMMENT_LIMIT = 65_536
TIGHT = 12_000
"""A limit that only the paragraphs and the gated tables fit in."""


@pytest.fixture(scope="module")
def plans() -> Iterator[dict[str, dict[str, Any]]]:
    """Copies of two shipped stacks under new names, planned as such."""
    yield {
        name: plan_json(synthesize_stack(name, stackfile.read(shipped)))
        for name, shipped in (("east", "enterprise"), ("west", "modern"))
    }


def broken(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with a data disk shrunk (Azure refuses it), another deleted (a stateful loss) and the vault
    opened to public networks (a posture change)."""
    after = copy.deepcopy(plan)
    disks = [r for r in after["resources"] if r["type"] == "azure-native:compute:Disk"]
    disks[0]["inputs"]["diskSizeGB"] = 1
    after["resources"].remove(disks[1])
    vault = next(r for r in after["resources"] if r["type"] == "azure-native:keyvault:Vault")
    vault["inputs"]["properties"]["publicNetworkAccess"] = "Enabled"
    return after


def crowded(plans: dict[str, dict[str, Any]]) -> list[StackDiff]:
    """Four new stacks, then a broken one: last, so a careless cut would drop its errors first."""
    diffs = [diff_stack(name, None, plan) for name, plan in plans.items()]
    diffs += [diff_stack(f"{name}-copy", None, plan) for name, plan in plans.items()]
    return [*diffs, diff_stack("zz-east", plans["east"], broken(plans["east"]))]


def test_several_new_stacks_fit_in_one_comment_with_their_errors(plans: dict[str, dict[str, Any]]) -> None:
    diffs = crowded(plans)
    gates = Gates(stateful=True)
    whole = markdown(diffs, "origin/main", gates=gates)
    assert len(whole) > GITHUB_COMMENT_LIMIT  # else this test proves nothing
    comment = markdown(diffs, "origin/main", gates=gates, limit=COMMENT_BUDGET)
    assert len(comment) <= COMMENT_BUDGET < GITHUB_COMMENT_LIMIT
    lines = comment.splitlines()
    assert lines[2] == f"**The diff was cut to fit a PR comment**: the whole diff is {FULL_DIFF}."
    for banner in ("Error: Azure refuses 1 change(s)", "Error: 1 stateful resource(s)", "Error: 1 change(s) weaken"):
        assert any(line.startswith(f"> **{banner}") for line in lines), banner
    for title in ("✖ Changes Azure refuses", "⚠ Stateful resources deleted, replaced or unprotected"):
        assert f"**{title}**" in lines
    assert "**🔓 Security settings weakened**" in lines
    assert any(line.startswith("| `") and "diskSizeGB: " in line and " → 1 |" in line for line in lines)
    assert any(line.startswith("| delete ⚠ | `azure-native:compute:Disk` |") for line in lines)
    assert any("public network access enabled" in line for line in lines)
    for diff in diffs:  # every stack keeps its heading and its tally
        assert any(line.startswith(f"### Stack `{diff.stack}`") for line in lines)
    assert any(line.startswith("_Resources (") and line.endswith("row(s) in the full diff_") for line in lines)
    assert markdown(diffs[:1], "origin/main", limit=COMMENT_BUDGET) == markdown(diffs[:1], "origin/main")
    tight = markdown(diffs, "origin/main", gates=gates, limit=TIGHT).splitlines()
    assert len("\n".join(tight)) < TIGHT
    for title in ("✖ Changes Azure refuses", "⚠ Stateful resources deleted, replaced or unprotected"):
        assert f"**{title}**" in tight  # kept although the other tables are left out
    assert "**🔓 Security settings weakened**" in tight
    assert sum(line.startswith("_Resources (") for line in tight) >= 2 * len(plans)  # every new stack's


KEPT = (
    "✖ Changes Azure refuses",
    "⚠ Stateful resources deleted, replaced or unprotected",
    "🔓 Security settings weakened",
    "✔ Accepted on purpose (accepted-changes.yaml)",
)
"""The tables the gates judge: kept whole however long the diff (diffview.markdown)."""


def test_the_cut_comment_truncates_from_the_first_table_left_out(plans: dict[str, dict[str, Any]]) -> None:
    """From the first table that does not fit, every table but the gated ones is only named: the comment is
    the diff truncated in order, not a selection of whatever smaller tables still fit further on."""
    diffs = crowded(plans)
    lines = markdown(diffs, "origin/main", gates=Gates(stateful=True), limit=COMMENT_BUDGET).splitlines()
    first = next(n for n, line in enumerate(lines) if line.endswith("row(s) in the full diff_"))
    titles = [
        line.removeprefix("<details><summary>").removesuffix("</summary>").strip("*")
        for line in lines[first:]
        if line.startswith("<details><summary>") or (line.startswith("**") and line.endswith("**"))
    ]
    assert titles and set(titles) <= set(KEPT), titles
