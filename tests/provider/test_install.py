"""The package installs with pip from a clone and the Python example runs against that install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import runpy, lync_pchat
from importlib import resources
from lync_pchat.offline.engine import run
from lync_pchat.offline.graph import flatten
assert lync_pchat.__file__.startswith({site!r}), lync_pchat.__file__
assert resources.files("lync_pchat.bootstrap.scripts").joinpath("Initialize-PChatServer.ps1").is_file()
assert resources.files("lync_pchat.runbooks").joinpath("templates", "failover.ps1").is_file()
_, monitor = run(lambda: runpy.run_path({example!r}), {{"pchat:adminPassword": "Example-Pw-1!"}})
print(len([r for r in flatten(monitor) if r.type == "azure-native:compute:VirtualMachine"]))
"""


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git repository to clone")
def test_pip_install_from_a_clone(tmp_path: Path) -> None:
    clone, site = tmp_path / "clone", tmp_path / "site"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(clone)],
        check=True,
        capture_output=True,
    )
    script = CHECK.format(site=str(site), example=str(clone / "examples" / "python" / "__main__.py"))
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"
