"""Every install script: it parses, stays under 64 KB, holds no secret, stops on errors with one summary line
last, and is rendered only for what it installs.

Oracles: the Run Command keeps the last 4 KB of output and fails on a non-zero exit code
[AZ:windows/run-command-managed.md]; a password reaches a Run Command only as runAsPassword, the media only
through the managed identity (no SAS, no key).
"""

from __future__ import annotations

import re

import pytest

from lync_pchat import install
from lync_pchat.model import Role
from lync_pchat.scripting import MAX_SCRIPT, powershell

from .. import powershell as ps
from .support import (
    BARE,
    FULL,
    PLANS,
    STANDARD,
    code,
    every_script,
    function,
    lync_servers,
    main_block,
    server_tree,
    step,
    steps,
)

SCRIPTS = list(every_script())
IDS = [name for name, _ in SCRIPTS]


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_every_script_parses_and_stays_under_64_kb(name: str, script: str) -> None:
    assert ps.errors(script) == []
    assert len(script.encode("utf-8")) < MAX_SCRIPT


def test_the_scripts_cover_every_lync_server_and_pool() -> None:
    roles = {s.role for plan in PLANS for s in lync_servers(plan)}
    assert roles == {Role.ACTIVE, Role.STANDBY, Role.STANDARD_EDITION}
    assert {p.pools[0].key for p in PLANS} >= {"pchat01", "lyncse01"}
    assert any(len(p.pools) > 1 for p in PLANS), "a stack with two pools"


SECRETS = re.compile(r"password|passwd|secret|sig=|[?&]sv=|accountkey|sharedkey|sas\b|credential|securestring", re.I)


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_no_script_holds_or_asks_for_a_secret(name: str, script: str) -> None:
    """The setup account's password is Azure's runAsPassword, never the script's; the media is read with the
    managed identity: no SAS token, no account key, no credential object."""
    assert SECRETS.findall(code(script)) == []
    assert ps.commands(server_tree(script), "Get-Credential") == []
    assert "-capassword" not in script.lower() and "-caaccount" not in script.lower()


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_a_failure_stops_the_script_and_names_its_step_last(name: str, script: str) -> None:
    root = server_tree(script)
    (body,) = [c for c in root.children if c.type == "statement_list"]
    first = next(c for c in body.children if c.is_named)
    assert ps.text(first) == "$ErrorActionPreference = 'Stop'", "the first statement"
    (catch,) = ps.of_type(main_block(script), "catch_clause")
    statements = [c for s in ps.of_type(catch, "statement_list")[:1] for c in s.children if c.is_named]
    assert [ps.text(s) for s in statements] == ["Write-Failure $_", "exit 1"]
    failure = function(script, "Write-Failure")
    assert "$script:Step" in ps.text(failure) and "-replace '\\s+', ' '" in ps.text(failure)
    assert steps(script), "the steps run inside the try"


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_every_native_program_is_checked(name: str, script: str) -> None:
    """Programs start through Invoke-Native, which fails on an unexpected exit code; the one direct call of
    powershell.exe checks $LASTEXITCODE."""
    root = server_tree(script)
    native = function(script, "Invoke-Native")
    assert "-Wait -PassThru" in ps.text(native) and "$Success -notcontains $code" in ps.text(native)
    direct = [c for c in ps.commands(root) if c.name.lower().endswith(".exe")]
    for call in direct:
        assert call.name == "powershell.exe"
        after = ps.text(root)[call.node.end_byte : call.node.end_byte + 80]
        assert "$LASTEXITCODE -ne 0" in after


SOURCE = re.compile(
    r"\[(?:L:lync-server-2013-[a-z0-9-]+|PS:[A-Za-z-]+|AZ:[a-z0-9/.-]+|QS-AZ:[A-Za-z0-9/.-]+|QS-AWS"
    r"|lync-install\.md [0-9.]+)\]"
)
"""A source key as the reference files write them."""


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_every_step_cites_its_source(name: str, script: str) -> None:
    """Each step's block (or a comment of the function it runs) names where it comes from."""
    for step_name, block in steps(script):
        comments = " ".join(ps.text(c) for c in ps.of_type(block, "comment"))
        assert SOURCE.search(comments), f"step {step_name!r} cites no source"


