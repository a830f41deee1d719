"""``pchat plan``: the Quickstart's main job, offline."""

from __future__ import annotations

import importlib.metadata
import json
import re
import sys
from pathlib import Path

import pytest

from lync_pchat.cli import main
from lync_pchat.model.sources import SYSTEM_PLATFORMS, url

ROOT = Path(__file__).resolve().parents[1]
STACKS = ROOT / "stacks"
COLLOCATED_WARNING = (
    "pools.pchat01.store.placement: collocating mgc on the Back End is supported but a dedicated SQL Server is "
    f"recommended ({url(SYSTEM_PLATFORMS)})"
)
"""The `single` stack puts its store on the existing Back End: supported, not recommended."""


def plan(stack: str, out: Path, *extra: str) -> int:
    return main(["plan", stack, "--stacks-dir", str(STACKS), "--out", str(out), *extra])


RESOURCES = 24 + 1 + 5 + 5 + 3 + 1
"""The single stack: 24 resources, plus the VMAccess extension that keeps its server's password the vault's,
monitoring (component, workspace, rule, the agent and the association of
its one VM; the action group of its monitoring.emails and the four alerts of a pool without mirroring or log
shipping), patching (component, the maintenance configuration of its wave, the VM's assignment) and the vault's
diagnostic setting to the monitoring workspace (its audit log, issue 27)."""


def test_plan_prints_tree_counts_and_topology(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan("single", tmp_path) == 0
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert out[:3] == [
        "Resources:",
        "lync-pchat:index:PersistentChatDeployment  pchat",
        "  lync-pchat:index:Monitoring  pchat-monitoring",
    ]
    assert "  lync-pchat:index:PersistentChatPool  pchat01" in out
    assert "    lync-pchat:index:WindowsServer  pchat01-a1" in out
    assert ["azure-native:compute:VirtualMachine", "northeurope", "1"] in [line.split() for line in out]
    assert (
        "Persistent Chat plan for stack 'single': enterprise edition, domain corp.contoso.com, 1 pool(s), 1 server(s)"
    ) in out
    assert "pchat01  mgc       be01.corp.contoso.com\\rtc  -       -        -" in out
    assert out[-1] == f"wrote {tmp_path / 'plan.json'} and {tmp_path / 'topology.mmd'}"
    assert captured.err.splitlines()[0] == "synthesizing stack 'single' under the mock engine: 1 server planned"
    assert captured.err.splitlines()[-1].startswith(f"registered {RESOURCES} resources in ")
    assert (captured.out + captured.err).count("pools.pchat01.store.placement") == 1
    warnings = out[out.index("Warnings:") : -1]
    assert warnings[:2] == ["Warnings:", f"  - {COLLOCATED_WARNING}"]
    # The stack sets no monitoring.testUsers (issue 16): one warning; then Lync Server 2013 and Windows Server
    # 2012 R2 past their support dates and the stack's acceptance (docs/skype2015.md), then the blank line.
    assert [w.split(":")[0] for w in warnings[2:]] == [
        "  - monitoring.testUsers", "  - support", "  - support", "  - acceptUnsupported", ""]  # fmt: skip


def test_plan_summary_shows_the_topology_without_resources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan("single", tmp_path, "--summary") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Persistent Chat plan for stack 'single': enterprise edition, domain corp.contoso.com, 1 pool(s), 1 server(s)"
    )
    assert "pchat01-a1  pchat01  active  dublin  Standard_F32s_v2  10.10.0.8" in out
    assert f"  - {COLLOCATED_WARNING}" in out
    assert not any("azure-native:" in line or "Resources:" in line for line in out)
    assert (tmp_path / "plan.json").is_file()


def test_plan_prints_every_warning_the_program_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25: a warning the program logs beside the model's (as a component may) is printed too, once."""
    import pulumi

    from lync_pchat.offline import synthesis

    real = synthesis.program

    def program() -> None:
        real()
        pulumi.log.warn("a warning only the program logs")
        pulumi.log.warn("a warning only the program logs")

    monkeypatch.setattr(synthesis, "program", program)
    assert plan("single", tmp_path, "--summary") == 0
    out = capsys.readouterr().out.splitlines()
    listed = [line.split(":")[0] for line in out[out.index("Warnings:") + 1 :] if line.startswith("  - ")]
    assert listed == [
        "  - pools.pchat01.store.placement",
        "  - monitoring.testUsers",
        "  - support",  # Lync Server 2013 (docs/skype2015.md: support dates)
        "  - support",  # Windows Server 2012 R2
        "  - acceptUnsupported",  # the stack's stated reason
        "  - a warning only the program logs",
    ]


