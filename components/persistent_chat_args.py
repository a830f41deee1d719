"""The typed args and outputs of the multi-language ``PersistentChat`` component.

No ``from __future__ import annotations`` here: the schema analyzer reads the real types.

They mirror the ``pchat:topology`` contract (snake_case here, camelCase in the package schema). What
shapes the topology is plain (``plain: true`` in the schema): it must be known when the program runs,
because the model validates it before any resource exists. The ids of the larger stack's resources (subnets,
hub, route table, vault, workspace, identity, resource groups, action group, storage accounts, private endpoints'
subnets and DNS zones) and its DNS servers may be Outputs (``pulumi.Input``); the passwords are secrets.
"""

from typing import NotRequired, TypedDict

import pulumi

from lync_pchat.model.config import (
    CompliancePlacement,
    Edition,
    Hardware,
    RebootSetting,
    RuleAccess,
    RuleProtocol,
    RuleSubnet,
    SitePeering,
    SqlEdition,
    SqlLicense,
    StorePlacement,
    StretchedLayout,
    WindowsLicense,
)
from lync_pchat.model.products import Product


class ExistingNetworkInput(TypedDict):
    """Existing subnets of your spoke network to attach the servers to, instead of a new virtual network."""

    pchat_subnet_id: pulumi.Input[str]
    """Id of the subnet for the Persistent Chat (and Standard Edition) servers; may be an Output."""
    pchat_subnet_prefix: str
    """Its address prefix: the servers' static addresses come from it."""
    sql_subnet_id: pulumi.Input[str]
    """Id of the subnet for the SQL Server VMs; may be an Output."""
    sql_subnet_prefix: str
    """Its address prefix."""


class SecurityRuleInput(TypedDict):
    """An inbound NSG rule of your own, kept beside the documented ones."""

    subnet: NotRequired[RuleSubnet]
    """The NSG it goes in: pchat, sql or both (default)."""
    priority: int
    """100 to 899 or 3000 to 4095."""
    access: NotRequired[RuleAccess]
    protocol: NotRequired[RuleProtocol]
    sources: list[str]
    """IPv4 ranges or service tags; never the Internet."""
    ports: list[str]
    """Destination ports: 443, 5985-5986 or *."""
    description: NotRequired[str]


class ResourceGroupsInput(TypedDict):
    """Existing resource groups of your platform for a site, instead of new ones."""

    servers: NotRequired[pulumi.Input[str]]
    """The group of the site's network, NSGs and Persistent Chat servers; may be an Output."""
    data: NotRequired[pulumi.Input[str]]
    """The group of the site's SQL Server VMs (and the vault in the home site), locked with lockStores; may be an
    Output."""


class SiteInput(TypedDict):
    """A data center: one Azure region and virtual network, in a Lync central site."""

    region: str
    """Azure region, e.g. northeurope."""
    address_space: str
    """Private IPv4 range of the site, /8 to /24."""
    dns_servers: NotRequired[pulumi.Input[list[pulumi.Input[str]]]]
    """DNS servers of the virtual network (your domain controllers); may be an Output."""
    lync_site: NotRequired[str]
    """Name of the Lync central site in Topology Builder; default: the key."""
    existing_network: NotRequired[ExistingNetworkInput]
    """Attach to existing subnets instead of creating a virtual network."""
    hub_virtual_network_id: NotRequired[pulumi.Input[str]]
    """Id of a hub virtual network to peer with; may be an Output."""
    use_hub_gateway: NotRequired[bool]
    """Route to on-premises through the hub's gateway."""
    route_table_id: NotRequired[pulumi.Input[str]]
    """Id of a route table for the subnets this component creates; may be an Output."""
    resource_groups: NotRequired[ResourceGroupsInput]
    """Existing resource groups for the site, instead of the ones the component creates."""
    extra_security_rules: NotRequired[dict[str, SecurityRuleInput]]
    """Inbound rules of your own in the site's NSGs, by name."""
    availability_zones: NotRequired[list[str]]
    """Zones ("1", "2", "3") to spread the site's servers over instead of availability sets; on a deployed site,
    setting it replaces every VM and disk."""


