"""A private endpoint of a resource the project creates, in a subnet of the platform's, with its DNS records."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi_azure_native import network

from ..model.config import PrivateEndpointConfig
from .common import Component, child


def private_endpoint(
    parent: Component,
    name: str,
    resource_id: pulumi.Input[str],
    group_id: str,
    endpoint: PrivateEndpointConfig,
    *,
    resource_group_name: pulumi.Input[str],
    location: str,
    tags: Mapping[str, str],
    endpoint_name: str | None = None,
) -> network.PrivateEndpoint:
    """A ``network.PrivateEndpoint`` to the ``group_id`` sub-resource (``blob``, ``vault``) of ``resource_id`` in
    ``endpoint.subnetId`` and, with DNS zones, a ``PrivateDnsZoneGroup`` that registers its address in them. Its
    Azure name is ``endpoint_name`` (default ``pep-<name>``)."""
    created = network.PrivateEndpoint(
        f"{name}-pe",
        resource_group_name=resource_group_name,
        location=location,
        private_endpoint_name=endpoint_name or f"pep-{name}",
        subnet=network.SubnetArgs(id=endpoint.subnet_id),
        private_link_service_connections=[
            network.PrivateLinkServiceConnectionArgs(
                name=f"{name}-{group_id}", private_link_service_id=resource_id, group_ids=[group_id]
            )
        ],
        tags=dict(tags),
        opts=child(parent),
    )
    if endpoint.private_dns_zone_ids:
        network.PrivateDnsZoneGroup(
            f"{name}-pe-dns",
            resource_group_name=resource_group_name,
            private_endpoint_name=created.name,
            private_dns_zone_group_name="default",
            private_dns_zone_configs=[
                network.PrivateDnsZoneConfigArgs(
                    name=zone.rsplit("/", 1)[-1].replace(".", "-"), private_dns_zone_id=zone
                )
                for zone in endpoint.private_dns_zone_ids
            ],
            opts=child(parent),
        )
    return created


def _config_name(zone_id: str) -> str:
    """A DNS zone config's name: the zone's, dots as hyphens (``privatelink-blob-core-windows-net``)."""
    return zone_id.rsplit("/", 1)[-1].replace(".", "-")
