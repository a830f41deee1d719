"""The install phase of a pool: Lync Server 2013 installed on its servers by managed Run Commands."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumiverse_time
from pulumi_azure_native import authorization, compute, storage

from lync_pchat import install
from lync_pchat.install import regrant
from lync_pchat.model import Plan, PoolPlan, arm
from lync_pchat.model.plan import Software
from lync_pchat.model.shipping import stretched_pool
from lync_pchat.model.waves import update_order
from lync_pchat.runbooks import cu_databases, log_shipping, verify

from .common import Component, child
from .role_assignments import STORAGE_BLOB_DATA_CONTRIBUTOR, STORAGE_BLOB_DATA_READER, assign_role
from .run_command import RunCommand, run_command
from .server_handle import ServerHandle

INSTALL, UPDATE, DATABASES, CU_DATABASES, START, SHIPPING, VERIFY, RELEASE = (phase.name for phase in install.PHASES)
"""The Run Command of each phase (at most 25 per VM [AZ:run-command-overview.md]); each has a resume Run Command
per restart it may take (:mod:`lync_pchat.install.supervisor`)."""
TIMEOUT = {phase.name: phase.timeout for phase in install.PHASES}
"""Seconds each phase may run: copying the media and installing takes hours, not the 90-minute default."""
RESTART_WAIT = "5m"
"""How long to wait after a bootstrap that restarts its server (it restarts one minute after it ends), and after
a Run Command that scheduled a restart (one minute after it reports)."""
LOG_CONTAINER = "pchat-install-"
"""Prefix of the blob container, per pool, that receives each Run Command's full output and error."""


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
    shipping_host: ServerHandle | None = None
    """The pool's ``mgc`` backup store, with ``disasterRecovery``: disaster recovery armed there (log shipping)."""
    storage_account_id: pulumi.Input[str] | None = None
    """The media's storage account (may be an Output); default: ``software.storageAccountId``."""
    sql_servers: Mapping[str, ServerHandle] = field(default_factory=dict)
    """The pool's SQL Servers this project builds, by key: the setup account's rights granted again there before a
    cumulative update's database step (:mod:`lync_pchat.install.regrant`)."""

    @property
    def media_account(self) -> pulumi.Output[str]:
        """The id of the storage account holding the media and the pool's install logs."""
        given = self.storage_account_id if self.storage_account_id is not None else self.software.storage_account_id
        return pulumi.Output.from_input(given)


