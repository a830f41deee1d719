"""Plans stacks at another git revision with that revision's own code (``pchat plan`` in a worktree,
one subprocess per stack), in the background: the caller plans the working tree meanwhile, so the
two revisions take two cores and the time of about one."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from types import TracebackType

from ..interrupt import CHILDREN
from . import git
from .diff import Outcome, Refused

PROGRESS = re.compile(r"(synthesizing |\s+\.\.\. |registered )")
"""The progress lines ``pchat plan`` has written on stderr since it exists."""


class PlanError(RuntimeError):
    """Planning at the other revision failed, not because of the model: one line for the user."""


class BackgroundPlans:
    """Plans stacks at ``commit`` in a background thread; a context manager that stops and cleans up."""

    def __init__(self, top: Path, commit: str, label: str, folder: PurePosixPath, say: Callable[[str], None] | None):
        self.top, self.commit, self.label, self.folder, self.say = top, commit, label, folder, say
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pchat-base")
        self._stop = threading.Event()
        self._process: subprocess.Popen[str] | None = None
        self._future: Future[dict[str, Outcome]] | None = None

    def __enter__(self) -> BackgroundPlans:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        self._pool.shutdown(wait=True)

    def start(self, stacks: Sequence[str]) -> None:
        self._future = self._pool.submit(self._plan_all, list(stacks))

    def results(self) -> dict[str, Outcome]:
        """Each stack's plan JSON or refusal; raises :class:`PlanError` or ``GitError``."""
        return self._future.result() if self._future else {}

    def _plan_all(self, stacks: list[str]) -> dict[str, Outcome]:
        if not stacks:
            return {}
        with git.checkout(self.top, self.commit) as tree:
            return {stack: self._plan(tree, stack) for stack in stacks}

    def _plan(self, tree: Path, stack: str) -> Outcome:
        if self._stop.is_set():
            raise PlanError("cancelled")
        out = tree.parent / f"plan-{stack}.json"
        command = [sys.executable, "-m", "lync_pchat", "plan", "--stacks-dir", str(tree / self.folder)]
        command += ["--json", str(out), *([] if self.say else ["--quiet"]), "--", stack]
        env = {**os.environ, "PYTHONPATH": str(tree)}
        with subprocess.Popen(
            command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        ) as process:
            self._process = process
            CHILDREN.add(process)
            if self._stop.is_set():  # stopped while this one started
                process.kill()
            try:
                said = self._relay(process.stderr or ())
            finally:
                CHILDREN.discard(process)
        if process.returncode == 0:
            return _read(out)
        if process.returncode == 1 and said[:1] and said[0].startswith("error: "):
            return Refused((f"at {self.label}: {said[0].removeprefix('error: ')}", *said[1:]))
        last = next((line for line in reversed(said) if line.strip()), f"exit status {process.returncode}")
        raise PlanError(f"planning stack '{stack}' at {self.label} failed: {last.removeprefix('pchat: ')}")

    def _relay(self, lines: Iterable[str]) -> list[str]:
        """Pass progress lines on, labelled with the revision; keep the others."""
        kept = []
        for line in lines:
            text = line.rstrip("\n")
            if PROGRESS.match(text):
                if self.say:
                    self.say(f"[{self.label}] {text}")
            else:
                kept.append(text)
        return kept


def _read(path: Path) -> Outcome:
    try:
        return json.loads(path.read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError) as error:
        raise PlanError(f"no plan JSON in {path}: {error}") from None
