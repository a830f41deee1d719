"""The resource group of a site's stateful stores, locked against deletion by default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import authorization, resources

from .common import Component, child

LOCK_LEVEL = "CanNotDelete"
LOCK_NOTES = (
    "Holds the Persistent Chat SQL Server VMs (mgc, mgccomp, their mirrors and log-shipping copies) "
    "and the key vault of the administrator passwords: deleting the group or any of them loses chat "
    "history or credentials. Updates are allowed. To delete on purpose, set pchat:topology lockStores "
    "to false and run pulumi up first."
)
"""Why the lock is there and how to lift it, shown in the portal next to the lock."""


@dataclass(frozen=True)
class StoreGroupArgs:
    """Inputs of :class:`StoreGroup`."""

    site: str
    """The site key; the group is ``rg-<name_prefix>-<site>-data``."""
    region: str
    name_prefix: str
    """Prefix of the Azure names, e.g. ``pchat-prod``."""
    lock: bool = True
    """A ``CanNotDelete`` management lock on the group (AVM ``lock``, kind CanNotDelete)."""
    protect: bool = True
    """protect and retainOnDelete on the group: deleting it deletes every store in it."""
    tags: Mapping[str, str] = field(default_factory=dict)
    existing: pulumi.Input[str] | None = None
    """An existing group (the platform's, in the deployment's subscription; may be an Output) instead of a new
    one; still locked with ``lock``."""


class StoreGroup(Component):
    """Children: the site's data resource group (SQL Server VMs with their disks, NICs and
    registrations; the key vault in the home site) and, unless opted out, a ``CanNotDelete`` lock on it.

    The lock keeps a store from being deleted by any tool, the portal included: a replace or removal
    that would delete a SQL Server VM, a data disk or the vault fails until the lock is lifted.
    In-place updates (extensions, tags, sizes) still go through. The network, the pool servers and the
    availability sets of the pool servers stay in the site group, which is not locked, so a pool can
    shrink without lifting the lock.

    Outputs: ``resource_group_name``, ``resource_group_id``.
    """

    resource_group_name: pulumi.Output[str]
    resource_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: StoreGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("StoreGroup", name, opts)
        group_name: pulumi.Input[str] = (
            args.existing if args.existing is not None else f"rg-{args.name_prefix}-{args.site}-data"
        )
        if args.existing is None:
            group = resources.ResourceGroup(
                f"{name}-rg",
                resource_group_name=group_name,
                location=args.region,
                tags=dict(args.tags),
                opts=child(self, stateful=True, protect=args.protect),
            )
            names, ids = group.name, group.id
        else:  # the platform's group: its id in the deployment's subscription
            caller = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
            names = pulumi.Output.from_input(group_name)
            ids = pulumi.Output.concat("/subscriptions/", caller.subscription_id, "/resourceGroups/", group_name)
        if args.lock:
            authorization.ManagementLockByScope(
                f"{name}-lock",
                scope=ids,
                lock_name=pulumi.Output.concat("lock-", group_name),
                level=LOCK_LEVEL,
                notes=LOCK_NOTES,
                opts=child(self),
            )
        self.resource_group_name = names
        self.resource_group_id = ids
        self.register_outputs(
            {"resourceGroupName": self.resource_group_name, "resourceGroupId": self.resource_group_id}
        )
