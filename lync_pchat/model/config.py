"""The ``pchat:topology`` stack-config contract as pydantic models.

Shape only: types, required and unknown keys, enumerations, and plain text. The documented
product rules live in :mod:`lync_pchat.model.rules`, so that every violation is reported with
its source. Keys are camelCase; collections whose members become resources are maps keyed by
stable names. Every string is :data:`Text`: one line of plain text, because config values are
data that scripts and runbooks quote, never code.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from .catalog import SQL_PUBLISHER
from .products import Product

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
"""Unicode categories no config value may hold: control characters (line breaks, tabs, NUL), format
characters (zero-width and bidirectional overrides), line and paragraph separators, surrogates,
private-use and unassigned code points."""


_KIND = {
    "Cc": "a control character such as a line break or tab",
    "Cf": "an invisible formatting character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cs": "a lone surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned character",
}


def unsafe_character(value: str) -> str | None:
    """Why ``value`` is not one line of plain text (``U+000A, a control character ...``), or None when it is."""
    for char in value:
        category = unicodedata.category(char)
        if category in UNSAFE_CATEGORIES:
            return f"U+{ord(char):04X}, {_KIND[category]}"
    return None


def plain_text(value: str) -> str:
    """``value`` when it is one line of plain text; a config error naming the first bad character."""
    if (why := unsafe_character(value)) is not None:
        raise PydanticCustomError(
            "unsafe_text", "contains {why}: every config value is one line of plain text", {"why": why}
        )
    return value


Text = Annotated[str, AfterValidator(plain_text)]
"""A config string: one line of plain text (see :data:`UNSAFE_CATEGORIES`)."""
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
NamePrefix = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*[a-z0-9]$", max_length=24)]
"""A prefix of Azure resource names: lower-case letters, digits and inner hyphens, at most 24 characters."""
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


class StretchedLayout(StrEnum):
    LOW_BANDWIDTH = "lowBandwidth"
    HIGH_BANDWIDTH = "highBandwidth"


class SitePeering(StrEnum):
    MESH = "mesh"
    NONE = "none"


class WindowsLicense(StrEnum):
    WINDOWS_SERVER = "Windows_Server"


class SqlLicense(StrEnum):
    PAYG = "PAYG"
    AHUB = "AHUB"


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
    )


class RuleSubnet(StrEnum):
    PCHAT = "pchat"
    SQL = "sql"
    BOTH = "both"


class RuleAccess(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"


class RuleProtocol(StrEnum):
    TCP = "Tcp"
    UDP = "Udp"
    ICMP = "Icmp"
    ANY = "*"


class SecurityRuleConfig(_Model):
    """An inbound rule of your own (a monitoring or backup agent, a jump host) in the site's NSGs, beside the
    documented ones, so that the next ``pulumi up`` keeps it instead of reverting it."""

    subnet: RuleSubnet = RuleSubnet.BOTH
    """The NSG it goes in: pchat, sql or both."""
    priority: int
    """100 to 899 (before the project's rules) or 3000 to 4095 (after them, before its deny-all)."""
    access: RuleAccess = RuleAccess.ALLOW
    protocol: RuleProtocol = RuleProtocol.TCP
    sources: tuple[Text, ...] = Field(min_length=1)
    """IPv4 ranges or service tags (e.g. ``AzureMonitor``); never the Internet."""
    ports: tuple[Text, ...] = Field(min_length=1)
    """Destination ports: ``443``, ``5985-5986`` or ``*``."""
    description: Text | None = None


class ResourceGroupsConfig(_Model):
    """Existing resource groups of your platform (in the deployment's subscription) for a site, instead of new ones."""

    servers: Text | None = None
    """The group of the site's network, NSGs and Persistent Chat servers; default ``rg-<prefix>-<site>``."""
    data: Text | None = None
    """The group of the site's SQL Server VMs (and the vault in the home site), locked with ``lockStores``;
    default ``rg-<prefix>-<site>-data``."""


class ExistingNetworkConfig(_Model):
    """Existing subnets of your spoke network to attach the servers to, instead of a new virtual network."""

    pchat_subnet_id: Text
    """ARM id of the subnet for the Persistent Chat (and Standard Edition) servers."""
    pchat_subnet_prefix: Text
    """Address prefix of that subnet; the servers' static addresses come from it."""
    sql_subnet_id: Text
    """ARM id of the subnet for the SQL Server VMs."""
    sql_subnet_prefix: Text
    """Address prefix of that subnet."""


class SiteConfig(_Model):
    """A data center: one Azure region and one virtual network, in a Lync central site."""

    region: Text
    """The Azure region (ARM name, e.g. ``northeurope``) that hosts the site."""
    address_space: Text
    """Private IPv4 range of the site's virtual network, /8 to /24; must not overlap other sites."""
    dns_servers: tuple[Text, ...] = ()
    """DNS servers of the virtual network (your domain controllers); Azure DNS when empty."""
    lync_site: Text | None = None
    """Name of the Lync central site in Topology Builder; default: the key. A stretched pool's two data
    centers are one logical Lync site: the pool's site."""
    existing_network: ExistingNetworkConfig | None = None
    """Attach to existing subnets (inside ``addressSpace``) instead of creating a virtual network."""
    hub_virtual_network_id: Text | None = None
    """ARM id of a hub virtual network (domain controllers, gateway) to peer the site's network with."""
    use_hub_gateway: bool = False
    """Route to on-premises through the hub's VPN or ExpressRoute gateway (the hub must allow gateway transit)."""
    route_table_id: Text | None = None
    """ARM id of a route table (e.g. the hub's firewall route) for the subnets this project creates."""
    resource_groups: ResourceGroupsConfig | None = None
    """Existing resource groups for the site, instead of the ones the project creates."""
    extra_security_rules: dict[Key, SecurityRuleConfig] = {}
    """Inbound rules of your own in the site's NSGs, by name (each Azure rule is named ``extra-<name>``)."""
    availability_zones: tuple[Text, ...] = ()
    """Availability zones (``"1"``, ``"2"``, ``"3"``) to spread the site's servers over, instead of availability
    sets; empty (default): availability sets. On a deployed site, setting it REPLACES every VM and disk."""


class DataDiskConfig(_Model):
    """The data volume of each Persistent Chat server."""

    size_gb: int = 128
    """Size of the data volume in GB (72 to 32767)."""
    file_system: Text = "NTFS"
    """File system of the data volume; Persistent Chat requires NTFS."""


class StoreMirrorConfig(_Model):
    """Collocated only: the Back End's SQL mirror, onto which ``mgc`` (and a shared ``mgccomp``) is mirrored beside
    the Back End's own databases, with ``highAvailability.mirroring: true``. The project builds no VM and opens no
    port for it: the Back End's mirroring (same domain, WMI, SMB, endpoints 5022/7022) already works."""

    sql_server: Text
    """FQDN of the SQL Server that mirrors the Back End (as the Front End pool's topology names it)."""
    sql_instance: Text | None = None
    """Named instance on ``sqlServer``; the default instance when omitted."""
    witness: Text | None = None
    """The Back End's mirroring witness, ``FQDN`` or ``FQDN\\instance``, for automatic failover; none when omitted."""
    file_share: Text
    """UNC path of an existing share that the SQL Server service accounts of the Back End and its mirror may read
    and write: ``Install-CsMirrorDatabase -FileShare`` backs mgc up there and the mirror restores it. The project
    creates no share on a server it does not build, so you name one (the Back End's own mirroring share will do)."""


class StoreConfig(_Model):
    """Where the PersistentChatStore (database ``mgc``) lives."""

    placement: StorePlacement | None = None
    """dedicated (own SQL VM; Enterprise default), collocated (an existing SQL instance) or express (the
    Standard Edition server's SQL Server Express; Standard default)."""
    sql_server: Text | None = None
    """Collocated only: FQDN of the existing SQL Server, e.g. the Front End pool's Back End."""
    sql_instance: Text | None = None
    """Collocated only: named instance on ``sqlServer``; the default instance when omitted."""
    mirror: StoreMirrorConfig | None = None
    """Collocated only: the Back End's mirror, when the store is mirrored (``highAvailability.mirroring: true``)
    onto it; a dedicated store's mirror is a VM the project builds."""
    vm_size: Text | None = None
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
    output_share: Text | None = None
    """UNC path of an existing share where the XmlAdapter writes; default: the ``pchat-compliance`` share
    the project creates on the compliance store (or a folder on the Standard Edition server)."""


class HighAvailabilityConfig(_Model):
    """SQL mirroring of the provisioned stores, in the same site as each principal."""

    mirroring: bool = False
    """Mirror ``mgc`` (and ``mgccomp``) to a second SQL VM in the same site; a collocated store onto the Back
    End's existing mirror, which ``store.mirror`` names."""
    witness: bool = False
    """Add a witness SQL VM for automatic failover (dedicated stores; a collocated store's witness is the Back
    End's, in ``store.mirror.witness``)."""
    witness_vm_size: Text | None = None
    """VM size of the witness; default: the smallest catalog size with 8 GB."""


class DisasterRecoveryConfig(_Model):
    """A stretched pool: one logical Lync site over two data centers, with log-shipped backup stores."""

    standby_site: Text
    """Key of the second data center (a ``sites`` entry): standby servers and backup stores."""
    standby_servers: int | None = None
    """lowBandwidth: idle servers in the standby data center (1 to 4); default: as many as active servers."""
    layout: StretchedLayout = StretchedLayout.LOW_BANDWIDTH
    """lowBandwidth (every active server in the primary data center, idle ones in the standby) or
    highBandwidth (a low-latency link: half the active servers in each data center, each data center
    holding as many servers as the pool has active servers)."""


class DomainJoinConfig(_Model):
    """Joins every server to the AD domain; the password is the secret ``pchat:domainJoinPassword``."""

    user: Text
    """Account that joins the servers to the domain, ``DOMAIN\\user`` or ``user@domain``."""
    ou_path: Text | None = None
    """Organizational unit for the computer accounts; the default Computers container when omitted."""


class CategoryConfig(_Model):
    """A room category: every room belongs to one, which says who may join and create rooms; categories are
    not nested. Members are SIP URIs (``sip:user@contoso.com``) or AD distinguished names of users, groups
    or OUs (``OU=IT,DC=contoso,DC=com``)."""

    description: Text | None = None
    """What the category's rooms are for; left as it is when omitted."""
    allowed_members: tuple[Text, ...] = ()
    """Who may join the category's rooms."""
    denied_members: tuple[Text, ...] = ()
    """Who may not, even when allowed: denied members override allowed ones."""
    creators: tuple[Text, ...] = ()
    """Who may create rooms in the category: a subset of the allowed members minus the denied ones."""
    invitations: bool = False
    """Invite the allowed members to each new room of the category."""
    file_upload: bool = False
    """Allow file uploads in the category's rooms."""
    chat_history: bool = True
    """Keep the chat history of the category's rooms."""


class AddInConfig(_Model):
    """An add-in: a web page the Persistent Chat client shows beside a room."""

    url: Text
    """https URL of the add-in's page."""


class BackupConfig(_Model):
    """Full and log backups of ``mgc`` and ``mgccomp`` on every SQL instance this project builds, copied to
    Blob Storage (docs/backups.md); top-level, and per pool for the keys a pool sets."""

    enabled: bool = True
    """Back up the pool's stores from the first ``pulumi up``; false: no backup at all."""
    log_interval_minutes: int = 15
    """Minutes between log backups of every database in FULL recovery (5 to 720); a log-shipped database's
    log backups are its log-shipping backup job's."""
    full_interval_hours: int = 24
    """Hours between full backups (1 to 168; the documented practice is one every night)."""
    retention_days: int = 14
    """Days each backup is kept in Blob Storage (1 to 3650), deleted after that."""
    storage_account_id: Text | None = None
    """ARM id of your storage account for the backups; default: a private account the project creates per site."""


class CustomVmSizeConfig(_Model):
    """A VM size the catalog does not list, with the vCPUs and memory its Azure size page states."""

    vcpus: int = Field(ge=1)
    """vCPUs of the size."""
    memory_gib: int = Field(ge=1)
    """Memory of the size in GiB."""
    hyperthreaded: bool = True
    """Whether a vCPU is a hardware thread (two make one physical core), as on every Intel and AMD size since v3."""
    premium_storage: bool = True
    """Whether the size takes Premium SSD, which the data volumes need."""
    max_data_disks: int = Field(default=4, ge=1)
    """Data disks the size can attach (a SQL Server VM needs 4)."""
    generation2_only: bool = False
    """Whether the size runs only Generation 2 VMs (every v6 size), which need a Generation 2 image."""


class PrivateEndpointConfig(_Model):
    """A private endpoint in a subnet of your network, registered in your private DNS zones."""

    subnet_id: Text
    """ARM id of the subnet of the endpoint, in the region of what it reaches."""
    private_dns_zone_ids: tuple[Text, ...] = ()
    """ARM ids of the private DNS zones to register it in (``privatelink.blob.core.windows.net`` for backups,
    ``privatelink.vaultcore.azure.net`` for the vault); none: your DNS resolves it."""


class PrivateEndpointsConfig(_Model):
    """Private endpoints for the backup storage and the key vault the project creates."""

    backup: dict[Key, PrivateEndpointConfig] = {}
    """By site key: an endpoint (``blob``) for the site's backup storage account, whose public network access is
    then disabled; without one, the account admits only the site's SQL subnet (a service endpoint)."""
    vault: PrivateEndpointConfig | None = None
    """An endpoint (``vault``) for the key vault the project creates (which has no public network access)."""


class PoolConfig(_Model):
    """A Persistent Chat pool, as Topology Builder defines it."""

    site: Text
    """Key of the primary data center (a ``sites`` entry): active servers and the primary stores."""
    users: int = Field(ge=0)
    """Concurrent users to serve: 20,000 per active server, 80,000 at most."""
    active_servers: int | None = None
    """Active servers (1 to 4); default ceil(users / 20,000)."""
    vm_size: Text | None = None
    """VM size; default: the smallest catalog size meeting the pool's hardware spec."""
    hardware: Hardware = Hardware.DOCUMENTED
    """documented (2 x hex-core, 32 GB) or evaluation (smaller sizes allowed, with a warning)."""
    next_hop: Text | None = None
    """FQDN of the next-hop Front End pool (Enterprise), which may be a Standard Edition server: the documented
    "SE with Persistent Chat on a separate server" is ``edition: enterprise`` with that server here. On
    ``edition: standard``, the server itself."""
    front_end_cidr: Text | None = None
    """Range of the next-hop Front End servers, allowed to reach the pool; see ``frontEndCidrs``."""
    front_end_cidrs: tuple[Text, ...] = ()
    """Ranges of every Front End pool and Standard Edition server the pool serves (all of its site, and
    other central sites it serves); default: the VirtualNetwork tag."""
    port: int = 5041
    """SIP port of the Persistent Chat service (Topology Builder default 5041)."""
    default_for_site: bool = False
    """Use this pool as the default for its Lync site in Topology Builder."""
    time_zone: Text = "UTC"
    """Windows time zone id of the servers; active servers must match the next-hop pool's."""
    computer_name_prefix: Text | None = None
    """Prefix of the computer names (default: the pool key); names are at most 15 characters."""
    address_slot: int = 0
    """Block of static addresses this pool owns in each of its sites' subnets; unique per site."""
    file_store: Text | None = None
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
    categories: dict[Text, CategoryConfig] = {}
    """Room categories by name; nobody can create a room until the pool has one."""
    add_ins: dict[Text, AddInConfig] = {}
    """Add-ins by name (optional), which rooms can show."""
    backup: BackupConfig | None = None
    """Backups of the pool's stores: the keys set here override the top-level ``backup``."""


class DiagnosticsConfig(_Model):
    """Where the resource logs of the Key Vault and the network security groups go."""

    workspace_resource_id: Text
    """ARM id of an existing Log Analytics workspace
    (``/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>``)."""


class TestUsersConfig(_Model):
    """The two users the synthetic test sends a chat message between (``Test-CsPersistentChatMessage``)."""

    sender: Text
    """SIP address of the sending user, ``sip:pchat-probe1@contoso.com``."""
    receiver: Text
    """SIP address of the receiving user."""


class MonitoringConfig(_Model):
    """Azure Monitor on every server: the agent, data collection rules, alert rules and where alerts go."""

    enabled: bool = True
    """Azure Monitor Agent, data collection rules and alert rules; false to opt out."""
    action_group_id: Text | None = None
    """ARM id of an existing action group that receives every alert."""
    emails: tuple[Text, ...] = ()
    """Addresses of an action group the project creates when ``actionGroupId`` is not given."""
    test_users: TestUsersConfig | None = None
    """Users of the synthetic test; no synthetic test (with a warning) when omitted."""
    heartbeat_minutes: int = Field(default=10, ge=5, le=60)
    """Alert when a server has sent no heartbeat for this many minutes."""
    free_space_percent: int = Field(default=10, ge=1, le=50)
    """Alert when a data, log or backup volume has less free space than this (percent)."""
    mirroring_queue_kb: int = Field(default=10240, ge=1)
    """Alert when a mirrored database's unsent or unrestored log exceeds this (KB)."""


class RebootSetting(StrEnum):
    IF_REQUIRED = "IfRequired"
    NEVER = "Never"
    ALWAYS = "Always"


class PatchWindowConfig(_Model):
    """One maintenance window: the servers of one wave patch in it."""

    start: Text
    """First start in ``patching.timeZone``: ``HH:MM`` alone starts on the next day ``recurEvery`` names, computed
    from today when the window is created (later runs leave it); ``YYYY-MM-DD HH:MM`` a fixed date, which Azure
    takes only if it is today or later when it creates the window."""
    duration: Text = "03:00"
    """Length ``HH:MM``, at most 03:55."""
    recur_every: Text = "1Week Saturday"
    """Recurrence as Azure Update Manager takes it, e.g. ``1Week Saturday`` or ``Month Third Sunday``."""


class PatchingConfig(_Model):
    """Windows and SQL Server patches in waves of Azure Update Manager maintenance windows."""

    enabled: bool = True
    """Patch every server in its wave's window (automatic Windows updates off); false leaves the servers as
    they are."""
    time_zone: Text = "UTC"
    """Windows time zone id of the window times."""
    windows: tuple[PatchWindowConfig, ...] = (
        PatchWindowConfig(start="01:00", recur_every="1Week Saturday"),
        PatchWindowConfig(start="01:00", recur_every="1Week Sunday"),
        PatchWindowConfig(start="05:00", recur_every="1Week Sunday"),
    )
    """One window per wave, in wave order: wave 1 (mirrors, log-shipping secondaries, odd active servers),
    wave 2 (principals, even active servers, standby servers), wave 3 (witnesses)."""
    reboot: RebootSetting = RebootSetting.IF_REQUIRED
    """Whether the window restarts a server after patching."""
    classifications: tuple[Text, ...] = ("Critical", "Security")
    """Update classifications to install."""
    exclude_kbs: tuple[Text, ...] = ()
    """KB numbers never to install in a window (e.g. a Lync cumulative update, which ``software`` installs)."""


class ImageConfig(_Model):
    """A marketplace image of the Windows Server VMs."""

    publisher: Text = "MicrosoftWindowsServer"
    offer: Text = "WindowsServer"
    sku: Text | None = None
    """Default per product: lync2013 ``2012-R2-Datacenter`` (Windows Server 2012 R2, which Lync Server 2013 supports
    from its October 2013 cumulative update); skype2015 ``2019-Datacenter`` (Windows Server 2019, which Skype for
    Business Server 2015 supports from its CU9)."""
    version: Text = "latest"


class SqlImageConfig(_Model):
    """The marketplace image of the SQL Server VMs; the sku is the store's ``sqlEdition`` (``Express``
    for mirroring witnesses), so principal, mirror and witness run the same SQL Server version."""

    publisher: Text = SQL_PUBLISHER
    offer: Text | None = None
    """Default per product: lync2013 ``SQL2014SP3-WS2012R2`` (SQL Server 2014 SP3 on Windows Server 2012 R2, which
    is OUTSIDE Lync Server 2013's documented SQL versions, 2008 R2 and 2012, that Azure no longer offers: kept so
    that no deployed stack changes, with a warning); skype2015 ``sql2019-ws2019`` (SQL Server 2019 on Windows
    Server 2019)."""
    version: Text = "latest"


class ImagesConfig(_Model):
    """Marketplace images of the servers."""

    windows: ImageConfig = ImageConfig()
    """Persistent Chat and Standard Edition servers."""
    sql: SqlImageConfig = SqlImageConfig()
    """Dedicated SQL Servers (stores, mirrors, witnesses, backup stores)."""


class SoftwareConfig(_Model):
    """Installing the product (Lync Server 2013 or Skype for Business Server 2015) on the servers once the topology
    is published (the second phase)."""

    install: bool = False
    """true once the topology is published (see the publish runbook); false creates nothing for it."""
    media_uri: Text | None = None
    """HTTPS URL of the folder (in a blob container) holding your copy of the product's media."""
    storage_account_id: Text | None = None
    """ARM id of the storage account holding the media; each server reads it with its managed identity."""
    update_installer: Text | None = None
    """Path of the cumulative update installer under ``mediaUri``, e.g. cu2023-02/LyncServerUpdateInstaller.exe
    (skype2015: SkypeServerUpdateInstaller.exe, required on Windows Server 2016 and 2019); a new path installs that
    update (phase C only)."""
    certificate_authority: Text | None = None
    """Enterprise CA for the server certificates, ``<CA server FQDN>\\<CA name>``."""
    setup_user: Text | None = None
    """Domain account ``DOMAIN\\user`` that installs, a member of RTCUniversalServerAdmins; the servers make it
    a local administrator, the SQL Servers a sysadmin. Its password is the secret ``pchat:setupPassword``."""
    dns_server: Text | None = None
    """DNS server (a domain controller FQDN) to create the pool's A records on; the publish runbook lists
    them when omitted."""
    run_token: Text | None = None
    """Any text; a new value runs every install phase again on every server (Azure runs a Run Command again
    only when its content changes). Each phase skips the steps it finds done."""
    keep_setup_rights: bool = False
    """true keeps setupUser a local administrator of every server and a sysadmin of every SQL Server after the
    install; by default the last step of the install removes both."""
    certificate_template: Text = "WebServer"
    """Name (not display name) of the certificate template on certificateAuthority for the server
    certificates; default the Web Server template."""


class AcceptUnsupportedConfig(_Model):
    """Deploy although Microsoft's support has ended for everything the stack runs (docs/skype2015.md)."""

    reason: Text = Field(min_length=1)
    """Why, in words: recorded in the stack config and repeated in every plan."""


class TopologyConfig(_Model):
    """The whole ``pchat:topology`` value of a stack."""

    product: Product = Product.LYNC2013
    """lync2013 (Lync Server 2013) or skype2015 (Skype for Business Server 2015): the supported Windows Server and
    SQL Server versions, the default images and the install follow it. Changing it rebuilds every server."""
    edition: Edition = Edition.ENTERPRISE
    """enterprise (a pool of dedicated servers) or standard (collocated on one Standard Edition server)."""
    accept_unsupported: AcceptUnsupportedConfig | None = None
    """``{reason: ...}`` to plan a stack whose product, Windows Server and SQL Server have all left Microsoft's
    support (refused without it); the plan warns about every ended date either way."""
    domain: Text
    """AD DS DNS domain; pool and server FQDNs are ``<name>.<domain>``."""
    admin_username: Text = "lyncadmin"
    """Local administrator of every VM; Azure refuses reserved names such as admin."""
    management_cidr: Text | None = None
    """The range your administrators work from: RDP, Persistent Chat administration and the database
    installation reach the servers only from it; no RDP rule when omitted."""
    central_management_cidr: Text | None = None
    """Range of the Front End pool that hosts the Central Management store, whose replication reaches every
    server; default: the pools' Front End ranges."""
    protect_stateful_resources: bool = True
    """protect and retainOnDelete on SQL VMs, data disks and the key vault."""
    encryption_at_host: bool = True
    """Encrypt temp disks and caches at the host (needs the EncryptionAtHost subscription feature)."""
    lock_stores: bool = True
    """A CanNotDelete lock on each site's data resource group (SQL Server VMs and the key vault), so
    no one deletes a store by accident, in or out of Pulumi; false to opt out (e.g. before a destroy: removing
    the lock takes the break-glass role, roles/pchat-breakglass.json)."""
    secret_expiry_days: int | None = 365
    """Days each key vault secret is valid from its creation (1 to 3650), captured once at creation;
    null: the secrets never expire (opt-out)."""
    secrets_not_after: date | None = None
    """A fixed expiry date (``YYYY-MM-DD``, midnight UTC) for every secret instead of
    ``secretExpiryDays`` after creation; renew it before that date."""
    diagnostics: DiagnosticsConfig | None = None
    """Send the key vault's logs and metrics and the NSGs' logs to a Log Analytics workspace;
    no diagnostic settings when omitted. Azure Monitor (``monitoring``) uses that workspace too; without it,
    the project creates one in the first pool's site."""
    monitoring: MonitoringConfig = MonitoringConfig()
    """Azure Monitor on every server, alerts and the synthetic test (on by default)."""
    patching: PatchingConfig = PatchingConfig()
    """Patches in waves of maintenance windows (on by default)."""
    key_vault_id: Text | None = None
    """ARM id of an existing key vault (RBAC authorization) for the passwords, instead of a new one."""
    secret_readers: tuple[Text, ...] = ()
    """Entra object ids of users given Key Vault Secrets User on the vault the project creates, to read the
    passwords. Each assignment is made for a user (Azure refuses one whose principal is a group or a service
    principal, UnmatchedPrincipalType): grant those yourself."""
    backup: BackupConfig = BackupConfig()
    """Backups of every store database, the default of every pool (docs/backups.md)."""
    name_prefix: NamePrefix | None = None
    """Prefix of the Azure resource names (``rg-<prefix>-<site>``, ``nsg-<prefix>-<site>-pchat``, ...) instead
    of ``pchat-<stack>``, for your naming convention; on an existing stack it renames, so replaces, everything."""
    user_assigned_identity_id: Text | None = None
    """ARM id of an existing user-assigned managed identity (your platform's) to put on every server beside its
    system-assigned one, for what your platform grants that identity (monitoring, backup, a key vault)."""
    site_peering: SitePeering = SitePeering.MESH
    """mesh (every site network this project creates is peered with every other, both ways) or none (your
    hub or network routes between the sites: no peering between them)."""
    license_type: WindowsLicense | None = None
    """``Windows_Server``: Azure Hybrid Benefit for Windows Server on every VM (your licences with Software
    Assurance); default: pay-as-you-go. Changing it updates the VMs in place."""
    sql_license_type: SqlLicense = SqlLicense.PAYG
    """SQL Server licence of the Standard and Enterprise SQL Server VMs: PAYG (pay-as-you-go) or AHUB (Azure
    Hybrid Benefit, your licences with Software Assurance); witnesses run the free Express edition."""
    boot_diagnostics: bool = True
    """Boot diagnostics (screenshot and serial log) in Azure-managed storage on every VM; false to opt out."""
    custom_vm_sizes: dict[Text, CustomVmSizeConfig] = {}
    """VM sizes the catalog does not list, by Azure name, with their stated vCPUs and memory: the hardware
    rules check them like catalog sizes."""
    private_endpoints: PrivateEndpointsConfig = PrivateEndpointsConfig()
    """Private endpoints for the backup storage and the vault; by default the backup storage admits only the
    SQL subnets (service endpoints) and the vault no public network at all."""
    images: ImagesConfig = ImagesConfig()
    """Marketplace images of the Windows and SQL Server VMs."""
    software: SoftwareConfig = SoftwareConfig()
    """Installing the product and Persistent Chat on the servers (second phase)."""
    tags: dict[Text, Text] = {}
    """Tags on every resource, beside the project's pchat-pool, pchat-site and pchat-role."""
    domain_join: DomainJoinConfig | None = None
    """Join the servers to the domain; the password is the secret ``pchat:domainJoinPassword``."""
    sites: dict[Key, SiteConfig] = Field(min_length=1)
    """Data centers by key, each one Azure region and virtual network in a Lync central site."""
    pools: dict[Key, PoolConfig] = Field(min_length=1)
    """Persistent Chat pools by key; the key is the pool name."""
