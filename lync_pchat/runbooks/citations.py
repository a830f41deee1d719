"""Documentation source keys the runbooks cite, as in ``shared/reference/persistent-chat.md``.

``L:<slug>`` is a Lync Server 2013 topic; ``PS:<Cmdlet>`` a cmdlet reference page; ``SfB15:<path>``
a Skype for Business Server 2015 page, used only where the Lync 2013 page has no text. Their
addresses: :func:`lync_pchat.model.sources.url`.
"""

from __future__ import annotations

from ..model import sources as _model

# The keys the model cites too, defined there once.
DATABASE_SOFTWARE = _model.DATABASE_SOFTWARE
MANAGE_ADD_INS = _model.MANAGE_ADD_INS
GRANT_SHARE = _model.GRANT_SHARE
CIM_OPTION = _model.CIM_OPTION
MANAGE_CATEGORIES = _model.MANAGE_CATEGORIES
PS_ADD_IN = _model.PS_ADD_IN
STRETCHED_POOL = _model.STRETCHED_POOL
RESTORING = _model.RESTORING

ADD_TO_TOPOLOGY = "L:lync-server-2013-add-persistent-chat-server-to-the-topology"
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
SQL_MIRRORING = "L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability"
CHECKLIST = "L:lync-server-2013-deployment-checklist-for-persistent-chat-server"
SE_DATABASE = "L:lync-server-2013-install-standard-edition-server-database"
REQUIRED_RESOURCES = "L:lync-server-2013-required-resources-for-persistent-chat-server"
SQL_PERMISSIONS = "L:lync-server-2013-deployment-permissions-for-sql-server"
UPDATE_SERVER = "L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server"
CONFIGURE = "L:lync-server-2013-configure-persistent-chat-server-options-globally-or-for-persistent-chat-server-pool"
ADD_ADMINISTRATOR = "L:lync-server-2013-adding-a-persistent-chat-administrator"
USER_ROLES = "L:lync-server-2013-user-roles-in-persistent-chat-server"
ENABLE_POLICY = "L:lync-server-2013-enable-persistent-chat-server-policy"
LOG_SHIPPING = _model.LOG_SHIPPING
LOG_SHIPPING_MIRROR = "L:lync-server-2013-set-up-log-shipping-secondary-database"
FAILOVER = "L:lync-server-2013-failing-over-persistent-chat-server"
FAILBACK = "L:lync-server-2013-failing-back-persistent-chat-server"
MACHINE_STATE = "SfB15:help-topics/help-topobld/persistent-chat-machines-expander.md"

PS_INSTALL_DATABASE = "PS:Install-CsDatabase"
PS_ENABLE_TOPOLOGY = "PS:Enable-CsTopology"
PS_MIRROR_DATABASE = "PS:Install-CsMirrorDatabase"
PS_CONFIGURATION = "PS:New-CsPersistentChatConfiguration"
PS_POLICY = "PS:New-CsPersistentChatPolicy"
PS_COMPLIANCE = "PS:New-CsPersistentChatComplianceConfiguration"
PS_DATABASE_FAILOVER = "PS:Invoke-CsDatabaseFailover"
PS_ACTIVE_SERVER = "PS:Set-CsPersistentChatActiveServer"
PS_STATE = "PS:Set-CsPersistentChatState"
PS_GET_STATE = "PS:Get-CsPersistentChatState"
PS_STOP_SERVICE = "PS:Stop-CsWindowsService"
PS_NEW_CATEGORY = "PS:New-CsPersistentChatCategory"
PS_SET_CATEGORY = "PS:Set-CsPersistentChatCategory"


def cite(source: str, step: str | int | None = None) -> str:
    """``[source] step N``: how a runbook line names where it comes from."""
    return f"[{source}]" + (f" step {step}" if step is not None else "")


PS_TEST_MESSAGE = "PS:Test-CsPersistentChatMessage"
PS_HEALTH = "PS:New-CsHealthMonitoringConfiguration"
PS_WINDOWS_SERVICE = _model.PS_WINDOWS_SERVICE
PS_TEST_DATABASE = "PS:Test-CsDatabase"