class DataDiskInput(TypedDict):
    """The data volume of each Persistent Chat server."""

    size_gb: NotRequired[int]
    """Size in GB (72 to 32767)."""
    file_system: NotRequired[str]
    """File system; Persistent Chat requires NTFS."""


class StoreMirrorInput(TypedDict):
    """Collocated only: the Back End's existing SQL mirror, which the project does not build."""

    sql_server: str
    """FQDN of the SQL Server that mirrors the Back End."""
    sql_instance: NotRequired[str]
    """Named instance; the default instance when omitted."""
    witness: NotRequired[str]
    """The Back End's witness, FQDN or FQDN\\instance."""
    file_share: str
    """UNC path of an existing share the Back End and its mirror read and write."""


class StoreInput(TypedDict):
    """The PersistentChatStore (database mgc)."""

    placement: NotRequired[StorePlacement]
    """dedicated, collocated (an existing SQL Server) or express (Standard Edition)."""
    sql_server: NotRequired[str]
    """Collocated only: FQDN of the existing SQL Server."""
    sql_instance: NotRequired[str]
    """Collocated only: named instance; the default instance when omitted."""
    mirror: NotRequired[StoreMirrorInput]
    """Collocated only: the Back End's mirror, with highAvailability.mirroring."""
    vm_size: NotRequired[str]
    """VM size of the dedicated SQL Servers."""
    sql_edition: NotRequired[SqlEdition]
    """SQL Server edition of the store VMs."""
    data_disk_gb: NotRequired[int]
    log_disk_gb: NotRequired[int]
    temp_db_disk_gb: NotRequired[int]
    backup_disk_gb: NotRequired[int]


class ComplianceInput(TypedDict):
    """The compliance service and its store (database mgccomp)."""

    enabled: NotRequired[bool]
    placement: NotRequired[CompliancePlacement]
    """separate (own SQL Server) or shared (the mgc instance)."""
    output_share: NotRequired[str]
    """UNC path of an existing share for the compliance adapter's output."""


class HighAvailabilityInput(TypedDict):
    """SQL mirroring of the provisioned stores."""

    mirroring: NotRequired[bool]
    witness: NotRequired[bool]
    witness_vm_size: NotRequired[str]


class DisasterRecoveryInput(TypedDict):
    """A stretched pool: one logical Lync site over two data centers, with log shipping."""

    standby_site: str
    """Site key of the second data center."""
    standby_servers: NotRequired[int]
    """lowBandwidth: idle servers there (1 to 4); default: as many as active servers."""
    layout: NotRequired[StretchedLayout]
    """lowBandwidth (all active servers in the primary data center) or highBandwidth (half in each)."""


class DiagnosticsInput(TypedDict):
    """Where the key vault's and the NSGs' logs go."""

    workspace_resource_id: pulumi.Input[str]
    """Id of an existing Log Analytics workspace; may be an Output."""


class AcceptUnsupportedInput(TypedDict):
    """Deploy although Microsoft's support has ended for everything the stack runs."""

    reason: str
    """Why, in words: repeated in every plan."""


class DomainJoinInput(TypedDict):
    """Joins every server to the AD domain."""

    user: str
    ou_path: NotRequired[str]


class CategoryInput(TypedDict):
    """A room category: who may join and create its rooms; members are SIP URIs or AD distinguished names."""

    description: NotRequired[str]
    allowed_members: NotRequired[list[str]]
    """Who may join the category's rooms."""
    denied_members: NotRequired[list[str]]
    """Who may not, even when allowed."""
    creators: NotRequired[list[str]]
    """Who may create rooms: a subset of the allowed members minus the denied ones."""
    invitations: NotRequired[bool]
    file_upload: NotRequired[bool]
    chat_history: NotRequired[bool]


class AddInInput(TypedDict):
    """An add-in: a web page the Persistent Chat client shows beside a room."""

    url: str
    """https URL of the add-in's page."""


