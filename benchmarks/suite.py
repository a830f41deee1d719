"""What the test suite costs: wall time and CPU time of one pytest run, and its slowest tests.

    python benchmarks/suite.py [--fast] [--durations N] [-- PYTEST ARGS ...]

Runs ``python -m pytest -q -p no:cacheprovider --durations N`` on this checkout (``--fast``: only the fast
subset, tests/support/subset.py), in a fresh process, and prints
pytest's own report, then the wall time and the CPU time (user + system of pytest and everything it
started). CPU time is the figure to compare between runs: on a shared machine the wall time follows the load.
Exit status: pytest's.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(pytest_args: list[str]) -> tuple[int, float, float]:
    """(exit status, wall seconds, CPU seconds) of one pytest run in a child process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT, env=env, check=False).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return status, wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fast", action="store_true", help="only the fast subset (pytest --fast)")
    parser.add_argument("--durations", type=int, default=25, help="how many of the slowest tests to list")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --), e.g. a folder")
    args = parser.parse_args()
    selection = ["--fast"] if args.fast else []
    command = ["-q", "-p", "no:cacheprovider", f"--durations={args.durations}", *selection, *args.pytest_args]
    status, wall, cpu = measure(command)
    label = "fast subset" if args.fast else "suite"
    print(f"{label}: wall {wall:.0f} s, CPU {cpu:.0f} s (user + system), {os.cpu_count()} cores, pytest exit {status}")
    return status


if __name__ == "__main__":
    sys.exit(main())
