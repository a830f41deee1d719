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

from .changes import value_at, values
from .refusals import ABSENT, SOFT_DELETE, VAULT

ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
CONTAINER = "azure-native:storage:BlobContainer"
POLICY = "azure-native:storage:BlobContainerImmutabilityPolicy"
NSG = "azure-native:network:NetworkSecurityGroup"
RULE = "azure-native:network:SecurityRule"

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
NSG_RULES = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
SERVICE_TAGS = "https://learn.microsoft.com/azure/virtual-network/service-tags-overview"

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
    Posture(ACCOUNT, "publicNetworkAccess", _not("Enabled"), "public network access enabled", STORAGE_NETWORK),
    Posture(
        ACCOUNT,
        "networkRuleSet.defaultAction",
        _not("Allow"),
        "network default action Allow",
        STORAGE_NETWORK,
    ),
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
    Posture(
        VAULT,
        "properties.publicNetworkAccess",
        _not("Enabled"),
        "public network access enabled",
        VAULT_NETWORK,
    ),
    Posture(
        VAULT,
        "properties.networkAcls.defaultAction",
        _not("Allow"),
        "network default action Allow",
        VAULT_NETWORK,
    ),
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
    if type_ == NSG:
        found += _wider(before.get("securityRules", ()), after.get("securityRules", ()))
    elif type_ == RULE and after:
        found += _wider([before] if before else [], [after])
    return tuple(found)


def _wider(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[str]:
    """Inbound allow rules that admit sources they did not: a rule's sources widened, a deny rule turned
    to allow, or a new rule from a public source (an address outside the private ranges, any tag but
    ``VirtualNetwork`` and ``AzureLoadBalancer``)."""
    old = {_name(rule): rule for rule in before}
    found = []
    for rule in filter(_admits, after):
        name, now = _name(rule), sources(rule)
        was = old.get(name)
        if was is None:
            added, said = [s for s in now if _public(s)], "no such rule"
        elif not _admits(was):
            added, said = list(now), f"{was.get('access', '?')} {was.get('direction', '?')}"
        else:
            added, said = [s for s in now if _widens(s, sources(was))], ", ".join(sources(was))
        if added:
            found.append(
                f"NSG rule {name} admits wider sources: {', '.join(added)} (was {said}) ({NSG_RULES}; {SERVICE_TAGS})"
            )
    return found


def _name(rule: Mapping[str, Any]) -> str:
    """An inline rule's ``name``, a stand-alone SecurityRule's ``securityRuleName``."""
    return str(rule.get("name") or rule.get("securityRuleName") or "")


def _admits(rule: Mapping[str, Any]) -> bool:
    return str(rule.get("access", "")).lower() == "allow" and str(rule.get("direction", "")).lower() == "inbound"


def sources(rule: Mapping[str, Any]) -> tuple[str, ...]:
    """A rule's source prefixes or tags (its list, else its single value)."""
    many = rule.get("sourceAddressPrefixes") or ()
    one = rule.get("sourceAddressPrefix")
    return tuple(str(s) for s in many) or ((str(one),) if one else ())


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