def test_software_off_or_a_sql_server_renders_nothing() -> None:
    off = BARE.__class__(**{**BARE.__dict__, "software": None})
    server = off.pools[0].active[0]
    for render in (lambda: install.server_script(server, off), lambda: install.start_script(server, off)):
        with pytest.raises(ValueError, match=r"software\.install is off"):
            render()
    with pytest.raises(ValueError, match=r"software\.install is off"):
        install.database_script(off.pools[0], off)
    sql = FULL.server("pchat01-sql")
    with pytest.raises(ValueError, match="SQL Server"):
        install.server_script(sql, FULL)
    with pytest.raises(ValueError, match="SQL Server"):
        install.start_script(sql, FULL)


def test_the_install_host_is_the_first_active_server_or_the_standard_edition_server() -> None:
    assert FULL.pools[0].install_host.key == "pchat01-a1"
    assert STANDARD.pools[0].install_host.role is Role.STANDARD_EDITION


def test_desktop_experience_is_the_feature_that_needs_a_restart() -> None:
    """[L:lync-server-2013-install-lync-server-server-components]: setup asks for a restart "if Windows Desktop
    Experience needed to be installed"; it is on the Standard Edition line only."""
    assert {"Desktop-Experience"} == install.RESTART_FEATURES
    assert set(STANDARD.pools[0].servers[0].windows_features) & install.RESTART_FEATURES
    assert not set(FULL.server("pchat01-a1").windows_features) & install.RESTART_FEATURES


def test_settings_render_as_literals_only() -> None:
    assert powershell({"A": ["x", 1, True, None], "B": {"C": "it's"}}) == (
        "@{\n    A = @('x', 1, $true, $null)\n    B = @{ C = 'it''s' }\n}"
    )
    with pytest.raises(ValueError, match="setting name"):
        powershell({"bad key": "x"})


def settings_keys(script: str) -> set[str]:
    """The top-level keys of the ``$cfg = @{...}`` hashtable that the renderer writes."""
    root = ps.parse(script)
    (assignment,) = [n for n in ps.of_type(root, "assignment_expression") if ps.text(n).startswith("$cfg = @{")]
    (table,) = ps.of_type(assignment, "hash_literal_body")[:1]
    return {ps.text(e.children[0]) for e in table.children if e.type == "hash_entry"}


def settings_read(script: str) -> set[str]:
    """Every ``$cfg.<name>`` the script reads."""
    read = set()
    for node in ps.of_type(ps.parse(script), "member_access"):
        variable, _, member = node.children
        if ps.text(variable) == "$cfg":
            read.add(ps.text(member))
    return read


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_the_settings_hold_exactly_what_the_script_reads(name: str, script: str) -> None:
    """The script is the oracle of its settings: a key it does not read is dead, one it reads and the settings
    lack is $null on the server (a step that silently does nothing). Names match as written, although
    PowerShell ignores their case."""
    assert settings_read(script) == settings_keys(script), name


@pytest.mark.parametrize(("name", "script"), SCRIPTS, ids=IDS)
def test_each_run_first_checks_that_it_is_elevated(name: str, script: str) -> None:
    """The Run Command runs as runAsUser [AZ:windows/run-command-managed.md], whose token UAC may filter; setup
    needs an elevated local administrator [lync-install.md 1.4]."""
    assert steps(script)[0][0] == "Check that the run is elevated", name
    body = ps.text(function(script, "Assert-Elevated"))
    assert "IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)" in body and "throw " in body


def test_an_installer_asking_for_a_restart_stops_the_run() -> None:
    """msiexec's 3010 is success pending a restart; "If you're prompted to restart ... run Step 2 one more time"
    [L:lync-server-2013-install-lync-server-server-components]. Invoke-Native records it, Get-PendingRestart
    reports it, and the core components step stops before setup runs on files waiting for the restart."""
    script = next(s for n, s in SCRIPTS if n.endswith("-A"))
    native = ps.text(function(script, "Invoke-Native"))
    assert '$script:RestartAsked += "$(Split-Path -Leaf $FilePath) (exit code 3010)"' in native
    assert (
        ps.text(function(script, "Get-PendingRestart"))
        .rstrip("}")
        .rstrip()
        .endswith("return @($reasons + $script:RestartAsked)")
    )
    core = ps.text(step(script, "Install the core components"))
    asked = "if ($script:RestartAsked.Count -gt 0) {\n            Request-Restart $script:RestartAsked"
    assert core.index("Install-CorePackage") < core.index(asked)
