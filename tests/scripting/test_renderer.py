"""The scripting layer: one renderer with the size limit for every producer, one way in for values, packing.

Oracles: docs/hardening.md (64 KB per install script, 8,191 characters per bootstrap command line); Python's gzip
and base64 (a packed script unpacks to itself); issue 26 item 3 (one renderer, the second check deleted).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lync_pchat
from lync_pchat.scripting import MAX_SCRIPT, Templates, packing
from lync_pchat.scripting.renderer import HELPERS, checked, helper

from ..runbooks.support import files

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lync_pchat"


def test_the_limit_is_64_kb_in_utf8_bytes() -> None:
    """docs/hardening.md: 64 KB per script. A character outside ASCII counts its UTF-8 bytes."""
    assert MAX_SCRIPT == 64 * 1024
    assert checked("small.ps1", "a" * (MAX_SCRIPT - 1)) == "a" * (MAX_SCRIPT - 1)
    with pytest.raises(ValueError, match=r"^big\.ps1 renders to 65536 bytes, over the 65536-byte limit$"):
        checked("big.ps1", "a" * MAX_SCRIPT)
    with pytest.raises(ValueError, match=r"^big\.ps1 renders to 65536 bytes"):
        checked("big.ps1", "\u00e9" * (MAX_SCRIPT // 2))


def test_every_producer_reads_its_templates_through_the_one_renderer() -> None:
    """No module but the renderer reads a packaged template or checks the size: one renderer, one limit."""
    reading = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.parent.name != "offline" and "resources.files" in path.read_text()
    ]
    assert reading == ["lync_pchat/scripting/renderer.py"]
    limiting = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if "MAX_SCRIPT" in p.read_text()]
    assert sorted(limiting) == ["lync_pchat/scripting/__init__.py", "lync_pchat/scripting/renderer.py"]


PRODUCERS = ("lync_pchat.install.scripts", "lync_pchat.backup_task.scripts", "lync_pchat.runbooks.templates",
             "lync_pchat.bootstrap.scripts", "lync_pchat.maintenance.scripts")  # fmt: skip
"""Every package that holds a producer's templates."""


def test_every_template_package_is_a_producer() -> None:
    """Each package that ships a ``.ps1`` template (but the renderer's own helpers) is in :data:`PRODUCERS`."""
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in PACKAGE.rglob("*.ps1")
        if path.parent != PACKAGE / "scripting" / "scripts"
    }
    assert found == set(PRODUCERS)


@pytest.mark.parametrize("package", PRODUCERS)
def test_each_producer_has_one_template_package_rendered_by_templates(package: str) -> None:
    """Each producer's templates are one package whose ``TEMPLATES`` is the one renderer's."""
    module = __import__(package, fromlist=["TEMPLATES"])
    assert Templates(package) == module.TEMPLATES


SQL_RUNBOOKS = ("cu-databases", "failback", "failover", "restore", "verify")
"""The runbooks that reach SQL Server with sqlcmd: each names the shared ``sql.ps1`` (``{{ sql }}``)."""


@pytest.mark.parametrize("runbook", SQL_RUNBOOKS)
def test_runbooks_reach_sql_through_the_one_shared_helper(runbook: str) -> None:
    """Each SQL runbook holds ``sql.ps1`` once, and no SQL function of its own."""
    shared = helper(HELPERS["sql"])
    for name, text in files("enterprise", runbook).items():
        if not name.endswith(".ps1"):
            continue
        assert text.count(shared) == 1, name
        rest = text.replace(shared, "")
        assert not re.search(r"(?m)^function Invoke-Sql", rest), name


def test_a_script_that_names_no_helper_gets_none() -> None:
    text = files("enterprise", "configure")["configure-pchat01.ps1"]
    assert all(helper(file) not in text for file in HELPERS.values())


SCRIPTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(SCRIPTS)
def test_a_packed_script_unpacks_to_itself_and_packs_the_same_every_time(script: str) -> None:
    packed = packing.pack(script)
    assert packing.unpack(packed) == script
    assert packing.pack(script) == packed
    stub = packing.launcher(script)
    assert packed in stub and '"' not in stub and "%" not in stub


def test_every_sqlcmd_call_leaves_scripting_variables_as_text() -> None:
    """sqlcmd reads ``$(name)`` in a query as a scripting variable unless ``-x`` is given [sqlcmd utility page:
    "-x: causes sqlcmd to ignore scripting variables"]: a value from the plan stays text. The bootstrap's two calls
    are the exception: their T-SQL holds folder paths the model validates, and changing the bootstrap's script would
    run it again on every server."""
    root = Path(lync_pchat.__file__).parent
    calls = [
        (path.relative_to(root).as_posix(), line.strip())
        for path in sorted(root.rglob("*.ps1"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if "& sqlcmd.exe" in line
    ]
    assert len(calls) > 10
    without = [(path, line) for path, line in calls if " -x" not in line]
    assert [path for path, _ in without] == ["bootstrap/scripts/Initialize-PChatServer.ps1"] * 2, without
