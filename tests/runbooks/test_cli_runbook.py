"""``pchat runbook <stack> <name>``: writes the files, prints their paths, fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from lync_pchat.cli import main

from .support import files

STACKS = Path(__file__).resolve().parents[2] / "stacks"


def test_writes_and_prints_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rb"
    assert main(["runbook", "enterprise", "log-shipping", "--out", str(out), "--stacks-dir", str(STACKS)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [str(out / name) for name in sorted(files("enterprise", "log-shipping"))]
    assert sorted(p.name for p in out.iterdir()) == sorted(files("enterprise", "log-shipping"))
    assert (out / "log-shipping-pchat01-mgc.sql").read_text() == files("enterprise", "log-shipping")[
        "log-shipping-pchat01-mgc.sql"
    ]


def test_default_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["runbook", "residency", "publish", "--stacks-dir", str(STACKS)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        str(Path("out/runbooks/residency/publish-pchatchi.ps1")),
        str(Path("out/runbooks/residency/publish-pchatzrh.ps1")),
    ]
    assert (tmp_path / "out/runbooks/residency/publish-pchatzrh.ps1").is_file()


def test_a_runbook_that_does_not_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rb"
    assert main(["runbook", "single", "failover", "--out", str(out), "--stacks-dir", str(STACKS)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "error: stack has no pool with disasterRecovery.standbySite; the failover runbook "
        "applies only to a stretched pool\n"
    )
    assert captured.out == "" and not out.exists()


def test_an_invalid_topology(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Pulumi.bad.yaml").write_text(
        "config:\n  pchat:topology:\n    domain: contoso\n    sites: {}\n    pools: {}\n"
    )
    assert main(["runbook", "bad", "publish", "--out", str(tmp_path / "rb"), "--stacks-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: pchat:topology is not a supported Persistent Chat topology (2 problems):"
    )
    assert not (tmp_path / "rb").exists()


def test_a_missing_stack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["runbook", "nope", "publish", "--stacks-dir", str(STACKS)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"pchat: no stack file {STACKS}/Pulumi.nope.yaml (stacks: enterprise, lab, modern, residency, single, spoke)"
    )


def test_an_unknown_runbook(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["runbook", "enterprise", "nope", "--stacks-dir", str(STACKS)])
    assert caught.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
