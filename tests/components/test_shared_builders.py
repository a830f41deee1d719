"""The one role-assignment helper and the one Run Command builder of the components, on Pulumi's mock runtime.

Oracles: the built-in role ids of Storage Blob Data Contributor and Key Vault Secrets User
(learn.microsoft.com/azure/role-based-access-control/built-in-roles); a role definition id is
``/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<role id>``, and a condition goes with
``conditionVersion`` 2.0 (learn.microsoft.com/azure/role-based-access-control/conditions-format); a managed Run
Command runs synchronously with ``asyncExecution: false``, fails the deployment on a failed script with
``treatFailureAsDeploymentFailure: true`` and writes its output and error to append blobs with the VM's managed
identity, an empty ``RunCommandManagedIdentity`` (learn.microsoft.com/azure/virtual-machines/windows/
run-command-managed)."""

from __future__ import annotations

import pulumi

from components.common import Component
from components.role_assignments import KEY_VAULT_SECRETS_USER, STORAGE_BLOB_DATA_CONTRIBUTOR, assign_role
from components.run_command import run_command
from components.server_handle import ServerHandle
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, named, synthesize

from ..model.configs import enterprise

SUB = "00000000-0000-0000-0000-00000000abcd"
SCOPE = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
CONTRIBUTOR_ID, SECRETS_USER_ID = "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "4633458b-17de-408a-b874-0445c86b69e6"
SERVER = next(iter(plan_topology(enterprise()).servers))


def program() -> None:
    parent = Component("SharedBuilders", "t", None, legacy=False)
    first = assign_role(
        parent, "writer", scope=SCOPE, role=STORAGE_BLOB_DATA_CONTRIBUTOR, principal_id="p1", assignment_name="g1",
        description="writes", condition="((true))",
    )  # fmt: skip
    assign_role(
        parent, "reader", scope=pulumi.Output.from_input(SCOPE), role=KEY_VAULT_SECRETS_USER, principal_id="p2",
        assignment_name="g2", description="reads", principal_type=None, after=[first],
    )  # fmt: skip
    handle = ServerHandle(SERVER, "vm-id", "vm-name", "p1", "rg-a", first)
    run_command(
        parent, "cmd", handle, command="pchat-x", script="Write-Output 1", timeout=600, logs=("o", "e"),
        tags={"pchat-role": "x"}, depends_on=[first],
    )  # fmt: skip


def graph() -> list[Resource]:
    return synthesize(program)


def test_a_role_assignment_names_the_built_in_role_in_its_scopes_subscription() -> None:
    resources = graph()
    writer, reader = named(resources, "writer"), named(resources, "reader")
    assert writer.inputs["roleDefinitionId"] == (
        f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{CONTRIBUTOR_ID}"
    )
    assert reader.inputs["roleDefinitionId"].endswith(f"/roleDefinitions/{SECRETS_USER_ID}")
    # A managed identity is a service principal; unset, the SDK sends its default, User (azure-native
    # authorization RoleAssignment, principalType).
    assert (writer.inputs["principalType"], reader.inputs["principalType"]) == ("ServicePrincipal", "User")
    assert (writer.inputs["condition"], writer.inputs["conditionVersion"]) == ("((true))", "2.0")
    assert "condition" not in reader.inputs and "conditionVersion" not in reader.inputs
    assert writer.inputs["roleAssignmentName"] == "g1" and reader.depends_on(writer)


def test_a_run_command_waits_for_its_script_and_fails_the_deployment_with_it() -> None:
    resources = graph()
    command = named(resources, "cmd")
    assert command.inputs == {
        "resourceGroupName": "rg-a",
        "vmName": "vm-name",
        "runCommandName": "pchat-x",
        "location": SERVER.region,
        "source": {"script": "Write-Output 1"},
        "outputBlobUri": "o",
        "errorBlobUri": "e",
        "outputBlobManagedIdentity": {},
        "errorBlobManagedIdentity": {},
        "asyncExecution": False,
        "timeoutInSeconds": 600,
        "treatFailureAsDeploymentFailure": True,
        "tags": {"pchat-role": "x"},
    }
    assert command.custom_timeouts[:2] == ("25m", "25m"), "the script's 10 minutes and the platform's 15"
    assert command.depends_on(named(resources, "writer"))
