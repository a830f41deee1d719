"""The git plumbing of ``pchat diff``: a revision, the stack files it holds, an export of it."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..stackfile import stack_name


class GitError(RuntimeError):
    """git failed or a revision does not exist: one line for the user."""


def output(repo: Path, *args: str) -> bytes:
    """The output of ``git -C repo args``, as bytes; :class:`GitError` with git's first line of complaint."""
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if result.returncode != 0:
        lines = result.stderr.decode(errors="replace").strip().splitlines() or [f"exit status {result.returncode}"]
        raise GitError(f"git {args[0]} failed in {repo}: {lines[0]}")
    return result.stdout


def git(repo: Path, *args: str) -> str:
    """The output of ``git -C repo args``, as text; :class:`GitError` with git's first line of complaint."""
    return output(repo, *args).decode()


def toplevel(repo: Path) -> Path:
    """The root of the repository that holds ``repo``."""
    return Path(git(repo, "rev-parse", "--show-toplevel").strip())


def resolve(top: Path, ref: str) -> str:
    """The commit ``ref`` names, or :class:`GitError` naming the bad revision."""
    try:
        if ref.startswith("-"):
            raise GitError(ref)
        return git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except GitError:
        raise GitError(f"unknown git revision '{ref}' in {top}") from None


def stacks_at(top: Path, commit: str, folder: PurePosixPath) -> list[str]:
    """The stacks whose files ``folder`` (relative to the root) holds at ``commit``."""
    spec = [] if str(folder) == "." else ["--", f"{folder}/"]
    names = git(top, "ls-tree", "--name-only", commit, *spec).splitlines()
    files = (PurePosixPath(name).name for name in names)
    return sorted(stack_name(f) for f in files if f.startswith("Pulumi.") and f.endswith(".yaml"))


def show(top: Path, commit: str, path: PurePosixPath) -> str:
    """The text of the file ``path`` (relative to the root) at ``commit``."""
    return git(top, "show", f"{commit}:{path}")


LEFT_OUT = ("tests", "docs", "benchmarks")
"""What a plan of another revision never reads: the checkout leaves it out (fewer files to write and remove)."""


@contextmanager
def checkout(top: Path, commit: str) -> Iterator[Path]:
    """The files of ``commit`` (but :data:`LEFT_OUT`) in a throwaway folder, removed on the way out: an export
    (``git archive``), not a worktree, so nothing is registered in the repository. ``tar`` unpacks it in its own
    process where there is one (this process plans the working tree meanwhile); else :mod:`tarfile` does."""
    spec = [".", *(f":(exclude){folder}" for folder in LEFT_OUT)]
    exported = output(top, "archive", "--format=tar", commit, "--", *spec)
    with tempfile.TemporaryDirectory(prefix="pchat-diff-") as scratch:
        tree = Path(scratch) / "tree"
        tree.mkdir()
        tar = shutil.which("tar")
        if tar is None or subprocess.run([tar, "-x", "-C", str(tree)], input=exported, check=False).returncode:
            with tarfile.open(fileobj=io.BytesIO(exported)) as archive:
                archive.extractall(tree, filter="data")  # paths and links stay inside the folder
        yield tree
