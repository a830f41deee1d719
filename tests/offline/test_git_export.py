"""The other revision of ``pchat diff`` is an export of its commit: its files, without what a plan never reads,
and nothing registered in the repository (``git worktree list`` unchanged)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lync_pchat.offline import git

from .test_diff_command import git as run_git


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    left_out = ("tests/test_x.py", "docs/a.md", "benchmarks/b.py")  # git.LEFT_OUT: a plan never reads them
    for name in ("lync_pchat/__init__.py", "stacks/Pulumi.single.yaml", *left_out):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(f"# {name}\n")
    run_git(repo, "init", "-q")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-qm", "base")
    (repo / "stacks" / "Pulumi.single.yaml").write_text("# changed after the commit\n")
    return repo, git.resolve(repo, "HEAD")


def _worktrees(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "worktree", "list"], check=True, capture_output=True, text=True
    ).stdout


def _files(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())


@pytest.mark.parametrize("tar", [True, False], ids=["tar", "tarfile"])
def test_the_export_holds_the_commit_s_files_but_tests_docs_and_benchmarks(
    committed: tuple[Path, str], tar: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, commit = committed
    if not tar:
        monkeypatch.setattr(git.shutil, "which", lambda _: None)
    worktrees = _worktrees(repo)
    with git.checkout(repo, commit) as tree:
        assert _files(tree) == ["lync_pchat/__init__.py", "stacks/Pulumi.single.yaml"]
        assert (tree / "stacks" / "Pulumi.single.yaml").read_text() == "# stacks/Pulumi.single.yaml\n"
        assert _worktrees(repo) == worktrees
    assert not tree.exists()
