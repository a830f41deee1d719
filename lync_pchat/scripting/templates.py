"""The placeholder engine of every template: ``{{ name }}`` placeholders, strictly filled.

A placeholder alone on its line is a block: each line of the value gets the placeholder's
indentation, and an empty value removes the line. Any other placeholder is replaced inline.
Values are inserted verbatim (never rescanned). Missing and unused values are errors, so a
template and its renderer cannot drift apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from types import MappingProxyType
from typing import TypeVar

from ..model import Plan, products

T = TypeVar("T")
_PRODUCT: ContextVar[Mapping[str, str]] = ContextVar("product", default=MappingProxyType({}))
"""The product's values (``shell``) of the plan being rendered, for every template that names them."""


def for_product(render: Callable[[Plan], T]) -> Callable[[Plan], T]:
    """A runbook renderer whose templates may name ``{{ shell }}``: the plan's product fills it."""

    @functools.wraps(render)
    def wrapper(plan: Plan) -> T:
        token = _PRODUCT.set({"shell": products.facts(plan.product).shell})
        try:
            return render(plan)
        finally:
            _PRODUCT.reset(token)

    return wrapper


_PLACEHOLDER = re.compile(
    r"^(?P<indent>[ \t]*)\{\{\s*(?P<block>\w+)\s*\}\}[ \t]*\n|\{\{\s*(?P<inline>\w+)\s*\}\}",
    re.MULTILINE,
)


def product_values(text: str) -> dict[str, str]:
    """The product's values (see :func:`for_product`) that ``text`` names."""
    return {key: value for key, value in _PRODUCT.get().items() if re.search(r"\{\{\s*" + key + r"\s*\}\}", text)}


def substitute(text: str, values: Mapping[str, str], name: str = "<text>") -> str:
    """``text`` with every placeholder replaced; ``KeyError`` for a missing or an unused value."""
    used: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        key = match.group("block") or match.group("inline")
        if key not in values:
            raise KeyError(f"template {name}: no value for {{{{ {key} }}}}")
        used.add(key)
        if match.group("inline"):
            return values[key]
        indent = match.group("indent")
        return "".join(f"{indent}{line}\n" if line else "\n" for line in values[key].splitlines())

    result = _PLACEHOLDER.sub(replace, text)
    unused = sorted(set(values) - used)
    if unused:
        raise KeyError(f"template {name}: unused values {unused}")
    return result
