"""What a larger stack hands over as Outputs of its own resources, in place of the plan's values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from lync_pchat.model.config import PrivateEndpointConfig

from .private_endpoint import Endpoint


@dataclass(frozen=True)
class EstateInputs:
    """Values a larger stack hands over as Outputs of its own resources, in place of the plan's."""

    dns_servers: Mapping[str, pulumi.Input[Sequence[str]]] = field(default_factory=dict)
    """Site key -> the DNS servers of its virtual network (the hub's domain controllers)."""
    subnet_ids: Mapping[str, Mapping[str, pulumi.Input[str]]] = field(default_factory=dict)
    """Site key -> subnet (``pchat``, ``sql``) -> id of the existing subnet."""
    hub_virtual_network_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    route_table_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    key_vault_id: pulumi.Input[str] | None = None
    key_vault_provider: pulumi.ProviderResource | None = None
    """The azure-native provider of the existing vault's subscription; default: one made for it when the
    vault's id is known and names another subscription than the deployment's (``vault_provider``)."""
    diagnostics_workspace_id: pulumi.Input[str] | None = None
    outputs: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Placeholder -> the Output it stands for: the plan holds a well-formed placeholder where the args held an
    Output (the user-assigned identity, resource groups, action group, storage accounts, private endpoints' subnets
    and DNS zones); see :meth:`resolve`."""

    def resolve(self, value: str | None) -> pulumi.Input[str] | None:
        """The Output a plan value stands for, or the value itself (None stays None)."""
        return None if value is None else self.outputs.get(value, value)

    def given(self, value: str | None) -> bool:
        """Whether a plan value stands for an Output (its real value is not known while the program runs)."""
        return value is not None and value in self.outputs

    def endpoint(self, config: PrivateEndpointConfig | None) -> Endpoint | None:
        """A planned private endpoint with the Outputs its subnet and DNS zone ids stand for."""
        if config is None:
            return None
        zones = [self.outputs.get(zone, zone) for zone in config.private_dns_zone_ids]
        return Endpoint(self.outputs.get(config.subnet_id, config.subnet_id), zones)
