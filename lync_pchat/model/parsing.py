"""Turns the raw ``pchat:topology`` value into a :class:`TopologyConfig`, or problems."""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from . import bounds
from .config import TopologyConfig
from .errors import Problem, TopologyError, segment
from .text import did_you_mean


def parse(raw: object) -> TopologyConfig:
    """Validate the shape of ``raw``; raise :class:`TopologyError` listing every problem.

    ``raw`` is checked against :mod:`.bounds`, then validated as JSON in strict mode, the form the Pulumi
    engine hands the program: ``'80000'`` is not a number and ``'off'`` not a boolean, whoever reads the
    config."""
    cfg, problems = parse_partly(raw)
    if problems or cfg is None:
        raise TopologyError(problems)
    return cfg


def parse_partly(raw: object) -> tuple[TopologyConfig | None, list[Problem]]:
    """The shape problems of ``raw`` and, where it can be had, the config without the values they name.

    Each misshapen value (an unknown key, a value of the wrong type) is left out, so that its default applies,
    and ``raw`` validated again: when that passes, the config is returned beside the problems, for the rules
    to check the rest in the same report. A missing required key or a malformed map leaves no config."""
    if not isinstance(raw, Mapping):
        return None, [Problem("pchat:topology", f"expected a map of settings, got {_kind(raw)}")]
    beyond = bounds.problems(raw)
    if beyond:
        return None, list(beyond)
    errors = _errors(raw)
    if not errors:
        return TopologyConfig.model_validate_json(bounds.to_json(raw), strict=True), []
    problems = sorted({_problem(e) for e in errors})
    repaired = _without(raw, [tuple(e["loc"]) for e in errors])
    if repaired is None or _errors(repaired):
        return None, problems
    return TopologyConfig.model_validate_json(bounds.to_json(repaired), strict=True), problems


def _errors(raw: Mapping[str, Any]) -> list[Any]:
    try:
        TopologyConfig.model_validate_json(bounds.to_json(raw), strict=True)
    except ValidationError as error:
        return list(error.errors())
    return []


def _without(raw: Mapping[str, Any], locs: list[tuple[Any, ...]]) -> dict[str, Any] | None:
    """A copy of ``raw`` without each value ``locs`` name (a list goes whole, so that no index moves); None when
    one cannot be left out: a required key, a member of a map (which rules look up by key)."""
    copied: dict[str, Any] = copy.deepcopy(dict(raw))
    for loc in locs:
        removable = _removable(loc)
        parent: Any = copied
        for part in removable[:-1] if removable else ():
            parent = parent.get(part) if isinstance(parent, Mapping) else None
        if removable is None or not isinstance(parent, dict):
            return None
        parent.pop(removable[-1], None)
    return copied


def _removable(loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The part of ``loc`` to leave out so that its default applies: an unknown key, an optional field, the whole
    list holding a bad item; None when that is not possible."""
    model: type[BaseModel] = TopologyConfig
    index = 0
    while index < len(loc):
        field = next((f for n, f in model.model_fields.items() if loc[index] in (f.alias, n)), None)
        if field is None:
            return loc[: index + 1] if index == len(loc) - 1 else None
        if index == len(loc) - 1 or _origin(field.annotation) in (tuple, list):
            return None if field.is_required() else loc[: index + 1]
        inner = _model_of(field.annotation)
        if inner is None:
            return None
        if _origin(field.annotation) is dict:
            index += 1
            if index == len(loc) - 1:
                return None
        model, index = inner, index + 1
    return None


def _origin(annotation: Any) -> Any:
    """The container of a field's type (``dict``, ``tuple``), through ``X | None``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (types.UnionType, typing.Union) and len(args) == 1:
        return _origin(args[0])
    return typing.get_origin(annotation)


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "dict_type": "a map",
    "model_type": "a map",
    "tuple_type": "a list",
    "list_type": "a list",
}
_FIXED = {
    "missing": "required key is missing",
    "too_short": "define at least one entry",
    "string_pattern_mismatch": "names are lowercase letters, digits and hyphens, starting with a letter",
}


def _problem(error: Any) -> Problem:
    loc = tuple(error["loc"])
    path = ".".join(segment(part) for part in loc) or "pchat:topology"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed, after=" ")
        return Problem(path, f"unknown key; {hint}expected one of: {', '.join(allowed)}")
    if kind in _FIXED:
        return Problem(path, _FIXED[kind])
    if kind in _EXPECTED:
        return Problem(path, f"expected {_EXPECTED[kind]}, got {_kind(error.get('input'))}")
    return Problem(path, str(error["msg"]))


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The camelCase keys of the model found at ``loc`` (map keys are skipped)."""
    model: type[BaseModel] = TopologyConfig
    for part in loc:
        field = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            continue
        inner = _model_of(field.annotation)
        if inner is None:
            break
        model = inner
    return sorted(f.alias or name for name, f in model.model_fields.items())


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "the boolean {}"),
    (str, "the string {!r}"),
    ((int, float), "the number {}"),
    (Mapping, "a map"),
    ((list, tuple), "a list"),
)


def _kind(value: object) -> str:
    """How an admin would name a YAML value."""
    if value is None:
        return "nothing (null)"
    shown = value[:40] if isinstance(value, str) else value
    for kinds, text in _KINDS:
        if isinstance(value, kinds):
            return text.format(shown)
    return type(value).__name__
