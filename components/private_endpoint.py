"""A private endpoint of a resource the project creates, in a subnet of the platform's, with its DNS records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from .common import Component, child


@dataclass(frozen=True)
class Endpoint:
    """Where a private endpoint goes (``privateEndpoints``), its ids as given: strings, or a larger stack's Outputs."""

    subnet_id: pulumi.Input[str]
    """The subnet of the endpoint, in the region of what it reaches."""
    private_dns_zone_ids: Sequence[pulumi.Input[str]] = ()
    """The private DNS zones to register it in; none: your DNS resolves it."""


def private_endpoint(
    parent: Component,
    name: str,
    resource_id: pulumi.Input[str],
    group_id: str,
    endpoint: Endpoint,
    *,
    resource_group_name: pulumi.Input[str],
    location: str,
    tags: Mapping[str, str],
    endpoint_name: str | None = None,
) -> network.PrivateEndpoint:
    """A ``network.PrivateEndpoint`` to the ``group_id`` sub-resource (``blob``, ``vault``) of ``resource_id`` in
    ``endpoint.subnet_id`` and, with DNS zones, a ``PrivateDnsZoneGroup`` that registers its address in them. Its
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
                network.PrivateDnsZoneConfigArgs(name=_config_name(zone), private_dns_zone_id=zone)
                for zone in endpoint.private_dns_zone_ids
            ],
            opts=child(parent),
        )
    return created


def _config_name(zone_id: pulumi.Input[str]) -> pulumi.Input[str]:
    """A DNS zone config's name: the zone's, dots as hyphens (``privatelink-blob-core-windows-net``), once the id
    is known (it may be an Output)."""
    return pulumi.Output.from_input(zone_id).apply(lambda known: known.rsplit("/", 1)[-1].replace(".", "-"))
