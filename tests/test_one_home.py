"""Issue 26, "one home per fact": each fact below is written in one module only, and each helper is called from
its own module or defined once; a second literal copy elsewhere in ``lync_pchat`` or ``components`` is a
regression (copies drift). Reads the Python syntax trees: docstrings, which cite facts, do not count."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from lync_pchat.model.sources import PAGES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "lync_pchat").rglob("*.py"), *(ROOT / "components").rglob("*.py")])


@functools.cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def literals(path: Path) -> list[str | int]:
    """The string and integer constants of a module's code (f-string parts included), docstrings excluded."""
    docs = {id(n.value) for n in ast.walk(tree(path)) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [
        n.value
        for n in ast.walk(tree(path))
        if isinstance(n, ast.Constant) and isinstance(n.value, str | int) and id(n) not in docs
    ]


def calls(path: Path) -> set[str]:
    """The names a module's code calls (``f(...)`` or ``module.f(...)``)."""
    found = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                found.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                found.add(node.func.attr)
    return found


def where(matches: Callable[[Path], bool]) -> set[str]:
    """The modules, relative to the root, for which ``matches`` holds."""
    return {str(p.relative_to(ROOT)) for p in SOURCES if matches(p)}


def constants(path: Path) -> dict[str, object]:
    """A module's top-level ``NAME = <literal>`` assignments."""
    return {
        target.id: node.value.value
        for node in tree(path).body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def with_literal(pattern: str) -> set[str]:
    found = re.compile(pattern)
    return where(lambda p: any(found.search(str(v)) for v in literals(p)))


@pytest.mark.parametrize(
    ("fact", "pattern", "home"),
    [
        # SQL Server's service names (learn.microsoft.com/sql/database-engine/configure-windows/
        # configure-windows-service-accounts-and-permissions).
        ("SQL Server service names", r"^MSSQLSERVER$|SQLSERVERAGENT|^MSSQL\$", "lync_pchat/model/host.py"),
        ("the project's folder on a server", r"ProgramData", "lync_pchat/model/host.py"),
        ("the RDP port", r"^3389$", "lync_pchat/model/ports.py"),
        ('"did you mean"', r"did you mean", "lync_pchat/model/text.py"),
        (
            "azure-native type tokens",
            r"(^|azure-native:)(compute|network|storage|keyvault|sqlvirtualmachine|resources|authorization|privatedns"
            r"|monitor|maintenance|operationalinsights)(/v\w+)?:[A-Za-z]",
            "lync_pchat/model/resource_types.py",
        ),
        ("a security rule's single-or-list fields", r"AddressPrefix|PortRange", "lync_pchat/model/security_rules.py"),
    ],
)
def test_a_fact_is_written_in_one_module(fact: str, pattern: str, home: str) -> None:
    assert with_literal(pattern) == {home}, fact


@pytest.mark.parametrize(
    ("helper", "home"),
    [
        ("get_close_matches", "lync_pchat/model/text.py"),  # the one "did you mean"
        ("VirtualMachineRunCommandByVirtualMachine", "components/run_command.py"),  # the one Run Command builder
        ("RoleAssignment", "components/role_assignments.py"),  # the one role assignment helper
        ("ljust", "lync_pchat/report.py"),  # the one text table renderer
    ],
)
def test_a_helper_is_called_from_one_module(helper: str, home: str) -> None:
    assert where(lambda p: helper in calls(p)) == {home}


def test_one_server_handle_type() -> None:
    """The install phase, the backup task, patching and monitoring take the same handle on a built server."""
    handles = {
        (str(p.relative_to(ROOT)), node.name)
        for p in SOURCES
        for node in ast.walk(tree(p))
        if isinstance(node, ast.ClassDef) and node.name.endswith("Handle")
    }
    assert handles == {("components/server_handle.py", "ServerHandle")}


SOURCE_KEY = re.compile(r"^(?:" + "|".join(PAGES) + r"):\S+$")


def test_every_documentation_source_key_is_named_in_the_one_registry() -> None:
    """``lync_pchat.model.sources`` is the registry of source keys: no other module names one as a constant, and
    no key is written in two modules (a page cited inline, once, may stay beside its use)."""
    named = {str(p.relative_to(ROOT)) for p in SOURCES if any(SOURCE_KEY.match(str(v)) for v in constants(p).values())}
    assert named == {"lync_pchat/model/sources.py"}
    seen: dict[str, set[str]] = {}
    for path in SOURCES:
        for value in literals(path):
            if SOURCE_KEY.match(str(value)):
                seen.setdefault(str(value), set()).add(str(path.relative_to(ROOT)))
    assert {key: sorted(modules) for key, modules in seen.items() if len(modules) > 1} == {}
    registry = [v for v in constants(ROOT / "lync_pchat/model/sources.py").values() if SOURCE_KEY.match(str(v))]
    assert len(registry) == len(set(registry)), "a key under two names"


@pytest.mark.parametrize(
    ("helper", "home"),
    [
        ("System.Data.SqlClient.SqlConnection", "lync_pchat/scripting/scripts/sqlclient.ps1"),  # SqlClient access
    ],
)
def test_a_script_helper_is_written_in_one_file(helper: str, home: str) -> None:
    """Issue 26: SQL access through SqlClient (where sqlcmd may be missing) is written once; every script and
    template that needs it includes the helper instead of its own copy."""
    scripts = sorted([*(ROOT / "lync_pchat").rglob("*.ps1")])
    found = {p.relative_to(ROOT).as_posix() for p in scripts if helper in p.read_text(encoding="utf-8")}
    assert found == {home}
