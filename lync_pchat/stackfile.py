"""Reads ``stacks/Pulumi.<stack>.yaml`` without the Pulumi CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from . import yamlsafe

PROJECT = "pchat"
STACKS_DIR = Path(__file__).resolve().parent.parent / "stacks"
SECRET_KEY = re.compile(r"(?i)password|secret")
"""Config keys that hold a secret (``pchat:adminPassword``, ``pchat:domainJoinPassword``, ``pchat:setupPassword``,
a provider's ``clientSecret``): in a stack file only as ``secure: <ciphertext>``, as ``pulumi config set --secret``
writes them (pulumi.com/docs/iac/concepts/secrets/)."""
STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
"""A stack name: "alphanumeric, hyphens, underscores, or periods" (pulumi.com/docs/iac/concepts/stacks/); here also
a file name and a folder under ``out/``, so never ``.`` or ``..``."""


class StackFileError(ValueError):
    """A stack file that is missing, unreadable or not a stack: the message names the file (and the
    line and column of a YAML error)."""


def stack_path(stack: str, stacks_dir: Path = STACKS_DIR) -> Path:
    return stacks_dir / file_name(check_name(stack))


def check_name(stack: str) -> str:
    """``stack``, when it is a stack name: letters, digits, ``-``, ``_`` and ``.`` (not ``.`` or ``..`` alone), so that
    ``Pulumi.<stack>.yaml`` and ``out/<stack>`` stay in their folders."""
    if not STACK_NAME.fullmatch(stack) or stack in (".", ".."):
        shown = stack[:100].encode("unicode_escape").decode("ascii")
        raise StackFileError(
            f"'{shown}' is not a stack name: letters, digits, '-', '_' and '.' only, at most 100, "
            "never a path (https://www.pulumi.com/docs/iac/concepts/stacks/)"
        )
    return stack


def file_name(stack: str) -> str:
    """``lab`` -> ``Pulumi.lab.yaml``."""
    return f"Pulumi.{stack}.yaml"


def stack_names(stacks_dir: Path = STACKS_DIR) -> list[str]:
    """Every shipped stack, by name."""
    return sorted(stack_name(p.name) for p in stacks_dir.glob("Pulumi.*.yaml"))


def stack_name(file_name: str) -> str:
    """``Pulumi.lab.yaml`` -> ``lab``."""
    return file_name[len("Pulumi.") : -len(".yaml")]


def read(stack: str, stacks_dir: Path = STACKS_DIR) -> dict[str, Any]:
    """The config of ``stack``; a missing file names the stacks there are."""
    path = stack_path(stack, stacks_dir)
    if not path.is_file():
        known = ", ".join(stack_names(stacks_dir)) or "none"
        raise StackFileError(f"no stack file {path} (stacks: {known})")
    return load_config(path)


def load_config(path: Path) -> dict[str, Any]:
    """The stack's ``config:`` map, keys as written (``pchat:topology``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StackFileError(f"{path}: cannot read: {error}") from None
    return parse_config(text, str(path))


def parse_config(text: str, name: str) -> dict[str, Any]:
    """The ``config:`` map of a stack file's text; errors start with ``name:line:column:``.

    Read as the Pulumi CLI reads it (see :mod:`lync_pchat.yamlsafe`): duplicate keys, deep nesting, alias
    bombs, huge numbers and files are refused; ``off``, ``1:30`` and ``2027-06-30`` stay strings."""
    if len(text) > yamlsafe.MAX_FILE:
        raise StackFileError(f"{name}: {len(text):,} characters; a stack file is at most {yamlsafe.MAX_FILE:,}")
    try:
        document = yamlsafe.load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise StackFileError(f"{where}: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise StackFileError(f"{name}: {error}") from None
    document = document or {}
    if not isinstance(document, dict) or not isinstance(document.get("config") or {}, dict):
        raise StackFileError(f"{name}: a stack file is a map with a 'config' map")
    config: dict[str, Any] = document.get("config") or {}
    for key, value in config.items():
        secure = isinstance(value, dict) and set(value) == {"secure"} and isinstance(value["secure"], str)
        if SECRET_KEY.search(str(key).rpartition(":")[2]) and not secure:
            raise StackFileError(
                f"{name}: {key} is in plain text: a password is a secret; remove it and run "
                f"`pulumi config set --secret {key}`, which stores it encrypted (secure: ...)"
            )
    return config


def topology(config: dict[str, Any]) -> object:
    """The raw ``pchat:topology`` value (None when absent)."""
    return config.get(f"{PROJECT}:topology")
