"""``pchat diff``: what a change adds, updates, replaces and deletes, stateful losses first."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from lync_pchat.cli import main
from lync_pchat.offline.diff import Change, compare, markdown

ROOT = Path(__file__).resolve().parents[2]


def res(name: str, type_: str = "azure-native:compute:Disk", protect: bool = False, **inputs: Any) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:s::pchat::{type_}::{name}",
        "type": type_,
        "name": name,
        "protect": protect,
        "inputs": inputs,
    }


def plan(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resources": list(resources)}


def test_actions_and_stateful_flags() -> None:
    vm = "azure-native:compute:VirtualMachine"
    before = plan(
        res("d1", diskSizeGB=128),
        res("d2", diskName="a"),
        res("gone"),
        res("sql-vm", vm, tags={"pchat-role": "store"}, vmName="x"),
        res("a1-vm", vm, tags={"pchat-role": "active"}, hardwareProfile={"vmSize": "A"}),
    )
    after = plan(
        res("d1", diskSizeGB=256),
        res("d2", diskName="b"),
        res("new"),
        res("sql-vm", vm, tags={"pchat-role": "store"}, vmName="x"),
        res("a1-vm", vm, tags={"pchat-role": "active"}, hardwareProfile={"vmSize": "B"}),
    )
    assert [(c.name, c.action, c.keys, c.dangerous) for c in compare(before, after)] == [
        ("gone", "delete", (), True),
        ("d2", "replace", ("diskName",), True),
        ("d1", "update", ("diskSizeGB",), False),
        ("a1-vm", "update", ("hardwareProfile.vmSize",), False),
        ("new", "create", (), False),
    ]


def test_markdown_warns_about_stateful_losses() -> None:
    changes = [
        Change("u1", "azure-native:compute:Disk", "d2", "replace", ("diskName",), True),
        Change("u2", "azure-native:compute:Disk", "d3", "create", (), True),
    ]
    assert markdown("enterprise", "origin/main", changes).splitlines() == [
        "### Persistent Chat plan diff: stack `enterprise` against `origin/main`",
        "",
        "1 to create · 1 to replace",
        "",
        "> **Warning: 1 stateful resource(s) would be deleted or replaced. Chat history, compliance records or "
        "secrets may be lost; use `aliases` for renames.**",
        "",
        "| action | type | name | changed inputs |",
        "|---|---|---|---|",
        "| replace ⚠ | `azure-native:compute:Disk` | `d2` | diskName |",
        "| create | `azure-native:compute:Disk` | `d3` | - |",
    ]
    assert markdown("lab", "HEAD~1", []).splitlines()[-1] == "No changes."


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway repository holding this package and the `single` stack, committed once."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "lync_pchat", repo / "lync_pchat", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (repo / "stacks").mkdir()
    shutil.copy(ROOT / "stacks" / "Pulumi.single.yaml", repo / "stacks")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def edit_stack(repo: Path, change: Any) -> None:
    path = repo / "stacks" / "Pulumi.single.yaml"
    document = yaml.safe_load(path.read_text())
    change(document["config"]["pchat:topology"])
    path.write_text(yaml.safe_dump(document))


def diff(repo: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    markdown_file = repo / "diff.md"
    assert (
        main(
            [
                "diff",
                "single",
                "--against",
                "HEAD",
                "--repo",
                str(repo),
                "--stacks-dir",
                str(repo / "stacks"),
                "--markdown",
                str(markdown_file),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert markdown_file.read_text() == out
    return out.splitlines()


def test_growing_a_pool_only_adds(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(users=30000))
    lines = diff(repo, capsys)
    assert lines[2] == "8 to create · 1 to update"
    assert "Warning" not in "\n".join(lines)
    assert "| create | `azure-native:compute:VirtualMachine` | `pchat01-a2-vm` | - |" in lines
    nsg = "| update | `azure-native:network:NetworkSecurityGroup` | `pchat-dublin-pchat-nsg` | securityRules |"
    assert nsg in lines


def test_renaming_servers_is_flagged(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(computerNamePrefix="pc01"))
    lines = diff(repo, capsys)
    assert lines[4].startswith("> **Warning: 1 stateful resource(s) would be deleted or replaced.")
    assert lines[8] == "| delete ⚠ | `azure-native:compute:Disk` | `pchat01-a1-data` | - |"
