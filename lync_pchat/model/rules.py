"""Every rule a topology must pass, and the advice it gets when it passes."""

from __future__ import annotations

from . import (
    rules_azure,
    rules_backup,
    rules_estate,
    rules_operations,
    rules_platform,
    rules_product,
    rules_security,
    rules_support,
    rules_topology,
    sizes,
)
from . import sources as src
from .config import Edition, Hardware, StorePlacement, TopologyConfig
from .errors import Problem
from .layout import store_placement

RULES = (
    rules_topology.RULES
    + rules_platform.RULES
    + rules_estate.RULES
    + rules_product.RULES
    + rules_backup.RULES
    + rules_operations.RULES
    + rules_security.RULES
    + sizes.RULES
    + rules_azure.RULES
    + rules_support.RULES
)
STANDARD_EDITION_USERS = 2_500


def check(cfg: TopologyConfig) -> list[Problem]:
    """All problems of ``cfg``, in rule order, each once."""
    seen: dict[Problem, None] = {}
    for rule in RULES:
        for problem in rule(cfg):
            seen.setdefault(problem, None)
    return list(seen)


def advisories(cfg: TopologyConfig) -> list[str]:
    """Supported but not recommended choices: shown as warnings, never refused."""
    notes = []
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        if pool.hardware is Hardware.EVALUATION:
            notes.append(
                f"{path}.hardware: evaluation sizes are below the documented 2 x hex-core, "
                f"32 GB servers: not for production [{src.HARDWARE}]"
            )
        if store_placement(pool, cfg.edition) is StorePlacement.COLLOCATED:
            notes.append(
                f"{path}.store.placement: collocating mgc on the Back End is supported but "
                f"a dedicated SQL Server is recommended [{src.SYSTEM_PLATFORMS}]"
            )
        if rules_topology.compliance_advice(pool, cfg.edition):
            notes.append(
                f"{path}.compliance.placement: stand-alone compliance instances are "
                f"recommended with mirroring or log shipping [{src.REQUIRED_RESOURCES}]"
            )
        if not pool.categories:
            notes.append(
                f"{path}.categories: none: every chat room belongs to a category, so nobody can create one until "
                f"the pool has one; define it here (the configure runbook creates it) [{src.MANAGE_CATEGORIES}]"
            )
        if cfg.edition is Edition.STANDARD and pool.users > STANDARD_EDITION_USERS:
            notes.append(
                f"{path}.users: a Standard Edition server hosts up to "
                f"{STANDARD_EDITION_USERS:,} users [{src.CAPACITY_USER_MODELS}]"
            )
    return (
        notes
        + rules_product.advisories(cfg)
        + list(rules_backup.advisories(cfg))
        + rules_operations.advisories(cfg)
        + rules_security.advisories(cfg)
        + rules_azure.advisories(cfg)
        + rules_support.advisories(cfg)
    )
