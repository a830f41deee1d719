"""The generated documentation sections are current, the generator writes only when asked, and the README
stays a front page whose links resolve."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lync_pchat import docs
from lync_pchat.docs import DOCUMENTS, ROOT, render

README_LINES = 500
"""Issue 19: the README is a front page, under 500 lines; the reference parts live in docs/."""


def test_generated_sections_are_current() -> None:
    """Regenerate with: python3 -m lync_pchat.docs"""
    for name, sections in DOCUMENTS.items():
        text = (ROOT / name).read_text()
        assert render(text, sections) == text, name
    assert docs.main(["--check"]) == 0
    reference = (ROOT / "docs" / "configuration.md").read_text()
    assert "| `activeServers` | integer | - | Active servers (1 to 4); default ceil(users / 20,000). |" in reference
    assert '      n_pchat01_a1["pchat01-a1<br/>active<br/>10.10.0.8"]' in (ROOT / "README.md").read_text()
    assert (
        "<details><summary>The program: <code>examples/hub-spoke/__main__.py</code>"
        in (ROOT / "docs" / "reuse.md").read_text()
    )


def test_each_section_lives_in_exactly_one_document() -> None:
    placed = [section for sections in DOCUMENTS.values() for section in sections]
    assert sorted(placed) == sorted(docs.SECTIONS)
    for name, sections in DOCUMENTS.items():
        text = (ROOT / name).read_text()
        for section in docs.SECTIONS:
            assert (f"<!-- {section}:start -->" in text) == (section in sections), (name, section)


def test_the_readme_is_a_front_page() -> None:
    assert len((ROOT / "README.md").read_text().splitlines()) < README_LINES


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name)
def test_relative_links_resolve(path: Path) -> None:
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text()):
        if "://" not in target:
            assert (path.parent / target).exists(), (path.name, target)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the documents for the generator to write to."""
    for name in DOCUMENTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.setattr(docs, "ROOT", tmp_path)
    return tmp_path


def test_check_finds_a_stale_document_and_writes_nothing(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference = checkout / "docs" / "configuration.md"
    stale = reference.read_text().replace("default ceil(users / 20,000)", "default 1")
    reference.write_text(stale)
    assert docs.main(["--check"]) == 1
    assert reference.read_text() == stale
    assert capsys.readouterr().err == f"lync_pchat.docs: {reference} is stale: run python -m lync_pchat.docs\n"
    assert docs.main([]) == 0
    assert reference.read_text() == (ROOT / "docs" / "configuration.md").read_text()
    assert capsys.readouterr().err == f"wrote {reference}\n"


def test_help_writes_nothing(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (checkout / "README.md").write_text("untouched")
    with pytest.raises(SystemExit) as exit_:
        docs.main(["--help"])
    assert exit_.value.code == 0
    assert "--check" in capsys.readouterr().out
    assert (checkout / "README.md").read_text() == "untouched"


def test_a_document_without_its_markers(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (checkout / "docs" / "reuse.md").write_text("# Reuse\n")
    assert docs.main([]) == 2
    assert capsys.readouterr().err == (
        f"lync_pchat.docs: {checkout / 'docs' / 'reuse.md'}: "
        "no <!-- estate-example:start --> ... <!-- estate-example:end --> section\n"
    )


def test_an_installed_copy_has_no_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(docs, "ROOT", tmp_path / "site-packages")
    assert docs.main([]) == 2
    missing = tmp_path / "site-packages" / "README.md"
    assert capsys.readouterr() == (
        "",
        f"lync_pchat.docs: no README.md at {missing}: run it from a checkout of the repository\n",
    )


CI_DIFF = "`python3 -m lync_pchat diff --against origin/<base> --fail-on-stateful`"
"""What the pull-request workflow runs on the runner's python3 (into which that job installs the package)."""


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name)
def test_documented_commands_run_in_the_virtualenv(path: Path) -> None:
    """Issue 25: outside the virtualenv `python3 -m lync_pchat` fails (PEP 668 keeps the package out of the
    system Python), so the documents call `.venv/bin/pchat` or `.venv/bin/python -m ...`; the README's Quickstart
    block (tests/test_quickstart.py) and the CI command it quotes are the exceptions."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith("python3 -m venv .venv && ") or CI_DIFF in line:
            continue
        bare = re.findall(r"(?<![/\w])python3? -m (?:lync_pchat|pytest)\b", line)
        assert not bare, f"{path.name}:{number}: {line.strip()[:120]}"
