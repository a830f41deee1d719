"""Progress lines on stderr, shared by the threads of ``pchat diff`` (light: imports nothing of the engine)."""

from __future__ import annotations

import sys
import threading

_PRINTING = threading.Lock()


def stderr(message: str) -> None:
    """Progress on stderr, one whole line at a time (``pchat diff`` reports from two threads)."""
    with _PRINTING:
        print(message, file=sys.stderr, flush=True)
