"""The Pulumi SDK versions a change declares or locks: a new SDK can read every resource differently,
while the plans of both revisions, synthesized with the SDK installed here, read the same."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

SDKS = ("pulumi", "pulumi-azure-native", "pulumi-random", "pulumiverse-time", "pulumi-policy", "lync-pchat-azure")
"""The packages that decide what the program registers and how the engine and policies read it (the last one
is this package, as a program that embeds the component declares it)."""
FILES = ("requirements.txt", "pyproject.toml", "uv.lock", "poetry.lock", "provider/requirements.txt")
"""Where a project declares (or locks) them, relative to its root."""
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;#]*)")


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(lines: Iterable[str]) -> dict[str, str]:
    """SDK name -> version specifier of each requirement line (``pulumi>=3.272,<4``)."""
    found: dict[str, str] = {}
    for line in lines:
        match = _REQUIREMENT.match(line)
        if match and normalized(match.group(1)) in SDKS:
            found[normalized(match.group(1))] = match.group(2).strip().replace(" ", "") or "(any)"
    return found


def pins(path: str, text: str) -> dict[str, str]:
    """SDK name -> declared specifier or locked version in the file ``path`` (by its name); {} if unreadable."""
    name = PurePosixPath(path).name
    if name.endswith(".txt"):
        return requirements(text.splitlines())
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    if name == "pyproject.toml":
        project = document.get("project", {})
        lines = [*project.get("dependencies", ())]
        for group in project.get("optional-dependencies", {}).values():
            lines += group
        return requirements(str(line) for line in lines)
    packages = document.get("package", ())
    return {
        normalized(str(p.get("name", ""))): f"=={p.get('version', '?')}"
        for p in packages
        if isinstance(p, dict) and normalized(str(p.get("name", ""))) in SDKS
    }


def changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """One line per SDK whose declared or locked version moves, per file (file path -> its text)."""
    lines = []
    for path in sorted(before.keys() | after.keys()):
        old, new = pins(path, before.get(path, "")), pins(path, after.get(path, ""))
        for sdk in sorted(old.keys() | new.keys()):
            if old.get(sdk) != new.get(sdk):
                was, now = old.get(sdk, "(not declared)"), new.get(sdk, "(not declared)")
                lines.append(f"- `{path}`: `{sdk}` `{was}` → `{now}`")
    return lines


def files_here(root: Path) -> dict[str, str]:
    """The SDK files of the working tree under ``root``."""
    return {name: (root / name).read_text(encoding="utf-8") for name in FILES if (root / name).is_file()}


def files_at(show: Callable[[PurePosixPath], str | None], root: PurePosixPath) -> dict[str, str]:
    """The SDK files under ``root`` at a revision; ``show`` gives a file's text there, None if absent."""
    found = {name: show(root / name) for name in FILES}
    return {name: text for name, text in found.items() if text is not None}
