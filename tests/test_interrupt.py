"""Ctrl-C ends ``pchat plan`` and ``pchat diff`` within a second with exit status 130 and one line.

Each command runs as a real process (``python -m lync_pchat``) and gets SIGINT at several moments: while it
imports, while the Pulumi runtime synthesizes, and, for ``diff``, while the other revision is planned in a
child process, which must end with it. A moment is a line the command prints, not a time: a fast machine
finishes the small stacks in two seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lync_pchat.interrupt import INTERRUPTED

from .offline.test_diff_command import repo  # noqa: F401 - the throwaway repository fixture

ROOT = Path(__file__).resolve().parents[1]
WITHIN = 1.0
"""Seconds from Ctrl-C to the exit (issue 19)."""
SHELL_STATUS = 130
"""128 + SIGINT (2): how a shell reports a command Ctrl-C ended."""


def interrupt(command: list[str], when: str, cwd: Path, marker: str = "") -> tuple[int, float, str]:
    """Run ``pchat <command>``, send SIGINT once it prints a line containing ``when`` (at once if empty),
    and return its exit status, the seconds from the signal to the exit, and what it printed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PCHAT_TEST_MARKER": marker}
    process = subprocess.Popen(
        [sys.executable, "-m", "lync_pchat", *command], cwd=cwd, env=env, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:
        for line in process.stderr or ():
            lines.append(line)
            if when in line:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if when and not seen.wait(timeout=60):
        process.kill()
        pytest.fail(f"the command never printed {when!r}: {''.join(lines)}")
    time.sleep(0.05 if when else 0.3)  # inside the step that printed; the interpreter is up
    if process.poll() is not None:
        pytest.fail(f"the command ended before the interrupt: {process.returncode}")
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    finally:
        process.kill()
    took = time.monotonic() - sent
    reader.join(timeout=5)
    return process.returncode, took, "".join(lines)


def test_the_status_is_the_shell_s() -> None:
    assert INTERRUPTED == SHELL_STATUS


@pytest.mark.parametrize("when", ["", "synthesizing stack", "resources registered"])
def test_ctrl_c_ends_plan_within_a_second(when: str, tmp_path: Path) -> None:
    code, took, said = interrupt(["plan", "enterprise", "--out", str(tmp_path)], when, ROOT)
    assert (code, said.splitlines()[-1:], "Traceback" in said) == (SHELL_STATUS, ["pchat: interrupted"], False)
    assert took < WITHIN


@pytest.mark.parametrize("when", ["[working tree] synthesizing", "[HEAD] synthesizing"])
def test_ctrl_c_ends_diff_and_its_child_within_a_second(when: str, repo: Path) -> None:  # noqa: F811
    (repo / "stacks" / "Pulumi.single.yaml").write_text(
        (repo / "stacks" / "Pulumi.single.yaml").read_text().replace("users: 15000", "users: 35000")
    )
    marker = f"interrupt-{os.getpid()}-{when.split(maxsplit=1)[0]}"
    code, took, said = interrupt(["diff", "--against", "HEAD", "--repo", str(repo)], when, repo, marker)
    assert (code, said.splitlines()[-1:], "Traceback" in said) == (SHELL_STATUS, ["pchat: interrupted"], False)
    assert took < WITHIN
    time.sleep(0.2)
    assert marked(marker) == []


def marked(marker: str) -> list[int]:
    """The processes whose environment holds ``PCHAT_TEST_MARKER=<marker>`` (the diff's child inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"PCHAT_TEST_MARKER={marker}".encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found
