"""Reads ``stacks/Pulumi.<stack>.yaml`` without the Pulumi CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PROJECT = "pchat"
STACKS_DIR = Path(__file__).resolve().parent.parent / "stacks"


def stack_path(stack: str, stacks_dir: Path = STACKS_DIR) -> Path:
    return stacks_dir / f"Pulumi.{stack}.yaml"


def stack_names(stacks_dir: Path = STACKS_DIR) -> list[str]:
    """Every shipped stack, by name."""
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks_dir.glob("Pulumi.*.yaml"))


def load_config(path: Path) -> dict[str, Any]:
    """The stack's ``config:`` map, keys as written (``pchat:topology``)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise ValueError(f"{path}: 'config' must be a map")
    return config


def topology(config: dict[str, Any]) -> object:
    """The raw ``pchat:topology`` value (None when absent)."""
    return config.get(f"{PROJECT}:topology")
