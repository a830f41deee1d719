"""Generated documentation sections: the default stack's diagram (README.md), the configuration
reference (docs/configuration.md) and the estate example, the tested code as it is (docs/reuse.md).

python -m lync_pchat.docs          # rewrite the generated sections
python -m lync_pchat.docs --check  # exit 1 if any is stale, write nothing
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from . import stackfile
from .model import plan_topology, support
from .model.schema import json_schema
from .model.sources import url
from .offline.render import mermaid

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: README.md and docs/ beside the package."""
DIAGRAM_STACK = "enterprise"


def config_reference() -> str:
    """One table per object of the schema, the top level first."""
    schema = json_schema()
    defs: dict[str, Any] = schema["$defs"]
    sections = [_table("pchat:topology", schema, defs)]
    sections += [_table(name, body, defs) for name, body in defs.items() if body.get("type") == "object"]
    return "\n".join(sections)


def _table(title: str, body: dict[str, Any], defs: dict[str, Any]) -> str:
    required = set(body.get("required", []))
    lines = [
        f"#### `{title}`",
        "",
        _markdown(body.get("description", "")),
        "",
        "| key | type | default | description |",
        "|---|---|---|---|",
    ]
    for key, prop in body["properties"].items():
        default = "required" if key in required else _default(prop)
        description = _markdown(prop.get("description", ""))
        lines.append(f"| `{key}` | {_type(prop, defs)} | {default} | {description} |")
    return "\n".join(lines) + "\n"


def _markdown(text: str) -> str:
    """A docstring as one Markdown table cell: single backticks, no pipes or newlines."""
    return " ".join(text.replace("``", "`").replace("|", "\\|").split())


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        return " \\| ".join(f"`{v}`" for v in target["enum"]) if "enum" in target else f"`{name}`"
    if "anyOf" in prop:
        return " or ".join(_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null")
    if prop.get("type") == "object" and "patternProperties" in prop:
        return f"map of {_type(next(iter(prop['patternProperties'].values())), defs)}"
    if prop.get("type") == "object" and "additionalProperties" in prop:
        return f"map of {_type(prop['additionalProperties'], defs)}"
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    return str(prop.get("type", "any"))


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        return "required"
    value = prop["default"]
    if value is None or value in ({}, []):
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "see below"
    return f"`{value}`"


def diagram() -> str:
    config = stackfile.load_config(stackfile.stack_path(DIAGRAM_STACK))
    return "```mermaid\n" + mermaid(plan_topology(stackfile.topology(config))) + "```\n"


ESTATE_EXAMPLE = ROOT / "examples" / "hub-spoke"


def estate_example() -> str:
    """The hub-and-spoke example's program and its offline test, folded."""
    parts = []
    for title, name in (("The program", "__main__.py"), ("Its offline unit test", "test_estate.py")):
        code = (ESTATE_EXAMPLE / name).read_text()
        parts.append(f"<details><summary>{title}: <code>examples/hub-spoke/{name}</code></summary>\n\n")
        parts.append(f"```python\n{code}```\n\n</details>\n")
    return "\n".join(parts)


def support_dates() -> str:
    """The support dates of :mod:`lync_pchat.model.support`, one row each."""
    rows = ["| Product or version | Supported until | What ends | Source |", "|---|---|---|---|"]
    rows += [
        f"| {end.name} | {end.ends.isoformat()} | {end.detail} | [{end.source}]({url(end.source)}) |"
        for end in support.table()
    ]
    return "\n".join(rows) + "\n"


SECTIONS = {
    "config-reference": config_reference,
    "topology-diagram": diagram,
    "estate-example": estate_example,
    "support-dates": support_dates,
}
DOCUMENTS = {
    "README.md": ("topology-diagram",),
    "docs/configuration.md": ("config-reference",),
    "docs/reuse.md": ("estate-example",),
    "docs/skype2015.md": ("support-dates",),
}
"""Each generated section, in the one document (relative to the checkout) that holds it."""


def render(text: str, names: tuple[str, ...] = tuple(SECTIONS)) -> str:
    """``text`` with each named generated section between its markers made current."""
    for name in names:
        make = SECTIONS[name]
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"no <!-- {name}:start --> ... <!-- {name}:end --> section")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), text)  # type: ignore[misc]
    return text


def main(argv: list[str] | None = None) -> int:
    """0 written (or current with ``--check``), 1 stale with ``--check``, 2 nothing to write."""
    parser = argparse.ArgumentParser(prog="python -m lync_pchat.docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a document is stale; write nothing")
    args = parser.parse_args(argv)
    rendered: dict[Path, tuple[str, str]] = {}
    for name, sections in DOCUMENTS.items():
        path = ROOT / name
        if not path.is_file():
            print(f"lync_pchat.docs: no {name} at {path}: run it from a checkout of the repository", file=sys.stderr)
            return 2
        text = path.read_text()
        try:
            rendered[path] = (text, render(text, sections))
        except (ValueError, OSError, stackfile.StackFileError) as error:
            print(f"lync_pchat.docs: {path}: {error}", file=sys.stderr)
            return 2
    stale = [path for path, (text, current) in rendered.items() if current != text]
    if args.check:
        for path in stale:
            print(f"lync_pchat.docs: {path} is stale: run python -m lync_pchat.docs", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(rendered[path][1])
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
