"""Plans with ``software.install``, the scripts rendered from them, and readers of their parse trees.

The settings are read back the way PowerShell reads them (the ``$cfg = @{...}`` literal on the parse tree), and
steps, guards and actions are located on the tree, never by pasting rendered text back.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import tree_sitter

from lync_pchat import install, stackfile
from lync_pchat.model import Plan, ServerPlan, plan_topology

from .. import powershell as ps
from ..model.configs import changed, enterprise, standard

STORAGE = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/media"
    "/providers/Microsoft.Storage/storageAccounts/media01"
)
SOFTWARE = {
    "install": True,
    "mediaUri": "https://media01.blob.core.windows.net/lync/Lync2013/",
    "storageAccountId": STORAGE,
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\svc-lyncsetup",
    "dnsServer": "dc01.corp.contoso.com",
    "updateInstaller": "LyncServerUpdateInstaller.exe",
}
DOMAIN_JOIN = {"user": "CORP\\svc-domainjoin"}
SKYPE_UPDATE = "SkypeServerUpdateInstaller.exe"
"""Skype for Business Server 2015's update installer (skype2015.md 5)."""


def installing(raw: dict[str, Any], **software: Any) -> dict[str, Any]:
    """``raw`` with ``software.install`` on (``software`` overriding keys) and the domain join it needs; a
    skype2015 topology gets that product's update installer."""
    if raw.get("product") == "skype2015":
        software = {"updateInstaller": SKYPE_UPDATE, **software}
    result = changed(raw, software={**SOFTWARE, **software})
    result.setdefault("domainJoin", DOMAIN_JOIN)
    return result


FULL = plan_topology(
    installing(
        changed(
            enterprise(),
            pools__pchat01__compliance={"enabled": True},
            pools__pchat01__highAvailability={"mirroring": True, "witness": True},
            pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        )
    )
)
"""Enterprise: two active and two standby servers, mgc and mgccomp each mirrored with a witness and log-shipped."""
STANDARD = plan_topology(installing(changed(standard(), pools__lyncse01__compliance={"enabled": True})))
"""A Standard Edition server with mgc and mgccomp on its SQL Server Express instance."""
BARE = plan_topology(installing(enterprise(), dnsServer=None, updateInstaller=None))
"""Enterprise, one dedicated store, no DNS server and no cumulative update."""
SKYPE = plan_topology(
    installing(
        changed(
            enterprise(),
            product="skype2015",
            pools__pchat01__highAvailability={"mirroring": True, "witness": True},
            pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        )
    )
)
"""Skype for Business Server 2015 on Windows Server 2019 (its default image), mirrored and log-shipped."""


def shipped() -> list[Plan]:
    """Every shipped stack, with ``software.install`` on."""
    plans = []
    for stack in stackfile.stack_names():
        raw = stackfile.topology(stackfile.load_config(stackfile.stack_path(stack)))
        assert isinstance(raw, dict)
        plans.append(plan_topology(installing(raw)))
    return plans


PLANS = [FULL, STANDARD, BARE, SKYPE, *shipped()]


def lync_servers(plan: Plan) -> list[ServerPlan]:
    """The servers phase A and C run on: every Persistent Chat and Standard Edition server."""
    return [s for pool in plan.pools for s in pool.pool_servers]


@functools.cache
def server_tree(script: str) -> tree_sitter.Node:
    return ps.parse(script)


def every_script() -> Iterator[tuple[str, str]]:
    """(id, script) of every phase of every plan, and of the grants before a cumulative update's database step."""
    for index, plan in enumerate(PLANS):
        for pool in plan.pools:
            yield f"{index}-{pool.key}-B", install.database_script(pool, plan)
            for server in lync_servers(plan):
                if server.pool == pool.key:
                    yield f"{index}-{server.key}-A", install.server_script(server, plan)
                    if plan.software is not None and plan.software.update_installer is not None:
                        yield f"{index}-{server.key}-U", install.update_script(server, plan)
                    yield f"{index}-{server.key}-C", install.start_script(server, plan)
            for server in install.regrant_servers(pool, plan):
                yield f"{index}-{server.key}-G", grant_script(server, plan)


# --------------------------------------------------------------------------------------------------------
# The settings, as PowerShell reads the $cfg literal
# --------------------------------------------------------------------------------------------------------
_VALUE_TYPES = ("hash_literal_expression", "array_expression", "string_literal", "variable", "integer_literal")


def _first(node: tree_sitter.Node, *types: str) -> tree_sitter.Node:
    found = next((n for n in ps.walk(node) if n.type in types), None)
    assert found is not None, f"no {types} under {ps.text(node)[:80]!r}"
    return found


def value(node: tree_sitter.Node) -> Any:
    """The value of a literal expression: a verbatim string, ``$true``/``$false``/``$null``, an integer, an
    array or a hashtable of them; AssertionError for anything PowerShell would compute."""
    node = _first(node, *_VALUE_TYPES)
    if node.type == "string_literal":
        text = ps.literal(node)
        assert text is not None, f"{ps.text(node)!r} is not a single-quoted literal"
        return text
    if node.type == "variable":
        constants = {"$true": True, "$false": False, "$null": None}
        assert ps.text(node).lower() in constants, f"{ps.text(node)} is not a constant"
        return constants[ps.text(node).lower()]
    if node.type == "integer_literal":
        return int(ps.text(node))
    if node.type == "array_expression":
        return _array(node)
    return _hashtable(node)


