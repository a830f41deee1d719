"""Backups of the stores: the storage that keeps them, and the backup task on every SQL instance holding one."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_random as random
from pulumi_azure_native import authorization, storage

from lync_pchat import backup_task
from lync_pchat.model import arm
from lync_pchat.model.backup import CONTAINER, BackupHost, BackupPlan

from .common import Component, child, tags
from .private_endpoint import Endpoint, private_endpoint
from .role_assignments import STORAGE_BLOB_DATA_CONTRIBUTOR, STORAGE_BLOB_DATA_READER, assign_role
from .run_command import run_command
from .server_handle import ServerHandle

RUN_COMMAND = "pchat-backup"
TIMEOUT = 600
"""Seconds the Run Command may take: it writes a script and schedules a task."""
LOGS = "run-commands"
"""Where in the backup container each ``pchat-backup`` Run Command writes its output and error (outside every
pool's backup prefix, so the task's retention never prunes them), one pair of blobs per script."""
SKU = "Standard_GRS"
"""Geo-redundant: the backups survive the loss of the account's region."""
SOFT_DELETE_DAYS = 30
"""Days a deleted or overwritten backup blob, or a deleted container, can still be restored."""
ACCOUNT_PREFIX = "stpchat"


@dataclass(frozen=True)
class BackupTarget:
    """Where backups go: a blob container, by ARM id (the role assignments' scope) and URL."""

    container_id: pulumi.Input[str]
    container_url: pulumi.Input[str]


@dataclass(frozen=True)
class BackupStorageArgs:
    """Inputs of :class:`BackupStorage`: a new account in ``resource_group_name``, or ``existing_account_id``."""

    location: str
    resource_group_name: pulumi.Input[str] | None = None
    existing_account_id: pulumi.Input[str] | None = None
    """Your account's id (may be an Output): only the container is created, in it."""
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)
    immutable_days: int | None = None
    """Days each backup blob cannot be changed or deleted (the shortest ``retentionDays`` of the pools writing
    here): a time-based immutability policy on the container, unlocked; None: no policy."""
    allowed_subnet_ids: Sequence[pulumi.Input[str]] = ()
    """Subnets (with the ``Microsoft.Storage`` service endpoint) whose servers reach a new account; no other
    network does, unless ``private_endpoint`` is given."""
    private_endpoint: Endpoint | None = None
    """A private endpoint (``blob``) for a new account, whose public network access is then disabled."""
    private_endpoint_name: str | None = None
    """The Azure name of the private endpoint; default ``pep-<component name>-<sub-resource>``."""


