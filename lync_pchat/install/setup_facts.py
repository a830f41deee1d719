"""What the install scripts take from the documentation and the plan: media items, certificate types, the
roles a server runs, and where the media goes on the server."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Plan, PoolPlan, Role, ServerPlan
from ..model.host import sql_service
from ..model.plan import Software

RESTART_FEATURES = frozenset({"Desktop-Experience"})
"""Windows features whose installation needs a restart before setup: "if Windows Desktop Experience needed to
be installed" setup asks for a restart, then Step 2 runs again [L:lync-server-2013-install-lync-server-server-
components]. Of the features the bootstrap installs, only the Front End line of a Standard Edition server holds
it; the others (.NET 4.5, WCF activation, Windows Identity Foundation, Message Queuing, IIS) need none."""

MEDIA_FOLDER = "LyncServer2013"
LOG_FOLDER = "LyncServer2013Logs"
"""Folders on the server's data volume (NTFS, formatted by the bootstrap) for the media copy and setup logs."""


@dataclass(frozen=True)
class Package:
    """A core component on the media [lync-install.md 1.3]: an MSI (installed when its ProductCode is), or an
    executable found by the display name it registers."""

    name: str
    path: str
    """Relative to the media root (the ISO root)."""
    display_name: str | None = None


CORE_PACKAGES = (
    Package("VC++ 2012 redistributable (x64)", "Setup\\amd64\\vcredist_x64.exe", "Microsoft Visual C++ 2012*x64*"),
    Package("System CLR Types for SQL Server 2012", "Setup\\amd64\\SQLSysClrTypes.msi"),
    Package("SQL Server 2012 Shared Management Objects", "Setup\\amd64\\SharedManagementObjects.msi"),
    Package("Lync Server 2013 core components", "Setup\\amd64\\Setup\\OCSCore.msi"),
    Package("Lync Server 2013 administrative tools", "Setup\\amd64\\Setup\\AdminTools.msi"),
)
"""The silent core install before Bootstrapper [QS-AWS], the same names on the SfB 2015 media
[QS-AZ:scripts/SfB-Install.ps1]: the VC++ 2012 redistributable first, as Setup.exe asks for it first
[L:lync-server-2013-install-the-local-configuration-store] step 2; CLR Types and SMO, which Install-CsDatabase
needs [L:lync-server-2013-database-installation-using-lync-server-management-shell]; OCSCore.msi (Bootstrapper,
the Lync module); AdminTools.msi (Topology Builder and the shell the database phase uses)."""

PCHAT_CERTIFICATES = ("Default",)
STANDARD_EDITION_CERTIFICATES = ("Default", "WebServicesInternal", "WebServicesExternal")
"""Certificate types per server. A Standard Edition server needs Default, Web internal and Web external
[L:lync-server-2013-certificate-requirements-for-internal-servers], requested as one certificate as in
[PS:Request-CsCertificate] example 4. A Persistent Chat server needs "a certificate issued by the same CA as the
Lync Server internal servers" [L:lync-server-2013-certificate-requirements-for-persistent-chat-server], whose type
no page names (UNCONFIRMED): every internal role in the certificate table has a Default certificate, and
Request-CsCertificate derives its subject and SAN from the topology, so Default (DERIVED)."""

PCHAT_ROLES = ("PersistentChatServer",)
STANDARD_EDITION_ROLES = ("Registrar", "PersistentChatServer")
"""Role names of the services setup installs, as ``Get-CsWindowsService`` reports them in RoleName: the service
roles of the topology (``Get-CsService -PersistentChatServer``, ``-Registrar``), as its example 9 matches
``ApplicationServer`` [PS:Get-CsWindowsService] (DERIVED). A name that does not match makes setup run again,
which Step 2 allows [L:lync-server-2013-install-lync-server-server-components]."""


def software(plan: Plan) -> Software:
    """The install settings; ValueError when ``software.install`` is off."""
    if plan.software is None:
        raise ValueError("software.install is off: there is nothing to install")
    return plan.software


def update_installer(plan: Plan) -> str | None:
    """``software.updateInstaller`` as a path under the media copy (backslashes); None when not set."""
    installer = software(plan).update_installer
    return installer.replace("/", "\\") if installer is not None else None


def data_drive(server: ServerPlan) -> str:
    """The drive letter of the server's data volume."""
    for disk in server.disks:
        if disk.name == "data":
            return disk.drive_letter
    raise ValueError(f"{server.key} has no data volume")


def media_folder(server: ServerPlan) -> str:
    return f"{data_drive(server)}:\\{MEDIA_FOLDER}"


def log_folder(server: ServerPlan) -> str:
    return f"{data_drive(server)}:\\{LOG_FOLDER}"


def installs_lync(server: ServerPlan) -> ServerPlan:
    """``server`` when it runs Lync Server (a Persistent Chat or Standard Edition server); ValueError otherwise."""
    if server.role.is_sql:
        raise ValueError(f"{server.key} is a SQL Server ({server.role}): Lync Server is not installed on it")
    return server


def is_standard_edition(server: ServerPlan) -> bool:
    return server.role is Role.STANDARD_EDITION


def express_service(pool: PoolPlan) -> str:
    """The Windows service of a Standard Edition pool's SQL Server Express instance (RTC by default)."""
    instance = pool.mgc.primary.instance
    assert instance is not None, "a Standard Edition store is a named SQL Express instance"
    return sql_service(instance)
