"""Every plan value reaches the scripts as one single-quoted literal, whatever it holds.

The model allows a quote, ``$``, spaces, brackets and typographic quotes in the media URI's folder, ``$`` in a SQL
instance name, brackets and spaces in the update installer's name, a space in the CA name, and a quote in a UNC
share. Rendered with such values, each occurrence of a value must lie inside one verbatim string node of the
parse tree, and PowerShell must read the value back unchanged.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lync_pchat import install
from lync_pchat.model import plan_topology
from lync_pchat.model.config import UNSAFE_CATEGORIES
from lync_pchat.scripting import powershell, quoting

from .. import powershell as ps
from ..model.configs import changed, enterprise
from .support import installing, server_tree, settings, value

PREFIX = "it's $HOME \u2019x/(1) `n;/"
INSTANCE = "r$tc_x"
INSTALLER = "CU (10) it.exe"
CA = "dc01.corp.contoso.com\\CORP CA-1"
SHARE = "\\\\fs01.corp.contoso.com\\it's $share"
PLAN = plan_topology(
    installing(
        changed(
            enterprise(),
            pools__pchat01__store={
                "placement": "collocated",
                "sqlServer": "be01.corp.contoso.com",
                "sqlInstance": INSTANCE,
            },
            pools__pchat01__fileStore=SHARE,
        ),
        mediaUri="https://media01.blob.core.windows.net/lync/" + PREFIX,
        updateInstaller=INSTALLER,
        certificateAuthority=CA,
        dnsServer="10.0.0.4",
    )
)
SERVER = PLAN.server("pchat01-a1")
SCRIPTS = {
    "A": install.server_script(SERVER, PLAN),
    "B": install.database_script(PLAN.pools[0], PLAN),
    "U": install.update_script(SERVER, PLAN),
    "C": install.start_script(SERVER, PLAN),
}


def occurrences(script: str, text: str) -> list[tuple[int, int]]:
    """Byte ranges of ``text`` in ``script`` as a literal body holds it (each quote character doubled)."""
    data, needle = script.encode("utf-8"), quoting.powershell(text)[1:-1].encode("utf-8")
    found, start = [], data.find(needle)
    while start != -1:
        found.append((start, start + len(needle)))
        start = data.find(needle, start + len(needle))
    return found


def assert_only_in_literals(script: str, text: str) -> None:
    """Each occurrence lies inside a verbatim string node, and the literals PowerShell reads hold the value as
    often as the script text does: no occurrence escapes its literal."""
    root = server_tree(script)
    spans = occurrences(script, text)
    assert spans, f"{text!r} is not in the script"
    for start, end in spans:
        assert ps.inside(root, start, end, "verbatim_string_characters"), f"{text!r} at {start} is outside a literal"
    values = [ps.literal(n.parent) for n in ps.of_type(root, "verbatim_string_characters") if n.parent is not None]
    assert sum((v or "").count(text) for v in values) == len(spans)


def test_the_hostile_values_are_what_powershell_reads() -> None:
    a, b, u = (settings(SCRIPTS[k]) for k in "ABU")
    assert a["MediaPrefix"] == PREFIX and a["MediaContainerUrl"] == "https://media01.blob.core.windows.net/lync"
    assert a["CertificateAuthority"] == CA
    (store,) = b["Stores"]
    assert store["Server"] == f"be01.corp.contoso.com\\{INSTANCE}" and store["Install"]["SqlInstanceName"] == INSTANCE
    assert b["Dns"]["Server"] == "10.0.0.4"
    assert u["UpdateInstaller"] == INSTALLER and u["MediaPrefix"] == PREFIX


def test_each_occurrence_of_a_plan_value_sits_inside_one_literal() -> None:
    used = {
        "A": [PREFIX, "$HOME", "\u2019x", CA, SERVER.fqdn],
        "B": [INSTANCE, f"be01.corp.contoso.com\\{INSTANCE}", "10.0.0.4", PLAN.domain],
        "U": [INSTALLER, PREFIX, SERVER.fqdn],
        "C": [SERVER.fqdn],
    }
    for phase, values in used.items():
        for text in values:
            assert_only_in_literals(SCRIPTS[phase], text)


def test_a_value_no_script_needs_is_in_none() -> None:
    """The file store (a UNC share with a quote) is Topology Builder's business, not the installer's."""
    for script in SCRIPTS.values():
        assert "it''s $share" not in script and "it's $share" not in script


PLAIN = st.text(st.characters(blacklist_categories=tuple(UNSAFE_CATEGORIES)), max_size=30)
"""What the model lets through: one line of plain text."""
QUOTES = st.sampled_from(["'", "\u2018", "\u2019", "\u201a", "\u201b", '"', "$(", "`", ";", "\\", "@{", "}", "#"])
HOSTILE = st.lists(st.one_of(PLAIN, QUOTES), max_size=8).map("".join)
KEYS = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True)
SETTINGS = st.dictionaries(KEYS, st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=4).filter(
    lambda d: len({k.lower() for k in d}) == len(d)
)


@given(SETTINGS)
def test_any_setting_stays_one_literal(data: dict[str, Any]) -> None:
    """Whatever text a setting holds, PowerShell reads back exactly it from single-quoted literals."""
    script = "$cfg = " + powershell(data) + "\n"
    assert ps.errors(script) == []
    (assignment,) = ps.of_type(ps.parse(script), "assignment_expression")
    (right,) = [c for c in assignment.children if c.type == "pipeline"]
    assert value(right) == data