class BackupInput(TypedDict):
    """Full and log backups of mgc and mgccomp, copied to Blob Storage (docs/backups.md)."""

    enabled: NotRequired[bool]
    """Back up the stores from the first deployment (default true)."""
    log_interval_minutes: NotRequired[int]
    """Minutes between log backups (default 15)."""
    full_interval_hours: NotRequired[int]
    """Hours between full backups (default 24)."""
    retention_days: NotRequired[int]
    """Days each backup is kept in Blob Storage (default 14)."""
    storage_account_id: NotRequired[pulumi.Input[str]]
    """Id of your storage account for the backups; default: one the project creates per site. May be an Output."""


class PoolInput(TypedDict):
    """A Persistent Chat pool, as Topology Builder defines it."""

    site: str
    """Site key of the primary data center."""
    users: int
    """Concurrent users: 20,000 per active server, 80,000 at most."""
    active_servers: NotRequired[int]
    vm_size: NotRequired[str]
    hardware: NotRequired[Hardware]
    next_hop: NotRequired[str]
    """FQDN of the next-hop Front End pool."""
    front_end_cidr: NotRequired[str]
    front_end_cidrs: NotRequired[list[str]]
    """Ranges of every Front End pool the pool serves."""
    port: NotRequired[int]
    default_for_site: NotRequired[bool]
    time_zone: NotRequired[str]
    computer_name_prefix: NotRequired[str]
    address_slot: NotRequired[int]
    file_store: NotRequired[str]
    data_disk: NotRequired[DataDiskInput]
    store: NotRequired[StoreInput]
    compliance: NotRequired[ComplianceInput]
    high_availability: NotRequired[HighAvailabilityInput]
    disaster_recovery: NotRequired[DisasterRecoveryInput]
    categories: NotRequired[dict[str, CategoryInput]]
    """Room categories by name; nobody can create a room until the pool has one."""
    add_ins: NotRequired[dict[str, AddInInput]]
    """Add-ins by name (optional)."""
    backup: NotRequired[BackupInput]
    """The pool's backups: the keys set here override the top-level backup."""


class ImageInput(TypedDict):
    """A marketplace image of the Windows Server VMs."""

    publisher: NotRequired[str]
    offer: NotRequired[str]
    sku: NotRequired[str]
    version: NotRequired[str]


class SqlImageInput(TypedDict):
    """The marketplace image of the SQL Server VMs; the sku is the store's SQL edition."""

    publisher: NotRequired[str]
    offer: NotRequired[str]
    version: NotRequired[str]


class ImagesInput(TypedDict):
    """Marketplace images of the servers."""

    windows: NotRequired[ImageInput]
    sql: NotRequired[SqlImageInput]


class SoftwareInput(TypedDict):
    """Installing Lync Server 2013 on the servers once the topology is published."""

    install: NotRequired[bool]
    """true once the topology is published; false creates nothing for it."""
    media_uri: NotRequired[str]
    """HTTPS URL of the folder in a blob container holding the Lync Server 2013 media."""
    storage_account_id: NotRequired[pulumi.Input[str]]
    """Id of the storage account holding the media; may be an Output."""
    update_installer: NotRequired[str]
    """File name of the cumulative update installer under mediaUri."""
    certificate_authority: NotRequired[str]
    """Enterprise CA for the server certificates, <CA server FQDN>\\<CA name>."""
    setup_user: NotRequired[str]
    """Domain account that installs; its password is the secret input setupPassword."""
    dns_server: NotRequired[str]
    """DNS server to create the pool's A records on."""
    run_token: NotRequired[str]
    """Any text; a new value runs every install phase again on every server."""
    keep_setup_rights: NotRequired[bool]
    """true keeps setupUser a local administrator and a sysadmin after the install (default false)."""
    certificate_template: NotRequired[str]
    """Name of the certificate template for the server certificates (default WebServer)."""


class TestUsersInput(TypedDict):
    """The two users of the synthetic Test-CsPersistentChatMessage."""

    sender: str
    """SIP address of the sending user."""
    receiver: str
    """SIP address of the receiving user."""