def _array(node: tree_sitter.Node) -> list[Any]:
    items: list[Any] = []
    body = [c for c in node.children if c.type == "statement_list"]
    for statement in [c for s in body for c in s.children if c.type == "pipeline"]:
        elements = _first(statement, "array_literal_expression")
        items += [value(c) for c in elements.children if c.type == "unary_expression"]
    return items


def _hashtable(node: tree_sitter.Node) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for body in [c for c in node.children if c.type == "hash_literal_body"]:
        for entry in [c for c in body.children if c.type == "hash_entry"]:
            key = ps.text(_first(entry, "key_expression"))
            (item,) = [c for c in entry.children if c.type == "pipeline"]
            result[key] = value(item)
    return result


def settings(script: str) -> dict[str, Any]:
    """The one ``$cfg = @{...}`` of a script, as PowerShell reads it."""
    root = server_tree(script)
    found = [
        n
        for n in ps.of_type(root, "assignment_expression")
        if ps.text(n).startswith("$cfg =") and n.parent is not None and n.parent.type == "pipeline"
    ]
    assert len(found) == 1, "the settings are assigned once"
    (assignment,) = found
    (right,) = [c for c in assignment.children if c.type == "pipeline"]
    result = value(right)
    assert isinstance(result, dict)
    return result


# --------------------------------------------------------------------------------------------------------
# Steps, guards and actions on the parse tree
# --------------------------------------------------------------------------------------------------------
def main_block(script: str) -> tree_sitter.Node:
    """The top-level ``try`` that runs the steps."""
    root = server_tree(script)
    (body,) = [c for c in root.children if c.type == "statement_list"]
    (attempt,) = [c for c in body.children if c.type == "try_statement"]
    return attempt


def steps(script: str) -> list[tuple[str, tree_sitter.Node]]:
    """(name, script block) of each ``Invoke-Step`` of the main block, in the order they run."""
    found = []
    for call in ps.commands(main_block(script), "Invoke-Step"):
        name, block = call.arguments
        found.append((ps.literal(name) or ps.text(name).strip('"'), block))
    return found


def step(script: str, name: str) -> tree_sitter.Node:
    (block,) = [b for n, b in steps(script) if n.startswith(name)]
    return block


def function(script: str, name: str) -> tree_sitter.Node:
    """The body of ``function <name>``."""
    root = server_tree(script)
    (found,) = [n for n in ps.of_type(root, "function_statement") if any(ps.text(c) == name for c in n.children)]
    return found


def ancestors(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def guard_of(action: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node]:
    """(condition, its branch) guarding ``action``: the innermost if/else holding the action in its ``else``;
    the condition is the last ``if``/``elseif`` condition before that ``else``."""
    for node in ancestors(action):
        if node.type != "if_statement":
            continue
        (otherwise,) = [c for c in node.children if c.type == "else_clause"] or [None]
        if otherwise is None or not (otherwise.start_byte <= action.start_byte < otherwise.end_byte):
            continue
        branches = [node] + [c for n in node.children if n.type == "elseif_clauses" for c in n.children]
        last = branches[-1]
        condition = next(c for c in last.children if c.type == "pipeline")
        block = next(c for c in last.children if c.type == "statement_block")
        return condition, block
    raise AssertionError(f"{ps.text(action)[:80]!r} runs unguarded (in no else branch)")


def assert_guarded(action: tree_sitter.Node, guard: str) -> None:
    """``action`` runs only in the ``else`` of a condition that calls ``guard``, whose own branch says it skips."""
    condition, block = guard_of(action)
    assert ps.commands(condition, guard), f"the condition {ps.text(condition)!r} does not call {guard}"
    assert condition.end_byte < action.start_byte
    assert ps.commands(block, "Write-Skip"), f"the branch of {ps.text(condition)!r} does not say it skips"


def first_position(node: tree_sitter.Node, needle: str) -> int:
    """Byte offset of the first command that holds ``needle`` (its name or an argument) under ``node``."""
    hits = [c.node.start_byte for c in ps.commands(node) if needle in ps.text(c.node)]
    assert hits, f"{needle!r} is not called"
    return min(hits)


def code(script: str) -> str:
    """The script with its comments blanked out (on the parse tree)."""
    data = bytearray(script.encode("utf-8"))
    for comment in ps.of_type(server_tree(script), "comment"):
        data[comment.start_byte : comment.end_byte] = b" " * (comment.end_byte - comment.start_byte)
    return data.decode("utf-8")


def literal_nodes(script: str) -> list[tree_sitter.Node]:
    return ps.of_type(server_tree(script), "verbatim_string_characters")


def grant_script(server: ServerPlan, plan: Plan) -> str:
    """The ``pchat-cu-grant`` script of ``server``, with the runbooks its pool's database step carries."""
    from components.lync_install import runbook_scripts

    return install.regrant_script(server, plan, runbook_scripts(plan, plan.pool(server.pool)))
