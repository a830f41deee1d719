"""Checkov runs in CI: the pull-request workflow's test job and ``.ci/run`` each install it in its own
virtualenv and hand it to the test command through ``$CHECKOV``, so ``tests/security/test_security_scan.py``
runs there instead of skipping."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r'pip install (--quiet )?"checkov==(?P<version>[0-9.]+)"')


def test_the_pull_request_tests_run_checkov() -> None:
    workflow: dict[str, Any] = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    install = next(r for r in runs if "checkov" in r)
    assert install.startswith("python3 -m venv .venv-checkov && .venv-checkov/bin/python -m pip install ")
    assert PIN.search(install)
    test = steps[-1]
    assert test["run"] == "python3 -m pytest"
    assert test["env"]["CHECKOV"] == "${{ github.workspace }}/.venv-checkov/bin/checkov"


def test_ci_runs_checkov_with_the_same_pin() -> None:
    script = (ROOT / ".ci/run").read_text()
    workflow = (ROOT / ".github/workflows/pull-request.yml").read_text()
    pins = {m["version"] for text in (script, workflow) for m in PIN.finditer(text)}
    assert len(pins) == 1
    assert 'export CHECKOV="$PWD/.venv-checkov/bin/checkov"' in script
    test_command = script.index("\n.venv/bin/python -m pytest")
    assert script.index("export CHECKOV") < test_command, "before the README's test command"
