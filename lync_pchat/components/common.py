"""Helpers every component shares: tags and the options of stateful children."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from ..model import Role

POOL_TAG, SITE_TAG, ROLE_TAG = "pchat-pool", "pchat-site", "pchat-role"
HARDWARE_TAG = "pchat-hardware"
"""On servers: ``documented`` or ``evaluation``, so policies know which sizes to expect."""
SHARED = "shared"
DIAGNOSTIC_SETTING = "pchat-diagnostics"
"""The Azure name of every diagnostic setting; unique per resource, so one name serves all."""


def tags(base: Mapping[str, str], *, pool: str, site: str, role: Role | str) -> dict[str, str]:
    """The user's tags plus the topology tags policies and diagrams read back."""
    return {**base, POOL_TAG: pool, SITE_TAG: site, ROLE_TAG: str(role)}


def child(
    parent: pulumi.Resource, *, stateful: bool = False, protect: bool = False, **extra: object
) -> pulumi.ResourceOptions:
    """Options of a child: parented, and protected and retained when stateful and asked to."""
    keep = stateful and protect
    return pulumi.ResourceOptions(parent=parent, protect=keep, retain_on_delete=keep, **extra)  # type: ignore[arg-type]