class BackupStorage(Component):
    """Children: a random account-name suffix, a StorageV2 account (geo-redundant, Entra authorization only: no
    shared key, no anonymous access, HTTPS and TLS 1.2; private: every network denied but the SQL subnets, or a
    private endpoint with public network access disabled), its blob service with soft delete of blobs and containers
    and blob versioning, the ``pchat-backups`` container and its time-based immutability policy (unlocked); with
    ``existing_account_id``, only the container and its policy, in your account. The suffix, account and
    container hold the backups: protected and retained like the other stateful resources.

    Outputs: ``target`` (the container's id and URL).
    """

    target: BackupTarget

    def __init__(self, name: str, args: BackupStorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("BackupStorage", name, opts, legacy=False)
        if args.existing_account_id is not None:
            account_id = pulumi.Output.from_input(args.existing_account_id)
            account_name: pulumi.Input[str] = account_id.apply(arm.name_of)
            group: pulumi.Input[str] = account_id.apply(arm.group_of)
            service: list[pulumi.Resource] = []
        else:
            assert args.resource_group_name is not None, "a new account needs its resource group"
            account = self._account(name, args)
            account_name, group = account.name, args.resource_group_name
            service = [self._service(name, account, args.resource_group_name)]
            if args.private_endpoint is not None:
                private_endpoint(
                    self, f"{name}-blob", account.id, "blob", args.private_endpoint,
                    resource_group_name=args.resource_group_name, location=args.location, tags=args.tags,
                    endpoint_name=args.private_endpoint_name,
                )  # fmt: skip
        container = storage.BlobContainer(
            f"{name}-container",
            account_name=account_name,
            resource_group_name=group,
            container_name=CONTAINER,
            public_access=storage.PublicAccess.NONE,
            opts=child(self, stateful=True, protect=args.protect, depends_on=service),
        )
        if args.immutable_days is not None:
            storage.BlobContainerImmutabilityPolicy(
                f"{name}-immutability",
                account_name=account_name,
                resource_group_name=group,
                container_name=CONTAINER,
                immutability_policy_name="default",
                immutability_period_since_creation_in_days=args.immutable_days,
                allow_protected_append_writes=True,
                # what keeps the backups from being deleted: protected like the container it guards
                opts=child(self, stateful=True, protect=args.protect, depends_on=[container]),
            )
        url = pulumi.Output.concat("https://", account_name, ".blob.core.windows.net/", CONTAINER)
        self.target = BackupTarget(container_id=container.id, container_url=url)
        self.register_outputs({"containerId": container.id, "containerUrl": url})

    def _account(self, name: str, args: BackupStorageArgs) -> storage.StorageAccount:
        suffix = random.RandomString(
            f"{name}-suffix",
            length=12,
            special=False,
            upper=False,
            opts=child(self, stateful=True, protect=args.protect),
        )
        return storage.StorageAccount(
            f"{name}-account",
            account_name=pulumi.Output.concat(ACCOUNT_PREFIX, suffix.result),
            resource_group_name=args.resource_group_name,
            location=args.location,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=SKU),
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_blob_public_access=False,
            allow_cross_tenant_replication=False,
            enable_https_traffic_only=True,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            public_network_access="Disabled" if args.private_endpoint is not None else "Enabled",
            network_rule_set=_network_rules(args),
            tags=dict(args.tags),
            opts=child(self, stateful=True, protect=args.protect),
        )

    def _service(self, name: str, account: storage.StorageAccount, group: pulumi.Input[str]) -> pulumi.Resource:
        retention = storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS)
        service: pulumi.Resource = storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=account.name,
            resource_group_name=group,
            blob_services_name="default",
            delete_retention_policy=retention,
            container_delete_retention_policy=retention,
            is_versioning_enabled=True,
            opts=child(self),
        )
        return service


@dataclass(frozen=True)
class PoolBackupArgs:
    """Inputs of :class:`PoolBackup`."""

    backup: BackupPlan
    hosts: Mapping[str, ServerHandle]
    """The VM of each :attr:`BackupPlan.hosts` entry, by server key."""
    targets: Mapping[str, BackupTarget]
    """The container of each site the hosts are in."""
    base_tags: Mapping[str, str] = field(default_factory=dict)
    """The stack's tags; each Run Command adds its pool, its host's site and the role ``backup``."""


class PoolBackup(Component):
    """Children, per SQL instance holding a store: Storage Blob Data Contributor on its site's backup container for
    its VM's identity, Storage Blob Data Reader on the pool's other sites' containers (the restore runbook downloads
    with the principal's identity, and log shipping's backups land in the standby site's container), and the
    ``pchat-backup`` Run Command (as SYSTEM, after the VM's bootstrap and SQL registration) that schedules its
    backup task (``lync_pchat.backup_task``).

    Outputs: ``commands`` (server key -> Run Command id).
    """

    commands: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: PoolBackupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("PoolBackup", name, opts, legacy=False)
        self.commands = {}
        for host in args.backup.hosts:
            handle = args.hosts[host.server]
            target = args.targets[handle.server.site]
            writer = self._writer(handle, target, _own_prefixes(host, args.backup, handle.server.computer_name))
            readers = [
                self._reader(handle, site, other) for site, other in sorted(args.targets.items()) if other != target
            ]
            urls = [pulumi.Output.from_input(t.container_url) for _, t in sorted(args.targets.items())]
            script = pulumi.Output.all(target.container_url, *urls).apply(functools.partial(_script, host, args.backup))
            log = pulumi.Output.all(target.container_url, script).apply(functools.partial(_log, host.server))
            command = run_command(
                self, f"{host.server}-{RUN_COMMAND}", handle, command=RUN_COMMAND, script=script, timeout=TIMEOUT,
                logs=(pulumi.Output.concat(log, ".output.log"), pulumi.Output.concat(log, ".error.log")),
                tags=tags(dict(args.base_tags), pool=handle.server.pool, site=handle.server.site, role="backup"),
                depends_on=[handle.ready, writer, *readers],
            )  # fmt: skip
            self.commands[host.server] = command.id
        self.register_outputs({"commands": self.commands})

    def _writer(
        self, handle: ServerHandle, target: BackupTarget, prefixes: Sequence[str]
    ) -> authorization.RoleAssignment:
        """Write on its site's container, and only under ``prefixes`` (a role assignment condition): a
        compromised server cannot change or delete another server's backups."""
        return assign_role(
            self, f"{handle.server.key}-backup-writer", scope=target.container_id, role=STORAGE_BLOB_DATA_CONTRIBUTOR,
            principal_id=handle.principal_id,
            assignment_name=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{handle.server.fqdn}|{CONTAINER}|backup-writer")),
            description=f"{handle.server.computer_name} writes and prunes its store backups",
            condition=own_prefix_condition(prefixes),
        )  # fmt: skip

    def _reader(self, handle: ServerHandle, site: str, target: BackupTarget) -> authorization.RoleAssignment:
        """Read on another site's container of the pool: what the restore runbook downloads from there."""
        key = f"{handle.server.fqdn}|{CONTAINER}|{site}|backup-reader"
        return assign_role(
            self, f"{handle.server.key}-backup-reader-{site}", scope=target.container_id, role=STORAGE_BLOB_DATA_READER,
            principal_id=handle.principal_id, assignment_name=str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
            description=f"{handle.server.computer_name} reads the pool's backups in site {site} to restore them",
        )  # fmt: skip


