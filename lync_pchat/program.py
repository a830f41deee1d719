"""The composition root of the Pulumi program."""

from __future__ import annotations

import pulumi

from .stack import load_plan


def run() -> None:
    """Validate the stack's topology, then export what it plans."""
    plan = load_plan()
    pulumi.export("edition", plan.edition.value)
    pulumi.export("poolFqdns", {p.key: p.fqdn for p in plan.pools})
    pulumi.export("servers", {s.key: {"role": s.role.value, "site": s.site, "address": s.private_ip}
                              for s in plan.servers})