class MonitoringInput(TypedDict):
    """Azure Monitor on every server, alerts and the synthetic test (on by default)."""

    enabled: NotRequired[bool]
    """false to opt out."""
    action_group_id: NotRequired[pulumi.Input[str]]
    """Id of an existing action group that receives every alert; may be an Output."""
    emails: NotRequired[list[str]]
    """Addresses of an action group the component creates."""
    test_users: NotRequired[TestUsersInput]
    """Users of the synthetic test."""
    heartbeat_minutes: NotRequired[int]
    """Alert after this many minutes without a heartbeat (default 10)."""
    free_space_percent: NotRequired[int]
    """Alert below this free space on a data, log or backup volume (default 10)."""
    mirroring_queue_kb: NotRequired[int]
    """Alert above this unsent or unrestored mirroring log (default 10240)."""


class PatchWindowInput(TypedDict):
    """One maintenance window: the servers of one wave patch in it."""

    start: str
    """First start, YYYY-MM-DD HH:MM."""
    duration: NotRequired[str]
    """Length HH:MM, at most 03:55."""
    recur_every: NotRequired[str]
    """Recurrence, e.g. 1Week Saturday."""


class PatchingInput(TypedDict):
    """Patches in waves of Azure Update Manager maintenance windows (on by default)."""

    enabled: NotRequired[bool]
    """false leaves the servers' patch settings as they are."""
    time_zone: NotRequired[str]
    """Windows time zone id of the windows."""
    windows: NotRequired[list[PatchWindowInput]]
    """One window per wave, in wave order."""
    reboot: NotRequired[RebootSetting]
    classifications: NotRequired[list[str]]
    """Update classifications to install (default Critical, Security)."""
    exclude_kbs: NotRequired[list[str]]
    """KB numbers never to install in a window."""


class CustomVmSizeInput(TypedDict):
    """A VM size the catalog does not list, with the vCPUs and memory its Azure size page states."""

    vcpus: int
    memory_gib: int
    hyperthreaded: NotRequired[bool]
    """Two vCPUs make one physical core (default true)."""
    premium_storage: NotRequired[bool]
    max_data_disks: NotRequired[int]
    generation2_only: NotRequired[bool]
    """Runs Generation 2 VMs only (every v6 size)."""


class PrivateEndpointInput(TypedDict):
    """A private endpoint in a subnet of your network, registered in your private DNS zones."""

    subnet_id: pulumi.Input[str]
    """Id of the subnet of the endpoint; may be an Output."""
    private_dns_zone_ids: NotRequired[list[pulumi.Input[str]]]
    """Ids of the private DNS zones to register it in; each may be an Output."""


class PrivateEndpointsInput(TypedDict):
    """Private endpoints for the backup storage (by site key) and the key vault the component creates."""

    backup: NotRequired[dict[str, PrivateEndpointInput]]
    vault: NotRequired[PrivateEndpointInput]


