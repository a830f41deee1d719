"""The fast subset: the tests that run neither the mock engine nor a subprocess, for a check in seconds
while editing the model, the scripts or the runbooks (``python -m pytest -m "not slow"``).

Every other test is marked ``slow`` at collection (tests/conftest.py): a new test file is slow until it is
listed here, so the subset stays fast as the suite grows. ``python benchmarks/suite.py --fast`` measures it.
"""

from __future__ import annotations

FAST = ()
"""Test files and folders (paths from the repository root) of the fast subset."""
SLOW = ()
"""Node id prefixes inside :data:`FAST` that are slow all the same (property tests that plan hundreds of
random topologies)."""


def is_slow(nodeid: str) -> bool:
    """Whether the test of this pytest node id stays out of the fast subset."""
    return not nodeid.startswith(FAST) or nodeid.startswith(SLOW)
