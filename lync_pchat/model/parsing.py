"""Turns the raw ``pchat:topology`` value into a :class:`TopologyConfig`, or problems."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from . import bounds
from .config import TopologyConfig
from .errors import Problem, TopologyError, segment


def parse(raw: object) -> TopologyConfig:
    """Validate the shape of ``raw``; raise :class:`TopologyError` listing every problem.

    ``raw`` is checked against :mod:`.bounds`, then validated as JSON in strict mode, the form the Pulumi
    engine hands the program: ``'80000'`` is not a number and ``'off'`` not a boolean, whoever reads the
    config."""
    if not isinstance(raw, Mapping):
        raise TopologyError([Problem("pchat:topology", f"expected a map of settings, got {_kind(raw)}")])
    beyond = bounds.problems(raw)
    if beyond:
        raise TopologyError(beyond)
    try:
        return TopologyConfig.model_validate_json(bounds.to_json(raw), strict=True)
    except ValidationError as error:
        raise TopologyError(sorted({_problem(e) for e in error.errors()})) from None


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
        return Problem(path, f"unknown key; expected one of: {', '.join(_allowed_keys(loc[:-1]))}")
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
    for types, text in _KINDS:
        if isinstance(value, types):
            return text.format(shown)
    return type(value).__name__