class PersistentChatArgs(TypedDict):
    """The topology, as in the ``pchat:topology`` stack config, plus the secrets."""

    product: NotRequired[Product]
    """lync2013 (default) or skype2015: the server product, its supported versions and default images."""
    edition: NotRequired[Edition]
    accept_unsupported: NotRequired[AcceptUnsupportedInput]
    """Plan a stack whose product, Windows Server and SQL Server have all left Microsoft's support."""
    domain: str
    """AD DS DNS domain; pool and server FQDNs are <name>.<domain>."""
    admin_username: NotRequired[str]
    management_cidr: NotRequired[str]
    """The range your administrators work from; no RDP rule when omitted."""
    central_management_cidr: NotRequired[str]
    """Range of the Front End pool that hosts the Central Management store."""
    protect_stateful_resources: NotRequired[bool]
    encryption_at_host: NotRequired[bool]
    lock_stores: NotRequired[bool]
    """A CanNotDelete lock on each site's data resource group (default true)."""
    secret_expiry_days: NotRequired[int]
    """Days each key vault secret is valid from its creation (default 365)."""
    secrets_not_after: NotRequired[str]
    """A fixed expiry date (YYYY-MM-DD) for every secret instead."""
    diagnostics: NotRequired[DiagnosticsInput]
    key_vault_id: NotRequired[pulumi.Input[str]]
    """Id of an existing key vault (RBAC authorization) for the passwords; may be an Output."""
    secret_readers: NotRequired[list[str]]
    """Entra object ids given Key Vault Secrets User on the vault the project creates."""
    backup: NotRequired[BackupInput]
    """Backups of every store, the default of every pool."""
    user_assigned_identity_id: NotRequired[pulumi.Input[str]]
    """Id of an existing user-assigned managed identity every server carries beside its own; may be an Output."""
    site_peering: NotRequired[SitePeering]
    """mesh (the site networks this component creates are peered with each other) or none (your network
    routes between them)."""
    images: NotRequired[ImagesInput]
    software: NotRequired[SoftwareInput]
    monitoring: NotRequired[MonitoringInput]
    patching: NotRequired[PatchingInput]
    tags: NotRequired[dict[str, str]]
    domain_join: NotRequired[DomainJoinInput]
    sites: dict[str, SiteInput]
    """Data centers by key."""
    pools: dict[str, PoolInput]
    """Persistent Chat pools by key; the key is the pool name."""
    admin_password: NotRequired[pulumi.Input[str]]
    """One administrator password for every server (a secret); random per server when omitted."""
    domain_join_password: NotRequired[pulumi.Input[str]]
    """Password of the domain join account (a secret)."""
    setup_password: NotRequired[pulumi.Input[str]]
    """Password of software.setupUser (a secret), needed when software.install is true."""
    name_prefix: NotRequired[str]
    """Prefix of the Azure resource names; default pchat-<stack>."""
    license_type: NotRequired[WindowsLicense]
    """Windows_Server: Azure Hybrid Benefit on every VM; default pay-as-you-go."""
    sql_license_type: NotRequired[SqlLicense]
    """PAYG (default) or AHUB for the Standard and Enterprise SQL Server VMs."""
    boot_diagnostics: NotRequired[bool]
    """Boot diagnostics in Azure-managed storage on every VM (default true)."""
    custom_vm_sizes: NotRequired[dict[str, CustomVmSizeInput]]
    """VM sizes the catalog does not list, by Azure name."""
    private_endpoints: NotRequired[PrivateEndpointsInput]
    """Private endpoints for the backup storage and the vault."""


SECRET_ARGS = ("admin_password", "domain_join_password", "setup_password")
"""The args that are passwords: secret inputs, never part of the topology."""


# The output types name their keys as the values carry them (camelCase), so that typed Python code reads
# ``chat.sites["dublin"]["resourceGroupName"]``; tests/components/test_output_types.py checks both.


class ServerOutput(TypedDict):
    """A server of the deployment."""

    role: str
    """active, standby, standard-edition, store, store-mirror, witness, backup-store, ..."""
    site: str
    fqdn: str
    address: str
    """Its static private address."""
    vmId: str
    """Id of its virtual machine."""
    principalId: str
    """Principal id of the VM's system-assigned managed identity."""
    nicId: str
    """Id of its network interface."""
    nsgId: str
    """Id of the network security group of its subnet (on its NIC with existing subnets)."""


class SiteOutput(TypedDict):
    """What a data center of the deployment holds."""

    resourceGroupName: str
    dataResourceGroupName: NotRequired[str]
    """The locked group of its SQL Server VMs (and the vault in the home site)."""
    vnetId: NotRequired[str]
    """The virtual network this component created (none with existing subnets)."""
    pchatSubnetId: str
    sqlSubnetId: str
    pchatNsgId: str
    """The network security group of the Persistent Chat servers."""
    sqlNsgId: str
    """The network security group of the SQL Servers."""


class StoreOutput(TypedDict):
    """Where one database lives: each instance as Topology Builder takes it (fqdn or fqdn\\instance)."""

    primary: str
    mirror: NotRequired[str]
    witness: NotRequired[str]
    backup: NotRequired[str]
    backupMirror: NotRequired[str]
    backupWitness: NotRequired[str]
