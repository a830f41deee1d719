"""Role assignments: the Azure built-in roles the components assign, by id
[AZ:role-based-access-control/built-in-roles], and the one helper that assigns them."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import authorization

from .common import Component, child

STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
"""Reads blobs: what a server's managed identity needs to read the media [AZ:windows/run-command-managed.md]."""
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Reads, writes and deletes blobs: what ``outputBlobManagedIdentity`` and ``errorBlobManagedIdentity`` need
[AZ:windows/run-command-managed.md], and what the backup task does with its backups."""
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
"""Reads secret contents: what ``secretReaders`` get on the vault the project creates."""
SERVICE_PRINCIPAL = "ServicePrincipal"
"""The principal type of a managed identity."""


def role_definition_id(scope: str, role: str) -> str:
    """The id of built-in ``role`` in the subscription of ``scope`` (a resource id)."""
    return f"/subscriptions/{scope.split('/')[2]}/providers/Microsoft.Authorization/roleDefinitions/{role}"


def assign_role(
    parent: Component, name: str, *, scope: pulumi.Input[str], role: str, principal_id: pulumi.Input[str],
    assignment_name: pulumi.Input[str], description: str, principal_type: str | None = SERVICE_PRINCIPAL,
    condition: str | None = None, after: Sequence[pulumi.Resource] = (), delete_before_replace: bool = True,
) -> authorization.RoleAssignment:  # fmt: skip
    """Built-in ``role`` on ``scope`` for ``principal_id``, under the stable GUID ``assignment_name``; with a
    ``condition``, a version 2.0 one [AZ:role-based-access-control/conditions-format.md]. Replaced by deleting
    first (default): an assignment of the same principal, role and scope cannot exist twice."""
    at = pulumi.Output.from_input(scope)
    return authorization.RoleAssignment(
        name,
        scope=at,
        role_assignment_name=assignment_name,
        role_definition_id=at.apply(lambda s: role_definition_id(s, role)),
        principal_id=principal_id,
        principal_type=principal_type,
        description=description,
        condition=condition,
        condition_version="2.0" if condition is not None else None,
        opts=child(parent, delete_before_replace=delete_before_replace or None, depends_on=list(after) or None),
    )
