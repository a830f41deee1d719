"""``pchat``: plan, diff and document stacks offline, without Azure or the Pulumi CLI."""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import report, stackfile
from .interrupt import INTERRUPTED, exit_on_interrupt
from .model import TopologyError, plan_topology
from .offline import accepted, diffview
from .offline.gate import AZURE_REFUSES, POSTURE_WEAKENED, STATEFUL_LOSS, Gates, verdict
from .offline.git import GitError
from .offline.plandiff import Request, diff_revisions, sdk_changes
from .offline.progress import stderr
from .offline.revision import PlanError
from .runbooks import RUNBOOKS, RunbookNotApplicable
from .runbooks import write as write_runbook
from .version import VERSION

if TYPE_CHECKING:
    from .offline.graph import Resource

# What this module imports is what `pchat diff` needs before it starts planning the other revision, and the
# parser's choices: no Pulumi, no components. The program, the engine and the rest come with the command that
# uses them, so the other revision's plan starts about a second earlier and overlaps the rest (benchmarks/diff.py).

DEFAULT_STACK = "enterprise"
DISTRIBUTION = "lync-pchat-azure"


def main(argv: list[str] | None = None) -> int:
    """Exit 0 fine, 1 a topology the model refuses, 2 a usage, stack file or git error, 3 a stateful loss,
    4 a change Azure refuses, 5 a weakened security setting."""
    args = _parser().parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "plan": _plan,
        "diff": _diff,
        "schema": _schema,
        "runbook": _runbook,
        "stacks": _stacks,
        "flows": _flows,
    }
    try:
        return handlers[args.command](args)
    except _refusals() as error:
        print(f"error: {report.link_sources(str(error))}", file=sys.stderr)
        return 1
    except (stackfile.StackFileError, GitError, PlanError) as error:
        print(f"pchat: {error}", file=sys.stderr)
        return 2


def _refusals() -> tuple[type[Exception], ...]:
    """What a refused topology raises; evaluated only when an exception is being matched (the program's
    ``TopologyConfigError`` is a Pulumi error)."""
    from .errors import TopologyConfigError

    return (TopologyError, TopologyConfigError, RunbookNotApplicable)


def console() -> int:
    """``pchat`` and ``python -m lync_pchat``: :func:`main`, then an exit that leaves the synthesized
    objects to the operating system instead of a last collection (0.4 s for the default stack). Ctrl-C
    ends it within a second with exit status 130 (:mod:`lync_pchat.interrupt`)."""
    exit_on_interrupt()
    try:
        code = main()
    except KeyboardInterrupt:
        print("pchat: interrupted", file=sys.stderr)
        return INTERRUPTED
    gc.freeze()
    return code


