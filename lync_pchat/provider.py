"""The Pulumi package that hosts the components for other languages, and its schema."""

from __future__ import annotations

import json
from typing import Any

from pulumi.provider.experimental.component import ComponentProvider
from pydantic.alias_generators import to_camel

from components.persistent_chat import PersistentChat
from components.persistent_chat_args import SECRET_ARGS

from .model.resource_types import PACKAGE
from .version import KEYWORDS, LICENSE, PUBLISHER, REPOSITORY, VERSION

NAME = PACKAGE
COMPONENTS = [PersistentChat]


class PersistentChatProvider(ComponentProvider):
    """The SDK's component provider, with a schema that also marks the password inputs ``secret``
    (the SDK's schema generator has no notion of it), so every generated SDK treats them as secrets, and
    carries the release metadata (publisher, repository, license, keywords) the generator leaves out."""

    def __init__(self) -> None:
        super().__init__(list(COMPONENTS), NAME, version=VERSION)
        document = json.loads(self.schema or "{}")
        secrets = {to_camel(arg) for arg in SECRET_ARGS}
        for resource in document.get("resources", {}).values():
            for name, prop in resource.get("inputProperties", {}).items():
                if name in secrets:
                    prop["secret"] = True
        document.update(
            publisher=PUBLISHER, repository=REPOSITORY, homepage=REPOSITORY, license=LICENSE, keywords=list(KEYWORDS)
        )
        self.schema = json.dumps(document)


def provider() -> PersistentChatProvider:
    return PersistentChatProvider()


def schema() -> dict[str, Any]:
    """The package schema, as ``pulumi package get-schema provider`` would print it."""
    text = provider().schema
    assert text is not None
    return json.loads(text)  # type: ignore[no-any-return]


if __name__ == "__main__":
    print(json.dumps(schema(), indent=2, sort_keys=True))
