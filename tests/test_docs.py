"""The README's generated sections are current."""

from __future__ import annotations

from lync_pchat.docs import README, render


def test_readme_generated_sections_are_current() -> None:
    """Regenerate with: python3 -m lync_pchat.docs"""
    text = README.read_text()
    assert render(text) == text
    assert "| `activeServers` | integer | - | Active servers (1 to 4); default ceil(users / 20,000). |" in text
    assert '      n_pchat01_a1["pchat01-a1<br/>active<br/>10.10.0.8"]' in text
