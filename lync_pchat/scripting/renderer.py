"""The one renderer of every generated script: a producer's template, the shared helpers it names, its values,
and the size limit.

A producer (install phases, backup task, runbooks, bootstrap) keeps its templates in a package of its own and
renders them through one :class:`Templates`. Values reach a template one way: the settings as the PowerShell
data literal ``$cfg = @{...}`` (:meth:`Templates.render`); where a runbook still fills placeholders
(:meth:`Templates.fill`), each value is already a literal of :mod:`.quoting` or text the code composed from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from .literal import Value, powershell
from .templates import product_values, substitute

MAX_SCRIPT = 64 * 1024
"""Each rendered script stays under 64 KB (the per-script limit of docs/hardening.md), whichever producer renders
it."""
HELPERS = {
    "helpers": "common.ps1",
    "media": "media.ps1",
    "protect": "protect.ps1",
    "sql": "sql.ps1",
    "update": "update.ps1",
    "membership": "membership.ps1",
    "sqlclient": "sqlclient.ps1",
    "runbook": "runbook.ps1",
}
"""The shared helpers (``scripts/`` beside this module), each included where a template names its placeholder."""


def helper(file: str) -> str:
    """The text of the shared helper ``file``."""
    return (resources.files(__package__) / "scripts" / file).read_text(encoding="utf-8")


def helpers(text: str) -> dict[str, str]:
    """Each shared helper whose placeholder ``text`` names, by placeholder."""
    return {key: helper(file) for key, file in HELPERS.items() if "{{ " + key + " }}" in text}


def checked(name: str, script: str) -> str:
    """``script`` when it stays under :data:`MAX_SCRIPT`; ``ValueError`` naming ``name`` otherwise."""
    size = len(script.encode("utf-8"))
    if size >= MAX_SCRIPT:
        raise ValueError(f"{name} renders to {size} bytes, over the {MAX_SCRIPT}-byte limit")
    return script


@dataclass(frozen=True)
class Templates:
    """The templates of one producer: the files of the package ``package``."""

    package: str

    def text(self, name: str) -> str:
        """The template ``name`` as written."""
        return (resources.files(self.package) / name).read_text(encoding="utf-8")

    def render(self, name: str, settings: Mapping[str, Value]) -> str:
        """``name`` with ``{{ settings }}`` as ``$cfg = @{...}`` and each shared helper it names."""
        return self.fill(name, settings="$cfg = " + powershell(settings))

    def fill(self, name: str, **values: str) -> str:
        """``name`` with every placeholder replaced: ``values``, the shared helpers and the product's values
        (:func:`.templates.for_product`) it names; ``KeyError`` for a missing or an unused value."""
        text = self.text(name)
        return checked(name, substitute(text, {**product_values(text), **helpers(text), **values}, name))
