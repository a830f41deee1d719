"""The Pulumi type tokens of this project's components, for the components that register them and
the policies that recognise them in a stack."""

from __future__ import annotations

PACKAGE = "lync-pchat"
"""The Pulumi package of every component type: ``lync-pchat:index:<Kind>``."""
LEGACY_PACKAGE = "pchat"
"""The package of the first release's component types, kept as an alias so no deployed URN changes."""


def type_token(kind: str, package: str = PACKAGE) -> str:
    return f"{package}:index:{kind}"


DEPLOYMENT_TYPE = type_token("PersistentChatDeployment")
"""The deployment component of the Python program."""
PERSISTENT_CHAT_TYPE = type_token("PersistentChat")
"""The multi-language component, which wraps a deployment (it has no first-release type)."""
POOL_TYPE = type_token("PersistentChatPool")
"""A pool component, named after the pool key; its servers are beneath it."""
DEPLOYMENT_TYPES = frozenset(
    {DEPLOYMENT_TYPE, PERSISTENT_CHAT_TYPE, type_token("PersistentChatDeployment", LEGACY_PACKAGE)}
)
"""Every type of a deployment component, including the first release's in state it wrote."""
POOL_TYPES = frozenset({POOL_TYPE, type_token("PersistentChatPool", LEGACY_PACKAGE)})