BLOB_ACTIONS = ("delete", "write", "add/action", "move/action")
"""The Storage Blob Data Contributor data actions that change or remove a blob
(``Microsoft.Storage/storageAccounts/blobServices/containers/blobs/<action>``)."""
BLOB_PATH = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]"
"""The blob's path inside its container, without the container name or a leading slash
[AZ:storage/blobs/storage-auth-abac-attributes.md]."""
_PREFIX = re.compile(r"[a-z0-9][a-z0-9/-]*/")


def own_prefix_condition(prefixes: Sequence[str]) -> str:
    """A role assignment condition (version 2.0): the blob-changing actions only on blobs under ``prefixes``
    (case-insensitive: the task names its folder ``$env:COMPUTERNAME``); reading and listing stay unconditioned
    [AZ:role-based-access-control/conditions-format.md]."""
    assert prefixes and all(_PREFIX.fullmatch(p) for p in prefixes), "prefixes are keys and computer names"
    actions = " AND ".join(
        f"!(ActionMatches{{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/{a}'}})"
        for a in BLOB_ACTIONS
    )
    paths = " OR ".join(f"{BLOB_PATH} StringStartsWithIgnoreCase '{p}'" for p in prefixes)
    return f"(({actions}) OR ({paths}))"


def _own_prefixes(host: BackupHost, plan: BackupPlan, computer: str) -> list[str]:
    """What ``host`` writes: ``<pool>/<database>/<computer>/`` per database it uploads (backup_task.task_script), and
    its Run Command's output under ``run-commands/<server>/``."""
    databases = sorted({u.database for u in host.uploads})
    return [f"{plan.pool}/{d}/{computer.lower()}/" for d in databases] + [f"{LOGS}/{host.server}/"]


def _log(server: str, values: Sequence[str]) -> str:
    """The Run Command's output and error blobs (without ``.output.log``/``.error.log``), named after its script:
    the container's immutability policy forbids overwriting a blob, so each new script writes new ones."""
    url, script = values
    return f"{url}/{LOGS}/{server}/{RUN_COMMAND}-{hashlib.sha256(script.encode()).hexdigest()[:12]}"


def _script(host: BackupHost, plan: BackupPlan, urls: Sequence[str]) -> str:
    """``urls``: the host's own container, then every container of the pool."""
    return backup_task.register_script(host, plan, urls[0], urls[1:])


def _network_rules(args: BackupStorageArgs) -> storage.NetworkRuleSetArgs:
    """Deny by default; Azure's trusted services pass, and the SQL subnets unless a private endpoint serves them."""
    subnets = [] if args.private_endpoint is not None else list(args.allowed_subnet_ids)
    return storage.NetworkRuleSetArgs(
        default_action="Deny",
        bypass="AzureServices",
        virtual_network_rules=[
            storage.VirtualNetworkRuleArgs(virtual_network_resource_id=subnet, action="Allow") for subnet in subnets
        ],
    )
