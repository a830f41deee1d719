"""What each server of a pool gets: size, image, data volumes, Windows features, SQL folders."""

from __future__ import annotations

from .catalog import DOCUMENTED_SPEC, EVALUATION_SPEC, WITNESS_SPEC, WITNESS_SQL_SKU, Image, smallest_meeting
from .config import Hardware, ImagesConfig, PoolConfig
from .plan import DiskPlan, SqlFolders
from .products import Product, facts
from .roles import Role

PCHAT_FEATURES = (
    "NET-Framework-45-Core",
    "NET-WCF-HTTP-Activation45",
    "Windows-Identity-Foundation",
    "MSMQ-Server",
)
""".NET Framework 4.5 with WCF HTTP activation and Windows Identity Foundation on every internal server, and
Message Queuing on every Persistent Chat Front End Server, which the Persistent Chat and compliance services
use [L:lync-server-2013-additional-software-requirements]. The documentation names no feature ids; these are
Windows Server 2012 R2's."""
FRONT_END_FEATURES = (
    "NET-Framework-Core",
    "RSAT-ADDS",
    "Web-Server",
    "Web-Static-Content",
    "Web-Default-Doc",
    "Web-Http-Errors",
    "Web-Asp-Net",
    "Web-Net-Ext",
    "Web-ISAPI-Ext",
    "Web-ISAPI-Filter",
    "Web-Http-Logging",
    "Web-Log-Libraries",
    "Web-Request-Monitor",
    "Web-Http-Tracing",
    "Web-Basic-Auth",
    "Web-Windows-Auth",
    "Web-Client-Auth",
    "Web-Filtering",
    "Web-Stat-Compression",
    "Web-Dyn-Compression",
    "Web-Asp-Net45",
    "Web-Mgmt-Tools",
    "Web-Scripting-Tools",
    "Web-Mgmt-Compat",
    "Desktop-Experience",
    "Telnet-Client",
    "BITS",
)
"""What a Standard Edition server, a Front End, needs besides: .NET 3.5 (``NET-Framework-Core``) and the
Add-WindowsFeature line for Windows Server 2012 [L:lync-server-2013-additional-software-requirements]."""
SKYPE_FRONT_END_FEATURES = (
    "NET-Framework-Core",
    "RSAT-ADDS",
    "Windows-Identity-Foundation",
    "Web-Server",
    "Web-Static-Content",
    "Web-Default-Doc",
    "Web-Http-Errors",
    "Web-Dir-Browsing",
    "Web-Asp-Net",
    "Web-Net-Ext",
    "Web-ISAPI-Ext",
    "Web-ISAPI-Filter",
    "Web-Http-Logging",
    "Web-Log-Libraries",
    "Web-Request-Monitor",
    "Web-Http-Tracing",
    "Web-Basic-Auth",
    "Web-Windows-Auth",
    "Web-Client-Auth",
    "Web-Filtering",
    "Web-Stat-Compression",
    "Web-Dyn-Compression",
    "NET-WCF-HTTP-Activation45",
    "Web-Asp-Net45",
    "Web-Mgmt-Tools",
    "Web-Scripting-Tools",
    "Web-Mgmt-Compat",
    "Server-Media-Foundation",
    "BITS",
    "Desktop-Experience",
    "Telnet-Client",
)
"""The Skype for Business Server 2015 Front End (Standard Edition) feature line
[SfB15:plan-your-deployment/requirements-for-your-environment/server-requirements.md] (skype2015.md 4.2)."""
DESKTOP_EXPERIENCE_BUILT_IN = frozenset({"2016", "2019"})
"""Windows Server versions without a ``Desktop-Experience`` feature: from 2016 on it is the installation option
(the full server, which the products need) rather than a feature (inference; skype2015.md 4.2 leaves the ids on
2016/2019 open)."""
BACKUP_FOLDER = "Backup"
"""SQL Server's default backup folder on the backup volume; the log-shipping and mirroring shares are in it."""


def vm_size(role: Role, pool: PoolConfig) -> str:
    if role.is_witness:
        return pool.high_availability.witness_vm_size or smallest_meeting(WITNESS_SPEC).name
    chosen = pool.store.vm_size if role.is_sql else pool.vm_size
    spec = DOCUMENTED_SPEC if pool.hardware is Hardware.DOCUMENTED else EVALUATION_SPEC
    return chosen or smallest_meeting(spec).name


def image(role: Role, pool: PoolConfig, images: ImagesConfig, product: Product) -> Image:
    """The stack's Windows image for pool servers; its SQL image, with the store's edition, for SQL VMs. An
    omitted sku (Windows) or offer (SQL) is the product's default."""
    if not role.is_sql:
        return windows_image(images, product)
    sku = WITNESS_SQL_SKU if role.is_witness else pool.store.sql_edition.value
    return Image(images.sql.publisher, sql_offer(images, product), sku, images.sql.version)


def windows_image(images: ImagesConfig, product: Product) -> Image:
    windows = images.windows
    return Image(windows.publisher, windows.offer, windows.sku or facts(product).windows_sku, windows.version)


def sql_offer(images: ImagesConfig, product: Product) -> str:
    return images.sql.offer or facts(product).sql_offer


def disks(role: Role, pool: PoolConfig) -> tuple[DiskPlan, ...]:
    if role in (Role.ACTIVE, Role.STANDBY):
        return (DiskPlan("data", 0, pool.data_disk.size_gb, "F", "PChatData", 4),)
    if role is Role.STANDARD_EDITION:
        return (DiskPlan("data", 0, pool.data_disk.size_gb, "F", "LyncData", 64),)
    if role.is_witness:
        return (DiskPlan("data", 0, 128, "F", "SQLData", 64), DiskPlan("log", 1, 128, "G", "SQLLog", 64))
    store = pool.store
    return (
        DiskPlan("data", 0, store.data_disk_gb, "F", "SQLData", 64),
        DiskPlan("log", 1, store.log_disk_gb, "G", "SQLLog", 64),
        DiskPlan("tempdb", 2, store.temp_db_disk_gb, "H", "SQLTempDB", 64),
        DiskPlan("backup", 3, store.backup_disk_gb, "I", "SQLBackup", 64),
    )


def features(role: Role, product: Product, windows: str | None) -> tuple[str, ...]:
    """The Windows features of a server of ``product`` on Windows Server ``windows`` (None: not known)."""
    if role.is_sql:
        return ()
    if role is not Role.STANDARD_EDITION:
        return PCHAT_FEATURES
    if product is Product.LYNC2013:
        return FRONT_END_FEATURES + PCHAT_FEATURES
    line: tuple[str, ...] = SKYPE_FRONT_END_FEATURES
    if windows in DESKTOP_EXPERIENCE_BUILT_IN:
        line = tuple(f for f in line if f != "Desktop-Experience")
    return line + tuple(f for f in PCHAT_FEATURES if f not in line)


def sql_folders(volumes: tuple[DiskPlan, ...]) -> SqlFolders:
    """Data, log, tempdb and backups each on its own volume; a witness, with two volumes, keeps tempdb
    and backups beside its data."""
    letters = {d.name: d.drive_letter for d in volumes}
    return SqlFolders(
        data=f"{letters['data']}:\\Data",
        log=f"{letters['log']}:\\Log",
        temp_db=f"{letters.get('tempdb', letters['data'])}:\\TempDB",
        backup=f"{letters.get('backup', letters['data'])}:\\{BACKUP_FOLDER}",
    )
