"""``pchat diff --program``: a platform's own Pulumi program that embeds ``PersistentChat`` gets the diff and
the gates of the project's stacks, through the CLI and the Python API."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from lync_pchat.cli import main
from lync_pchat.offline.changes import Value
from lync_pchat.offline.program import diff_program

PROGRAM = """
import pulumi
from components import PersistentChat

config = pulumi.Config()
PersistentChat("chat", {
    "accept_unsupported": {"reason": "a test of Lync Server 2013 on its default images"},
    "domain": "corp.contoso.com",
    "protect_stateful_resources": config.get_bool("protect") is not False,
    "sites": {"dublin": {"region": "northeurope", "address_space": "10.10.0.0/16"}},
    "pools": {"pchat01": {"site": "dublin", "users": config.get_int("users") or 15000,
                          "next_hop": "fe01.corp.contoso.com", "data_disk": {"size_gb": config.get_int("diskGb")}}},
    "admin_password": config.require_secret("adminPassword"),
}, opts=pulumi.ResourceOptions())
"""
EXPAND_DISK = "https://learn.microsoft.com/azure/virtual-machines/windows/expand-os-disk"
"""Azure refuses to shrink a managed disk (the Expand-a-disk article)."""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True
    )


def set_config(infra: Path, **values: object) -> None:
    path = infra / "Pulumi.prod.yaml"
    document = yaml.safe_load(path.read_text()) if path.exists() else {"config": {}}
    document["config"].update({f"estate:{k}": v for k, v in values.items()})
    path.write_text(yaml.safe_dump(document))


@pytest.fixture
def infra(tmp_path: Path) -> Path:
    """A platform repository whose ``infra/`` program embeds the component, committed with 256 GB volumes."""
    infra = tmp_path / "platform" / "infra"
    infra.mkdir(parents=True)
    (infra / "Pulumi.yaml").write_text("name: estate\nruntime: python\n")
    (infra / "__main__.py").write_text(PROGRAM)
    set_config(infra, adminPassword={"secure": "v1:AAAA"}, diskGb=256)
    git(infra.parent, "init", "-q")
    git(infra.parent, "add", "-A")
    git(infra.parent, "commit", "-qm", "base")
    return infra


def diff(infra: Path, *extra: str) -> int:
    return main(["diff", "--program", str(infra), "--against", "HEAD", "--markdown", str(infra / "d.md"), *extra])


def test_a_shrink_in_an_embedding_program_fails(infra: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_config(infra, diskGb=200)
    assert diff(infra, "--quiet") == 4
    assert capsys.readouterr().err == "pchat: Azure refuses changes to existing resources: prod (1)\n"
    md = (infra / "d.md").read_text()
    assert f"| `pchat01-a1-data` | diskSizeGB: 256 → 200 | Azure cannot shrink a managed disk ({EXPAND_DISK}) |" in md


def test_the_python_api_gives_the_same_diff(infra: Path) -> None:
    set_config(infra, diskGb=200)
    (prod,) = diff_program(infra, "HEAD")
    assert (prod.stack, prod.status) == ("prod", "changed")
    (refused,) = prod.refused
    assert (refused.name, refused.values) == ("pchat01-a1-data", (Value("diskSizeGB", 256, 200),))


def test_turning_protection_off_fails_the_stateful_gate(infra: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_config(infra, protect=False)
    assert diff(infra, "--quiet") == 0
    assert diff(infra, "--quiet", "--fail-on-stateful") == 3
    assert capsys.readouterr().err.startswith("pchat: stateful resources would be deleted, replaced or unprotected")
    assert "| update ⚠ | `azure-native:compute:Disk` | `pchat01-a1-data` | protect removed" in (
        (infra / "d.md").read_text()
    )


def test_a_topology_the_component_refuses(infra: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """80,000 users is the documented ceiling of a pool
    [L:lync-server-2013-capacity-planning-for-persistent-chat-server]."""
    set_config(infra, users=80_001)
    assert diff(infra, "--quiet") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "error: stack 'prod' at working tree: pchat:topology is not a supported Persistent Chat topology (1 problem):"
    )
    assert err[1].startswith("  - pools.pchat01.users: 80,001 concurrent users")


def test_plan_program_shows_the_resources_and_writes_the_plan(
    infra: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 25: `pchat plan --program DIR` plans an embedding program's only stack, as `diff --program` does."""
    out = tmp_path / "out"
    assert main(["plan", "--program", str(infra), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Resources:"
    assert "lync-pchat:index:PersistentChat  chat" in printed
    assert ["azure-native:compute:VirtualMachine", "northeurope", "2"] in [line.split() for line in printed]
    assert printed[-1] == f"wrote {out / 'plan.json'}"
    plan = yaml.safe_load((out / "plan.json").read_text())
    assert plan["stack"] == "prod"
    vms = [r["name"] for r in plan["resources"] if r["type"] == "azure-native:compute:VirtualMachine"]
    assert sorted(vms) == ["pchat01-a1-vm", "pchat01-sql-vm"]
    # The pool has no room category: the model's warning is printed, as `pchat plan` prints a stack's.
    assert any(line.startswith("  - pools.pchat01.categories") for line in printed), printed


def test_plan_program_asks_for_a_stack_when_there_are_several(infra: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (infra / "Pulumi.dev.yaml").write_text((infra / "Pulumi.prod.yaml").read_text())
    assert main(["plan", "--program", str(infra), "--quiet"]) == 2
    assert capsys.readouterr().err == "pchat: name the stack to plan (dev, prod)\n"
    assert main(["plan", "dev", "--program", str(infra), "--json", str(infra / "dev.json"), "--quiet"]) == 0
    assert (infra / "dev.json").is_file()


def test_diff_program_without_stack_files_is_an_error(infra: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 25: a folder without stacks used to print nothing and exit 0, which reads as "no change"."""
    (infra / "Pulumi.prod.yaml").unlink()
    assert main(["diff", "--program", str(infra), "--against", "HEAD", "--quiet"]) == 2
    assert capsys.readouterr().err == f"pchat: no stack files (Pulumi.<stack>.yaml) in {infra}: nothing to diff\n"
