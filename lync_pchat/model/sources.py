"""The one registry of documentation source keys (the model's rules, the runbooks, the policies and the products
cite them from here), and where each key is published.

Keys follow ``shared/reference/persistent-chat.md``: ``L:<slug>`` a Lync Server 2013 topic,
``PS:<Cmdlet>`` a cmdlet reference, ``AZ:<path>`` an Azure virtual-machines article,
``SfB15:<path>`` a Skype for Business Server 2015 page, ``LC:<file>`` a lifecycle record, ``UM:<file>`` an
Azure Update Manager article, ``AM:<path>`` an Azure Monitor article, ``DBM:<file>`` and ``LSH:<file>`` SQL Server
database mirroring and log shipping articles (``shared/reference/operations.md``).
"""

from __future__ import annotations

import re

COMPONENTS = "L:lync-server-2013-components-and-topologies-for-persistent-chat-server"
CAPACITY = "L:lync-server-2013-capacity-planning-for-persistent-chat-server"
REQUIREMENTS = "L:lync-server-2013-defining-your-requirements-for-persistent-chat-server"
DEPLOYING = "L:lync-server-2013-deploying-persistent-chat-server"
ADD_TO_TOPOLOGY = "L:lync-server-2013-add-persistent-chat-server-to-the-topology"
SE_COLLOCATION = "L:lync-server-2013-server-collocation-in-a-standard-edition-server-deployment"
EE_COLLOCATION = "L:lync-server-2013-server-collocation-in-an-enterprise-edition-front-end-pool-deployment"
SYSTEM_PLATFORMS = "L:lync-server-2013-set-up-system-platforms"
REQUIRED_RESOURCES = "L:lync-server-2013-required-resources-for-persistent-chat-server"
STRETCHED_POOL = "L:lync-server-2013-using-a-stretched-persistent-chat-server-pool-for-disaster-recovery"
SQL_MIRRORING = "L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability"
HARDWARE = "L:lync-server-2013-server-hardware-platforms"
AD_DS = "L:lync-server-2013-active-directory-domain-services-support"
PORTS = "L:lync-server-2013-ports-and-protocols-for-internal-servers"
CAPACITY_USER_MODELS = "L:lync-server-2013-capacity-planning-using-the-user-models"
DATABASE_SOFTWARE = "L:lync-server-2013-database-software-support"
SQL_FIREWALL = "L:lync-server-2013-understanding-firewall-requirements-for-sql-server"
PS_COMPLIANCE = "PS:New-CsPersistentChatComplianceConfiguration"
AZURE_SIZES = "AZ:sizes"
NEW_FEATURES = "L:lync-server-2013-new-persistent-chat-server-features"
MANAGE_CATEGORIES = "L:manage-categories"
MANAGE_ADD_INS = "L:manage-add-ins"
PS_CATEGORY = "PS:Set-CsPersistentChatCategory"
PS_ADD_IN = "PS:New-CsPersistentChatAddin"
BACKING_UP = "L:lync-server-2013-backing-up-persistent-chat-databases"
BACKUP_PRACTICES = "L:lync-server-2013-best-practices-for-backup-and-restoration"
RESTORING = "L:lync-server-2013-restoring-persistent-chat-data"
LOG_SHIPPING = "L:lync-server-2013-setting-up-sql-server-log-shipping-for-the-persistent-chat-server-primary-database"
DEPLOYMENT_PERMISSIONS = "L:lync-server-2013-deployment-permissions-for-sql-server"
PS_WINDOWS_SERVICE = "PS:Get-CsWindowsService"
GRANT_SHARE = "WPS:smbshare/grant-smbshareaccess"
"""Grant-SmbShareAccess, whose -CimSession runs it on a remote computer through a CIM session."""
CIM_OPTION = "WPS:cimcmdlets/new-cimsessionoption"
"""New-CimSessionOption: -Protocol Dcom makes New-CimSession connect over DCOM instead of WS-Management."""

# Lync Server 2013 topics and cmdlets the runbooks follow.
HADR_TOPOLOGY = "L:lync-server-2013-using-topology-builder-to-configure-high-availability-and-disaster-recovery"
PUBLISH = "L:lync-server-2013-publish-the-updated-topology"
PUBLISH_TOPOLOGY = "L:lync-server-2013-publish-the-topology"
DATABASE_INSTALL = "L:lync-server-2013-database-installation-using-lync-server-management-shell"
INSTALLING = "L:lync-server-2013-installing-persistent-chat-server"
CMS_FAILOVER = "L:lync-server-2013-central-management-store-failover"
POOL_FAILOVER = "L:lync-server-2013-failing-over-a-pool"
ABC_FAILOVER = "L:lync-server-2013-front-end-pool-abc-failover-procedure"
SERVICES = "L:lync-server-2013-monitoring-starting-and-stopping-the-persistent-chat-services"
DNS = "L:lync-server-2013-dns-requirements-for-persistent-chat-servers"
CHECKLIST = "L:lync-server-2013-deployment-checklist-for-persistent-chat-server"
SE_DATABASE = "L:lync-server-2013-install-standard-edition-server-database"
UPDATE_SERVER = "L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server"
CONFIGURE = "L:lync-server-2013-configure-persistent-chat-server-options-globally-or-for-persistent-chat-server-pool"
ADD_ADMINISTRATOR = "L:lync-server-2013-adding-a-persistent-chat-administrator"
USER_ROLES = "L:lync-server-2013-user-roles-in-persistent-chat-server"
ENABLE_POLICY = "L:lync-server-2013-enable-persistent-chat-server-policy"
LOG_SHIPPING_MIRROR = "L:lync-server-2013-set-up-log-shipping-secondary-database"
FAILOVER = "L:lync-server-2013-failing-over-persistent-chat-server"
FAILBACK = "L:lync-server-2013-failing-back-persistent-chat-server"
MACHINE_STATE = "SfB15:help-topics/help-topobld/persistent-chat-machines-expander.md"
PS_INSTALL_DATABASE = "PS:Install-CsDatabase"
PS_ENABLE_TOPOLOGY = "PS:Enable-CsTopology"
PS_MIRROR_DATABASE = "PS:Install-CsMirrorDatabase"
PS_CONFIGURATION = "PS:New-CsPersistentChatConfiguration"
PS_POLICY = "PS:New-CsPersistentChatPolicy"
PS_DATABASE_FAILOVER = "PS:Invoke-CsDatabaseFailover"
PS_ACTIVE_SERVER = "PS:Set-CsPersistentChatActiveServer"
PS_STATE = "PS:Set-CsPersistentChatState"
PS_GET_STATE = "PS:Get-CsPersistentChatState"
PS_STOP_SERVICE = "PS:Stop-CsWindowsService"
PS_NEW_CATEGORY = "PS:New-CsPersistentChatCategory"
PS_TEST_MESSAGE = "PS:Test-CsPersistentChatMessage"
PS_HEALTH = "PS:New-CsHealthMonitoringConfiguration"
PS_TEST_DATABASE = "PS:Test-CsDatabase"

