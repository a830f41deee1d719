"""What every test shares: a fixed "today", so rules that compare dates with the clock give the same
verdict whatever day the suite runs; the whole suite on every core (pytest-xdist); the check that no test
mutated a graph the session shares."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lync_pchat.model import rules_platform

from .support.subset import is_slow
from .support.synthesis import mutated

TODAY = date(2026, 12, 1)
REAL_TODAY = rules_platform.today
rules_platform.today = lambda: TODAY
"""Fixed from here on, before any test module is imported: plans and graphs that test modules build at import
time (cached across tests) see the same day as the tests, so a support date passing (Windows Server 2016's ends
on 2027-01-12) cannot flip a verdict between collection and the test that reads it."""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[date]:
    monkeypatch.setattr(rules_platform, "today", lambda: TODAY)
    yield TODAY


_MUTATED_ON_WORKERS: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config) -> Generator[None, object, object]:
    """``pytest`` without paths (the whole suite) runs on every core when pytest-xdist is installed (the
    ``test`` extra): ``-n auto`` with ``--dist worksteal``, which evens out the slow tests. ``--fast`` (a
    few seconds: starting the workers would double it), a run of named paths, ``-n`` given, ``-p no:xdist``,
    ``--collect-only`` or ``--pdb`` stays as asked."""
    if (
        config.pluginmanager.hasplugin("xdist")
        and not hasattr(config, "workerinput")
        and config.option.numprocesses is None
        and config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and not config.option.collectonly
        and not config.getoption("fast")
    ):
        config.option.numprocesses = "auto"  # xdist's own hook then counts the cores (0 under --pdb)
        if config.option.dist == "no":
            config.option.dist = "worksteal"
    return (yield)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """What a pytest-xdist worker found mutated (each worker keeps its own cache), for the check below."""
    _MUTATED_ON_WORKERS.extend(getattr(node, "workeroutput", {}).get("mutated", ()))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test mutated a graph the session shares (tests/support/synthesis.py); a worker
    hands its findings to the controller (:func:`pytest_testnodedown`)."""
    changed = mutated()
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["mutated"] = changed
        return
    changed += _MUTATED_ON_WORKERS
    if changed:
        print("\na test mutated a shared synthesized graph (copy it before changing it):", *changed, sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true", help="only the fast subset (tests/support/subset.py)")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``--fast``, the test files outside the fast subset are not even imported."""
    if config.getoption("fast") and collection_path.is_file() and collection_path.name.startswith("test_"):
        return is_slow(collection_path.relative_to(config.rootpath).as_posix()) or None
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test outside the fast subset (tests/support/subset.py); ``--fast`` deselects them."""
    slow = [item for item in items if is_slow(item.nodeid)]
    for item in slow:
        item.add_marker(pytest.mark.slow)
    if config.getoption("fast") and slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not is_slow(item.nodeid)]
