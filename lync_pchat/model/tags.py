"""The tags the project puts on every resource, so reviews and diagrams can read the topology.

The policies recognise servers from the resources themselves; they read the role tag only as a hint
for what the resources cannot tell (active or standby, store, mirror or backup store).
"""

from __future__ import annotations

from collections.abc import Mapping

POOL_TAG, SITE_TAG, ROLE_TAG = "pchat-pool", "pchat-site", "pchat-role"
PROJECT_TAGS = (POOL_TAG, SITE_TAG, ROLE_TAG)
AZURE_MAX_TAGS = 50
"""Tags Azure allows on one resource [AZ:azure-resource-manager/management/tag-resources]."""
SHARED = "shared"
"""The pool tag of a resource that serves every pool of a site (network, vault, data group)."""


def topology_tags(user: Mapping[str, str], *, pool: str, site: str, role: str) -> dict[str, str]:
    """The user's tags plus the project's: which pool, site and role a resource serves."""
    return {**user, POOL_TAG: pool, SITE_TAG: site, ROLE_TAG: str(role)}
