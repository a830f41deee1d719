"""Hostile config strings stay data in every runbook: each one the model accepts lands inside one PowerShell
string literal or comment (T-SQL: one N'' literal, [identifier] or comment), as the parse tree shows; the
others the model refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology
from lync_pchat.runbooks import RUNBOOKS, RunbookNotApplicable, render
from tests import powershell as ps

from ..model.configs import changed, enterprise

LINE_BREAKING = ("\n", "\r\n", "\u2028", "\x85", "\x00")
"""A line feed, CR LF, the line separator, NEL (PowerShell ends a comment on each) and NUL: never data."""
FRAGMENTS = ("'", "\u2018", "\u2019", "\u201a", "\u201b", "$(Get-Date)", "$x", "`", ";", "]", "#>", '"', *LINE_BREAKING)
"""Quotes (ASCII and the typographic ones PowerShell also reads as quotes), a subexpression, a variable (a SQL
instance name may hold $), the escape character, a statement separator, a closing bracket, the end of a block
comment, a double quote, and the line breaks."""

BASE = changed(
    enterprise(),
    pools__pchat01__fileStore="\\\\fs01.corp.contoso.com\\lyncshare",
    pools__pchat01__compliance={"enabled": True},
    pools__pchat01__highAvailability={"mirroring": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    pools__pchat01__categories={
        "General": {"allowedMembers": ["OU=Users,DC=corp,DC=contoso,DC=com"], "creators": ["sip:a@corp.contoso.com"]}
    },
    pools__pchat01__addIns={"Help": {"url": "https://apps.corp.contoso.com/help"}},
)
"""Every runbook applies to it: a stretched, mirrored pool with compliance, a category and an add-in."""


def category(**keys: Any) -> dict[str, Any]:
    return {"General": {"allowedMembers": ["OU=Users,DC=corp,DC=contoso,DC=com"], **keys}}


CASES: dict[str, Callable[[str], dict[str, Any]]] = {
    "domain": lambda v: {"domain": f"corp{v}.contoso.com"},
    "sites.*.lyncSite": lambda v: {"sites__dublin__lyncSite": f"EMEA{v}"},
    "pools.*.nextHop": lambda v: {"pools__pchat01__nextHop": f"fe01{v}.corp.contoso.com"},
    "pools.*.fileStore": lambda v: {"pools__pchat01__fileStore": f"\\\\fs01.corp.contoso.com\\share{v}"},
    "pools.*.computerNamePrefix": lambda v: {"pools__pchat01__computerNamePrefix": f"pc{v}"},
    "pools.*.compliance.outputShare": lambda v: {
        "pools__pchat01__compliance": {"enabled": True, "outputShare": f"\\\\fs01.corp.contoso.com\\out{v}"}
    },
    "pools.*.store.sqlServer": lambda v: {
        "pools__pchat01__store": {"placement": "collocated", "sqlServer": f"be01{v}.corp.contoso.com"},
        "pools__pchat01__compliance": {"enabled": True, "outputShare": "\\\\fs01.corp.contoso.com\\out"},
        "pools__pchat01__highAvailability": {},
    },
    "pools.*.store.sqlInstance": lambda v: {
        "pools__pchat01__store": {
            "placement": "collocated",
            "sqlServer": "be01.corp.contoso.com",
            "sqlInstance": f"rtc{v}",
        },
        "pools__pchat01__compliance": {"enabled": True, "outputShare": "\\\\fs01.corp.contoso.com\\out"},
        "pools__pchat01__highAvailability": {},
    },
    "pools.*.categories.<name>": lambda v: {"pools__pchat01__categories": {f"Gen{v}": {}}},
    "pools.*.categories.*.description": lambda v: {"pools__pchat01__categories": category(description=f"d{v}")},
    "pools.*.categories.*.allowedMembers (DN)": lambda v: {
        "pools__pchat01__categories": {"General": {"allowedMembers": [f"CN=x{v},OU=Users,DC=corp,DC=contoso,DC=com"]}}
    },
    "pools.*.categories.*.deniedMembers (SIP)": lambda v: {
        "pools__pchat01__categories": category(deniedMembers=[f"sip:x{v}@corp.contoso.com"])
    },
    "pools.*.categories.*.creators": lambda v: {
        "pools__pchat01__categories": category(creators=[f"sip:x{v}@corp.contoso.com"])
    },
    "pools.*.addIns.<name>": lambda v: {"pools__pchat01__addIns": {f"Help{v}": {"url": "https://a.contoso.com/x"}}},
    "pools.*.addIns.*.url": lambda v: {"pools__pchat01__addIns": {"Help": {"url": f"https://a.contoso.com/x{v}"}}},
}
"""Every config string that a runbook prints, as a value built around a hostile fragment."""

FREE_TEXT = {
    "pools.*.fileStore",
    "pools.*.compliance.outputShare",
    "pools.*.categories.<name>",
    "pools.*.categories.*.description",
    "pools.*.categories.*.allowedMembers (DN)",
    "pools.*.categories.*.deniedMembers (SIP)",
    "pools.*.categories.*.creators",
    "pools.*.addIns.<name>",
    "pools.*.addIns.*.url",
}
"""The strings whose validation lets a quote through: the runbooks' quoting is all that keeps them data."""


