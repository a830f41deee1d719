"""What a change does to the topology, read from two plan JSONs: servers added and removed, users
per pool, NSG rules added and removed, new model warnings.

Either plan may be empty (a stack that one revision lacks) or older, without the ``pools`` and
``warnings`` sections: rows then say what is unknown instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

NSG = "azure-native:network:NetworkSecurityGroup"
SERVER_FIELDS = ("pool", "role", "site", "vmSize", "address")
POOL_FIELDS = ("fqdn", "users", "active", "standby")
Row = tuple[str, ...]


@dataclass(frozen=True)
class TopologyDiff:
    """The rows of each summary table, each starting with ``added``, ``removed`` or ``changed``."""

    servers: tuple[Row, ...]
    """change, server, pool, role, site, size, address."""
    pools: tuple[Row, ...]
    """change, pool, fqdn, users, active servers, standby servers."""
    rules: tuple[Row, ...]
    """change, NSG, rule, priority, access, protocol, ports, sources, destinations."""
    warnings: tuple[str, ...]
    """Model warnings the change brings (all of them when the older plan did not record any)."""
    product: tuple[str, str] | None = None
    """(before, after) when the change switches the product: a rebuild, not an update."""
    flows: tuple[Row, ...] = ()
    """change, from, to, port, why, action: the network flows added or removed (when both plans record them)."""


def topology_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> TopologyDiff:
    old_warnings = set(before.get("warnings", ()))
    return TopologyDiff(
        servers=_keyed(before.get("servers", {}), after.get("servers", {}), SERVER_FIELDS),
        pools=_pools(before, after),
        rules=_rules(before, after),
        warnings=tuple(w for w in after.get("warnings", ()) if w not in old_warnings),
        product=product_change(before, after),
        flows=flow_changes(before, after),
    )


FLOW_FIELDS = ("from", "to", "port", "why", "action")
"""The columns of a flow row the diff shows (``lync_pchat.needs.flows``)."""


def flow_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Row, ...]:
    """The flows one plan has and the other not; nothing when either plan records no flows (an older revision)."""
    if "flows" not in before or "flows" not in after:
        return ()
    old, new = ({tuple(str(f.get(k, "")) for k in FLOW_FIELDS) for f in p["flows"]} for p in (before, after))
    rows = [("added", *f) for f in sorted(new - old)] + [("removed", *f) for f in sorted(old - new)]
    return tuple(rows)


DEFAULT_PRODUCT = "lync2013"
"""The product of a plan that records none: every plan before the product switch was Lync Server 2013's."""


def product_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, str] | None:
    """(before, after) products when both revisions have the stack and they differ."""
    if not before or not after:
        return None
    was, now = (str(p.get("product", DEFAULT_PRODUCT)) for p in (before, after))
    return (was, now) if was != now else None


def _keyed(old: Mapping[str, Any], new: Mapping[str, Any], fields: tuple[str, ...]) -> tuple[Row, ...]:
    """Rows of the entries added, removed and changed, by key; a changed cell reads ``old → new``."""
    rows = [("added", key, *_cells(new[key], fields)) for key in sorted(new.keys() - old.keys())]
    rows += [("removed", key, *_cells(old[key], fields)) for key in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        was, now = _cells(old[key], fields), _cells(new[key], fields)
        if was != now:
            rows.append(("changed", key, *(b if a == b else f"{a} → {b}" for a, b in zip(was, now, strict=True))))
    return tuple(rows)


def _cells(entry: Mapping[str, Any], fields: tuple[str, ...]) -> Row:
    return tuple(f"{v:,}" if isinstance(v := entry.get(f, "?"), int) else str(v) for f in fields)


def _pools(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Row, ...]:
    new = after.get("pools", {})
    if before and "pools" not in before:  # an older plan: what each pool had is unknown
        return tuple(("before unknown", key, *_cells(new[key], POOL_FIELDS)) for key in sorted(new))
    return _keyed(before.get("pools", {}), new, POOL_FIELDS)


def _rules(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Row, ...]:
    """Rules added and removed, a changed rule as its old row then its new one, in NSG order."""
    old, new = set(_rule_rows(before)), set(_rule_rows(after))
    rows = [("removed", *row) for row in old - new] + [("added", *row) for row in new - old]
    return tuple(sorted(rows, key=lambda r: (r[1], int(r[3]) if r[3].isdigit() else 0, r[2], r[0] == "added")))


def _rule_rows(plan: Mapping[str, Any]) -> Iterator[Row]:
    """NSG, rule, priority, access, protocol, ports, sources, destinations of every rule."""
    for resource in plan.get("resources", ()):
        if resource["type"] != NSG:
            continue
        inputs = resource.get("inputs", {})
        nsg = str(inputs.get("networkSecurityGroupName", resource["name"]))
        for rule in inputs.get("securityRules", ()):
            priority = rule.get("priority", "")
            yield (
                nsg,
                str(rule.get("name", "")),
                str(int(priority)) if isinstance(priority, int | float) else str(priority),
                str(rule.get("access", "")),
                str(rule.get("protocol", "")),
                _either(rule, "destinationPortRange", "destinationPortRanges"),
                _either(rule, "sourceAddressPrefix", "sourceAddressPrefixes"),
                _either(rule, "destinationAddressPrefix", "destinationAddressPrefixes"),
            )


def _either(rule: Mapping[str, Any], one: str, many: str) -> str:
    """A rule's single value or its list, as one cell."""
    return ", ".join(str(v) for v in rule.get(many, ())) or str(rule.get(one, ""))
