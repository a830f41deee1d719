"""The Azure built-in roles the components assign, by id [AZ:role-based-access-control/built-in-roles]."""

from __future__ import annotations

STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
"""Reads blobs: what a server's managed identity needs to read the media [AZ:windows/run-command-managed.md]."""
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Reads, writes and deletes blobs: what ``outputBlobManagedIdentity`` and ``errorBlobManagedIdentity`` need
[AZ:windows/run-command-managed.md], and what the backup task does with its backups."""
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
"""Reads secret contents: what ``secretReaders`` get on the vault the project creates."""


def role_definition_id(scope: str, role: str) -> str:
    """The id of built-in ``role`` in the subscription of ``scope`` (a resource id)."""
    return f"/subscriptions/{scope.split('/')[2]}/providers/Microsoft.Authorization/roleDefinitions/{role}"
