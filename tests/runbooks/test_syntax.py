"""Every rendered ``.ps1`` parses with a real PowerShell grammar; every ``.sql`` is well formed."""

from __future__ import annotations

import re

import pytest

from .support import code_lines, every_file, files, plan, powershell_errors

POWERSHELL = [f for f in every_file() if f[2].endswith(".ps1")]
SQL = [f for f in every_file() if f[2].endswith(".sql")]

PROCEDURES = {
    "sp_add_log_shipping_primary_database",
    "sp_add_log_shipping_primary_secondary",
    "sp_add_log_shipping_secondary_primary",
    "sp_add_log_shipping_secondary_database",
    "sp_add_log_shipping_alert_job",
    "sp_add_schedule",
    "sp_attach_schedule",
    "sp_update_job",
}
"""The system procedures the log-shipping scripts may call, as Management Studio scripts them."""
EXEC = re.compile(r"\bexec(?:ute)?\s+(?:@\w+\s*=\s*)?(?P<name>[\w.]+)", re.IGNORECASE)
VARIABLE = re.compile(r"@(?:LS_\w+|RetCode)\b")


def test_there_is_something_to_check() -> None:
    # publish, configure, restore, verify and cu-databases per pool (7 pools in 6 stacks: 35), log-shipping,
    # failover and failback for each of the two stretched stacks (6), migrate for the one skype2015 stack (1)
    assert len(POWERSHELL) == 5 * 7 + 6 + 1
    assert len(SQL) == 2 * 4  # the four log-shipping T-SQL files of each stretched stack


@pytest.mark.parametrize(("stack", "runbook", "name"), POWERSHELL)
def test_powershell_parses(stack: str, runbook: str, name: str) -> None:
    assert powershell_errors(files(stack, runbook)[name]) == []


@pytest.mark.parametrize(
    "broken",
    [
        "if ($x { 'unclosed' }\n",
        "Install-CsDatabase -DatabasePaths 'G:\\SQLLog', \n",
        "$a = @{ Add = 'x'\n",
        "function f([string]$x { }\n",
    ],
)
def test_the_grammar_catches_errors(broken: str) -> None:
    assert powershell_errors(broken)


def batches(text: str) -> list[list[str]]:
    """The code lines between ``GO`` separators (sqlcmd ``:`` commands included)."""
    result: list[list[str]] = [[]]
    for line in code_lines(text):
        if line.upper() == "GO":
            result.append([])
        else:
            result[-1].append(line)
    return result


@pytest.mark.parametrize(("stack", "runbook", "name"), SQL)
def test_sql_structure(stack: str, runbook: str, name: str) -> None:
    text = files(stack, runbook)[name]
    lines = code_lines(text)
    assert lines[-1] == "GO", "the script ends with a GO separator"
    for line in lines:
        if line.startswith(":"):
            assert re.fullmatch(r":ON ERROR EXIT|:CONNECT [\w.-]+(\\\w+)?", line), line
        assert line.count("'") % 2 == 0, f"unbalanced quote: {line}"
    called = [m.group("name").split(".")[-1] for m in EXEC.finditer("\n".join(lines))]
    assert called and set(called) <= PROCEDURES, set(called) - PROCEDURES
    for batch in batches(text):
        body = "\n".join(batch)
        commands = [line.startswith(":") for line in batch]
        assert commands == sorted(commands, reverse=True), "a sqlcmd command after a T-SQL statement"
        assert body.count("(") == body.count(")")
        assert len(re.findall(r"\bBEGIN\b", body)) == len(re.findall(r"\bEND\b", body))
        declared = {v for line in batch if line.startswith("DECLARE") for v in VARIABLE.findall(line)}
        assert set(VARIABLE.findall(body)) <= declared, "a variable used outside the batch that declares it"


@pytest.mark.parametrize(("stack", "runbook", "name"), SQL)
def test_every_connect_is_a_store_of_the_stack(stack: str, runbook: str, name: str) -> None:
    connects = re.findall(r"^:CONNECT (\S+)$", files(stack, runbook)[name], re.MULTILINE)
    stores = {s.fqdn for s in plan(stack).servers if s.role.is_sql}
    assert set(connects) <= stores
