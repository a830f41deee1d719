"""The Pulumi package that hosts the components for other languages, and its schema."""

from __future__ import annotations

import json
from typing import Any

from pulumi.provider.experimental.component import ComponentProvider

from .components.persistent_chat import PersistentChat

NAME = "lync-pchat"
VERSION = "0.1.0"
COMPONENTS = [PersistentChat]


def provider() -> ComponentProvider:
    return ComponentProvider(list(COMPONENTS), NAME, version=VERSION)


def schema() -> dict[str, Any]:
    """The package schema, as ``pulumi package get-schema provider`` would print it."""
    text = provider().schema
    assert text is not None
    return json.loads(text)  # type: ignore[no-any-return]


if __name__ == "__main__":
    print(json.dumps(schema(), indent=2, sort_keys=True))
