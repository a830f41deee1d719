"""Changes that weaken a security setting of a resource that holds data or guards it: one table, each row
with its source.

``pchat diff --fail-on-posture`` (and ``--fail-on-stateful``, which includes it) fails on any of them: a
pull request that turns off soft delete, opens storage to shared keys or a vault to public networks is
as dangerous to the data as one that deletes it. A row reads one input of one resource type and ranks its
value (higher is safer); a change weakens the setting when the rank drops. An input the later plan
leaves unset takes Azure's default, ranked as the weakest value: a reviewer confirms the default.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import resource_types as rt
from ..model.rules_security import NSG_RULES
from ..model.rules_security import NSG_TAGS as SERVICE_TAGS
from ..model.security_rules import destinations, ports, sources
from .changes import value_at, values
from .refusals import ABSENT, SOFT_DELETE, VAULT

ACCOUNT = rt.STORAGE_ACCOUNT
BLOB_SERVICE = rt.BLOB_SERVICE
CONTAINER = rt.BLOB_CONTAINER
POLICY = rt.IMMUTABILITY_POLICY
NSG = rt.NSG
RULE = rt.SECURITY_RULE

BLOB_SOFT_DELETE = "https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview"
CONTAINER_SOFT_DELETE = "https://learn.microsoft.com/azure/storage/blobs/soft-delete-container-overview"
VERSIONING = "https://learn.microsoft.com/azure/storage/blobs/versioning-overview"
IMMUTABILITY = "https://learn.microsoft.com/azure/storage/blobs/immutable-storage-overview"
ANONYMOUS = "https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent"
SHARED_KEY = "https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent"
STORAGE_TLS = "https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version"
STORAGE_NETWORK = "https://learn.microsoft.com/azure/storage/common/storage-network-security"
REDUNDANCY = "https://learn.microsoft.com/azure/storage/common/storage-redundancy"
VAULT_NETWORK = "https://learn.microsoft.com/azure/key-vault/general/network-security"
VAULT_RBAC = "https://learn.microsoft.com/azure/key-vault/general/rbac-guide"

Rank = Callable[[Any], float]
"""A value's strength: higher is safer; ``ABSENT`` (unset) ranks as the weakest."""


def _enabled(value: Any) -> float:
    return 1.0 if value is True else 0.0


def _disabled(value: Any) -> float:
    return 1.0 if value is False else 0.0


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _not(weak: str) -> Rank:
    """Any set value but ``weak`` is safe (an unset one is Azure's default, here ``weak``)."""
    return lambda value: 0.0 if value is ABSENT or str(value).lower() == weak.lower() else 1.0


def _ordered(*values: str) -> Rank:
    """Ranked by position in ``values`` (weakest first); anything else as the weakest."""
    return lambda value: float(values.index(value)) if value in values else -1.0


def _redundancy(value: Any) -> float:
    """Copies kept: locally (LRS), across zones (ZRS), in a second region (GRS), both (GZRS)."""
    kind = str(value).rsplit("_", 1)[-1].upper().removeprefix("RA")
    return {"LRS": 0.0, "ZRS": 1.0, "GRS": 2.0, "GZRS": 3.0}.get(kind, -1.0)


