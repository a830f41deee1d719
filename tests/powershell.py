"""PowerShell as a parser sees it: the tree-sitter grammar, and helpers the script tests share."""

from __future__ import annotations

import base64
import functools
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import tree_sitter
import tree_sitter_powershell

from lync_pchat.scripting.quoting import POWERSHELL_QUOTES


@functools.cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def parse(source: str) -> tree_sitter.Node:
    return _parser().parse(source.encode("utf-8")).root_node


def errors(source: str) -> list[str]:
    """ERROR and MISSING nodes of the parse, with where they are."""
    root = parse(source)
    if not root.has_error:  # tree-sitter counts a MISSING node as an error too (ts_node_has_error)
        return []
    bad = [
        f"{n.type} at {n.start_point}: {source.splitlines()[n.start_point[0]].strip()[:100]}"
        for n in walk(root)
        if n.is_error or n.is_missing
    ]
    return bad or (["the parse tree has an error"] if root.has_error else [])


def walk(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """``node`` and every node below it, in document order (pre-order), by a tree cursor: a recursive walk
    of ``children`` costs a generator frame per level for every node, several times the cursor's time."""
    cursor = node.walk()
    while True:
        yield cursor.node  # type: ignore[misc]  # never None on a cursor made from a node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


def text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8")


def of_type(node: tree_sitter.Node, *types: str) -> list[tree_sitter.Node]:
    return [n for n in walk(node) if n.type in types]


@dataclass(frozen=True)
class Command:
    """A command call: its name, its named parameters (the argument after each, or None for a switch),
    and its positional arguments."""

    node: tree_sitter.Node
    name: str
    parameters: dict[str, tree_sitter.Node | None]
    arguments: tuple[tree_sitter.Node, ...]


def commands(node: tree_sitter.Node, name: str | None = None) -> list[Command]:
    """Every call of ``name`` (case-insensitive; every command when None) under ``node``."""
    found = []
    for call in of_type(node, "command"):
        # ``& name`` wraps the name in a command_name_expr
        heads = [c.children[0] if c.type == "command_name_expr" and c.children else c for c in call.children]
        names = [c for c in heads if c.type == "command_name"]
        if not names or (name is not None and text(names[0]).lower() != name.lower()):
            continue
        elements = [c for e in call.children if e.type == "command_elements" for c in e.children]
        elements = [e for e in elements if e.type != "command_argument_sep"]
        parameters: dict[str, tree_sitter.Node | None] = {}
        arguments: list[tree_sitter.Node] = []
        index = 0
        while index < len(elements):
            element = elements[index]
            if element.type == "command_parameter":
                following = elements[index + 1] if index + 1 < len(elements) else None
                takes = following is not None and following.type != "command_parameter"
                parameters[text(element).lower()] = following if takes else None
                index += 2 if takes else 1
            else:
                arguments.append(element)
                index += 1
        found.append(Command(call, text(names[0]), parameters, tuple(arguments)))
    return found


def literal(node: tree_sitter.Node | None) -> str | None:
    """The value of a single-quoted (verbatim) string literal under ``node``; None for anything else."""
    if node is None:
        return None
    strings = of_type(node, "verbatim_string_characters")
    if len(strings) != 1 or text(node).strip() != text(strings[0]):
        return None
    return unquote(text(strings[0]))


def unquote(token: str) -> str:
    """A verbatim string token's value: the outer quotes gone, each doubled quote character one."""
    body, result, index = token[1:-1], [], 0
    while index < len(body):
        char = body[index]
        if char in POWERSHELL_QUOTES:
            if index + 1 >= len(body) or body[index + 1] not in POWERSHELL_QUOTES:
                raise ValueError(f"a lone quote inside {token!r}")
            index += 1
        result.append(char)
        index += 1
    return "".join(result)


def inside(root: tree_sitter.Node, start: int, end: int, *types: str) -> bool:
    """Whether bytes ``start:end`` lie within one node of ``types`` (e.g. a string literal or a comment)."""
    return any(n.start_byte <= start and end <= n.end_byte for n in of_type(root, *types))


def bootstrap_script(command: str) -> str:
    """The script inside a bootstrap command line: the gzip-packed base64 of its ``-Command`` launcher."""
    stub = command[command.index('"') + 1 : command.rindex('"')]
    packed = re.search(r"FromBase64String\('([^']+)'\)", stub)
    assert packed is not None, "no packed script in the command"
    return gzip.decompress(base64.b64decode(packed.group(1))).decode("utf-8")


def embedded(script: str) -> dict[str, Any]:
    """A script's settings as PowerShell reads them: the one literal that ConvertFrom-Json takes."""
    (call,) = commands(parse(script), "ConvertFrom-Json")
    (argument,) = call.arguments
    value = literal(argument)
    assert value is not None, "the settings are not one single-quoted literal"
    return json.loads(value)  # type: ignore[no-any-return]
