"""The JSON schema of ``pchat:topology``, generated from the config models."""

from __future__ import annotations

from typing import Any

from .config import TopologyConfig


def json_schema() -> dict[str, Any]:
    """A draft 2020-12 schema for editors and the README's configuration reference."""
    schema = TopologyConfig.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "pchat:topology",
    }
