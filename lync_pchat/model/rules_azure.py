"""Rules on the Azure placement and network options: availability zones and private endpoints."""

from __future__ import annotations

from collections.abc import Iterator

from . import arm
from .backup import effective
from .config import PrivateEndpointConfig, TopologyConfig
from .errors import Problem
from .text import did_you_mean

ZONES = ("1", "2", "3")
"""Azure's availability zones of a region, as ``zones`` names them [AZ:availability]."""


def availability_zones(cfg: TopologyConfig) -> Iterator[Problem]:
    for key, site in cfg.sites.items():
        seen: set[str] = set()
        for index, zone in enumerate(site.availability_zones):
            path = f"sites.{key}.availabilityZones.{index}"
            if zone not in ZONES:
                yield Problem(path, f"{zone!r} is not an availability zone: Azure numbers them 1, 2 and 3")
            elif zone in seen:
                yield Problem(path, f"zone {zone} is listed twice")
            seen.add(zone)


def private_endpoints(cfg: TopologyConfig) -> Iterator[Problem]:
    endpoints = cfg.private_endpoints
    if endpoints.vault is not None:
        if cfg.key_vault_id is not None:
            yield Problem(
                "privateEndpoints.vault",
                "with keyVaultId the project creates no vault: give your own vault its private endpoint",
            )
        yield from _endpoint("privateEndpoints.vault", endpoints.vault)
    backed_up = _backup_account_sites(cfg)
    for key, endpoint in endpoints.backup.items():
        path = f"privateEndpoints.backup.{key}"
        if key not in cfg.sites:
            hint = did_you_mean(key, cfg.sites, after=" ")
            yield Problem(path, f"{key!r} is not a site; {hint}sites: {', '.join(cfg.sites)}")
        elif key not in backed_up:
            yield Problem(
                path,
                f"site {key!r} has no backup storage account of the project's (no pool backs up a store there, or "
                "its backup.storageAccountId is your own account)",
            )
        yield from _endpoint(path, endpoint)


def _endpoint(path: str, endpoint: PrivateEndpointConfig) -> Iterator[Problem]:
    if not arm.SUBNET.matches(endpoint.subnet_id):
        yield Problem(f"{path}.subnetId", arm.SUBNET.problem(endpoint.subnet_id))
    for index, zone in enumerate(endpoint.private_dns_zone_ids):
        if not arm.PRIVATE_DNS_ZONE.matches(zone):
            yield Problem(f"{path}.privateDnsZoneIds.{index}", arm.PRIVATE_DNS_ZONE.problem(zone))


def _backup_account_sites(cfg: TopologyConfig) -> set[str]:
    """The sites where the project creates a backup storage account: those of every pool (and its standby site)
    that backs up to the project's storage."""
    sites: set[str] = set()
    for pool in cfg.pools.values():
        settings = effective(cfg, pool)
        if settings.enabled and settings.storage_account_id is None:
            sites.add(pool.site)
            if pool.disaster_recovery is not None:
                sites.add(pool.disaster_recovery.standby_site)
    return sites


def advisories(cfg: TopologyConfig) -> list[str]:
    """A site on existing subnets whose backup account admits them: Azure needs their storage service endpoint."""
    return [
        f"sites.{key}.existingNetwork: the site's backup storage account admits only the subnets of the servers "
        "that back up (a virtual network rule), which Azure accepts once those subnets have the Microsoft.Storage "
        f"service endpoint: enable it on your subnets, or give privateEndpoints.backup.{key}"
        for key in sorted(_backup_account_sites(cfg))
        if cfg.sites[key].existing_network is not None and key not in cfg.private_endpoints.backup
    ]


RULES = (availability_zones, private_endpoints)
