"""Server roles in a Persistent Chat deployment, as tags and policies read them back."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a server does. SQL roles follow the HA/DR resource list
    [L:lync-server-2013-required-resources-for-persistent-chat-server]."""

    ACTIVE = "active"
    STANDBY = "standby"
    STANDARD_EDITION = "standard-edition"
    STORE = "store"
    STORE_MIRROR = "store-mirror"
    WITNESS = "witness"
    COMPLIANCE_STORE = "compliance-store"
    COMPLIANCE_STORE_MIRROR = "compliance-store-mirror"
    BACKUP_STORE = "backup-store"
    BACKUP_STORE_MIRROR = "backup-store-mirror"
    BACKUP_WITNESS = "backup-witness"
    COMPLIANCE_BACKUP_STORE = "compliance-backup-store"
    COMPLIANCE_BACKUP_STORE_MIRROR = "compliance-backup-store-mirror"

    @property
    def is_sql(self) -> bool:
        """True for the dedicated SQL Server VMs this project provisions."""
        return self not in PCHAT_ROLES

    @property
    def holds_data(self) -> bool:
        """SQL Servers, and the Standard Edition server whose SQL Express holds mgc and mgccomp."""
        return self.is_sql or self is Role.STANDARD_EDITION

    @property
    def is_witness(self) -> bool:
        return self in (Role.WITNESS, Role.BACKUP_WITNESS)

    @property
    def in_standby_site(self) -> bool:
        return self in STANDBY_SITE_ROLES


PCHAT_ROLES = frozenset({Role.ACTIVE, Role.STANDBY, Role.STANDARD_EDITION})
STANDBY_SITE_ROLES = frozenset(
    {
        Role.STANDBY,
        Role.BACKUP_STORE,
        Role.BACKUP_STORE_MIRROR,
        Role.BACKUP_WITNESS,
        Role.COMPLIANCE_BACKUP_STORE,
        Role.COMPLIANCE_BACKUP_STORE_MIRROR,
    }
)

SUFFIX: dict[Role, str] = {
    Role.ACTIVE: "-a",
    Role.STANDBY: "-s",
    Role.STANDARD_EDITION: "",
    Role.STORE: "-sql",
    Role.STORE_MIRROR: "-sqlm",
    Role.WITNESS: "-sqlw",
    Role.COMPLIANCE_STORE: "-cmp",
    Role.COMPLIANCE_STORE_MIRROR: "-cmpm",
    Role.BACKUP_STORE: "-bak",
    Role.BACKUP_STORE_MIRROR: "-bakm",
    Role.BACKUP_WITNESS: "-bakw",
    Role.COMPLIANCE_BACKUP_STORE: "-cbak",
    Role.COMPLIANCE_BACKUP_STORE_MIRROR: "-cbakm",
}
"""Computer-name suffix per role; pool servers also carry their ordinal (``-a1``)."""

SQL_OFFSET: dict[Role, int] = {
    Role.STORE: 0,
    Role.STORE_MIRROR: 1,
    Role.WITNESS: 2,
    Role.COMPLIANCE_STORE: 3,
    Role.COMPLIANCE_STORE_MIRROR: 4,
    Role.BACKUP_STORE: 0,
    Role.BACKUP_STORE_MIRROR: 1,
    Role.BACKUP_WITNESS: 2,
    Role.COMPLIANCE_BACKUP_STORE: 3,
    Role.COMPLIANCE_BACKUP_STORE_MIRROR: 4,
}
"""Fixed address offset of each SQL role in its pool's block, so enabling one never moves another."""
