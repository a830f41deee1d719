"""The ``pchat:topology`` stack-config contract as pydantic models.

Shape only: types, required and unknown keys, enumerations. The documented product
rules live in :mod:`lync_pchat.model.rules`, so that every violation is reported with
its source. Keys are camelCase; collections whose members become resources are maps
keyed by stable names.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
"""A map key that becomes part of resource and computer names."""


class Edition(StrEnum):
    ENTERPRISE = "enterprise"
    STANDARD = "standard"


class Hardware(StrEnum):
    DOCUMENTED = "documented"
    EVALUATION = "evaluation"


class StorePlacement(StrEnum):
    DEDICATED = "dedicated"
    COLLOCATED = "collocated"
    EXPRESS = "express"


class CompliancePlacement(StrEnum):
    SEPARATE = "separate"
    SHARED = "shared"


class SqlEdition(StrEnum):
    STANDARD = "Standard"
    ENTERPRISE = "Enterprise"


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
    )


class SiteConfig(_Model):
    """A Lync central site, mapped to one Azure region and one virtual network."""

    region: str
    """The Azure region (ARM name, e.g. ``northeurope``) that hosts the site."""
    address_space: str
    """Private IPv4 range of the site's virtual network, /8 to /24; must not overlap other sites."""
    dns_servers: tuple[str, ...] = ()
    """DNS servers of the virtual network (your domain controllers); Azure DNS when empty."""


class DataDiskConfig(_Model):
    """The data volume of each Persistent Chat server."""

    size_gb: int = 128
    """Size of the data volume in GB (72 to 32767)."""
    file_system: str = "NTFS"
    """File system of the data volume; Persistent Chat requires NTFS."""


class StoreConfig(_Model):
    """Where the PersistentChatStore (database ``mgc``) lives."""

    placement: StorePlacement | None = None
    """dedicated (own SQL VM; Enterprise default), collocated (existing Back End SQL) or express (Standard)."""
    sql_server: str | None = None
    """Collocated only: FQDN of the existing Back End SQL Server."""
    sql_instance: str | None = None
    """Collocated only: named instance on ``sqlServer``; the default instance when omitted."""
    vm_size: str | None = None
    """VM size; default: the smallest catalog size meeting the pool's hardware spec."""
    sql_edition: SqlEdition = SqlEdition.STANDARD
    """SQL Server edition of the store VMs; the principal and its mirror always match."""
    data_disk_gb: int = 512
    """SQL data volume (F:) size in GB."""
    log_disk_gb: int = 256
    """SQL log volume (G:) size in GB."""
    temp_db_disk_gb: int = 128
    """tempdb volume (H:) size in GB."""
    backup_disk_gb: int = 512
    """Backup and log-shipping volume (I:) size in GB."""


class ComplianceConfig(_Model):
    """The compliance service and its store (database ``mgccomp``)."""

    enabled: bool = False
    """Run the compliance service on every pool server and create ``mgccomp``."""
    placement: CompliancePlacement | None = None
    """separate (own SQL VM; default on Enterprise) or shared (the ``mgc`` instance)."""


class HighAvailabilityConfig(_Model):
    """SQL mirroring of the provisioned stores, in the same site as each principal."""

    mirroring: bool = False
    """Mirror ``mgc`` (and ``mgccomp``) to a second SQL VM in the same site."""
    witness: bool = False
    """Add a witness SQL instance for automatic failover."""
    witness_vm_size: str | None = None
    """VM size of the witness; default: the smallest catalog size with 8 GB."""


class DisasterRecoveryConfig(_Model):
    """A stretched pool: idle servers and log-shipped backup stores in a second site."""

    standby_site: str
    """Site key of the second data center: standby servers and backup stores."""
    standby_servers: int | None = None
    """Idle servers in the standby site (1 to 4); default: as many as active servers."""


class DomainJoinConfig(_Model):
    """Joins every server to the AD domain; the password is the secret ``pchat:domainJoinPassword``."""

    user: str
    """Account that joins the servers to the domain, ``DOMAIN\\user`` or ``user@domain``."""
    ou_path: str | None = None
    """Organizational unit for the computer accounts; the default Computers container when omitted."""


