"""The release artefact: the wheel the release workflow builds installs in a fresh virtual environment, imports
the components and answers ``pchat --version`` with the version CHANGELOG.md names (issue 25, Releases).

Offline-fast: the fresh environment gets no dependencies of its own (``--no-deps``); it reads them from this
interpreter's site-packages through a ``.pth`` file that lists those folders as plain paths (so their ``.pth``
files, such as an editable install's finder, do not run and the wheel's copy of lync_pchat is the one imported).
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import site
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from lync_pchat.version import VERSION

ROOT = Path(__file__).resolve().parents[2]
BUDGET_SECONDS = 60
IMPORT_CHECK = """
import lync_pchat, components
assert lync_pchat.__file__.startswith({prefix!r}), lync_pchat.__file__
assert components.__file__.startswith({prefix!r}), components.__file__
assert components.PersistentChat.__module__ == "components.persistent_chat"
print(components.__file__)
"""


def _isolation() -> list[str]:
    """Build with this interpreter's setuptools when it reads pyproject.toml's license expression (77+, PEP 639),
    else in pip's isolated build environment."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        major = 0
    return ["--no-build-isolation"] if major >= 77 else []


def _source(to: Path) -> Path:
    """What the build reads, copied: setuptools builds in the source folder, and a stale build/ there could
    slip deleted modules into a later wheel."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("lync_pchat", "components"):  # the two top-level packages
        shutil.copytree(ROOT / folder, to / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, to / name)
    return to


def _run(command: list[str], *, timeout: float) -> str:
    """Outside the checkout and without PYTHONPATH, which would put the source before the installed wheel."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False, env=env, cwd=Path(command[0]).anchor
    )
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


def test_the_wheel_installs_in_a_fresh_environment_and_runs(tmp_path: Path) -> None:
    started = time.monotonic()
    dist, source = tmp_path / "dist", _source(tmp_path / "source")
    pip = [sys.executable, "-m", "pip"]
    _run([*pip, "wheel", "-q", "--no-deps", *_isolation(), "-w", str(dist), str(source)], timeout=45)
    (wheel,) = dist.glob("*.whl")
    assert wheel.name == f"lync_pchat_azure-{VERSION}-py3-none-any.whl"

    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], timeout=10))
    (Path(purelib.as_posix().strip()) / "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([*pip, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)], timeout=30)

    prefix = str(env)
    imported = _run([str(python), "-c", IMPORT_CHECK.format(prefix=prefix)], timeout=30)
    assert imported.strip().endswith("site-packages/components/__init__.py")
    assert _run([str(env / "bin" / "pchat"), "--version"], timeout=30).strip() == f"pchat {VERSION}"
    assert time.monotonic() - started < BUDGET_SECONDS


def test_the_changelog_names_the_current_version_and_the_license_file_exists() -> None:
    """Keep a Changelog 1.1.0: a `## [x.y.z] - YYYY-MM-DD` heading per version, newest first after Unreleased."""
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert versions[0] == VERSION
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License\n\nCopyright (c) 2026 the lync-pchat-azure authors\n")


@pytest.mark.parametrize("key", ["publisher", "repository", "license", "keywords"])
def test_the_provider_schema_carries_the_release_metadata(key: str) -> None:
    """Pulumi's package metaschema (pulumi/pulumi pkg/codegen/schema/pulumi.json) names these top-level keys;
    the repository and license are the ones pyproject.toml declares."""
    import json
    import tomllib

    schema = json.loads((ROOT / "provider" / "schema.json").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    expected = {
        "publisher": "the lync-pchat-azure authors",
        "repository": project["urls"]["Repository"],
        "license": project["license"],
    }
    if key == "keywords":
        assert "kind/component" in schema["keywords"] and "category/infrastructure" in schema["keywords"]
    else:
        assert schema[key] == expected[key]
    assert schema["version"] == VERSION
