"""Plans of the shipped stacks, rendered runbooks, and the checks the runbook tests share."""

from __future__ import annotations

import functools
import re
from typing import Any

import tree_sitter
import tree_sitter_powershell

from lync_pchat import stackfile
from lync_pchat.model import Plan, plan_topology
from lync_pchat.runbooks import RUNBOOKS, RunbookNotApplicable, render

STRETCHED_ONLY = ("log-shipping", "failover", "failback")
STACKS = stackfile.stack_names()


@functools.cache
def plan(stack: str) -> Plan:
    return plan_topology(stackfile.topology(stackfile.load_config(stackfile.stack_path(stack))))


def plan_of(raw: dict[str, Any]) -> Plan:
    return plan_topology(raw)


@functools.cache
def files(stack: str, runbook: str) -> dict[str, str]:
    return render(plan(stack), runbook)


def applicable(stack: str) -> list[str]:
    names = []
    for name in RUNBOOKS:
        try:
            files(stack, name)
        except RunbookNotApplicable:
            continue
        names.append(name)
    return names


def every_file() -> list[tuple[str, str, str]]:
    """(stack, runbook, file name) of every file every applicable runbook renders."""
    return [(stack, name, file) for stack in STACKS for name in applicable(stack) for file in files(stack, name)]


_BLOCK_COMMENT = re.compile(r"<#.*?#>", re.DOTALL)


def code(text: str) -> str:
    """The text without comments: ``<# #>`` blocks and ``#`` / ``--`` comment lines."""
    lines = _BLOCK_COMMENT.sub("", text).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith(("#", "--")))


def assert_order(text: str, *needles: str) -> None:
    """Each needle occurs in the code (not only in comments), each after the one before."""
    body = code(text)
    positions = []
    for needle in needles:
        assert needle in body, f"{needle!r} is not in the code"
        positions.append(body.index(needle))
    assert positions == sorted(positions), list(zip(needles, positions, strict=True))


def code_lines(text: str) -> list[str]:
    return [line.strip() for line in code(text).splitlines() if line.strip()]


@functools.cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def powershell_errors(source: str) -> list[str]:
    """ERROR and MISSING nodes of the tree-sitter PowerShell parse, with where they are."""
    tree = _parser().parse(source.encode("utf-8"))
    bad, pending = [], [tree.root_node]
    while pending:
        node = pending.pop()
        if node.is_error or node.is_missing:
            line = source.splitlines()[node.start_point[0]] if source else ""
            bad.append(f"{node.type} at {node.start_point}: {line.strip()[:100]}")
        pending.extend(node.children)
    if tree.root_node.has_error and not bad:
        bad.append("the parse tree has an error")
    return bad
