"""The one quoting path per target language, against the languages' own rules.

Oracles: a T-SQL delimited identifier ``[...]`` doubles each ``]`` and a string literal ``N'...'`` each ``'``
(learn.microsoft.com/sql/relational-databases/databases/database-identifiers, and "Constants (Transact-SQL)");
a PowerShell verbatim string ``'...'`` doubles each single quote, the typographic ones included
(about_Quoting_Rules).
"""

from __future__ import annotations

import pytest

from lync_pchat.scripting import quoting


@pytest.mark.parametrize(
    ("name", "quoted"),
    [("mgc", "[mgc]"), ("CORP\\svc-setup", "[CORP\\svc-setup]"), ("a]b", "[a]]b]"), ("]]", "[]]]]]"), ("[x", "[[x]")],
)
def test_a_tsql_identifier_doubles_each_closing_bracket(name: str, quoted: str) -> None:
    assert quoting.tsql_name(name) == quoted


@pytest.mark.parametrize(("text", "quoted"), [("mgc", "N'mgc'"), ("O'Brien", "N'O''Brien'"), ("''", "N''''''")])
def test_a_tsql_string_doubles_each_quote(text: str, quoted: str) -> None:
    assert quoting.tsql(text) == quoted


@pytest.mark.parametrize(
    ("text", "quoted"), [("a", "'a'"), ("it's", "'it''s'"), ("\u2019x", "'\u2019\u2019x'"), ("$x `n", "'$x `n'")]
)
def test_a_powershell_string_doubles_each_quote_and_keeps_the_rest(text: str, quoted: str) -> None:
    assert quoting.powershell(text) == quoted
