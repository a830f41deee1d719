"""Ctrl-C ends a ``pchat`` command within a second, with exit status 130, whatever its threads are doing.

Python runs a signal handler only between bytecodes of the main thread, so a main thread waiting on the
Pulumi runtime's threads or on a child process can sit on a Ctrl-C for seconds, and the interpreter's
shutdown then waits for those threads again. Instead, SIGINT is blocked in every thread (threads inherit
the mask) and one daemon thread waits for it with ``sigwait``: it kills the child processes it was told
of, says so on stderr and leaves at once with ``os._exit``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from typing import Any

INTERRUPTED = 130
"""128 + SIGINT, what a shell reports for a command ended by Ctrl-C."""
CHILDREN: set[subprocess.Popen[Any]] = set()
"""Child processes to kill on the way out (``pchat diff`` plans the other revision in one)."""


def console() -> int:
    """The ``pchat`` command: the watcher first, so that Ctrl-C during the imports ends it cleanly too."""
    exit_on_interrupt()
    try:
        from .cli import console as run  # noqa: PLC0415 - after the watcher: the imports take a second
    except ModuleNotFoundError as error:  # a Python without the dependencies, e.g. python3 outside the virtualenv
        if (error.name or "").partition(".")[0] == __package__:
            raise
        print(missing_dependency(error.name), file=sys.stderr)
        return MISSING_DEPENDENCY
    return run()


MISSING_DEPENDENCY = 2
"""The exit status of a usage or environment error, as ``pchat`` gives for a bad stack file."""


def missing_dependency(module: str | None) -> str:
    """One line instead of a traceback: which interpreter lacks what, and the command that has it."""
    return (
        f"pchat: {sys.executable} cannot import {module}, a dependency of lync-pchat-azure: run .venv/bin/pchat "
        "(or .venv/bin/python -m lync_pchat) after the README's Quickstart, which installs them there"
    )


def exit_on_interrupt(message: str = "pchat: interrupted") -> bool:
    """Install the watcher once; False where it cannot be (no ``pthread_sigmask``, or not the main thread)."""
    if _WATCHING or not hasattr(signal, "pthread_sigmask"):
        return bool(_WATCHING)
    if threading.current_thread() is not threading.main_thread():
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    watcher = threading.Thread(target=_watch, args=(message,), name="pchat-interrupt", daemon=True)
    watcher.start()
    _WATCHING.append(watcher)
    return True


_WATCHING: list[threading.Thread] = []


def _watch(message: str) -> None:
    signal.sigwait({signal.SIGINT})
    for process in list(CHILDREN):
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(OSError):
        os.write(2, f"{message}\n".encode())
    os._exit(INTERRUPTED)
