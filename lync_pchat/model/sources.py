"""Where each enforced rule comes from, and where each source key is published.

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
