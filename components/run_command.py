"""The one builder of the managed Run Commands the components run on a server [AZ:windows/run-command-managed.md]."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import pulumi
from pulumi_azure_native import compute

from .common import Component, child
from .server_handle import ServerHandle

RunCommand: TypeAlias = compute.VirtualMachineRunCommandByVirtualMachine
TIMEOUT_MARGIN = 15 * 60
"""How much longer than its script Pulumi waits for a Run Command (``customTimeouts``): the platform's own
start and report, so that ``pulumi up`` never gives up while the script still runs."""


def run_command_timeouts(script_seconds: int) -> pulumi.CustomTimeouts:
    """How long Pulumi waits for a Run Command whose script may run ``script_seconds``: that, and the platform's
    own start and report (:data:`TIMEOUT_MARGIN`), for create and update."""
    wait = f"{(script_seconds + TIMEOUT_MARGIN) // 60}m"
    return pulumi.CustomTimeouts(create=wait, update=wait)


def run_command(
    parent: Component, name: str, handle: ServerHandle, *, command: str, script: pulumi.Input[str], timeout: int,
    logs: tuple[pulumi.Input[str], pulumi.Input[str]] | None, tags: Mapping[str, str],
    depends_on: Sequence[pulumi.Resource],
    protected: Sequence[compute.RunCommandInputParameterArgs] | None = None,
) -> RunCommand:  # fmt: skip
    """Run Command ``command`` on ``handle``'s VM, as SYSTEM: synchronous, at most ``timeout`` seconds, its output
    and error to the append blobs ``logs`` written with the VM's managed identity (with ``None``: in the instance
    view only), a failed script a failed deployment; Pulumi waits for it longer than its script may run."""
    identity = compute.RunCommandManagedIdentityArgs() if logs is not None else None
    return compute.VirtualMachineRunCommandByVirtualMachine(
        name,
        resource_group_name=handle.resource_group_name,
        vm_name=handle.vm_name,
        run_command_name=command,
        location=handle.server.region,
        source=compute.VirtualMachineRunCommandScriptSourceArgs(script=script),
        protected_parameters=protected,
        output_blob_uri=logs[0] if logs is not None else None,
        error_blob_uri=logs[1] if logs is not None else None,
        output_blob_managed_identity=identity,
        error_blob_managed_identity=identity,
        async_execution=False,
        timeout_in_seconds=timeout,
        treat_failure_as_deployment_failure=True,
        tags=dict(tags),
        opts=child(parent, depends_on=list(depends_on), custom_timeouts=run_command_timeouts(timeout)),
    )
