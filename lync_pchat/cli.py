"""``pchat``: plan, diff and document stacks offline, without Azure or the Pulumi CLI."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from . import report, stackfile
from .model import TopologyError, plan_topology
from .model.schema import json_schema
from .offline import diff as plan_diff
from .offline import render
from .offline.synthesis import stderr, synthesize_stack
from .runbooks import RUNBOOKS, RunbookNotApplicable
from .runbooks import write as write_runbook

DEFAULT_STACK = "enterprise"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "plan": _plan,
        "diff": _diff,
        "schema": _schema,
        "runbook": _runbook,
    }
    try:
        return handlers[args.command](args)
    except (TopologyError, RunbookNotApplicable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except _MissingStack as error:
        print(f"pchat: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pchat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="synthesize a stack under a mock engine and show its plan")
    plan.add_argument(
        "stack",
        nargs="?",
        default=DEFAULT_STACK,
        help=f"stack name, stacks/Pulumi.<stack>.yaml (default: {DEFAULT_STACK})",
    )
    plan.add_argument("--out", type=Path, help="folder for plan.json and topology.mmd (default: out/<stack>)")
    plan.add_argument("--json", type=Path, help="write the JSON plan to this file instead")
    plan.add_argument("--quiet", action="store_true", help="print nothing but errors")
    diff = commands.add_parser("diff", help="compare a stack's plan with its plan at another git revision")
    diff.add_argument("stack")
    diff.add_argument("--against", required=True, help="git revision to compare with, e.g. origin/main")
    diff.add_argument("--markdown", type=Path, help="also write the diff as Markdown (for a PR comment)")
    diff.add_argument("--repo", type=Path, default=Path("."), help="the git repository (default: .)")
    commands.add_parser("schema", help="print the JSON schema of pchat:topology")
    runbook = commands.add_parser("runbook", help="write a day-2 runbook (PowerShell / T-SQL) for a stack")
    runbook.add_argument("stack", help="stack name, stacks/Pulumi.<stack>.yaml")
    runbook.add_argument("name", choices=list(RUNBOOKS), help="the runbook to write")
    runbook.add_argument("--out", type=Path, help="output folder (default: out/runbooks/<stack>)")
    for sub in (plan, diff, runbook):
        sub.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    return parser


class _MissingStack(LookupError):
    pass


def _config(stack: str, stacks_dir: Path) -> dict[str, object]:
    path = stackfile.stack_path(stack, stacks_dir)
    if not path.is_file():
        known = ", ".join(stackfile.stack_names(stacks_dir)) or "none"
        raise _MissingStack(f"no stack file {path} (stacks: {known})")
    return stackfile.load_config(path)


def _plan(args: argparse.Namespace) -> int:
    config = _config(args.stack, args.stacks_dir)
    synthesis = synthesize_stack(args.stack, config, None if args.quiet else stderr)
    data = render.plan_json(synthesis)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(render.dumps(data))
    else:
        out = args.out or Path("out", args.stack)
        out.mkdir(parents=True, exist_ok=True)
        (out / "plan.json").write_text(render.dumps(data))
        (out / "topology.mmd").write_text(render.mermaid(synthesis.plan))
    if not args.quiet:
        print(
            "\n".join(
                [
                    "Resources:",
                    *render.tree(synthesis),
                    "",
                    *render.counts(synthesis),
                    "",
                    report.summary(synthesis.plan, args.stack),
                ]
            )
        )
        if not args.json:
            print(f"\nwrote {out / 'plan.json'} and {out / 'topology.mmd'}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    synthesis = synthesize_stack(args.stack, _config(args.stack, args.stacks_dir))
    before = plan_diff.plan_at(args.against, args.stack, args.repo)
    changes = plan_diff.compare(before, render.plan_json(synthesis))
    text = plan_diff.markdown(args.stack, args.against, changes)
    if args.markdown:
        args.markdown.write_text(text)
    print(text, end="")
    return 0


def _schema(_: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0


def _runbook(args: argparse.Namespace) -> int:
    plan = plan_topology(stackfile.topology(_config(args.stack, args.stacks_dir)))
    for file in write_runbook(plan, args.name, args.out or Path("out", "runbooks", args.stack)):
        print(file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