def marked(fragment: str) -> str:
    return f"ZQ{fragment}QZ"


def rendered(raw: dict[str, Any]) -> dict[str, str]:
    """Every runbook file of ``raw`` for both products (the migrate runbook applies only to skype2015)."""
    files: dict[str, str] = {}
    for product in ("lync2013", "skype2015"):
        plan = plan_topology({**raw, "product": product})
        for name in RUNBOOKS:
            try:
                files.update({f"{product}/{file}": text for file, text in render(plan, name).items()})
            except RunbookNotApplicable:
                continue
    return files


def powershell_pieces(source: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of every string literal (its value) and comment (its text), in bytes."""
    root = ps.parse(source)
    pieces = []
    for node in ps.of_type(root, "verbatim_string_characters"):
        pieces.append((node.start_byte, node.end_byte, ps.unquote(ps.text(node))))
    for node in ps.of_type(root, "comment"):
        pieces.append((node.start_byte, node.end_byte, ps.text(node)))
    return pieces


def tsql_pieces(source: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of every string literal, [identifier] and comment of a T-SQL script, in bytes."""
    data, pieces, index = source.encode("utf-8"), [], 0
    while index < len(data):
        start, char = index, data[index : index + 1]
        if char in {b"'", b"["}:
            close = b"'" if char == b"'" else b"]"
            index += 1
            while index < len(data) and not (data[index : index + 1] == close and data[index + 1 : index + 2] != close):
                index += 2 if data[index : index + 1] == close else 1
            value = data[start + 1 : index].replace(close + close, close).decode("utf-8")
            pieces.append((start, index + 1, value))
        elif data[index : index + 2] == b"--":
            index = data.find(b"\n", index) % (len(data) + 1)
            pieces.append((start, index, data[start:index].decode("utf-8")))
        elif data[index : index + 9] == b":CONNECT " and (index == 0 or data[index - 1 : index] == b"\n"):
            # a sqlcmd command, not T-SQL: its one argument is the instance name
            index = data.find(b"\n", index) % (len(data) + 1)
            pieces.append((start + 9, index, data[start + 9 : index].decode("utf-8")))
        index += 1
    return pieces


def check(name: str, text: str, value: str) -> int:
    """How often ``value`` shows in ``text``; fails when any of its bytes lies outside one literal or comment
    that holds all of it."""
    if name.endswith(".ps1"):
        assert ps.errors(text) == [], name
        pieces = powershell_pieces(text)
    else:
        pieces = tsql_pieces(text)
    data, marker, found = text.encode("utf-8"), b"ZQ", 0
    position = data.find(marker)
    while position >= 0:
        holders = [p for p in pieces if p[0] <= position and position + len(marker) <= p[1]]
        assert holders, f"{name}: the value is outside any literal or comment at byte {position}"
        assert any(value in p[2] for p in holders), f"{name}: a literal holds only part of {value!r}"
        found += 1
        position = data.find(marker, position + 1)
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_each_config_string_stays_one_literal_or_is_refused(case: str) -> None:
    accepted = []
    for fragment in FRAGMENTS:
        value = marked(fragment)
        try:
            files = rendered(changed(BASE, **CASES[case](value)))
        except TopologyError:
            continue
        shown = sum(check(name, text, value) for name, text in files.items())
        assert shown, f"{case}: {value!r} reaches no runbook"
        accepted.append(fragment)
    assert ("'" in accepted) is (case in FREE_TEXT), accepted


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("fragment", LINE_BREAKING, ids=repr)
def test_a_line_break_is_refused_in_every_config_string(case: str, fragment: str) -> None:
    with pytest.raises(TopologyError):
        plan_topology(changed(BASE, **CASES[case](marked(fragment))))


def test_the_tsql_scanner_finds_literals_identifiers_and_comments() -> None:
    text = ":CONNECT be01\\rtc$x\nSELECT N'a''b', [c]]d] -- e'f\nGO"
    assert [p[2] for p in tsql_pieces(text)] == ["be01\\rtc$x", "a'b", "c]d", "-- e'f"]


def test_the_check_catches_a_value_outside_a_literal() -> None:
    with pytest.raises(AssertionError, match="outside any literal"):
        check("x.ps1", "Write-Host ZQ'QZ\n".replace("'", ""), "ZQQZ")
    with pytest.raises(AssertionError, match="only part"):
        check("x.ps1", "Write-Host ('ZQa' + 'QZ')\n", "ZQaQZ")
