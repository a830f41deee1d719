"""One contract: the ``pchat:topology`` model (``pchat schema``), the component's TypedDicts and the package
schema (provider/schema.json) name the same keys, both ways, with the same optionality (issue 26)."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from components.persistent_chat import TYPE
from components.persistent_chat_args import SECRET_ARGS, PersistentChatArgs
from components.preparation import SECRETS
from lync_pchat.model.config import TopologyConfig
from lync_pchat.model.schema import json_schema

ROOT = Path(__file__).resolve().parents[1]
PROVIDER = json.loads((ROOT / "provider" / "schema.json").read_text())
TOPOLOGY = json_schema()

Difference = tuple[str, list[str], list[str]]
"""(path, keys only on the left, keys only on the right)."""


def _topology_object(node: dict[str, Any]) -> dict[str, Any] | None:
    """The properties of the object a ``pchat schema`` node holds: itself, behind a ``$ref``, an ``anyOf`` (an
    optional value), or the members of a map (``patternProperties``, ``additionalProperties``) or list."""
    if "$ref" in node:
        return _topology_object(TOPOLOGY["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    if "properties" in node:
        properties: dict[str, Any] = node["properties"]
        return properties
    members = [*node.get("anyOf", []), *node.get("patternProperties", {}).values()]
    members += [node[k] for k in ("additionalProperties", "items") if isinstance(node.get(k), dict)]
    return next((found for member in members if (found := _topology_object(member)) is not None), None)


def _provider_object(node: dict[str, Any]) -> dict[str, Any] | None:
    """The properties of the object a package schema node holds: a ``#/types/`` ref, a map's or a list's member."""
    if node.get("$ref", "").startswith("#/types/"):
        properties: dict[str, Any] | None = PROVIDER["types"][node["$ref"].removeprefix("#/types/")].get("properties")
        return properties
    members = [node[k] for k in ("additionalProperties", "items") if isinstance(node.get(k), dict)]
    return next((found for member in members if (found := _provider_object(member)) is not None), None)


def schema_differences(topology: dict[str, Any], provider: dict[str, Any], path: str = "") -> list[Difference]:
    found: list[Difference] = []
    if set(topology) != set(provider):
        found.append((path, sorted(set(topology) - set(provider)), sorted(set(provider) - set(topology))))
    for key in sorted(set(topology) & set(provider)):
        inner = _topology_object(topology[key]), _provider_object(provider[key])
        if (inner[0] is None) != (inner[1] is None):
            found.append(
                (f"{path}{key}", ["an object"] * (inner[0] is not None), ["an object"] * (inner[1] is not None))
            )
        elif inner[0] is not None and inner[1] is not None:
            found += schema_differences(inner[0], inner[1], f"{path}{key}.")
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The config model an annotation holds: X, X | None, dict[K, X], tuple[X, ...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for arg in typing.get_args(annotation) if (m := _model_in(arg)) is not None), None)


def _typed_dict_in(annotation: Any) -> Any:
    """The TypedDict an annotation holds: X, NotRequired[X], dict[str, X], list[X]."""
    if typing.is_typeddict(annotation):
        return annotation
    return next((t for arg in typing.get_args(annotation) if (t := _typed_dict_in(arg)) is not None), None)


def typed_differences(model: type[BaseModel], typed: Any, path: str = "") -> list[Difference]:
    """Keys whose presence or optionality differ: a model field is optional when it has a default, a TypedDict
    key when it is ``NotRequired``. The TypedDicts' annotations are read as written (``pulumi.Input`` holds a
    forward reference), which is all the key names and ``NotRequired`` need."""
    annotations: dict[str, Any] = {k: v for k, v in typed.__annotations__.items() if k not in SECRET_ARGS}
    fields = {name: "required" if field.is_required() else "optional" for name, field in model.model_fields.items()}
    keys = {name: "required" if name in typed.__required_keys__ else "optional" for name in annotations}
    found: list[Difference] = []
    if fields != keys:
        left = sorted(f"{k} ({v})" for k, v in fields.items() if keys.get(k) != v)
        right = sorted(f"{k} ({v})" for k, v in keys.items() if fields.get(k) != v)
        found.append((path, left, right))
    for name, field in model.model_fields.items():
        inner = _model_in(field.annotation)
        if inner is None or name not in annotations:
            continue
        typed_inner = _typed_dict_in(annotations[name])
        if typed_inner is None:
            found.append((f"{path}{name}", ["an object"], []))
        else:
            found += typed_differences(inner, typed_inner, f"{path}{name}.")
    return found


def test_every_key_of_pchat_schema_is_in_the_package_schema_and_back() -> None:
    """Regenerate the package schema after changing the args: python -m lync_pchat.provider > provider/schema.json"""
    inputs = PROVIDER["resources"][TYPE]["inputProperties"]
    assert schema_differences(TOPOLOGY["properties"], inputs) == [("", [], sorted(SECRETS))]


def test_the_package_schema_marks_exactly_the_secret_inputs() -> None:
    inputs = PROVIDER["resources"][TYPE]["inputProperties"]
    assert sorted(k for k, v in inputs.items() if v.get("secret")) == sorted(SECRETS)


def test_the_component_args_and_the_config_model_agree_on_keys_and_optionality() -> None:
    assert typed_differences(TopologyConfig, PersistentChatArgs) == []


def test_the_comparisons_see_a_missing_key_a_stray_key_and_an_optionality_change() -> None:
    """The walkers reach nested maps of objects (sites, pools) and say which side lacks what."""
    inputs = json.loads(json.dumps(PROVIDER["resources"][TYPE]["inputProperties"]))
    inputs["namePrefixTypo"] = inputs.pop("namePrefix")
    site = PROVIDER["types"]["lync-pchat:index:SiteInput"]["properties"]
    assert _provider_object(inputs["sites"]) == site
    assert schema_differences(TOPOLOGY["properties"], inputs) == [
        ("", ["namePrefix"], sorted([*SECRETS, "namePrefixTypo"]))
    ]
    # The functional form: this module's annotations are strings, which hide NotRequired from the class form.
    loose = typing.TypedDict("loose", {"domain": typing.NotRequired[str], "extra": str})  # type: ignore[operator]  # noqa: UP013
    [(path, model_side, typed_side)] = typed_differences(TopologyConfig, loose)
    assert (path, typed_side) == ("", ["domain (optional)", "extra (required)"])
    assert "domain (required)" in model_side and "pools (required)" in model_side
    assert "domain (optional)" not in model_side
