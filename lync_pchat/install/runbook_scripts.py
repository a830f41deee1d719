"""What the install phases run of a pool's runbooks: the ``verify`` runbook, the ``cu-databases`` runbook and
each shipped store's ``log-shipping`` T-SQL (one definition of each check, of the update's database step and of
log shipping).

:mod:`lync_pchat.runbooks` renders them and the layer above both hands them over
(:func:`components.lync_install.runbook_scripts`): install and runbooks import neither the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.shipping import Shipped


@dataclass(frozen=True)
class ShippingSql:
    """A shipped store's log-shipping T-SQL as the ``log-shipping`` runbook renders it: the whole script, and the
    primary half its mirror runs (None when the store is not mirrored)."""

    store: Shipped
    sql: str
    mirror_sql: str | None


@dataclass(frozen=True)
class RunbookScripts:
    """The runbook scripts of one pool that its install phases run."""

    verify_file: str
    """The ``verify`` runbook's file name (``verify-<pool>.ps1``)."""
    verify: str
    """The ``verify`` runbook's text."""
    shipping: tuple[ShippingSql, ...] = ()
    """Per shipped store, in the pool's order; empty without a standby site."""
    cu_databases: tuple[str, str] | None = None
    """The ``cu-databases`` runbook's file name (``cu-databases-<pool>.ps1``) and text; None without
    ``software.updateInstaller``."""
