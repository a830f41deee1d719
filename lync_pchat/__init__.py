"""Lync Server 2013 Persistent Chat on Azure: the topology model, its Pulumi components and tools.

The components live in the repository's top-level ``components/`` folder and import as
``lync_pchat.components``: through the ``lync_pchat/components`` symlink in a checkout, and through
the packaging's ``package-dir`` mapping in a wheel. A checkout whose git made no symlink (Windows
without ``core.symlinks``) finds them with :class:`_SourceComponents`.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).resolve().parent
_COMPONENTS = __name__ + ".components"


class _SourceComponents(importlib.abc.MetaPathFinder):
    """Finds ``lync_pchat.components`` in the top-level ``components/`` folder of a checkout."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != _COMPONENTS:
            return None
        return importlib.machinery.PathFinder.find_spec(fullname, [str(_HERE.parent)])


if not (_HERE / "components").is_dir() and (_HERE.parent / "components" / "__init__.py").is_file():
    import sys

    sys.meta_path.insert(0, _SourceComponents())
