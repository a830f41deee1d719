"""Disaster recovery armed by the install phase: log shipping configured by a Run Command on the backup store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import compute

from .. import install
from ..model import Plan, PoolPlan
from ..model.plan import Software
from .common import Component, child
from .lync_install import ServerHandle

RUN_COMMAND = "pchat-log-shipping"
TIMEOUT = 2 * 3600
"""Seconds it may run: a full backup of each store, its restore across the site link, and two failovers."""


@dataclass(frozen=True)
class LogShippingArgs:
    """Inputs of :class:`LogShipping`."""

    pool: PoolPlan
    plan: Plan
    software: Software
    host: ServerHandle
    """The pool's backup store (of ``mgc``), a SQL Server this project builds, with sqlcmd."""
    after: Sequence[pulumi.Resource]
    """The install phase of the pool: the databases exist and are mirrored."""
    setup_password: pulumi.Input[str]
    tags: Mapping[str, str] = field(default_factory=dict)


class LogShipping(Component):
    """Children: the ``pchat-log-shipping`` Run Command (``lync_pchat.install.shipping_script``), as
    ``software.setupUser`` with its password as a secret, after the pool's databases and starts and before the
    release of the setup account's rights.

    Outputs: ``command`` (the Run Command id).
    """

    command: pulumi.Output[str]

    def __init__(self, name: str, args: LogShippingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("LogShipping", name, opts, legacy=False)
        host = args.host
        run = compute.VirtualMachineRunCommandByVirtualMachine(
            f"{host.server.key}-{RUN_COMMAND}",
            resource_group_name=host.resource_group_name,
            vm_name=host.vm_name,
            run_command_name=RUN_COMMAND,
            location=host.server.region,
            source=compute.VirtualMachineRunCommandScriptSourceArgs(
                script=install.shipping_script(args.pool, args.plan)
            ),
            run_as_user=args.software.setup_user,
            run_as_password=pulumi.Output.secret(args.setup_password),
            async_execution=False,
            timeout_in_seconds=TIMEOUT,
            treat_failure_as_deployment_failure=True,
            tags=dict(args.tags),
            opts=child(self, depends_on=[host.ready, *args.after]),
        )
        self.command = run.id
        self.register_outputs({"command": self.command})
