"""``pchat``: plan a stack offline, without Azure or the Pulumi CLI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import report, stackfile
from .model import TopologyError, plan_topology
from .model.schema import json_schema
from .runbooks import RUNBOOKS, RunbookNotApplicable
from .runbooks import write as write_runbook

DEFAULT_STACK = "enterprise"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pchat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="validate a stack's topology and print its plan")
    plan.add_argument("stack", nargs="?", default=DEFAULT_STACK,
                      help=f"stack name, stacks/Pulumi.<stack>.yaml (default: {DEFAULT_STACK})")
    plan.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    commands.add_parser("schema", help="print the JSON schema of pchat:topology")
    runbook = commands.add_parser("runbook", help="write a day-2 runbook (PowerShell / T-SQL) for a stack")
    runbook.add_argument("stack", help="stack name, stacks/Pulumi.<stack>.yaml")
    runbook.add_argument("name", choices=list(RUNBOOKS), help="the runbook to write")
    runbook.add_argument("--out", type=Path, help="output folder (default: out/runbooks/<stack>)")
    runbook.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    args = parser.parse_args(argv)
    if args.command == "schema":
        print(json.dumps(json_schema(), indent=2))
        return 0
    if args.command == "runbook":
        return _runbook(args.stack, args.name, args.out or Path("out", "runbooks", args.stack), args.stacks_dir)
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


def _runbook(stack: str, name: str, out: Path, stacks_dir: Path) -> int:
    path = stackfile.stack_path(stack, stacks_dir)
    if not path.is_file():
        known = ", ".join(stackfile.stack_names(stacks_dir)) or "none"
        print(f"pchat: no stack file {path} (stacks: {known})", file=sys.stderr)
        return 2
    try:
        written = write_runbook(plan_topology(stackfile.topology(stackfile.load_config(path))), name, out)
    except (TopologyError, RunbookNotApplicable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for file in written:
        print(file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
