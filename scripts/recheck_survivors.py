"""Re-run every mutant that mutmut reports as survived against the whole mutation test selection.

    python scripts/recheck_survivors.py [--jobs N] [PATTERN ...]

mutmut runs, for each mutant, only the tests its stats saw calling the mutated function. Tests that build
their plans and scripts at import time (the parametrized install and runbook tests) call those functions
during collection, not inside a test, so mutmut runs too few tests and reports mutants as survived that
the suite kills. This script runs each reported survivor (those whose name starts with one of the
PATTERNs, default all) in mutmut's ``mutants/`` copy with ``MUTANT_UNDER_TEST`` set and every test path of
``[tool.mutmut] pytest_add_cli_args_test_selection``, stopping at the first failure. It prints one row per
mutant and the counts; the names of the true survivors go to ``mutants/true-survivors.txt``.

Run it from the checkout where ``mutmut run`` ran, after it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path.cwd()
MUTANTS = ROOT / "mutants"


def survivors(patterns: list[str]) -> list[str]:
    """The mutants mutmut reports as survived, in its order."""
    result = subprocess.run(
        [sys.executable, "-m", "mutmut", "results"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    names = []
    for line in result.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if status == "survived" and (not patterns or name.startswith(tuple(patterns))):
            names.append(name)
    return names


def test_paths() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["pytest_add_cli_args_test_selection"])


def run(name: str, paths: list[str]) -> tuple[str, bool, float]:
    """(name, killed, seconds): pytest's exit code 1 (a test failed) is a kill; 0 is a survival."""
    start = time.perf_counter()
    env = {**os.environ, "MUTANT_UNDER_TEST": name}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *paths],
        cwd=MUTANTS, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{name}: pytest exit {result.returncode}: {result.stdout[-500:]}{result.stderr[-500:]}")
    return name, result.returncode == 1, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="mutant name prefixes, e.g. lync_pchat.install")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not MUTANTS.is_dir():
        parser.error("no mutants/ here: run `mutmut run` first, in this folder")
    names, paths = survivors(args.patterns), test_paths()
    remaining: list[str] = []
    with ThreadPoolExecutor(args.jobs) as pool:
        for name, killed, seconds in pool.map(lambda n: run(n, paths), names):
            print(f"{name:<75} {seconds:6.1f}s  {'killed' if killed else 'SURVIVED'}", flush=True)
            if not killed:
                remaining.append(name)
    (MUTANTS / "true-survivors.txt").write_text("".join(f"{n}\n" for n in remaining))
    print(f"{len(names)} reported survivors: {len(names) - len(remaining)} killed by the whole selection, "
          f"{len(remaining)} survive (mutants/true-survivors.txt)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