def version() -> str:
    """The installed package's version; from a checkout that is not installed, the source's."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return f"{VERSION} (source checkout)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pchat", description=__doc__)
    parser.add_argument("--version", action="version", version=f"pchat {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="synthesize a stack under a mock engine and show its plan")
    plan.add_argument(
        "stack",
        nargs="?",
        help=f"stack name, stacks/Pulumi.<stack>.yaml (default: {DEFAULT_STACK}; with --program, the program's "
        "only stack)",
    )
    plan.add_argument(
        "--program",
        type=Path,
        metavar="DIR",
        help="plan the Pulumi Python program in DIR (e.g. one that embeds PersistentChat) with its "
        "Pulumi.<stack>.yaml instead of this project's stack",
    )
    plan.add_argument("--out", type=Path, help="folder for plan.json and topology.mmd (default: out/<stack>)")
    plan.add_argument("--json", type=Path, help="write the JSON plan to this file instead")
    plan.add_argument("--summary", action="store_true", help="show the topology and warnings, not every resource")
    _diff_parser(commands)
    commands.add_parser("schema", help="print the JSON schema of pchat:topology")
    runbook = commands.add_parser("runbook", help="write a day-2 runbook (PowerShell / T-SQL) for a stack")
    runbook.add_argument("stack", help="stack name, stacks/Pulumi.<stack>.yaml")
    runbook.add_argument("name", choices=list(RUNBOOKS), help="the runbook to write")
    runbook.add_argument("--out", type=Path, help="output folder (default: out/runbooks/<stack>)")
    stacks = commands.add_parser("stacks", help="list the stacks, one per stacks/Pulumi.<stack>.yaml")
    stacks.add_argument("--json", action="store_true", help="one JSON array (a GitHub Actions matrix)")
    stacks.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    flows = commands.add_parser("flows", help="print every network flow the stack's automation needs, and why")
    flows.add_argument("stack", help="stack name, stacks/Pulumi.<stack>.yaml")
    flows.add_argument("--json", action="store_true", help="one JSON array of rows")
    flows.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    for sub in (plan, runbook):
        sub.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
        sub.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def _diff_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare stacks' plans with their plans at another git revision",
        description="Exit status: 0 fine, 1 a topology the model refuses, 2 a bad revision, a missing stack, "
        f"a broken stack file or a git failure, {STATEFUL_LOSS} a stateful loss with --fail-on-stateful, "
        f"{AZURE_REFUSES} a change Azure refuses on an existing resource, {POSTURE_WEAKENED} a weakened security "
        "setting with --fail-on-posture or --fail-on-stateful. Changes listed in accepted-changes.yaml (beside "
        "the stack files) pass the gates for the kinds of change listed.",
    )
    diff.add_argument(
        "stacks", nargs="*", metavar="STACK", help="stack names (default: every stack at either revision)"
    )
    diff.add_argument("--against", required=True, metavar="REF", help="git revision to compare with, e.g. origin/main")
    diff.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help=f"also write the summary as Markdown for a PR comment, cut to {diffview.COMMENT_BUDGET:,} characters",
    )
    diff.add_argument("--full-markdown", type=Path, metavar="FILE", help="also write the whole summary as Markdown")
    diff.add_argument(
        "--fail-on-stateful",
        action="store_true",
        help=f"exit {STATEFUL_LOSS} when a stateful resource would be deleted, replaced or unprotected "
        f"(and {POSTURE_WEAKENED} as --fail-on-posture)",
    )
    diff.add_argument(
        "--fail-on-posture",
        action="store_true",
        help=f"exit {POSTURE_WEAKENED} when a change weakens a security setting of a data or security resource "
        "(soft delete, versioning, immutability, public or shared-key access, TLS, purge protection, RBAC, "
        "redundancy, NSG rules)",
    )
    diff.add_argument(
        "--accepted",
        type=Path,
        metavar="FILE",
        help=f"the reviewed changes the gates pass (default: {accepted.FILE_NAME} beside the stack files)",
    )
    diff.add_argument("--repo", type=Path, default=Path("."), metavar="DIR", help="the git repository (default: .)")
    diff.add_argument("--stacks-dir", type=Path, metavar="DIR", help="the stack files (default: <repo>/stacks)")
    diff.add_argument(
        "--program",
        type=Path,
        metavar="DIR",
        help="diff the Pulumi Python program in DIR (e.g. one that embeds PersistentChat) and its "
        "Pulumi.<stack>.yaml files instead of this project's stacks",
    )
    diff.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _plan(args: argparse.Namespace) -> int:
    if args.program is not None:
        return _plan_program(args)
    args.stack = DEFAULT_STACK if args.stack is None else args.stack
    from .offline import render
    from .offline.synthesis import synthesize_stack

    config = stackfile.read(args.stack, args.stacks_dir)
    synthesis = synthesize_stack(args.stack, config, None if args.quiet else stderr)
    data = render.plan_json(synthesis)
    written = _write_plan(args, data, mermaid=render.mermaid(synthesis.plan))
    if args.quiet:
        return 0
    resources = [] if args.summary else _resources(synthesis.resources)
    print("\n".join([*resources, report.summary(synthesis.plan, args.stack, synthesis.warnings)]))
    if written:
        print(f"\nwrote {written}")
    return 0


def _plan_program(args: argparse.Namespace) -> int:
    """``pchat plan --program DIR``: the program's resources and warnings (its topology may be several)."""
    from .offline.program import only_stack, plan_program_json, synthesize_program

    stack = only_stack(args.program) if args.stack is None else args.stack
    resources, warnings = synthesize_program(args.program, stack)
    written = _write_plan(args, plan_program_json(stack, resources, warnings), mermaid=None, stack=stack)
    if not args.quiet:
        print("\n".join([*_resources(resources), *report.warnings(warnings)]).rstrip("\n"))
        if written:
            print(f"\nwrote {written}")
    return 0


