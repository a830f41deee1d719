"""Every store backed up from phase 1: each shipped stack, and unseen HA/DR, mirrored-only and Standard Edition
topologies, synthesized as `pulumi up` registers them.

The oracle: every SQL Server VM this project builds that holds a store (every SQL role but the witnesses) and the
Standard Edition server (whose SQL Express holds mgc) are found by their role tag; the schedule, the retention and
the target come from the stack's config with the defaults of shared/reference/stack-config.md
("Keys for the next capabilities": enabled true, logIntervalMinutes 15, fullIntervalHours 24, retentionDays 14).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.offline.graph import Resource, of_type
from lync_pchat.offline.synthesis import offline_config

from .. import powershell as ps
from ..install.support import settings
from ..model.configs import changed, enterprise, standard
from ..pulumi.stacks import stack_config, stack_graph
from ..support.synthesis import synthesized

DEFAULTS = {"enabled": True, "logIntervalMinutes": 15, "fullIntervalHours": 24, "retentionDays": 14}
"""stack-config.md, ``backup``."""
STORE_ROLES = {
    "store", "store-mirror", "compliance-store", "compliance-store-mirror", "backup-store", "backup-store-mirror",
    "compliance-backup-store", "compliance-backup-store-mirror", "standard-edition",
}  # fmt: skip
"""The roles whose instance holds mgc or mgccomp (persistent-chat.md: witnesses hold no database)."""
CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Storage Blob Data Contributor, the built-in role that writes and deletes blobs."""
VM = "azure-native:compute:VirtualMachine"
RUN = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
USER_ACCOUNT = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/"
    "Microsoft.Storage/storageAccounts/contosobackup"
)
UNSEEN = {
    "ha-dr": changed(
        enterprise(),
        pools__pchat01__compliance={"enabled": True},
        pools__pchat01__highAvailability={"mirroring": True, "witness": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        backup={"logIntervalMinutes": 10, "retentionDays": 30},
    ),
    "mirrored-only": changed(
        enterprise(),
        pools__pchat01__highAvailability={"mirroring": True},
        pools__pchat01__backup={"fullIntervalHours": 12, "storageAccountId": USER_ACCOUNT},
    ),
    "standard-edition": changed(standard(), pools__lyncse01__compliance={"enabled": True}),
}


def scenario(name: str) -> tuple[dict[str, Any], tuple[Resource, ...]]:
    """(topology, graph) of a shipped stack or an unseen topology."""
    if name in UNSEEN:
        return UNSEEN[name], synthesized(offline_config({"pchat:topology": UNSEEN[name]}))
    return stackfile.topology(stack_config(name)), stack_graph(name)  # type: ignore[return-value]


def expected(topology: dict[str, Any], pool: str) -> dict[str, Any]:
    """The pool's backup settings as the config says: defaults, the top-level block, the pool's keys."""
    return {**DEFAULTS, **topology.get("backup", {}), **topology["pools"][pool].get("backup", {})}


def task(command: Resource) -> dict[str, Any]:
    """The settings of the task script the Run Command writes."""
    return settings(settings(command.inputs["source"]["script"])["Script"])


SCENARIOS = [*stackfile.stack_names(), *UNSEEN]


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_instance_holding_a_store_gets_its_backup_task_from_phase_1(name: str) -> None:
    topology, graph = scenario(name)
    holders = [vm for vm in of_type(graph, VM) if vm.inputs["tags"]["pchat-role"] in STORE_ROLES]
    if name == "single":
        assert holders == [], "the single stack's mgc is on the existing Back End"
    runs = {r.inputs["vmName"]: r for r in of_type(graph, RUN) if r.inputs["runCommandName"] == "pchat-backup"}
    assert sorted(runs) == sorted(vm.inputs["vmName"] for vm in holders)
    accounts = {
        a.inputs["location"]: a.inputs["accountName"] for a in of_type(graph, "azure-native:storage:StorageAccount")
    }
    for vm in holders:
        run = runs[vm.inputs["vmName"]]
        want = expected(topology, vm.inputs["tags"]["pchat-pool"])
        register, script = settings(run.inputs["source"]["script"]), task(run)
        assert ps.errors(run.inputs["source"]["script"]) == [] and ps.errors(register["Script"]) == []
        assert "runAsUser" not in run.inputs, "SYSTEM runs the task's setup, before any domain account exists"
        assert register["IntervalMinutes"] == want["logIntervalMinutes"]
        assert script["RetentionDays"] == want["retentionDays"]
        assert f"DATEADD(HOUR, -{want['fullIntervalHours']}, GETDATE())" in script["Query"]
        account = USER_ACCOUNT.rsplit("/", 1)[1] if "storageAccountId" in want else accounts[vm.inputs["location"]]
        assert script["Container"] == f"https://{account}.blob.core.windows.net/pchat-backups"
        assert script["Instance"] == (".\\RTC" if vm.inputs["tags"]["pchat-role"] == "standard-edition" else ".")


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_backup_host_may_write_its_container_and_nothing_else(name: str) -> None:
    _, graph = scenario(name)
    runs = [r for r in of_type(graph, RUN) if r.inputs["runCommandName"] == "pchat-backup"]
    contributors = [
        r
        for r in of_type(graph, "azure-native:authorization:RoleAssignment")
        if r.inputs["roleDefinitionId"].endswith(CONTRIBUTOR)
    ]
    # Besides the backup writers, only the install phase's log writers (docs/install.md) write blobs.
    assert all(r.name.endswith(("-backup-writer", "-log-writer")) for r in contributors)
    writers = {r.inputs["principalId"]: r for r in contributors if r.name.endswith("-backup-writer")}
    assert len(writers) == len(runs)
    vms = {vm.inputs["vmName"]: vm for vm in of_type(graph, VM)}
    for run in runs:
        writer = writers[f"principal-{vms[run.inputs['vmName']].name}"]
        assert writer.inputs["scope"].endswith("/blobServices/default/containers/pchat-backups")
        assert run.depends_on(writer)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_project_account_is_private_keyless_soft_deleting_and_protected(name: str) -> None:
    topology, graph = scenario(name)
    accounts = of_type(graph, "azure-native:storage:StorageAccount")
    own = [p for p in topology["pools"] if "storageAccountId" not in expected(topology, p)]
    if name in ("single", "mirrored-only"):
        assert accounts == [] and own in ([], ["pchat01"])
        return
    assert accounts
    for account in accounts:
        inputs = account.inputs
        assert inputs["allowSharedKeyAccess"] is False and inputs["allowBlobPublicAccess"] is False
        assert inputs["minimumTlsVersion"] == "TLS1_2" and inputs["enableHttpsTrafficOnly"] is True
        assert (account.protect, account.retain_on_delete) == (True, True)
    for service in of_type(graph, "azure-native:storage:BlobServiceProperties"):
        assert service.inputs["deleteRetentionPolicy"]["enabled"] is True
        assert service.inputs["containerDeleteRetentionPolicy"]["enabled"] is True
    for container in of_type(graph, "azure-native:storage:BlobContainer"):
        assert container.inputs["publicAccess"] == "None"
        if container.inputs["containerName"] == "pchat-backups":  # not the install phase's log container
            assert (container.protect, container.retain_on_delete) == (True, True)


def test_your_account_gets_the_container_and_no_account_is_created() -> None:
    _, graph = scenario("mirrored-only")
    (container,) = of_type(graph, "azure-native:storage:BlobContainer")
    assert (container.inputs["accountName"], container.inputs["resourceGroupName"]) == ("contosobackup", "rg-backup")
    assert of_type(graph, "azure-native:storage:StorageAccount") == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_backup_run_command_keeps_its_output_and_outlasts_its_script(name: str) -> None:
    """Like the install phase's Run Commands (issue 17): output and error go to blobs the VM's identity writes
    (``outputBlobManagedIdentity``/``errorBlobManagedIdentity`` ``{}``, Storage Blob Data Contributor on the
    container [AZ:windows/run-command-managed.md]; instanceView keeps only the last 4 KB), outside the pools'
    backup prefixes, and Pulumi waits at least as long as the script may run."""
    _, graph = scenario(name)
    vms = {vm.inputs["vmName"]: vm for vm in of_type(graph, VM)}
    for run in (r for r in of_type(graph, RUN) if r.inputs["runCommandName"] == "pchat-backup"):
        container = task(run)["Container"]
        server = vms[run.inputs["vmName"]].name.removesuffix("-vm")
        # One pair of blobs per script (issue 23): the container's immutability policy forbids overwriting a blob.
        name = f"pchat-backup-{hashlib.sha256(run.inputs['source']['script'].encode()).hexdigest()[:12]}"
        assert run.inputs["outputBlobUri"] == f"{container}/run-commands/{server}/{name}.output.log"
        assert run.inputs["errorBlobUri"] == f"{container}/run-commands/{server}/{name}.error.log"
        assert run.inputs["outputBlobManagedIdentity"] == {} == run.inputs["errorBlobManagedIdentity"]
        create, update, _ = run.custom_timeouts
        for wait in (create, update):
            assert wait.endswith("m") and int(wait[:-1]) * 60 >= int(run.inputs["timeoutInSeconds"])


READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
"""Storage Blob Data Reader, the built-in role that reads and lists blobs."""


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_backup_host_can_read_every_container_its_pool_backs_up_to(name: str) -> None:
    """Issue 23, item 1: the restore runbook downloads on the store's principal with its own identity (docs/
    backups.md), and with log shipping the log chain is uploaded by the backup store into the standby site's
    container. So each backup host of a pool (any may be the principal after a failover) holds Storage Blob Data
    Contributor or Reader on every container (by ARM scope) any backup host of that pool writes to, and its
    backup.json (which the restore runbook reads) lists every one of them."""
    _, graph = scenario(name)
    vms = {vm.inputs["vmName"]: vm for vm in of_type(graph, VM)}
    assignments = of_type(graph, "azure-native:authorization:RoleAssignment")
    runs = [r for r in of_type(graph, RUN) if r.inputs["runCommandName"] == "pchat-backup"]
    pools: dict[str, list[Resource]] = {}
    for run in runs:
        pools.setdefault(vms[run.inputs["vmName"]].inputs["tags"]["pchat-pool"], []).append(run)

    def scopes(run: Resource, *roles: str) -> set[str]:
        principal = f"principal-{vms[run.inputs['vmName']].name}"
        return {
            a.inputs["scope"]
            for a in assignments
            if a.inputs["principalId"] == principal and a.inputs["roleDefinitionId"].endswith(roles)
        }

    for pool_runs in pools.values():
        written = set().union(*(scopes(run, CONTRIBUTOR) for run in pool_runs))
        for run in pool_runs:
            readable = scopes(run, CONTRIBUTOR, READER)
            assert written <= readable, f"{run.name} cannot read {sorted(written - readable)}"
            listed = settings(run.inputs["source"]["script"])["Settings"]["Containers"]
            assert sorted(listed) == sorted({task(r)["Container"] for r in pool_runs})
        if name == "ha-dr":
            assert len(written) == 2, "the stretched pool writes to both sites' containers"


BLOB = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
PATH = f"@Resource[{BLOB}:path]"
"""The blob path attribute of a role assignment condition: the path inside the container, without the container
name or a leading slash [AZ:storage/blobs/storage-auth-abac-attributes.md]."""


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_host_may_change_only_its_own_prefix(name: str) -> None:
    """Issue 23, item 5: a compromised server cannot delete another's backups. Its Storage Blob Data Contributor
    assignment carries a condition (version 2.0, [AZ:role-based-access-control/conditions-format.md]): the
    delete, write, add and move actions are allowed only on paths under its own prefixes, the
    ``<pool>/<database>/<computer>/`` its task uploads to (docs/backups.md) and its Run Command's output."""
    _, graph = scenario(name)
    vms = {vm.inputs["vmName"]: vm for vm in of_type(graph, VM)}
    writers = {
        r.inputs["principalId"]: r
        for r in of_type(graph, "azure-native:authorization:RoleAssignment")
        if r.name.endswith("-backup-writer")
    }
    runs = [r for r in of_type(graph, RUN) if r.inputs["runCommandName"] == "pchat-backup"]
    prefixes = {}
    for run in runs:
        vm = vms[run.inputs["vmName"]]
        script = task(run)
        computer = vm.inputs["osProfile"]["computerName"].lower()
        prefixes[vm.name] = {f"{script['Prefix']}/{u['Database']}/{computer}/" for u in script["Uploads"]}
        prefixes[vm.name].add(f"run-commands/{vm.name.removesuffix('-vm')}/")
    for run in runs:
        vm = vms[run.inputs["vmName"]]
        writer = writers[f"principal-{vm.name}"]
        condition = writer.inputs["condition"]
        assert writer.inputs["conditionVersion"] == "2.0"
        for action in ("delete", "write", "add/action", "move/action"):
            assert f"!(ActionMatches{{'{BLOB}/{action}'}})" in condition
        allowed = set(re.findall(re.escape(PATH) + r" StringStartsWithIgnoreCase '([^']*)'", condition))
        assert allowed == prefixes[vm.name]
        assert condition.startswith("((!(ActionMatches{") and condition.endswith("'))")


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_backup_container_is_immutable_for_the_retention_and_versioned(name: str) -> None:
    """Issue 23, item 5: a time-based immutability policy on each backup container, as long as the shortest
    retentionDays of the pools writing there (so each pool's pruning, a day after, is allowed), unlocked (the lock is
    a separate, documented step), and blob versioning beside soft delete on the project's accounts."""
    topology, graph = scenario(name)
    containers = [c for c in of_type(graph, "azure-native:storage:BlobContainer") if c.name.endswith("-container")]
    policies = of_type(graph, "azure-native:storage:BlobContainerImmutabilityPolicy")
    assert len(policies) == len(containers)
    retention = {expected(topology, pool)["retentionDays"] for pool in topology["pools"]}
    for policy in policies:
        assert policy.inputs["containerName"] == "pchat-backups"
        assert policy.inputs["immutabilityPolicyName"] == "default"
        assert policy.inputs["immutabilityPeriodSinceCreationInDays"] == min(retention)
        assert policy.inputs["allowProtectedAppendWrites"] is True
    for service in of_type(graph, "azure-native:storage:BlobServiceProperties"):
        assert service.inputs["isVersioningEnabled"] is True
