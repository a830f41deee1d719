"""The one handle on a server a pool built, for the components that act on it afterwards."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from lync_pchat.model import ServerPlan


@dataclass(frozen=True)
class ServerHandle:
    """What the install phase, the backup task, patching and monitoring need of a server the pool built."""

    server: ServerPlan
    vm_id: pulumi.Input[str]
    vm_name: pulumi.Input[str]
    principal_id: pulumi.Input[str]
    """The VM's system-assigned identity, which its Run Commands and tasks act as."""
    resource_group_name: pulumi.Input[str]
    ready: pulumi.Resource
    """What acting on the server follows: its last extension (the bootstrap after the domain join, or the SQL
    registration: extensions run one at a time), or the wait for the restart its bootstrap schedules."""