@dataclass(frozen=True)
class Posture:
    """An input of ``type`` at dotted ``path`` whose value ranks by ``rank``: a drop weakens ``what``."""

    type: str
    path: str
    rank: Rank
    what: str
    source: str

    def weakened(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
        """Why the change from ``before`` to ``after`` (input maps) weakens this setting, else None."""
        was, now = value_at(before, self.path), value_at(after, self.path)
        if was is ABSENT or self.rank(now) >= self.rank(was):
            return None
        (value,) = values(before, after, (self.path,))
        return f"{self.what}: {value} ({self.source})"


def _network_lock(type_: str, public: str, default_action: str, source: str) -> tuple[Posture, Posture]:
    """The network lock of a ``type_``: public access at ``public`` and the firewall's ``default_action``."""
    return (
        Posture(type_, public, _not("Enabled"), "public network access enabled", source),
        Posture(type_, default_action, _not("Allow"), "network default action Allow", source),
    )


POSTURE = (
    Posture(BLOB_SERVICE, "deleteRetentionPolicy.enabled", _enabled, "blob soft delete off", BLOB_SOFT_DELETE),
    Posture(BLOB_SERVICE, "deleteRetentionPolicy.days", _number, "blob soft delete shorter", BLOB_SOFT_DELETE),
    Posture(
        BLOB_SERVICE,
        "containerDeleteRetentionPolicy.enabled",
        _enabled,
        "container soft delete off",
        CONTAINER_SOFT_DELETE,
    ),
    Posture(
        BLOB_SERVICE,
        "containerDeleteRetentionPolicy.days",
        _number,
        "container soft delete shorter",
        CONTAINER_SOFT_DELETE,
    ),
    Posture(BLOB_SERVICE, "isVersioningEnabled", _enabled, "blob versioning off", VERSIONING),
    Posture(
        CONTAINER,
        "immutableStorageWithVersioning.enabled",
        _enabled,
        "container immutability removed",
        IMMUTABILITY,
    ),
    Posture(
        CONTAINER,
        "publicAccess",
        _ordered("Container", "Blob", "None"),
        "anonymous access to the container",
        ANONYMOUS,
    ),
    Posture(
        POLICY,
        "immutabilityPeriodSinceCreationInDays",
        _number,
        "immutability period shorter",
        IMMUTABILITY,
    ),
    Posture(
        ACCOUNT,
        "immutableStorageWithVersioning.enabled",
        _enabled,
        "account immutability removed",
        IMMUTABILITY,
    ),
    Posture(
        ACCOUNT,
        "immutableStorageWithVersioning.immutabilityPolicy.immutabilityPeriodSinceCreationInDays",
        _number,
        "account immutability period shorter",
        IMMUTABILITY,
    ),
    Posture(ACCOUNT, "allowBlobPublicAccess", _disabled, "anonymous blob access allowed", ANONYMOUS),
    Posture(ACCOUNT, "allowSharedKeyAccess", _disabled, "shared key access allowed", SHARED_KEY),
    Posture(
        ACCOUNT,
        "minimumTlsVersion",
        _ordered("TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"),
        "minimum TLS version lowered",
        STORAGE_TLS,
    ),
    *_network_lock(ACCOUNT, "publicNetworkAccess", "networkRuleSet.defaultAction", STORAGE_NETWORK),
    Posture(ACCOUNT, "sku.name", _redundancy, "redundancy lowered", REDUNDANCY),
    Posture(VAULT, "properties.enablePurgeProtection", _enabled, "purge protection off", SOFT_DELETE),
    Posture(VAULT, "properties.enableSoftDelete", _enabled, "vault soft delete off", SOFT_DELETE),
    Posture(
        VAULT,
        "properties.softDeleteRetentionInDays",
        _number,
        "vault soft delete shorter",
        SOFT_DELETE,
    ),
    Posture(VAULT, "properties.enableRbacAuthorization", _enabled, "RBAC authorization off", VAULT_RBAC),
    *_network_lock(VAULT, "properties.publicNetworkAccess", "properties.networkAcls.defaultAction", VAULT_NETWORK),
)
"""Security settings of data and security resources, by resource type and input path."""

WORLD = frozenset({"*", "any", "internet", "0.0.0.0/0", "::/0"})
"""Sources that admit every address."""
PRIVATE_TAGS = frozenset({"virtualnetwork", "azureloadbalancer"})
"""Service tags of the virtual network's own side (every other tag, such as ``AzureCloud``, is public)."""


def weakened(type_: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Why the change of a resource of ``type_`` from ``before`` to ``after`` (input maps; an empty map
    for a deleted resource) weakens its security settings, one line per setting, with its source."""
    found = [why for row in POSTURE if row.type == type_ and (why := row.weakened(before, after))]
    if type_ == NSG and after:  # a deleted NSG goes with its stack or its subnets, not rule by rule
        found += _wider(before.get("securityRules", ()), after.get("securityRules", ()))
    elif type_ == RULE:
        found += _wider([before] if before else [], [after] if after else [])
    return tuple(found)


def _wider(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[str]:
    """Inbound rules that admit traffic they did not: an allow rule's sources, destinations, ports or
    protocol widened, a deny rule turned to allow, a new rule from a public source or from the virtual
    network ahead of a deny; then deny rules removed or denying less."""
    old = {_name(rule): rule for rule in before}
    denies = [rule for rule in before if _denies(rule)]
    found = []
    for rule in filter(_admits, after):
        was = old.get(_name(rule))
        if was is None:
            found += _new_allow(rule, denies)
        elif not _admits(was):
            said = f"{was.get('access', '?')} {was.get('direction', '?')}"
            found.append(_line(rule, "sources", list(sources(rule)), said, SERVICE_TAGS))
        else:
            found += _allow_widened(was, rule, denies)
    new = {_name(rule): rule for rule in after}
    for rule in denies:
        found += _deny_narrowed(rule, new.get(_name(rule)))
    return found


def _line(rule: Mapping[str, Any], what: str, added: Sequence[str], was: str, *cites: str) -> str:
    return (
        f"NSG rule {_name(rule)} admits wider {what}: {', '.join(added)} (was {was}) ({'; '.join((NSG_RULES, *cites))})"
    )


def _new_allow(rule: Mapping[str, Any], denies: Sequence[Mapping[str, Any]]) -> list[str]:
    """A new allow rule from a public source, or from the ``VirtualNetwork`` tag (peerings and on-premises
    ranges) at a priority that comes before an existing deny rule (lower numbers are processed first)."""
    now = sources(rule)
    public = [s for s in now if _public(s)]
    if public:
        return [_line(rule, "sources", public, "no such rule", SERVICE_TAGS)]
    vnet = [s for s in now if s.lower() == "virtualnetwork"]
    ahead = [_name(d) for d in denies if _priority(rule) < _priority(d)]
    if vnet and ahead:
        return [_line(rule, "sources", vnet, f"no such rule; now ahead of deny {', '.join(ahead)}", SERVICE_TAGS)]
    return []


def _allow_widened(was: Mapping[str, Any], now: Mapping[str, Any], denies: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each dimension in which an allow rule admits more than it did, and each deny it now comes before
    (the first matching rule by priority decides)."""
    found = []
    ahead = [_name(d) for d in denies if _priority(now) < _priority(d) < _priority(was)]
    if ahead:
        found.append(f"NSG rule {_name(now)} moved ahead of deny {', '.join(ahead)} ({NSG_RULES})")
    added = [s for s in sources(now) if _widens(s, sources(was))]
    if added:
        found.append(_line(now, "sources", added, ", ".join(sources(was)), SERVICE_TAGS))
    added = [d for d in destinations(now) if _widens(d, destinations(was))]
    if added:
        found.append(_line(now, "destinations", added, ", ".join(destinations(was)), SERVICE_TAGS))
    if not _within(ports(now), ports(was)):
        found.append(_line(now, "destination ports", ports(now), ", ".join(ports(was))))
    if not _protocol_within(now, was):
        found.append(_line(now, "protocol", [_protocol(now)], _protocol(was)))
    return found


def _deny_narrowed(was: Mapping[str, Any], now: Mapping[str, Any] | None) -> list[str]:
    """A deny rule removed, no longer inbound, moved later or denying fewer sources, destinations, ports or
    protocols. Without ``deny-all-inbound``, Azure's default ``AllowVnetInBound`` (priority 65000) admits the
    whole virtual network (Default security rules, network-security-groups-overview)."""
    name = _name(was)
    if now is None or not _denies(now):
        if now is not None and _admits(now):
            return []  # reported as an allow rule admitting wider sources
        state = "removed" if now is None else f"now {now.get('access', '?')} {now.get('direction', '?')}"
        return [
            f"NSG deny rule {name} {state}: AllowVnetInBound (priority 65000) admits the virtual network "
            f"({NSG_RULES}#default-security-rules)"
        ]
    less = [
        what
        for what, narrowed in (
            ("sources", not all(_covered(s, sources(now)) for s in sources(was))),
            ("destinations", not all(_covered(d, destinations(now)) for d in destinations(was))),
            ("destination ports", not _within(ports(was), ports(now))),
            ("protocol", not _protocol_within(was, now)),
            ("priority", _priority(now) > _priority(was)),
        )
        if narrowed
    ]
    return [f"NSG deny rule {name} denies less: {what} ({NSG_RULES})" for what in less]


def _covered(prefix: str, others: Sequence[str]) -> bool:
    """Whether ``others`` name every address of ``prefix``: ``*`` or the same prefix or tag or a range
    containing it (``Internet`` leaves out the virtual network, so it does not cover ``*``)."""
    names = {o.lower() for o in others}
    if names & {"*", "any"} or prefix.lower() in names:
        return True
    net = _network(prefix)
    nets = [n for o in others if (n := _network(o)) is not None and net is not None and n.version == net.version]
    return net is not None and any(net.subnet_of(n) for n in nets)  # type: ignore[arg-type]


def _inbound(rule: Mapping[str, Any], access: str) -> bool:
    """Whether ``rule`` is an inbound rule whose access is ``access`` (``allow`` or ``deny``)."""
    return str(rule.get("access", "")).lower() == access and str(rule.get("direction", "")).lower() == "inbound"


def _denies(rule: Mapping[str, Any]) -> bool:
    return _inbound(rule, "deny")


def _priority(rule: Mapping[str, Any]) -> float:
    value = rule.get("priority")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 65000.0


def _protocol(rule: Mapping[str, Any]) -> str:
    return str(rule.get("protocol") or "*")


def _protocol_within(rule: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether ``rule``'s protocol is one ``other`` covers (``*`` covers every protocol)."""
    mine, theirs = _protocol(rule).lower(), _protocol(other).lower()
    return theirs in ("*", mine)


def _span(spec: str) -> tuple[int, int]:
    """A port spec as an inclusive range; ``*`` or anything unreadable as every port."""
    low, _, high = spec.strip().partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        return 0, 65535


def _within(specs: Sequence[str], other: Sequence[str]) -> bool:
    """Whether every port of ``specs`` is in ``other`` (ranges merged, so 1-10 and 11-20 cover 5-15)."""
    merged: list[list[int]] = []
    for low, high in sorted(map(_span, other)):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return all(any(a <= low and high <= b for a, b in merged) for low, high in map(_span, specs))


def _name(rule: Mapping[str, Any]) -> str:
    """An inline rule's ``name``, a stand-alone SecurityRule's ``securityRuleName``."""
    return str(rule.get("name") or rule.get("securityRuleName") or "")


def _admits(rule: Mapping[str, Any]) -> bool:
    return _inbound(rule, "allow")


def _network(source: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(source, strict=False)
    except ValueError:
        return None


def _widens(source: str, before: Sequence[str]) -> bool:
    """Whether ``source``, added to a rule that admitted ``before``, admits a wider set: a public address or
    tag, a tag the rule did not name (``VirtualNetwork`` spans peerings and on-premises ranges), or a range
    that contains one it had (a /16 grown to a /8). Another private host or range beside them (a pool's new
    server) is not wider."""
    olds = {s.lower() for s in before}
    if olds & WORLD or source.lower() in olds:
        return False
    new = _network(source)
    if new is None:
        return source.lower() != "azureloadbalancer"
    nets = [n for s in before if (n := _network(s)) is not None and n.version == new.version]
    if any(new.subnet_of(n) for n in nets):  # type: ignore[arg-type]
        return False
    return not new.is_private or any(n.subnet_of(new) for n in nets)  # type: ignore[arg-type]


def _public(source: str) -> bool:
    network = _network(source)
    if network is None:
        return source.lower() not in PRIVATE_TAGS
    return not network.is_private
