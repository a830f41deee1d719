"""The tiny template renderer: strict placeholders, block and inline substitution."""

from __future__ import annotations

import pytest

from lync_pchat.runbooks.templates import TEMPLATES, fill
from lync_pchat.scripting.templates import substitute


def test_inline_and_block_placeholders() -> None:
    text = "a {{ x }} b\n    {{block}}\nend {{x}}\n"
    assert substitute(text, {"x": "1", "block": "one\n\ntwo"}) == "a 1 b\n    one\n\n    two\nend 1\n"


def test_an_empty_block_removes_its_line() -> None:
    assert substitute("a\n{{ block }}\nb\n", {"block": ""}) == "a\nb\n"


def test_values_are_not_rescanned() -> None:
    assert substitute("{{ x }}\n", {"x": "{{ y }}"}) == "{{ y }}\n"


def test_a_missing_value() -> None:
    with pytest.raises(KeyError, match=r"template t: no value for \{\{ y \}\}"):
        substitute("{{ x }} {{ y }}", {"x": "1"}, "t")


def test_an_unused_value() -> None:
    with pytest.raises(KeyError, match=r"template t: unused values \['z'\]"):
        substitute("{{ x }}", {"x": "1", "z": "2"}, "t")


def test_packaged_templates() -> None:
    assert TEMPLATES.text("failover.ps1").startswith("<#\n.SYNOPSIS")
    with pytest.raises(KeyError, match=r"template configure-compliance\.ps1: no value for"):
        fill("configure-compliance.ps1")
