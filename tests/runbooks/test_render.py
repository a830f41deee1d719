"""Which runbooks apply to which shipped stack, the files they produce, and the public API."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lync_pchat.runbooks import RUNBOOKS, RunbookNotApplicable, render, write

from .support import STACKS, STRETCHED_ONLY, applicable, every_file, files, plan

SOURCE_KEY = re.compile(r"\[(?:L|PS|SfB15):[^\]\s]+\]")


def test_the_shipped_stacks() -> None:
    assert STACKS == ["enterprise", "lab", "modern", "residency", "single", "spoke"]


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        (
            "enterprise",
            ["publish", "configure", "log-shipping", "verify", "cu-databases", "failover", "failback", "restore"],
        ),
        ("lab", ["publish", "configure", "verify", "cu-databases", "restore"]),
        ("residency", ["publish", "configure", "verify", "cu-databases", "restore"]),
        ("single", ["publish", "configure", "verify", "cu-databases", "restore"]),
    ],
)
def test_applicable_runbooks(stack: str, expected: list[str]) -> None:
    assert applicable(stack) == expected


@pytest.mark.parametrize("stack", ["lab", "residency", "single"])
@pytest.mark.parametrize("runbook", STRETCHED_ONLY)
def test_stretched_only_runbooks_refuse_other_stacks(stack: str, runbook: str) -> None:
    with pytest.raises(RunbookNotApplicable) as caught:
        render(plan(stack), runbook)
    assert str(caught.value) == (
        f"stack has no pool with disasterRecovery.standbySite; the {runbook} runbook applies only to a stretched pool"
    )
    assert isinstance(caught.value, ValueError)


def test_file_names() -> None:
    assert {name: sorted(files("enterprise", name)) for name in RUNBOOKS if name != "migrate"} == {
        "publish": ["publish-pchat01.ps1"],
        "configure": ["configure-pchat01.ps1"],
        "log-shipping": [
            "log-shipping-pchat01-from-mirror.ps1",
            "log-shipping-pchat01-mgc-mirror-primary.sql",
            "log-shipping-pchat01-mgc.sql",
            "log-shipping-pchat01-mgccomp-mirror-primary.sql",
            "log-shipping-pchat01-mgccomp.sql",
        ],
        "verify": ["verify-pchat01.ps1"],
        "cu-databases": ["cu-databases-pchat01.ps1"],
        "failover": ["failover-pchat01.ps1"],
        "failback": ["failback-pchat01.ps1"],
        "restore": ["restore-pchat01.ps1"],
    }
    assert sorted(files("residency", "publish")) == ["publish-pchatchi.ps1", "publish-pchatzrh.ps1"]
    assert sorted(files("lab", "configure")) == ["configure-lyncse01.ps1"]


@pytest.mark.parametrize(("stack", "runbook", "name"), every_file())
def test_every_file_is_filled_and_cites_its_sources(stack: str, runbook: str, name: str) -> None:
    text = files(stack, runbook)[name]
    assert "{{" not in text and "}}" not in text
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    assert "\t" not in text
    assert SOURCE_KEY.search(text), "no documentation source key"


@pytest.mark.parametrize("runbook", list(RUNBOOKS))
def test_each_runbook_cites_its_topic(runbook: str) -> None:
    stack, pool = ("modern", "sfbchat") if runbook == "migrate" else ("enterprise", "pchat01")
    main = {"log-shipping": f"log-shipping-{pool}-mgc.sql"}.get(runbook, f"{runbook}-{pool}.ps1")
    assert f"[{RUNBOOKS[runbook].source}]" in files(stack, runbook)[main]


def test_catalog() -> None:
    assert list(RUNBOOKS) == [
        "publish", "configure", "log-shipping", "verify", "cu-databases", "failover", "failback", "migrate",
        "restore"]  # fmt: skip
    assert RUNBOOKS["failover"].source == "L:lync-server-2013-failing-over-persistent-chat-server"
    assert RUNBOOKS["failover"].url == (
        "https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/"
        "lync-server-2013-failing-over-persistent-chat-server"
    )
    assert all(
        r.description and r.source.startswith("L:lync-server-2013-") for n, r in RUNBOOKS.items() if n != "migrate"
    )
    assert RUNBOOKS["migrate"].source == "PS:Import-CsPersistentChatData", "skype2015.md 6.1: the same cmdlets"


def test_an_unknown_runbook() -> None:
    with pytest.raises(ValueError, match="unknown runbook 'nope'; known: publish, configure, log-shipping, verify"):
        render(plan("enterprise"), "nope")


def test_rendering_is_deterministic() -> None:
    assert render(plan("enterprise"), "log-shipping") == render(plan("enterprise"), "log-shipping")


def test_write(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "runbooks"
    written = write(plan("enterprise"), "log-shipping", out)
    assert written == sorted(out / name for name in files("enterprise", "log-shipping"))
    for path in written:
        assert path.read_text(encoding="utf-8") == files("enterprise", "log-shipping")[path.name]
        assert b"\r\n" not in path.read_bytes()


def test_write_refuses_before_creating_anything(tmp_path: Path) -> None:
    with pytest.raises(RunbookNotApplicable):
        write(plan("single"), "failover", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_runbooks_import_no_pulumi() -> None:
    script = (
        "import sys, lync_pchat.runbooks\nprint(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_one_quoting_path() -> None:
    """Every literal a runbook prints comes from lync_pchat.scripting.quoting: no module doubles quotes by itself."""
    from lync_pchat.runbooks import plan_facts as facts

    package = Path(__file__).resolve().parents[2] / "lync_pchat"
    doubling = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "quoting.py" and 'replace("\'", "\'\'")' in path.read_text()
    ]
    assert doubling == []
    assert not hasattr(facts, "ps") and not hasattr(facts, "ps_list")


SHELLS = {"modern": "Skype for Business Server Management Shell", "enterprise": "Lync Server Management Shell"}
"""Where each product's runbooks run: the Skype for Business Server 2015 documentation names its shell
"Skype for Business Server Management Shell" [SfB15:plan-your-deployment/security/management-tools.md];
Lync Server 2013's is the "Lync Server Management Shell" [L:lync-server-2013-lync-server-management-shell]."""


@pytest.mark.parametrize("stack", list(SHELLS))
def test_each_runbook_names_its_product_s_shell(stack: str) -> None:
    other = next(shell for name, shell in SHELLS.items() if name != stack)
    said = {
        (name, file): text.replace('"Using Lync Server Management Shell Cmdlets"', "")  # a cited section title
        for name in applicable(stack)
        for file, text in files(stack, name).items()
    }
    assert [key for key, text in said.items() if other in text] == []
    named = sorted(name for (name, _), text in said.items() if f"Run it in the {SHELLS[stack]}" in text)
    assert set(named) >= {"publish", "configure", "failover", "failback", "restore"} & set(applicable(stack))
