"""``pchat diff --program``: the diff and gate of ``pchat diff`` for any Pulumi Python program, such as a
platform stack that embeds the ``PersistentChat`` component.

Both revisions of the program run under the mock engine, each in its own process (a program imports
its own modules), with the ``lync_pchat`` installed here: a change of the component's version in the
program's requirements is called out with the SDK versions.

    from lync_pchat.offline.gate import verdict
    from lync_pchat.offline.program import diff_program
    diffs = diff_program(Path("infra"), "origin/main")
    sys.exit(verdict(diffs, fail_on_stateful=True))  # the exit status of pchat diff, reasons on stderr
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from .. import stackfile
from ..errors import TopologyConfigError
from . import git
from .diff import Outcome, Refused, StackDiff, diff_stack
from .engine import AzureMocks, RecordingMonitor, run
from .graph import Resource, flatten
from .render import SCHEMA_VERSION, dumps, resources_json
from .revision import PlanError
from .synthesis import offline_config

PROJECT_FILE = "Pulumi.yaml"


def project(directory: Path) -> tuple[str, Path]:
    """The project name and the program file (``main`` of ``Pulumi.yaml``, else ``__main__.py``)."""
    path = directory / PROJECT_FILE
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise stackfile.StackFileError(f"{path}: not a Pulumi project file: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise stackfile.StackFileError(f"{path}: a Pulumi project file names the project (name: ...)")
    main = directory / str(document.get("main") or ".")
    return document["name"], main / "__main__.py" if main.is_dir() else main


def plan_program(directory: Path, stack: str) -> dict[str, Any]:
    """Run the program in ``directory`` under the mock engine with ``Pulumi.<stack>.yaml`` (secrets as
    placeholders); its plan JSON, as ``pchat plan`` writes it, without the topology sections.

    Raises :class:`TopologyConfigError` when the component refuses the topology."""
    return plan_program_json(stack, *synthesize_program(directory, stack))


def plan_program_json(stack: str, resources: Sequence[Resource], warnings: Sequence[str]) -> dict[str, Any]:
    """A program's plan JSON: resources and warnings, without the topology sections."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": stack,
        "resources": resources_json(resources),
        "warnings": list(warnings),
    }


def synthesize_program(directory: Path, stack: str) -> tuple[list[Resource], tuple[str, ...]]:
    """Every resource the program in ``directory`` registers for ``stack``, and what it logged as warnings (each
    once). Raises :class:`TopologyConfigError` when the component refuses the topology."""
    name, main = project(directory)
    raw = stackfile.read(stack, directory)
    config = offline_config({key if ":" in key else f"{name}:{key}": value for key, value in raw.items()})
    here, path = Path.cwd(), list(sys.path)
    sys.path.insert(0, str(main.parent))
    os.chdir(directory)
    try:
        monitor = RecordingMonitor(AzureMocks())
        run(lambda: runpy.run_path(str(main), run_name="__main__"), config, monitor, stack=stack, project=name)
    finally:
        os.chdir(here)
        sys.path[:] = path
    return flatten(monitor), tuple(dict.fromkeys(monitor.warnings))


def only_stack(directory: Path) -> str:
    """The one ``Pulumi.<stack>.yaml`` in ``directory``; a stack file error naming them when there are several
    or none."""
    names = stackfile.stack_names(directory)
    if len(names) != 1:
        found = ", ".join(names) or f"no Pulumi.<stack>.yaml in {directory}"
        raise stackfile.StackFileError(f"name the stack to plan ({found})")
    return names[0]


def diff_program(
    directory: Path, against: str, stacks: Sequence[str] = (), say: Callable[[str], None] | None = None
) -> list[StackDiff]:
    """Each stack of the program in ``directory`` (every ``Pulumi.<stack>.yaml`` there by default) from
    revision ``against`` to the working tree. Raises ``GitError``, ``PlanError`` or ``StackFileError``."""
    top = git.toplevel(directory)
    commit = git.resolve(top, against)
    folder = directory.resolve().relative_to(top.resolve())
    names = list(stacks) or stackfile.stack_names(directory)
    if not names:
        raise stackfile.StackFileError(f"no stack files (Pulumi.<stack>.yaml) in {directory}: nothing to diff")
    for stack in names:
        stackfile.read(stack, directory)  # a missing or broken stack file, named before anything runs
    with git.checkout(top, commit) as tree, tempfile.TemporaryDirectory(prefix="pchat-program-") as scratch:
        diffs = []
        for stack in names:
            before = tree / folder
            sides = {"after": directory}
            if (before / PROJECT_FILE).is_file() and stackfile.stack_path(stack, before).is_file():
                sides["before"] = before
            found = _plan_both(sides, stack, Path(scratch), {"before": against, "after": "working tree"}, say)
            diffs.append(diff_stack(stack, found.get("before"), found.get("after")))
    return diffs


def _plan_both(
    sides: dict[str, Path], stack: str, scratch: Path, labels: dict[str, str], say: Callable[[str], None] | None
) -> dict[str, Outcome]:
    """Both revisions at once, one process each."""
    package = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")]))}
    running = {}
    for side, directory in sides.items():
        out = scratch / f"{side}-{stack}.json"
        command = [sys.executable, "-m", "lync_pchat.offline.program", str(directory), stack, str(out)]
        if say:
            say(f"[{labels[side]}] planning the program in {directory} for stack '{stack}'")
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        running[side] = (process, out)
    found: dict[str, Outcome] = {}
    for side, (process, out) in running.items():
        _, err = process.communicate()
        lines = [line for line in err.splitlines() if line.strip()]
        if process.returncode == 0:
            found[side] = json.loads(out.read_text())
        elif process.returncode == 1 and lines[:1] and lines[0].startswith("error: "):
            found[side] = Refused((f"at {labels[side]}: {lines[0].removeprefix('error: ')}", *lines[1:]))
        else:
            last = lines[-1] if lines else f"exit status {process.returncode}"
            raise PlanError(f"planning the program for stack '{stack}' at {labels[side]} failed: {last}")
    return found


def main(argv: list[str]) -> int:
    """``python -m lync_pchat.offline.program DIR STACK OUT``: the plan JSON of one stack into OUT."""
    directory, stack, out = Path(argv[0]).resolve(), argv[1], Path(argv[2])
    try:
        data = plan_program(directory, stack)
    except TopologyConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except stackfile.StackFileError as error:
        print(f"pchat: {error}", file=sys.stderr)
        return 2
    out.write_text(dumps(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
