"""A YAML loader for stack files that reads them as the Pulumi CLI does, and refuses what would mislead.

The Pulumi CLI reads stack files with Go's yaml.v3 and hands the program each value as JSON: there, only
``true``/``false`` are booleans (``off`` and ``yes`` stay strings), ``1:30`` is no sexagesimal number and
``2027-06-30`` no date. PyYAML's safe loader follows YAML 1.1 instead, so this loader resolves plain
scalars by YAML 1.2's core schema, and turns into a string what that schema reads otherwise (``0x1F``,
``010``, ``1_000``): the model then refuses a string where it wants a number, with the value in the
message. It also refuses, each with its line and column: a key given twice in one map (PyYAML keeps
the last silently), nesting deeper than :data:`MAX_DEPTH`, aliases that expand past :data:`MAX_NODES`
values (a "billion laughs" in a key nobody reads still hangs whatever serializes the config) or into
themselves, and integers longer than :data:`MAX_DIGITS` digits.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE = 1024 * 1024
"""Characters in a stack file; the largest shipped one is under 8 KB."""
MAX_DEPTH = 32
"""Maps and lists inside each other, in the whole file (the topology itself is bounded tighter by the model)."""
MAX_NODES = 100_000
"""Values in the file once every alias is expanded."""
MAX_DIGITS = 20
"""Digits of an integer: more than any 64-bit number, far fewer than the 4,300 Python refuses to convert."""

_MERGE = "tag:yaml.org,2002:merge"
_CORE = (
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"[-+]?(?:0|[1-9][0-9]*)", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+0123456789.",
    ),
    (_MERGE, r"<<", "<"),
)
"""YAML 1.2's core schema (https://yaml.org/spec/1.2.2/#103-core-schema), integers in decimal only, and merge
keys, which yaml.v3 reads too."""


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema and the refusals of this module."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise ComposerError(None, None, f"maps and lists nest more than {MAX_DEPTH} deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Node | None:
        node = super().get_single_node()
        if node is not None:
            _expanded(node, {}, set())
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:
                continue  # an unhashable key: the base constructor refuses it with its own message
            if first is not key_node:
                raise ConstructorError(
                    None,
                    None,
                    f"the key {str(key)[:80]!r} is given twice in this map (first on line {first.start_mark.line + 1});"
                    " keep one",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        digits = len(text.lstrip("+-"))
        if digits > MAX_DIGITS:
            raise ConstructorError(
                None, None, f"a number of {digits:,} digits; no setting has more than {MAX_DIGITS}", node.start_mark
            )
        return int(text)


Loader.yaml_implicit_resolvers = {}  # only the core schema's, added below
for _tag, _pattern, _first in _CORE:
    Loader.add_implicit_resolver(_tag, re.compile(rf"^(?:{_pattern})$"), list(_first))
Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)


def _expanded(node: Node, counted: dict[int, int], open_: set[int]) -> int:
    """How many values ``node`` stands for once aliases are expanded; refuses too many, or a cycle."""
    key = id(node)
    if key in counted:
        return counted[key]
    if key in open_:
        raise ComposerError(None, None, "an alias refers to the map or list that holds it", node.start_mark)
    open_.add(key)
    total = 1
    if isinstance(node, SequenceNode):
        total += sum(_expanded(item, counted, open_) for item in node.value)
    elif isinstance(node, MappingNode):
        total += sum(_expanded(k, counted, open_) + _expanded(v, counted, open_) for k, v in node.value)
    open_.discard(key)
    if total > MAX_NODES:
        raise ComposerError(
            None, None, f"aliases expand to more than {MAX_NODES:,} values (an alias bomb?)", node.start_mark
        )
    counted[key] = total
    return total


def load(text: str) -> Any:
    """The one YAML document of ``text``; raises ``yaml.YAMLError`` (marked with line and column)."""
    return yaml.load(text, Loader=Loader)  # Loader is a SafeLoader
