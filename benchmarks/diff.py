"""What ``pchat diff`` costs next to one ``pchat plan``: both revisions are planned at once.

    python benchmarks/diff.py [stack] [--runs N] [--against REF]

Runs ``pchat plan STACK --quiet`` and ``pchat diff STACK --against REF --quiet`` alternately, N times
each, every run a fresh process on this checkout's code, and prints each median and their ratio
(the target: at most 1.3; exit 1 above it). Compare ratios of one run: the machine's speed varies between runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3


def seconds(*args: str) -> float:
    """Wall time of ``python -m lync_pchat ARGS`` in the checkout; fails loudly on a non-zero exit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lync_pchat", *args], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stack", nargs="?", default="enterprise")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", default="HEAD")
    args = parser.parse_args()
    plans: list[float] = []
    diffs: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.runs):
            plans.append(seconds("plan", args.stack, "--quiet", "--json", str(Path(scratch, "plan.json"))))
            diffs.append(seconds("diff", args.stack, "--against", args.against, "--quiet"))
    plan, diff = statistics.median(plans), statistics.median(diffs)
    print(f"plan {args.stack}: median {plan:.2f} s of {args.runs} ({', '.join(f'{s:.2f}' for s in plans)})")
    print(f"diff {args.stack} --against {args.against}: median {diff:.2f} s ({', '.join(f'{s:.2f}' for s in diffs)})")
    ratio = diff / plan
    print(f"ratio diff / plan: {ratio:.2f} (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