# The products' requirements and migration (``lync_pchat.model.products``).
LYNC_OS = "L:lync-server-2013-server-and-tools-operating-system-support"
LYNC_SOFTWARE = "L:lync-server-2013-additional-software-requirements"
SKYPE_SERVER = "SfB15:plan-your-deployment/requirements-for-your-environment/server-requirements.md"
SKYPE_UPGRADE_PLAN = "SfB15:plan-your-deployment/upgrade.md"
SKYPE_UPGRADE = "SfB15:deploy/upgrade-to-skype-for-business-server.md"
SKYPE_PCHAT_REQUIREMENTS = "SfB15:plan-your-deployment/persistent-chat-server/hardware-and-software-requirements.md"
SKYPE_HADR = "SfB15:deploy/deploy-persistent-chat-server/configure-hadr-for-persistent-chat.md"
PS_EXPORT = "PS:Export-CsPersistentChatData"
PS_IMPORT = "PS:Import-CsPersistentChatData"
ESU_FAQ = "LCF:extended-security-updates"
"""learn.microsoft.com/lifecycle/faq/extended-security-updates (operations.md 9.4)."""
SCHEMA = "SfB15:schema-reference/persistent-chat-database-schema/persistent-chat-database-schema.md"
"""The published Persistent Chat database schema: read-only queries are supported, no ``SELECT *``."""
SCHEMA_NODE = "SfB15:schema-reference/persistent-chat-database-schema/tblnode.md"
SCHEMA_CHAT = "SfB15:schema-reference/persistent-chat-database-schema/tblchat.md"
SQL_INSTANCE_NAME = "SQL:docs/database-engine/configure-windows/logging-in-to-sql-server.md"
"""A default instance is named by its computer alone, a named instance by ``<computer>\\<instance>``."""
KB4015888 = (
    "KB4015888: https://support.microsoft.com/help/4015888/how-to-install-skype-for-business-server-2015-on-windows-"
    "server-2016"
)
"""Microsoft's install procedure of Skype for Business Server 2015 on Windows Server 2016, which [SRV] links from its
Windows Server 2016 row (skype2015.md 2); its text is not in the project's reference (skype2015.md 9, item 1)."""
CUSTOM_SCRIPT = "AZ:extensions/custom-script-windows.md"
"""The Custom Script Extension for Windows, whose ``protectedSettings`` Azure encrypts."""

LEARN = "https://learn.microsoft.com/"
PAGES = {
    "L": ("en-us/previous-versions/office/lync-server-2013/{}", ""),
    "PS": ("powershell/module/skype/{}", ""),
    "WPS": ("powershell/module/{}", ""),
    "AZ": ("azure/virtual-machines/{}", ".md"),
    "SfB15": ("en-us/skypeforbusiness/{}", ".md"),
    "LC": ("lifecycle/products/{}", ".yml"),
    "LCF": ("lifecycle/faq/{}", ""),
    "UM": ("azure/update-manager/{}", ".md"),
    "AM": ("azure/azure-monitor/{}", ".md"),
    "DBM": ("sql/database-engine/database-mirroring/{}", ".md"),
    "LSH": ("sql/database-engine/log-shipping/{}", ".md"),
}
"""Source kind -> (Learn path pattern, file suffix the page address drops)."""
TAG = re.compile(r"\[((?:" + "|".join(PAGES) + r"):[^\]\s]+)\]")
"""A cited source key in text: ``[L:<slug>]``."""


def url(source: str) -> str:
    """The Learn address of a source key of any kind (cmdlet pages are lower case)."""
    kind, _, path = source.partition(":")
    if kind not in PAGES or not path:
        raise ValueError(f"{source!r} is not a source key ({', '.join(k + ':' for k in PAGES)})")
    pattern, suffix = PAGES[kind]
    path = path.removesuffix(suffix)
    return LEARN + pattern.format(path.lower() if kind == "PS" else path)


def cite(source: str, step: str | int | None = None) -> str:
    """``[source] step N``: how a runbook line names where it comes from."""
    return f"[{source}]" + (f" step {step}" if step is not None else "")