def _resources(resources: Sequence[Resource]) -> list[str]:
    from .offline import render

    return ["Resources:", *render.tree(resources), "", *render.counts(resources), ""]


def _write_plan(args: argparse.Namespace, data: dict[str, Any], mermaid: str | None, stack: str = "") -> str:
    """plan.json (and topology.mmd) where ``--json`` or ``--out`` says; what was written, for the last line."""
    from .offline import render

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(render.dumps(data))
        return ""
    out = args.out or Path("out", stack or args.stack)
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(render.dumps(data))
    if mermaid is None:
        return str(out / "plan.json")
    (out / "topology.mmd").write_text(mermaid)
    return f"{out / 'plan.json'} and {out / 'topology.mmd'}"


def _diff(args: argparse.Namespace) -> int:
    say = None if args.quiet else stderr
    folder = args.program if args.program is not None else args.stacks_dir or args.repo / "stacks"
    entries = accepted.load(args.accepted or folder / accepted.FILE_NAME)
    if args.program is not None:
        from .offline.program import diff_program

        diffs = diff_program(args.program, args.against, args.stacks, say)
        sdk = sdk_changes(args.program, args.against, root=args.program)
    else:
        request = Request(args.stacks, args.against, args.repo, folder)
        diffs = diff_revisions(request, say)
        sdk = sdk_changes(args.repo, args.against)
    diffs, stale = accepted.apply(diffs, entries)
    for line in stale:
        print(f"warning: {line}", file=sys.stderr)
    gates = Gates(args.fail_on_stateful, args.fail_on_posture)
    if args.markdown:
        bounded = diffview.markdown(diffs, args.against, sdk, gates=gates, stale=stale, limit=diffview.COMMENT_BUDGET)
        args.markdown.write_text(bounded)
    if args.full_markdown:
        args.full_markdown.write_text(diffview.markdown(diffs, args.against, sdk, gates=gates, stale=stale))
    if not args.quiet:
        print(diffview.text(diffs, args.against, sdk, gates=gates, stale=stale), end="")
        for diff in diffs:  # every warning of the later plan, not only the new ones the summary lists
            if lines := report.warnings(diff.after.get("warnings", ()), f"Warnings of stack '{diff.stack}':"):
                print("\n".join(lines))
    return verdict(diffs, args.fail_on_stateful, args.fail_on_posture)


def _schema(_: argparse.Namespace) -> int:
    from .model.schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def _runbook(args: argparse.Namespace) -> int:
    plan = plan_topology(stackfile.topology(stackfile.read(args.stack, args.stacks_dir)))
    files = write_runbook(plan, args.name, args.out or Path("out", "runbooks", args.stack))
    if not args.quiet:
        print("\n".join(str(f) for f in files))
    return 0


def _flows(args: argparse.Namespace) -> int:
    from . import needs

    plan = plan_topology(stackfile.topology(stackfile.read(args.stack, args.stacks_dir)))
    print(json.dumps(needs.flows(plan), indent=2) if args.json else needs.flow_table(plan))
    return 0


def _stacks(args: argparse.Namespace) -> int:
    names = stackfile.stack_names(args.stacks_dir)
    print(json.dumps(names, separators=(",", ":")) if args.json else "\n".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(console())
