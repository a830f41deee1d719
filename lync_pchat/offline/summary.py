"""What a change does to the topology, read from two plan JSONs: servers added and removed, users
per pool, NSG rules added and removed, new model warnings.

Either plan may be empty (a stack that one revision lacks) or older, without the ``pools`` and
``warnings`` sections: rows then say what is unknown instead of failing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import resource_types as rt
from ..model.security_rules import destinations, ports, sources

NSG = rt.NSG
ALERT = rt.ALERT_RULE
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
    alerts: tuple[Row, ...] = ()
    """change, alert, enabled, severity, every / window, condition, query (the words it changes)."""
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
        alerts=_alerts(before, after),
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
    """Rules added, removed and changed (one row, each changed cell ``old → new``), in NSG order."""
    old = {row[:2]: row for row in _rule_rows(before)}
    new = {row[:2]: row for row in _rule_rows(after)}
    rows = [("removed", *old[key]) for key in old.keys() - new.keys()]
    rows += [("added", *new[key]) for key in new.keys() - old.keys()]
    rows += [("changed", *_cells_changed(old[k], new[k])) for k in old.keys() & new.keys() if old[k] != new[k]]
    return tuple(sorted(rows, key=lambda r: (r[1], _priority(r[3]), r[2], r[0])))


def _priority(cell: str) -> int:
    """The rule's priority (the later one of a changed cell) for ordering."""
    last = cell.rsplit(" → ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _cells_changed(old: Row, new: Row) -> Row:
    return tuple(a if a == b else f"{a} → {b}" for a, b in zip(old, new, strict=True))


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
                ", ".join(ports(rule)),
                ", ".join(sources(rule)),
                ", ".join(destinations(rule)),
            )


def _alerts(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Row, ...]:
    """Log alert rules added, removed and changed, by resource name; a changed query shows the words it
    removes (``-``) and adds (``+``) instead of the whole query."""
    old, new = _alert_rows(before), _alert_rows(after)
    rows = [("added", *new[k][:-1], "-") for k in sorted(new.keys() - old.keys())]
    rows += [("removed", *old[k][:-1], "-") for k in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            query = _words_changed(old[key][-1], new[key][-1]) or "same"
            rows.append(("changed", *_cells_changed(old[key][:-1], new[key][:-1]), query))
    return tuple(rows)


def _alert_rows(plan: Mapping[str, Any]) -> dict[str, Row]:
    """Per alert resource: name, enabled, severity, every / window, condition, and its whole query."""
    found: dict[str, Row] = {}
    for resource in plan.get("resources", ()):
        if resource["type"] != ALERT:
            continue
        inputs = resource.get("inputs", {})
        criteria = (inputs.get("criteria", {}).get("allOf") or [{}])[0]
        threshold = criteria.get("threshold", "")
        found[resource["name"]] = (
            str(inputs.get("displayName") or inputs.get("ruleName") or resource["name"]),
            str(inputs.get("enabled", "")).lower(),
            str(_whole(inputs.get("severity", ""))),
            f"{inputs.get('evaluationFrequency', '')} / {inputs.get('windowSize', '')}",
            f"{criteria.get('timeAggregation', '')} {criteria.get('operator', '')} {_whole(threshold)}".strip(),
            str(criteria.get("query", "")),
        )
    return found


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _words_changed(old: str, new: str, width: int = 120) -> str:
    """``-removed +added`` for each span of words that differs between two queries, cut at ``width``."""
    a, b = re.findall(r"\w+|[^\w\s]+", old), re.findall(r"\w+|[^\w\s]+", new)
    spans = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            gone, came = " ".join(a[i1:i2]), " ".join(b[j1:j2])
            spans.append(" ".join(part for part in (gone and f"-{gone}", came and f"+{came}") if part))
    text = "; ".join(spans)
    return text if len(text) <= width else text[: width - 1] + "…"
