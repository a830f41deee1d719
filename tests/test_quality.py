"""The code stays small, typed and layered: ruff, mypy and the import contract pass."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    result = tool("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = tool("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    shutil.which("lint-imports") is None and not (Path(sys.executable).parent / "lint-imports").exists(),
    reason="import-linter is not installed",
)
def test_model_imports_no_pulumi() -> None:
    script = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The topology model is pure: it imports no Pulumi KEPT" in result.stdout
    # Issue 26 item 3: model -> scripting -> install | backup | runbooks | bootstrap -> components -> tools.
    assert "Layers: tools, components, script producers, scripting, model KEPT" in result.stdout


def test_every_runtime_import_is_declared() -> None:
    """deptry: what the code imports is a declared dependency, and nothing declared goes unused."""
    result = tool("deptry", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_editable_install_is_one_static_path_that_static_tools_follow() -> None:
    """Issue 26: ``components`` is reached one way. setuptools makes an editable install either a static ``.pth``
    path entry or an import hook (its "How editable installations work" page); mypy follows only the former
    (mypy's "How imports are found": site-packages ``.pth`` path entries). A wheel install has no ``.pth``."""
    import importlib.metadata

    dist = importlib.metadata.distribution("lync-pchat-azure")
    pth = [f for f in dist.files or () if f.name.startswith("__editable__") and f.name.endswith(".pth")]
    hooks = [f for f in dist.files or () if f.name.startswith("__editable__") and f.name.endswith("_finder.py")]
    assert not hooks
    for entry in pth:
        lines = [line for line in Path(str(entry.locate())).read_text().splitlines() if line.strip()]
        assert lines == [str(ROOT)], lines
    assert not (ROOT / "lync_pchat" / "components").exists()


def test_every_module_of_the_package_sits_in_a_layer() -> None:
    """Issue 26: the layers contract covers the whole code base: a new top-level module or package of
    ``lync_pchat`` outside every layer would escape it (import-linter checks only the modules a layer names)."""
    import re
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    named = {part.strip() for layer in layers for part in re.split(r"[:|]", layer)} - {""}
    package = ROOT / "lync_pchat"
    tops = {
        f"lync_pchat.{p.stem}"
        for p in package.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").is_file())
    }
    assert sorted(tops - named) == []
    assert "components" in named