class LyncInstall(Component):
    """Children, per server: role assignments that let its managed identity read the media container (Storage
    Blob Data Reader) and write its Run Commands' logs (Storage Blob Data Contributor, on the pool's log
    container), a wait where its bootstrap restarts it, and the Run Commands ``pchat-install`` (phase A),
    ``pchat-update`` (the cumulative update, when ``software.updateInstaller`` names one) and ``pchat-start``
    (phase C); once for the pool, on its install host, ``pchat-databases`` (phase B) and, with an update,
    ``pchat-cu-databases`` (the update's database step, after B and every server's update, before C), unless
    ``software.keepSetupRights`` after ``pchat-cu-grant`` on each SQL Server it reaches (the setup account's
    sysadmin and local Administrators again, as SYSTEM, the logs in the pool's container); with
    disaster recovery, ``pchat-log-shipping`` on the ``mgc`` backup store after every start (log shipping armed);
    on the install host after every start and the log shipping, ``pchat-verify`` (the ``verify`` runbook's
    checks); and, unless ``software.keepSetupRights``, ``pchat-release`` on every server, last (the setup
    account's rights removed).
    A runs after the server's bootstrap (itself after the domain join), the update after A, B after the install
    host's A (and update) and every SQL Server, C after its server's A (and update) and B. A phase that may
    restart its server has a resume Run Command per restart, each after a wait; what follows a phase follows
    its last resume. Each Run Command runs as SYSTEM the phase's supervisor, which runs the phase as
    ``software.setupUser`` (the password a protected parameter, a secret), writes its whole output and error
    to append blobs, and fails the deployment with the script's own error; Pulumi waits for it longer than
    its script may run.

    Outputs: ``commands`` (server key -> phase -> Run Command id of the phase's first command).
    """

    commands: dict[str, dict[str, pulumi.Output[str]]]

    def __init__(self, name: str, args: LyncInstallArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("LyncInstall", name, opts, legacy=False)
        software, plan = args.software, args.plan
        self._logs = self._log_container(args)
        runbooks = runbook_scripts(plan, args.pool)
        self._writers: dict[str, authorization.RoleAssignment] = {}
        installed = {
            key: self._phase(handle, install.INSTALL, install.server_script(handle.server, plan), args,
                             depends_on=[handle.ready, self._reader(handle, args), self._writer(handle, args),
                                         *self._restart(handle)])
            for key, handle in args.servers.items()
        }  # fmt: skip
        updated: dict[str, tuple[RunCommand, RunCommand]] = {}
        for key, after in update_order(h.server for h in args.servers.values()).items():
            if software.update_installer is not None:  # in waves: each after the previous wave's succeeded
                script = install.update_script(args.servers[key].server, plan)
                updated[key] = self._phase(args.servers[key], install.UPDATE, script, args,
                                           depends_on=[installed[key][1], *(updated[k][1] for k in after)])  # fmt: skip
        ready = {key: updated[key][1] if key in updated else installed[key][1] for key in args.servers}
        host = args.servers[args.pool.install_host.key]
        databases = self._phase(
            host, install.DATABASES, install.database_script(args.pool, plan), args,
            depends_on=[ready[host.server.key], *(last for _, last in updated.values()), *args.sql_ready],
        )  # fmt: skip
        # The database step of the update once every server of the pool has it (after the last wave) and the
        # databases exist; keyed on the installer, so a new update runs it again, and the release after it.
        stepped = None
        if software.update_installer is not None:
            # The rights the release took back, granted again on the SQL Servers the step reaches, before each run.
            granted = {s.key: self._grant(s.key, args, runbooks) for s in install.regrant_servers(args.pool, plan)}
            script = install.cu_databases_script(args.pool, plan, runbooks)
            stepped = self._phase(host, install.CU_DATABASES, script, args,
                                  depends_on=[databases[1], *(last for _, last in updated.values()),
                                              *granted.values()])  # fmt: skip
        settled = stepped[1] if stepped is not None else databases[1]
        started = {
            key: self._phase(handle, install.START, install.start_script(handle.server, plan), args,
                             depends_on=[ready[key], settled])
            for key, handle in args.servers.items()
        }  # fmt: skip
        self.commands = {key: {INSTALL: installed[key][0].id, START: started[key][0].id} for key in args.servers}
        for key, command in updated.items():
            self.commands[key][UPDATE] = command[0].id
        self.commands[host.server.key][DATABASES] = databases[0].id
        if stepped is not None:
            self.commands[host.server.key][CU_DATABASES] = stepped[0].id
            for key, grant in granted.items():
                self.commands.setdefault(key, {})[regrant.COMMAND] = grant.id
        done = [*dict.fromkeys([databases[1], settled]), *(command[1] for command in started.values())]
        if (shipping := args.shipping_host) is not None:
            # Disaster recovery armed once the databases exist, are mirrored and the pool has started
            # (docs/backups.md); as the setup account, so before its rights are released.
            armed = self._phase(shipping, install.SHIPPING, install.shipping_script(args.pool, runbooks), args,
                                depends_on=[shipping.ready, self._writer(shipping, args), *done])  # fmt: skip
            self.commands.setdefault(shipping.server.key, {})[SHIPPING] = armed[0].id
            done.append(armed[1])
        # The verify runbook's checks on the install host once everything runs; as the setup account (a local
        # administrator of every server of the pool), so before its rights are released.
        verified = self._phase(
            host, install.VERIFY, install.verify_script(args.pool, plan, runbooks), args, depends_on=done
        )
        self.commands[host.server.key][VERIFY] = verified[0].id
        done.append(verified[1])
        if not software.keep_setup_rights:
            # Last, on every server once every server of the pool has started: no phase needs the rights any more.
            for key, handle in args.servers.items():
                script = install.release_script(handle.server, plan, runbooks)
                released = self._phase(handle, install.RELEASE, script, args, depends_on=done)
                self.commands[key][RELEASE] = released[0].id
        self.register_outputs({"commands": self.commands})

    def _log_container(self, args: LyncInstallArgs) -> storage.BlobContainer:
        """The pool's private container, in the media's storage account, for the Run Commands' logs."""
        account = args.media_account
        return storage.BlobContainer(
            f"{args.pool.key}-install-logs",
            resource_group_name=account.apply(arm.group_of),
            account_name=account.apply(arm.name_of),
            container_name=log_container(args.pool),
            public_access=storage.PublicAccess.NONE,
            opts=child(self),
        )

    def _reader(self, handle: ServerHandle, args: LyncInstallArgs) -> authorization.RoleAssignment:
        """Storage Blob Data Reader on the media container, for the server's system-assigned identity."""
        container = args.software.media_container
        scope = args.media_account.apply(lambda a: f"{a}/blobServices/default/containers/{container}")
        return self._role(handle, scope, "media-reader", STORAGE_BLOB_DATA_READER, "reads the Lync Server 2013 media")

    def _writer(self, handle: ServerHandle, args: LyncInstallArgs) -> authorization.RoleAssignment:
        """Storage Blob Data Contributor on the pool's log container, for the server's system-assigned identity (once
        per server)."""
        key, container = handle.server.key, log_container(args.pool)
        if key not in self._writers:
            scope = args.media_account.apply(lambda a: f"{a}/blobServices/default/containers/{container}")
            self._writers[key] = self._role(handle, scope, "log-writer", STORAGE_BLOB_DATA_CONTRIBUTOR,
                                            "writes its install logs", self._logs)  # fmt: skip
        return self._writers[key]

    def _grant(self, key: str, args: LyncInstallArgs, runbooks: install.RunbookScripts) -> RunCommand:
        """``pchat-cu-grant`` on the SQL Server ``key``, as SYSTEM (no setup password): its script changes, so Azure
        runs it again, with each run of the database step; after the server's bootstrap and its log writer."""
        handle = args.sql_servers.get(key)
        if handle is None:
            raise ValueError(f"the install of {args.pool.key} needs the SQL Server {key} (LyncInstallArgs.sql_servers)")
        command = regrant.COMMAND
        return run_command(
            self, f"{key}-{command}", handle, command=command,
            script=install.regrant_script(handle.server, args.plan, runbooks), timeout=regrant.TIMEOUT,
            logs=log_blobs(args.pool, args.software, key, command), tags=args.tags,
            depends_on=[handle.ready, self._writer(handle, args)],
        )  # fmt: skip

    def _role(
        self, handle: ServerHandle, scope: pulumi.Output[str], purpose: str, role: str, what: str,
        *after: pulumi.Resource,
    ) -> authorization.RoleAssignment:  # fmt: skip
        fqdn = handle.server.fqdn
        return assign_role(
            self, f"{handle.server.key}-{purpose}", scope=scope, role=role, principal_id=handle.principal_id,
            assignment_name=scope.apply(lambda s: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{s}|{fqdn}|{purpose}"))),
            description=f"{handle.server.computer_name} {what}", after=after,
        )  # fmt: skip

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

    def _phase(
        self, handle: ServerHandle, phase: install.Phase, script: str, args: LyncInstallArgs, *,
        depends_on: Sequence[pulumi.Resource],
    ) -> tuple[RunCommand, RunCommand]:  # fmt: skip
        """The phase's Run Command and its resumes, each resume after a wait for the restart the command before
        it may schedule (replaced with each run, so that it waits again); (first, last)."""
        first = last = self._run(handle, phase, script, args, 0, depends_on=depends_on)
        for attempt in range(1, phase.restarts + 1):
            wait = pulumiverse_time.Sleep(
                f"{handle.server.key}-{phase.name}-wait{attempt}",
                create_duration=RESTART_WAIT,
                triggers={"run": install.run_id(script, args.software.run_token)},
                opts=child(self, depends_on=[last]),
            )
            last = self._run(handle, phase, script, args, attempt, depends_on=[last, wait])
        return first, last

    def _run(
        self, handle: ServerHandle, phase: install.Phase, script: str, args: LyncInstallArgs, attempt: int, *,
        depends_on: Sequence[pulumi.Resource],
    ) -> RunCommand:  # fmt: skip
        command = phase.commands()[attempt]
        software = args.software
        supervisor = install.supervisor_script(
            phase, script, setup_user=software.setup_user, token=software.run_token, attempt=attempt
        )
        return run_command(
            self, f"{handle.server.key}-{command}", handle, command=command, script=supervisor,
            timeout=phase.timeout, logs=log_blobs(args.pool, software, handle.server.key, command), tags=args.tags,
            depends_on=depends_on,
            protected=[
                compute.RunCommandInputParameterArgs(
                    name="SetupPassword", value=pulumi.Output.secret(args.setup_password)
                )
            ],
        )  # fmt: skip


def log_container(pool: PoolPlan) -> str:
    """The pool's log container: lower-case letters, digits and single hyphens, at most 63 characters."""
    key = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]", "-", pool.key.lower())).strip("-")
    return (LOG_CONTAINER + key)[:63].rstrip("-")


def log_blobs(pool: PoolPlan, software: Software, server: str, command: str) -> tuple[str, str]:
    """The append blobs of one Run Command's output and error, in the pool's log container of the media's
    storage account (the blob endpoint of ``software.mediaUri``)."""
    host = software.media_uri.split("/")[2]
    base = f"https://{host}/{log_container(pool)}/{server}/{command}"
    return f"{base}.output.log", f"{base}.error.log"


def runbook_scripts(plan: Plan, pool: PoolPlan) -> install.RunbookScripts:
    """The runbook scripts ``pool``'s install phases run, as the runbooks render them: the ``verify`` runbook, with
    ``software.updateInstaller`` the ``cu-databases`` runbook, and with a standby site each shipped store's
    ``log-shipping`` T-SQL. Composed here, above both install and the runbooks (the layers contract in
    pyproject.toml)."""
    name = verify.file_name(pool)
    shipped = log_shipping.scripts(plan, pool.key) if stretched_pool(pool) is not None else []
    updates = plan.software is not None and plan.software.update_installer is not None
    cu = cu_databases.file_name(pool) if updates else None
    return install.RunbookScripts(
        name,
        verify.render(plan)[name],
        tuple(install.ShippingSql(*s) for s in shipped),
        (cu, cu_databases.render(plan)[cu]) if cu is not None else None,
    )
