"""The backup account's posture, exactly as docs/backups.md ("The storage") states it: geo-redundant
(``Standard_GRS``) and blob and container soft delete of 30 days. A change to either is a weaker posture, not a
detail: each fails here."""

from __future__ import annotations

from lync_pchat.offline.graph import of_type

from ..pulumi.stacks import stack_graph

STACK = "enterprise"
"""A shipped stack whose stores the project's own accounts back up."""
GEO_REDUNDANT = "Standard_GRS"
SOFT_DELETE_DAYS = 30


def test_every_backup_account_is_geo_redundant() -> None:
    accounts = of_type(stack_graph(STACK), "azure-native:storage:StorageAccount")
    backups = [a for a in accounts if a.inputs["tags"].get("pchat-role") == "backup"]
    assert backups
    assert [a.inputs["sku"] for a in backups] == [{"name": GEO_REDUNDANT}] * len(backups)


def test_deleted_backups_and_containers_stay_restorable_for_30_days() -> None:
    services = of_type(stack_graph(STACK), "azure-native:storage:BlobServiceProperties")
    assert services
    for service in services:
        for policy in ("deleteRetentionPolicy", "containerDeleteRetentionPolicy"):
            assert service.inputs[policy] == {"enabled": True, "days": SOFT_DELETE_DAYS}, (service.name, policy)
