"""The README's generated sections are current, and the generator writes only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from lync_pchat import docs
from lync_pchat.docs import README, render


def test_readme_generated_sections_are_current() -> None:
    """Regenerate with: python3 -m lync_pchat.docs"""
    text = README.read_text()
    assert render(text) == text
    assert docs.main(["--check"]) == 0
    assert "| `activeServers` | integer | - | Active servers (1 to 4); default ceil(users / 20,000). |" in text
    assert '      n_pchat01_a1["pchat01-a1<br/>active<br/>10.10.0.8"]' in text


@pytest.fixture
def readme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the README for the generator to write to."""
    copy = tmp_path / "README.md"
    copy.write_text(README.read_text())
    monkeypatch.setattr(docs, "README", copy)
    return copy


def test_check_finds_a_stale_readme_and_writes_nothing(readme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = readme.read_text().replace("default ceil(users / 20,000)", "default 1")
    readme.write_text(stale)
    assert docs.main(["--check"]) == 1
    assert readme.read_text() == stale
    assert capsys.readouterr().err == f"lync_pchat.docs: {readme} is stale: run python -m lync_pchat.docs\n"
    assert docs.main([]) == 0
    assert readme.read_text() == README.read_text()


def test_help_writes_nothing(readme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme.write_text("untouched")
    with pytest.raises(SystemExit) as exit_:
        docs.main(["--help"])
    assert exit_.value.code == 0
    assert "--check" in capsys.readouterr().out
    assert readme.read_text() == "untouched"


def test_an_installed_copy_has_no_readme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "site-packages" / "README.md"
    monkeypatch.setattr(docs, "README", missing)
    assert docs.main([]) == 2
    assert capsys.readouterr() == (
        "",
        f"lync_pchat.docs: no README.md at {missing}: run it from a checkout of the repository\n",
    )
