"""Views of a synthesis: resource tree, counts, Mermaid topology diagram, JSON plan."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .. import needs
from ..model import Plan, PoolPlan, Role
from ..report import table
from .graph import Resource
from .synthesis import Synthesis

SCHEMA_VERSION = 2
"""2 added ``pools`` and ``warnings``; readers tolerate their absence in older plans."""


def tree(resources: Sequence[Resource]) -> list[str]:
    """The component and resource tree, children indented under their parent."""
    by_parent: dict[str, list[Any]] = {}
    for res in resources:
        by_parent.setdefault(res.parent, []).append(res)
    lines: list[str] = []

    def walk(parent: str, depth: int) -> None:
        for res in sorted(by_parent.get(parent, []), key=lambda r: (r.custom, r.type, r.name)):
            lines.append(f"{'  ' * depth}{res.type}  {res.name}")
            walk(res.urn, depth + 1)

    roots = {r.parent for r in resources} - {r.urn for r in resources}
    for root in sorted(roots):
        walk(root, 0)
    return lines


def counts(resources: Sequence[Resource]) -> list[str]:
    """Custom resources counted by type and region."""
    tally = Counter((r.type, str(r.inputs.get("location", "-"))) for r in resources if r.custom)
    rows = [[t, region, str(n)] for (t, region), n in sorted(tally.items())]
    return table(["type", "region", "count"], rows)


def mermaid(plan: Plan) -> str:
    """A Mermaid flowchart: sites, pools, servers by role, stores and their replication."""
    lines = ["flowchart LR"]
    for site in plan.sites:
        lines.append(f'  subgraph {_id(site.key)}["site {site.key} ({site.region}, {site.address_space})"]')
        for pool in plan.pools:
            here = [s for s in pool.servers if s.site == site.key]
            if here:
                lines.append(f'    subgraph {_id(pool.key + "-" + site.key)}["pool {pool.fqdn}"]')
                lines += [
                    f'      {_id(s.key)}["{s.computer_name}<br/>{s.role.value}<br/>{s.private_ip}"]' for s in here
                ]
                lines.append("    end")
        lines.append("  end")
    for pool in plan.pools:
        lines += _edges(pool)
    return "\n".join(lines) + "\n"


def _edges(pool: PoolPlan) -> list[str]:
    hop = _id(f"hop-{pool.key}")
    lines = [f'  {hop}(["next hop {pool.next_hop}"])']
    lines += [f"  {hop} -- {pool.port} --> {_id(s.key)}" for s in pool.active if s.role is not Role.STANDARD_EDITION]
    for store in (pool.mgc, pool.mgccomp):
        if store is None or store.primary.server is None:
            continue
        primary = _id(store.primary.server)
        lines += [f"  {_id(s.key)} -. {store.database} .-> {primary}" for s in pool.active[:1]]
        for other, label in ((store.mirror, "mirroring"), (store.witness, "witness"), (store.backup, "log shipping")):
            if other is not None and other.server is not None:
                lines.append(f"  {primary} == {label} ==> {_id(other.server)}")
        if store.backup and store.backup_mirror and store.backup.server and store.backup_mirror.server:
            lines.append(f"  {_id(store.backup.server)} == mirroring ==> {_id(store.backup_mirror.server)}")
    return lines


def _id(key: str) -> str:
    return "n_" + key.replace("-", "_").replace(".", "_")


SDK_VERSIONED = re.compile(r"azure-native:[a-z]+/v\d")
"""A type token of one API version of azure-native (``azure-native:network/v20150501preview:...``): the SDK
declares each resource's every past version as an alias, which multiplied by the parents' aliases made
93% of an enterprise plan.json (11.8 of 12.6 MB). No plan of this project names a versioned type, so
``pchat diff`` never matches one; ``scripts/plan_size.py`` measures what is left."""


def reviewed_aliases(aliases: Iterable[str]) -> list[str]:
    """The aliases a plan keeps: the project's own (renames, moves), not the SDK's versioned types."""
    return [alias for alias in aliases if not SDK_VERSIONED.search(alias)]


def plan_json(synthesis: Synthesis) -> dict[str, Any]:
    """Everything registered, secrets masked: the input of ``pchat diff``."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": synthesis.stack,
        "product": synthesis.plan.product.value,
        "resources": resources_json(synthesis.resources),
        "servers": {
            s.key: {
                "pool": s.pool,
                "role": s.role.value,
                "site": s.site,
                "region": s.region,
                "vmSize": s.vm_size,
                "address": s.private_ip,
                "databases": list(s.databases),
            }
            for s in synthesis.plan.servers
        },
        "pools": {
            p.key: {
                "fqdn": p.fqdn,
                "site": p.site,
                "users": p.users,
                "active": len(p.active),
                "standby": len(p.standby),
            }
            for p in synthesis.plan.pools
        },
        "warnings": list(synthesis.warnings),
        "flows": needs.flows(synthesis.plan),
    }


def resources_json(resources: Iterable[Resource]) -> list[dict[str, Any]]:
    """Every registered resource with its options and inputs, secrets masked."""
    return [
        {
            "urn": r.urn,
            "type": r.type,
            "name": r.name,
            "parent": r.parent,
            "custom": r.custom,
            "protect": r.protect,
            "retainOnDelete": r.retain_on_delete,
            "ignoreChanges": list(r.ignore_changes),
            "dependencies": sorted(r.dependencies),
            "aliases": reviewed_aliases(r.aliases),
            "inputs": r.masked_inputs(),
        }
        for r in resources
    ]


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
