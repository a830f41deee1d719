"""Each phase writes its log itself, on PowerShell 4.0 as on 5.0 and later.

Sources: the information stream (6) was introduced in PowerShell 5.0; output, error, warning, verbose and debug
(1-5) exist from 2.0 (learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_output_streams);
"Starting in Windows PowerShell 5.0, Write-Host is a wrapper for Write-Information"
(learn.microsoft.com/powershell/module/microsoft.powershell.utility/write-host); so on Windows Server 2012 R2
(PowerShell 4.0) a redirection such as ``*>>`` carries no Write-Host line (operations.md 9.4).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import install
from lync_pchat.install import supervisor as sv

from .. import powershell as ps
from .support import FULL, PLANS, code, every_script, function, server_tree, settings

HELPER = "Write-PhaseLog"


def phase_scripts() -> Iterator[tuple[str, str]]:
    """(id, script) of every phase the supervisor runs, for every plan: A, U, B, C, and the verify, log-shipping
    and release phases."""
    yield from every_script()
    for index, plan in enumerate(PLANS):
        for pool in plan.pools:
            runbooks = runbook_scripts(plan, pool)
            yield f"{index}-{pool.key}-verify", install.verify_script(pool, plan, runbooks)
            if runbooks.cu_databases is not None:
                yield f"{index}-{pool.key}-cu-databases", install.cu_databases_script(pool, plan, runbooks)
            backup = pool.mgc.backup
            if backup is not None and backup.server is not None:
                yield f"{index}-{pool.key}-shipping", install.shipping_script(pool, runbooks)
            for server in pool.pool_servers:
                yield f"{index}-{server.key}-release", install.release_script(server, plan, runbooks)


SCRIPTS = dict(phase_scripts())


def _outside_helper(script: str, name: str) -> list[str]:
    """Calls of ``name`` anywhere but inside the body of the log helper."""
    helper = function(script, HELPER)
    return [
        ps.text(c.node)
        for c in ps.commands(server_tree(script), name)
        if not helper.start_byte <= c.node.start_byte < helper.end_byte
    ]


@pytest.mark.parametrize("key", sorted(SCRIPTS))
def test_no_phase_line_depends_on_the_information_stream(key: str) -> None:
    script = SCRIPTS[key]
    assert _outside_helper(script, "Write-Host") == []
    assert _outside_helper(script, "Write-Warning") == []
    redirections = [ps.text(n) for n in ps.of_type(server_tree(script), "redirection")]
    assert all(">>" not in r for r in redirections), redirections


@pytest.mark.parametrize("key", sorted(SCRIPTS))
def test_every_phase_logs_through_the_helper(key: str) -> None:
    """Each step's name, each skip and the failure line go through the helper, and every phase has steps."""
    script = SCRIPTS[key]
    assert ps.commands(server_tree(script), "Invoke-Step"), "the phase runs steps"
    for caller in ("Invoke-Step", "Write-Skip", "Write-Failure", "Complete-Phase"):
        assert ps.commands(function(script, caller), HELPER), f"{caller} does not log through {HELPER}"
    assert ps.commands(server_tree(script), "Write-Failure"), "the phase logs its failure"


def test_the_helper_appends_to_the_log_beside_the_marker_in_utf8() -> None:
    script = SCRIPTS[next(iter(sorted(SCRIPTS)))]
    body = ps.text(function(script, HELPER))
    assert "[IO.Path]::ChangeExtension($cfg.State, '.log')" in body
    utf8 = "(New-Object Text.UTF8Encoding($false))"
    assert f"[IO.File]::AppendAllText($log, $Message + [Environment]::NewLine, {utf8})" in body
    # Run by hand (no marker, so no log), the line goes to the console: the only Write-Host, in that branch.
    (branch,) = [n for n in ps.of_type(function(script, HELPER), "if_statement")]
    assert ps.text(branch).startswith("if (-not $cfg.State)")
    assert [ps.text(c.node) for c in ps.commands(branch, "Write-Host")] == ["Write-Host $Message"]


@pytest.mark.parametrize("phase", sv.PHASES, ids=lambda p: p.name)
def test_the_supervisor_streams_the_log_the_phase_writes(phase: sv.Phase) -> None:
    """The log the Run Command streams is the one Write-PhaseLog derives from the marker's path."""
    script = install.server_script(FULL.server("pchat01-a1"), FULL)
    supervisor = install.supervisor_script(phase, script, setup_user="CORP\\svc-lyncsetup", token=None)
    values = settings(supervisor)
    assert values["State"] == sv.state_path(phase.name) == f"C:\\ProgramData\\lync-pchat\\{phase.name}.json"
    assert values["LogPath"] == sv.log_path(phase.name) == f"C:\\ProgramData\\lync-pchat\\{phase.name}.log"


def test_the_task_appends_the_other_streams_without_a_file_redirection() -> None:
    script = install.server_script(FULL.server("pchat01-a1"), FULL)
    supervisor = install.supervisor_script(install.INSTALL, script, setup_user="CORP\\svc-lyncsetup", token=None)
    start = ps.text(function(supervisor, "Start-Phase"))
    assert "*>>" not in code(supervisor)
    assert "$append = \"[IO.File]::AppendAllText('$($cfg.LogPath)', [string]`$_ + [Environment]::NewLine)\"" in start
    assert "$command = \"& '$($cfg.ScriptPath)' *>&1 | ForEach-Object { $append }; exit `$LASTEXITCODE\"" in start