def test_quiet_is_quiet_even_with_model_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert plan("single", tmp_path, "--quiet") == 0
    assert main(["runbook", "single", "publish", "--stacks-dir", str(STACKS), "--out", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert list(tmp_path.glob("publish*"))


def test_plan_writes_json_and_mermaid(tmp_path: Path) -> None:
    assert plan("single", tmp_path, "--quiet") == 0
    data = json.loads((tmp_path / "plan.json").read_text())
    assert (data["schemaVersion"], data["stack"], len(data["resources"])) == (2, "single", RESOURCES)
    assert data["pools"] == {
        "pchat01": {"fqdn": "pchat01.corp.contoso.com", "site": "dublin", "users": 15000, "active": 1, "standby": 0}
    }
    assert data["warnings"][0] == COLLOCATED_WARNING.replace(f"({url(SYSTEM_PLATFORMS)})", f"[{SYSTEM_PLATFORMS}]")
    assert [w.split(":")[0] for w in data["warnings"][1:]] == [
        "monitoring.testUsers", "support", "support", "acceptUnsupported"]  # fmt: skip
    vm = next(r for r in data["resources"] if r["type"] == "azure-native:compute:VirtualMachine")
    assert vm["urn"] == (
        "urn:pulumi:single::pchat::lync-pchat:index:PersistentChatDeployment$"
        "lync-pchat:index:PersistentChatPool$lync-pchat:index:WindowsServer$"
        "azure-native:compute:VirtualMachine::pchat01-a1-vm"
    )
    assert vm["inputs"]["osProfile"]["adminPassword"] == "[secret]"
    assert data["servers"]["pchat01-a1"] == {
        "pool": "pchat01",
        "role": "active",
        "site": "dublin",
        "region": "northeurope",
        "vmSize": "Standard_F32s_v2",
        "address": "10.10.0.8",
        "databases": [],
    }
    mermaid = (tmp_path / "topology.mmd").read_text().splitlines()
    assert mermaid[0] == "flowchart LR"
    assert '      n_pchat01_a1["pchat01-a1<br/>active<br/>10.10.0.8"]' in mermaid
    assert "  n_hop_pchat01 -- 5041 --> n_pchat01_a1" in mermaid


def test_plan_of_an_invalid_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Pulumi.bad.yaml").write_text(
        "config:\n  pchat:topology:\n    domain: contoso\n    sites: {}\n    pools: {}\n"
    )
    assert main(["plan", "bad", "--stacks-dir", str(tmp_path), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: pchat:topology is not a supported Persistent Chat topology (2 problems):",
        "  - pools: define at least one entry",
        "  - sites: define at least one entry",
    ]
    assert not (tmp_path / "plan.json").exists()


def test_plan_of_a_missing_stack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "nope", "--stacks-dir", str(STACKS)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"pchat: no stack file {STACKS}/Pulumi.nope.yaml (stacks: enterprise, lab, modern, residency, single, spoke)"
    )


@pytest.mark.parametrize("command", [["plan", "broken"], ["runbook", "broken", "publish"]])
def test_a_broken_stack_file_is_named_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = tmp_path / "Pulumi.broken.yaml"
    path.write_text("config:\n  pchat:topology:\n    sites: {dublin: {region: northeurope}\n    pools: {}\n")
    assert main([*command, "--stacks-dir", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    # the flow mapping opened on line 3 is still open where line 4 starts a new key, at column 5
    assert capsys.readouterr() == ("", f"pchat: {path}:4:5: expected ',' or '}}', but got '<scalar>'\n")


def test_version(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed version is the source's (pyproject.toml reads lync_pchat/version.py), and a checkout that is
    not installed says so."""
    checkout = re.search(r'^VERSION = "(.+)"$', (ROOT / "lync_pchat" / "version.py").read_text(), re.M)
    assert checkout is not None
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert (exit_.value.code, capsys.readouterr().out) == (0, f"pchat {checkout.group(1)}\n")

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"pchat {checkout.group(1)} (source checkout)\n"


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "pchat:topology"


def test_stacks_lists_the_stack_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("Pulumi.b.yaml", "Pulumi.a-1.yaml", "Pulumi.yaml", "notes.yaml"):
        (tmp_path / name).write_text("config: {}\n")
    assert main(["stacks", "--json", "--stacks-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == '["a-1","b"]\n'
    assert main(["stacks", "--stacks-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "a-1\nb\n"


def test_a_python_without_the_dependencies_gets_one_line(tmp_path: Path) -> None:
    """Issue 25: `python3 -m lync_pchat` in a checkout, outside the virtualenv (PEP 668 keeps the dependencies out
    of the system Python): one line naming the interpreter, what it lacks and the command to run, no traceback."""
    import os
    import subprocess
    import venv

    from lync_pchat.interrupt import MISSING_DEPENDENCY, missing_dependency

    venv.EnvBuilder(with_pip=False).create(tmp_path / "bare")
    python = tmp_path / "bare" / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [str(python), "-m", "lync_pchat", "plan"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (MISSING_DEPENDENCY, "")
    (line,) = result.stderr.splitlines()
    module = line.split(" cannot import ", 1)[1].split(",", 1)[0]
    assert line == missing_dependency(module).replace(sys.executable, str(python))
    assert module in {"pydantic", "pulumi", "yaml", "pydantic_core"}


def test_pchat_loads_no_pulumi_before_a_command_needs_it() -> None:
    """Issue 26: `pchat diff` starts planning the other revision before this process imports the program and the
    engine (their import is a good part of a plan), so the CLI module and what the diff needs first stay light."""
    import subprocess
    import sys

    probe = (
        "import sys, lync_pchat.cli, lync_pchat.offline.plandiff;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pulumi', 'pulumi_azure_native', 'components')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