class PoolConfig(_Model):
    """A Persistent Chat pool, as Topology Builder defines it."""

    site: str
    """Site key of the primary site: active servers and the primary stores."""
    users: int = Field(ge=0)
    """Concurrent users to serve: 20,000 per active server, 80,000 at most."""
    active_servers: int | None = None
    """Active servers (1 to 4); default ceil(users / 20,000)."""
    vm_size: str | None = None
    """VM size; default: the smallest catalog size meeting the pool's hardware spec."""
    hardware: Hardware = Hardware.DOCUMENTED
    """documented (2 x hex-core, 32 GB) or evaluation (smaller sizes allowed, with a warning)."""
    next_hop: str | None = None
    """FQDN of the next-hop Front End pool (Enterprise); the server itself on Standard Edition."""
    front_end_cidr: str | None = None
    """Range of the next-hop Front End servers, allowed to reach the pool; default: the VirtualNetwork tag."""
    port: int = 5041
    """SIP port of the Persistent Chat service (Topology Builder default 5041)."""
    default_for_site: bool = False
    """Use this pool as the default for its site in Topology Builder."""
    time_zone: str = "UTC"
    """Windows time zone id of the servers; active servers must match the next-hop pool's."""
    computer_name_prefix: str | None = None
    """Prefix of the computer names (default: the pool key); names are at most 15 characters."""
    address_slot: int = 0
    """Block of static addresses this pool owns in each of its sites' subnets; unique per site."""
    file_store: str | None = None
    """UNC path of the Lync file store share used by the pool."""
    data_disk: DataDiskConfig = DataDiskConfig()
    """Data volume of each pool server."""
    store: StoreConfig = StoreConfig()
    """The PersistentChatStore (``mgc``)."""
    compliance: ComplianceConfig = ComplianceConfig()
    """Compliance service and store (``mgccomp``)."""
    high_availability: HighAvailabilityConfig = HighAvailabilityConfig()
    """SQL mirroring in the primary (and standby) site."""
    disaster_recovery: DisasterRecoveryConfig | None = None
    """Stretched pool with log shipping to a standby site."""


class DiagnosticsConfig(_Model):
    """Where the resource logs of the Key Vault and the network security groups go."""

    workspace_resource_id: str
    """ARM id of an existing Log Analytics workspace
    (``/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>``)."""


class TopologyConfig(_Model):
    """The whole ``pchat:topology`` value of a stack."""

    edition: Edition = Edition.ENTERPRISE
    """enterprise (a pool of dedicated servers) or standard (collocated on one Standard Edition server)."""
    domain: str
    """AD DS DNS domain; pool and server FQDNs are ``<name>.<domain>``."""
    admin_username: str = "lyncadmin"
    """Local administrator of every VM; Azure refuses reserved names such as admin."""
    management_cidr: str | None = None
    """The only range allowed to RDP to the servers; no RDP rule when omitted."""
    protect_stateful_resources: bool = True
    """protect and retainOnDelete on SQL VMs, data disks and the key vault."""
    encryption_at_host: bool = True
    """Encrypt temp disks and caches at the host (needs the EncryptionAtHost subscription feature)."""
    lock_stores: bool = True
    """A CanNotDelete lock on each site's data resource group (SQL Server VMs and the key vault), so
    no one deletes a store by accident, in or out of Pulumi; false to opt out (e.g. before a destroy)."""
    secret_expiry_days: int | None = 365
    """Days each key vault secret is valid from its creation (1 to 3650), captured once at creation;
    null: the secrets never expire (opt-out)."""
    secrets_not_after: date | None = None
    """A fixed expiry date (``YYYY-MM-DD``, midnight UTC) for every secret instead of
    ``secretExpiryDays`` after creation; renew it before that date."""
    diagnostics: DiagnosticsConfig | None = None
    """Send the key vault's logs and metrics and the NSGs' logs to a Log Analytics workspace;
    no diagnostic settings when omitted."""
    tags: dict[str, str] = {}
    """Tags on every resource, beside the project's pchat-pool, pchat-site and pchat-role."""
    domain_join: DomainJoinConfig | None = None
    """Join the servers to the domain; the password is the secret ``pchat:domainJoinPassword``."""
    sites: dict[Key, SiteConfig] = Field(min_length=1)
    """Lync central sites by key, each one Azure region."""
    pools: dict[Key, PoolConfig] = Field(min_length=1)
    """Persistent Chat pools by key; the key is the pool name."""
