"""Mirroring without a witness, with patching on: the plan warns that the wave-2 restart of a principal stops the
store. Oracles: "Database Mirroring Operating Modes" (learn.microsoft.com/sql/database-engine/database-mirroring/
database-mirroring-operating-modes): high-safety mode without a witness has no automatic failover, only a manual
failover or forced service; "An optional witness SQL Server enables automatic failover" (persistent-chat.md,
[L:lync-server-2013-required-resources-for-persistent-chat-server]); the rolling patch of a mirrored pair fails over
by hand only from a SYNCHRONIZED session (operations.md 3.5, 9.2)."""

from __future__ import annotations

import pytest

from lync_pchat.model import plan_topology

from ..model.configs import changed, enterprise


def witness_notes(ha: dict[str, bool], patching: bool = True) -> list[str]:
    raw = changed(enterprise(), pools__pchat01__highAvailability=ha, patching={"enabled": patching})
    return [w for w in plan_topology(raw).warnings if w.startswith("pools.pchat01.highAvailability.witness")]


def test_mirroring_without_a_witness_under_patching_is_warned_about() -> None:
    (note,) = witness_notes({"mirroring": True, "witness": False})
    assert "has no automatic failover (high-safety mode without automatic failover " in note
    assert "[DBM:database-mirroring-operating-modes.md]" in note
    assert "each wave-2 patch restart of the principal takes mgc (and mgccomp) down until it is back" in note
    assert "only while the mirror is SYNCHRONIZED" in note


@pytest.mark.parametrize(
    ("ha", "patching"),
    [({"mirroring": True, "witness": True}, True), ({"mirroring": True, "witness": False}, False),
     ({"mirroring": False}, True)],
)  # fmt: skip
def test_no_warning_with_a_witness_without_patching_or_without_mirroring(ha: dict[str, bool], patching: bool) -> None:
    assert witness_notes(ha, patching) == []
