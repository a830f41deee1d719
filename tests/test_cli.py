"""``pchat plan``: the Quickstart's main job."""

from __future__ import annotations

from pathlib import Path

import pytest

from lync_pchat.cli import main

STACKS = Path(__file__).resolve().parents[1] / "stacks"


def test_plan_prints_the_topology(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "enterprise", "--stacks-dir", str(STACKS)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("Persistent Chat plan for stack 'enterprise': enterprise edition, "
                      "domain corp.contoso.com, 1 pool(s), 18 server(s)")
    assert "pchat01-a4     pchat01  active                          dublin     Standard_F32s_v2  10.10.0.11" in out
    assert any(line.startswith("pchat01  mgccomp   pchat01-cmp.corp.contoso.com") for line in out)


def test_plan_shows_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "lab", "--stacks-dir", str(STACKS)]) == 0
    out = capsys.readouterr().out
    assert "\nWarnings:\n  - pools.lyncse01.hardware: evaluation sizes are below" in out


def test_plan_of_an_invalid_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Pulumi.bad.yaml").write_text(
        "config:\n  pchat:topology:\n    domain: contoso\n    sites: {}\n    pools: {}\n")
    assert main(["plan", "bad", "--stacks-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: pchat:topology is not a supported Persistent Chat topology (2 problems):",
        "  - pools: define at least one entry",
        "  - sites: define at least one entry",
    ]


def test_plan_of_a_missing_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "nope", "--stacks-dir", str(STACKS)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"pchat: no stack file {STACKS}/Pulumi.nope.yaml (stacks: enterprise, lab, residency, single)")
