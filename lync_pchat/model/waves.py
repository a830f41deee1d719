"""Patch and update waves: the maintenance window in which each server of a pool patches.

A wave is one maintenance window; wave 1 patches first. The wave of a server depends only on its role
and ordinal, so adding a server never moves another one to a different wave:

- a store's mirror patches before its principal, in another window, and the witness apart from both,
  after them [DBM:upgrading-mirrored-instances.md] (operations.md §3.5): mirrors in wave 1, principals
  in wave 2, witnesses in wave 3;
- log-shipping secondaries patch before their primary [LSH:upgrade-sql-server-log-shipping-transact-sql.md]
  (§3.6): the backup stores in wave 1, before the principals of wave 2; their own mirrors in wave 2, apart
  from them, and the backup witness in wave 3;
- the active servers of a pool alternate between waves 1 and 2 (odd and even ordinals), so that a pool
  with two or more never has them all down at once; the standby servers patch with the later of the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from .plan import ServerPlan
from .roles import Role

FIRST, SECOND, THIRD = 1, 2, 3
MAX_WAVES = THIRD
"""The most waves a topology needs: one per position in a mirrored store (mirror, principal, witness)."""
ROLE_WAVE: dict[Role, int] = {
    Role.STANDARD_EDITION: FIRST,
    Role.STANDBY: SECOND,
    Role.STORE_MIRROR: FIRST,
    Role.COMPLIANCE_STORE_MIRROR: FIRST,
    Role.BACKUP_STORE: FIRST,
    Role.COMPLIANCE_BACKUP_STORE: FIRST,
    Role.STORE: SECOND,
    Role.COMPLIANCE_STORE: SECOND,
    Role.BACKUP_STORE_MIRROR: SECOND,
    Role.COMPLIANCE_BACKUP_STORE_MIRROR: SECOND,
    Role.WITNESS: THIRD,
    Role.BACKUP_WITNESS: THIRD,
}
"""The wave of every role but the active servers, which alternate (see :func:`wave`)."""


class Seated(Protocol):
    """A server as the layout (``Seat``) or the plan (``ServerPlan``) describes it."""

    @property
    def role(self) -> Role: ...

    @property
    def ordinal(self) -> int: ...


S = TypeVar("S", bound=Seated)


def wave(server: Seated) -> int:
    """The wave (1-based) in which ``server`` patches and installs a cumulative update."""
    if server.role is Role.ACTIVE:
        return FIRST if server.ordinal % 2 else SECOND
    return ROLE_WAVE[server.role]


def waves_needed(servers: Iterable[Seated]) -> int:
    """How many maintenance windows the servers need: the last wave any of them is in (0 for none)."""
    return max((wave(server) for server in servers), default=0)


def by_wave(servers: Iterable[S]) -> tuple[tuple[S, ...], ...]:
    """The servers grouped by wave, in wave order; empty waves left out, each group in the given order."""
    listed = list(servers)
    return tuple(group for n in range(FIRST, MAX_WAVES + 1) if (group := tuple(s for s in listed if wave(s) == n)))


def update_order(servers: Iterable[ServerPlan]) -> dict[str, tuple[str, ...]]:
    """Server key -> the keys of the servers of the previous wave, whose cumulative update must succeed before
    its own starts (none in the first wave); in wave order, so every server comes after the ones it waits for."""
    order: dict[str, tuple[str, ...]] = {}
    previous: tuple[str, ...] = ()
    for group in by_wave(servers):
        order.update({server.key: previous for server in group})
        previous = tuple(server.key for server in group)
    return order
