"""The listed regressions (scripts/listed_mutants.py) stay applicable: each edit matches its file exactly once and
names test files that exist, so a refactor that moves the code fails here, in the suite, rather than only when
someone runs the script (this round's ports refactor had left one unapplicable)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("listed_mutants", ROOT / "scripts" / "listed_mutants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


MUTANTS = _script().MUTANTS


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_each_listed_mutant_applies_once_and_names_existing_tests(mutant: object) -> None:
    path, old, tests = mutant.path, mutant.old, mutant.tests  # type: ignore[attr-defined]
    assert (ROOT / path).read_text().count(old) == 1, f"{path}: the edit's text must occur exactly once"
    assert tests and all((ROOT / t.split("::")[0]).exists() for t in tests), tests
