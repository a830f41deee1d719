"""Shipped stacks synthesized once per test session."""

from __future__ import annotations

import functools

from lync_pchat import stackfile
from lync_pchat.offline.graph import Resource, synthesize
from lync_pchat.offline.synthesis import offline_config


def stack_config(stack: str) -> dict[str, object]:
    """A shipped stack's config, with the secret a real stack would hold encrypted."""
    return offline_config(stackfile.load_config(stackfile.stack_path(stack)))


@functools.cache
def stack_graph(stack: str) -> tuple[Resource, ...]:
    """The graph of a shipped stack, as ``pulumi up`` would register it."""
    from lync_pchat.program import run as program

    return tuple(synthesize(program, stack_config(stack), stack=stack))
