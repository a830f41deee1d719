"""``pchat``: plan a stack offline, without Azure or the Pulumi CLI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import report, stackfile
from .model import TopologyError, plan_topology
from .model.schema import json_schema

DEFAULT_STACK = "enterprise"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pchat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="validate a stack's topology and print its plan")
    plan.add_argument("stack", nargs="?", default=DEFAULT_STACK,
                      help=f"stack name, stacks/Pulumi.<stack>.yaml (default: {DEFAULT_STACK})")
    plan.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    commands.add_parser("schema", help="print the JSON schema of pchat:topology")
    args = parser.parse_args(argv)
    if args.command == "schema":
        print(json.dumps(json_schema(), indent=2))
        return 0
    return _plan(args.stack, args.stacks_dir)


def _plan(stack: str, stacks_dir: Path) -> int:
    path = stackfile.stack_path(stack, stacks_dir)
    if not path.is_file():
        known = ", ".join(stackfile.stack_names(stacks_dir)) or "none"
        print(f"pchat: no stack file {path} (stacks: {known})", file=sys.stderr)
        return 2
    try:
        plan = plan_topology(stackfile.topology(stackfile.load_config(path)))
    except TopologyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(report.summary(plan, stack))
    return 0


if __name__ == "__main__":
    sys.exit(main())
