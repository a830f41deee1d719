"""What one deployment owns in a stack, so that a second one in the same stack fails with a clear
message instead of a duplicate URN or a clash of Azure names."""

from __future__ import annotations

import weakref
from collections.abc import Iterable

from pulumi.runtime import settings

from lync_pchat.errors import TopologyConfigError

_CLAIMS: weakref.WeakKeyDictionary[object, dict[str, str]] = weakref.WeakKeyDictionary()
"""Per running program (keyed by its resource monitor): what -> the component that claimed it."""


def claim(owner: str, things: Iterable[str]) -> None:
    """Record that component ``owner`` owns ``things``; refuse the ones another component already owns."""
    claimed = _CLAIMS.setdefault(settings.get_monitor(), {})
    clashes = [(thing, claimed[thing]) for thing in things if claimed.get(thing, owner) != owner]
    if clashes:
        lines = "\n".join(f"  - {thing} already belongs to {other!r}" for thing, other in clashes)
        raise TopologyConfigError(
            f"{owner!r} clashes with another Persistent Chat deployment in this stack:\n{lines}\n"
            "Give each deployment its own pool keys (pool and computer names are unique in a domain) and its "
            "own name_prefix (Azure resource names)"
        )
    claimed.update(dict.fromkeys(things, owner))
