"""The README's Quickstart works on a fresh Debian or Ubuntu, whose system Python refuses ``pip install``
(PEP 668, "externally managed"): its two commands create and use the virtualenv ``Pulumi.yaml`` names,
and CI (``.ci/run``) runs exactly them on a clean clone.

The PEP 668 check is real where this machine has an externally managed Python (Debian's ``/usr/bin/python3``
carries the ``EXTERNALLY-MANAGED`` marker): pip outside a virtualenv is refused there, and the Quickstart's
virtualenv is not. Elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"
MARKER = "EXTERNALLY-MANAGED"
"""PEP 668's marker file, in the interpreter's stdlib directory (https://peps.python.org/pep-0668/)."""
REFUSAL = "externally-managed-environment"
"""The error pip gives in such an environment (PEP 668)."""


def quickstart() -> list[str]:
    """The commands of the README's Quickstart block, one per line."""
    section = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the Quickstart has a ```sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def virtualenv() -> str:
    """The virtualenv the Pulumi CLI uses for the program (``runtime.options.virtualenv``)."""
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))
    return str(project["runtime"]["options"]["virtualenv"])


def test_the_quickstart_is_two_commands_in_the_pulumi_virtualenv() -> None:
    venv = virtualenv()
    python = f"{venv}/bin/python"
    assert venv == ".venv"
    assert quickstart() == [
        f'python3 -m venv {venv} && {python} -m pip install -e ".[test]" && {python} -m lync_pchat plan',
        f"{python} -m pytest",
    ]


def test_nothing_installs_into_the_system_python() -> None:
    """Only ``python3 -m venv`` runs on the system Python; every pip runs in the virtualenv."""
    for line in quickstart():
        for command in line.split("&&"):
            words = shlex.split(command)
            if words[0] == "python3":
                assert words[1:3] == ["-m", "venv"], command
            else:
                assert words[0] == f"{virtualenv()}/bin/python", command


def test_ci_runs_the_quickstart_as_the_readme_writes_it() -> None:
    """``.ci/run`` ends with the README's two commands, verbatim and in order, and installs nothing else into
    the project's virtualenv (Checkov has its own)."""
    script = CI.read_text(encoding="utf-8")
    commands = [line for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-2:] == quickstart()
    assert "set -euo pipefail" in commands, "a failing command fails CI"
    assert "pip install" not in "\n".join(commands[:-2]).replace(".venv-checkov/bin/python -m pip install", "")


def _externally_managed() -> Path | None:
    """A Python on this machine whose stdlib holds the PEP 668 marker, outside any virtualenv."""
    for candidate in (Path("/usr/bin/python3"), Path(sys.base_prefix) / "bin" / "python3"):
        if not candidate.is_file():
            continue
        stdlib = subprocess.run(
            [str(candidate), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if stdlib and (Path(stdlib) / MARKER).is_file():
            return candidate
    return None


def test_pep_668_refuses_the_system_python_and_not_the_quickstart_s_virtualenv(tmp_path: Path) -> None:
    python = _externally_managed()
    if python is None:
        pytest.skip(f"no Python here carries PEP 668's {MARKER} marker (stdlib: {sysconfig.get_path('stdlib')})")
    has_pip = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, check=False).returncode == 0
    if has_pip:
        system = subprocess.run(
            [str(python), "-m", "pip", "install", "--no-index", "pchat-no-such-package"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert system.returncode != 0 and REFUSAL in system.stderr, "the system Python refuses pip (PEP 668)"
    first = quickstart()[0].split("&&")[0].strip()  # python3 -m venv .venv
    subprocess.run(
        ["bash", "-c", first], cwd=tmp_path, env={"PATH": f"{python.parent}:/usr/bin:/bin"}, check=True, timeout=300
    )
    venv_python = tmp_path / virtualenv() / "bin" / "python"
    inside = subprocess.run(
        [str(venv_python), "-m", "pip", "install", "--no-index", "pchat-no-such-package"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert REFUSAL not in inside.stderr, "pip in the Quickstart's virtualenv is not refused"
    assert "pchat-no-such-package" in inside.stderr, "it got as far as looking for the package"
