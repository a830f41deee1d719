"""The install phase of a pool: Lync Server 2013 installed on its servers by managed Run Commands."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumiverse_time
from pulumi_azure_native import authorization, compute

from .. import install
from ..model import Plan, PoolPlan, ServerPlan
from ..model.plan import Software
from ..model.waves import update_order
from .common import Component, child

STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
"""The built-in role that reads blobs, which a managed identity needs to read the media
[AZ:windows/run-command-managed.md]."""
INSTALL, UPDATE, DATABASES, START = "pchat-install", "pchat-update", "pchat-databases", "pchat-start"
"""The Run Command of each phase (at most 25 per VM [AZ:run-command-overview.md])."""
TIMEOUT = {INSTALL: 4 * 3600, UPDATE: 2 * 3600, DATABASES: 2 * 3600, START: 2 * 3600}
"""Seconds each phase may run: copying the media and installing takes hours, not the 90-minute default."""
RESTART_WAIT = "5m"
"""How long to wait after a bootstrap that restarts its server (it restarts one minute after it ends)."""


@dataclass(frozen=True)
class ServerHandle:
    """What the install phase needs of a server the pool built."""

    server: ServerPlan
    vm_name: pulumi.Input[str]
    principal_id: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    ready: pulumi.Resource
    """The server's last extension: the bootstrap, after the domain join."""


@dataclass(frozen=True)
class LyncInstallArgs:
    """Inputs of :class:`LyncInstall`."""

    pool: PoolPlan
    plan: Plan
    software: Software
    servers: Mapping[str, ServerHandle]
    """The pool's Persistent Chat (or Standard Edition) servers, by key."""
    sql_ready: Sequence[pulumi.Resource]
    """The pool's SQL Servers, bootstrapped and registered: the databases go onto them."""
    setup_password: pulumi.Input[str]
    """The password of ``software.setupUser``; a secret."""
    tags: Mapping[str, str] = field(default_factory=dict)


class LyncInstall(Component):
    """Children, per server: a role assignment that lets its managed identity read the media container
    (Storage Blob Data Reader, scoped to the container), a wait where its bootstrap restarts it, and the
    Run Commands ``pchat-install`` (phase A), ``pchat-update`` (the cumulative update, when
    ``software.updateInstaller`` names one) and ``pchat-start`` (phase C); once for the pool, on its
    install host, ``pchat-databases`` (phase B). A runs after the server's bootstrap (itself after the
    domain join), the update after A, B after the install host's A (and update) and every SQL Server, C
    after its server's A (and update) and B. Each
    runs as ``software.setupUser`` with its password as a secret, and fails the deployment with the
    script's own error.

    Outputs: ``commands`` (server key -> phase -> Run Command id).
    """

    commands: dict[str, dict[str, pulumi.Output[str]]]

    def __init__(self, name: str, args: LyncInstallArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("LyncInstall", name, opts, legacy=False)
        software, plan = args.software, args.plan
        installed = {
            key: self._run(handle, INSTALL, install.server_script(handle.server, plan), args,
                           depends_on=[handle.ready, self._reader(handle, software), *self._restart(handle)])
            for key, handle in args.servers.items()
        }  # fmt: skip
        updated: dict[str, compute.VirtualMachineRunCommandByVirtualMachine] = {}
        for key, after in update_order(h.server for h in args.servers.values()).items():
            if software.update_installer is not None:  # in waves: each after the previous wave's succeeded
                script = install.update_script(args.servers[key].server, plan)
                updated[key] = self._run(args.servers[key], UPDATE, script, args,
                                         depends_on=[installed[key], *(updated[k] for k in after)])  # fmt: skip
        ready = {key: updated.get(key, installed[key]) for key in args.servers}
        host = args.servers[args.pool.install_host.key]
        databases = self._run(
            host, DATABASES, install.database_script(args.pool, plan), args,
            depends_on=[ready[host.server.key], *updated.values(), *args.sql_ready],
        )  # fmt: skip
        started = {
            key: self._run(handle, START, install.start_script(handle.server, plan), args,
                           depends_on=[ready[key], databases])
            for key, handle in args.servers.items()
        }  # fmt: skip
        self.commands = {key: {INSTALL: installed[key].id, START: started[key].id} for key in args.servers}
        for key, command in updated.items():
            self.commands[key][UPDATE] = command.id
        self.commands[host.server.key][DATABASES] = databases.id
        self.register_outputs({"commands": self.commands})

    def _reader(self, handle: ServerHandle, software: Software) -> authorization.RoleAssignment:
        """Storage Blob Data Reader on the media container, for the server's system-assigned identity."""
        scope = f"{software.storage_account_id}/blobServices/default/containers/{software.media_container}"
        subscription = software.storage_account_id.split("/")[2]
        return authorization.RoleAssignment(
            f"{handle.server.key}-media-reader",
            scope=scope,
            role_assignment_name=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{scope}|{handle.server.fqdn}|media-reader")),
            role_definition_id=(
                f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/"
                f"{STORAGE_BLOB_DATA_READER}"
            ),
            principal_id=handle.principal_id,
            principal_type="ServicePrincipal",
            description=f"{handle.server.computer_name} reads the Lync Server 2013 media",
            opts=child(self, delete_before_replace=True),
        )

    def _restart(self, handle: ServerHandle) -> list[pulumi.Resource]:
        """A wait after the bootstrap of a server whose features need a restart, so that phase A starts
        after the restart the bootstrap scheduled, not during it."""
        if not set(handle.server.windows_features) & install.RESTART_FEATURES:
            return []
        return [
            pulumiverse_time.Sleep(
                f"{handle.server.key}-restart-wait",
                create_duration=RESTART_WAIT,
                opts=child(self, depends_on=[handle.ready]),
            )
        ]

    def _run(
        self, handle: ServerHandle, command: str, script: str, args: LyncInstallArgs, *,
        depends_on: Sequence[pulumi.Resource],
    ) -> compute.VirtualMachineRunCommandByVirtualMachine:  # fmt: skip
        return compute.VirtualMachineRunCommandByVirtualMachine(
            f"{handle.server.key}-{command}",
            resource_group_name=handle.resource_group_name,
            vm_name=handle.vm_name,
            run_command_name=command,
            location=handle.server.region,
            source=compute.VirtualMachineRunCommandScriptSourceArgs(script=script),
            run_as_user=args.software.setup_user,
            run_as_password=pulumi.Output.secret(args.setup_password),
            async_execution=False,
            timeout_in_seconds=TIMEOUT[command],
            treat_failure_as_deployment_failure=True,
            tags=dict(args.tags),
            opts=child(self, depends_on=list(depends_on)),
        )
