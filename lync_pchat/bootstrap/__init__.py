"""What each VM runs once provisioned: the Initialize-PChatServer script and its settings.

Pure: builds the settings from the plan, renders them into the script (``{{ config }}``) as one PowerShell literal
through the one renderer (:mod:`lync_pchat.scripting`), and packs the command line a CustomScriptExtension runs.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Plan, Role, ServerPlan
from ..model.host import DEFAULT_INSTANCE, SQL_AGENT
from ..model.plan import FileShare, SqlFolders
from ..model.ports import MIRRORING, RPC, RPC_DYNAMIC, SMB, SQL, SQL_BROWSER, WITNESS, Port
from ..scripting import packing, quoting
from ..scripting.tsql import grant_sysadmin
from .scripts import TEMPLATES

SCRIPT = "Initialize-PChatServer.ps1"
MAX_COMMAND = 8191
"""cmd.exe's limit on a command line, which commandToExecute must fit."""
SQL_ACCOUNTS = (f"NT SERVICE\\{DEFAULT_INSTANCE}", f"NT SERVICE\\{SQL_AGENT}")
"""The per-service accounts of SQL Server and its Agent, which read and write the SQL folders locally."""
NETWORK_SERVICE = "NT AUTHORITY\\NETWORK SERVICE"
"""The account the Lync Server services run as (their network identity is the computer account)."""
SQL_PORTS = (
    {"name": "sql", "protocol": SQL.protocol.upper(), "port": int(SQL.number)},
    {"name": "sql-browser", "protocol": SQL_BROWSER.protocol.upper(), "port": int(SQL_BROWSER.number)},
    {"name": "mirroring", "protocol": MIRRORING.protocol.upper(), "port": int(MIRRORING.number)},
    {"name": "witness", "protocol": WITNESS.protocol.upper(), "port": int(WITNESS.number)},
)
"""SQL Server firewall exceptions, which Lync leaves to the admin on Enterprise Edition
[L:lync-server-2013-understanding-firewall-requirements-for-sql-server]; mirroring and witness endpoints
at Topology Builder's defaults [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability]."""
SMB_PORT = {"name": "smb", "protocol": SMB.protocol.upper(), "port": int(SMB.number)}
"""File sharing, on a server that hosts a share or holds database files: Install-CsDatabase and
Install-CsMirrorDatabase create the data and log folders there
[L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability]."""
MICROSOFT_UPDATE = "7971f918-a847-4430-9279-4a52d1efe18d"
"""The Microsoft Update service, which SQL Server's updates come through: Update Manager offers them only on a VM
registered for it ("Enable Microsoft updates") (operations.md 9.4, azure-update-manager-sql-vm.md)."""
MICROSOFT_UPDATE_FLAGS = 7
"""``IUpdateServiceManager2::AddService2`` flags: allow pending registration (1), allow online registration (2),
register with Automatic Updates (4) (learn.microsoft.com/windows/win32/api/wuapi/ne-wuapi-addserviceflag; not in
shared/reference)."""
FULL, MODIFY = "(OI)(CI)F", "(OI)(CI)M"
"""icacls rights: full control, or modify, inherited by subfolders and files."""


def settings(server: ServerPlan, plan: Plan) -> dict[str, Any]:
    """The script's settings for one server: volumes, features, folders, SQL configuration, shares."""
    volumes = [
        {"lun": d.lun, "letter": d.drive_letter, "label": d.label, "auKb": d.allocation_unit_kb} for d in server.disks
    ]
    pool = plan.pool(server.pool)
    shares = [s for s in pool.shares if s.host == server.key]
    installer = [plan.software.setup_user] if plan.software is not None else []
    released = plan.software is not None and not plan.software.keep_setup_rights
    sql = (
        _sql(server.sql_folders, server, hosts_shares=bool(shares), mirrored=_mirrored(server, plan),
             sysadmins=installer, released=released)
        if server.sql_folders
        else None
    )  # fmt: skip
    return {
        "volumes": volumes,
        "features": list(server.windows_features),
        "administrators": installer,
        "folders": _folders(server, plan),
        "sql": sql,
        "shares": [_share(s, sql=s is not pool.compliance_share) for s in shares],
    }


def _folders(server: ServerPlan, plan: Plan) -> list[dict[str, Any]]:
    """SQL Server's folders, granted to its service; a Standard Edition server's local compliance folder,
    granted to the Lync services."""
    folders = server.sql_folders
    if folders is not None:
        paths = (folders.data, folders.log, folders.temp_db, folders.backup)
        return [{"path": p, "grant": [f"{a}:{FULL}" for a in SQL_ACCOUNTS]} for p in dict.fromkeys(paths)]
    output = plan.pool(server.pool).compliance_output
    if server.role is Role.STANDARD_EDITION and output is not None and not output.startswith("\\\\"):
        return [{"path": output, "grant": [f"{NETWORK_SERVICE}:{MODIFY}"]}]
    return []


def host_firewall(server: ServerPlan, plan: Plan) -> frozenset[Port] | None:
    """What the bootstrap opens in a SQL Server VM's Windows Firewall (its ``ports``, and WMI with ``wmi``); None on a
    Persistent Chat or Standard Edition server, whose rules Lync Server setup creates."""
    sql = settings(server, plan)["sql"]
    if sql is None:
        return None
    opened = {Port(p["protocol"].title(), str(p["port"])) for p in sql["ports"]}
    return frozenset(opened | ({RPC, RPC_DYNAMIC} if sql["wmi"] else set()))


def _mirrored(server: ServerPlan, plan: Plan) -> bool:
    """Whether the server is the principal, mirror or witness of a mirrored store (in either data center)."""
    for store in plan.pool(server.pool).stores:
        pairs = (
            (store.primary, store.mirror, store.witness),
            (store.backup, store.backup_mirror, store.backup_witness),
        )
        for principal, mirror, witness in pairs:
            partners = {i.server for i in (principal, mirror, witness) if i is not None}
            if mirror is not None and server.key in partners:
                return True
    return False


def _sql(
    folders: SqlFolders, server: ServerPlan, *, hosts_shares: bool, mirrored: bool, sysadmins: list[str],
    released: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """SQL Server's configuration; the WMI rules for Install-CsMirrorDatabase, which reads the service
    accounts of principal, mirror and witness through WMI
    [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability], on a witness where
    it is mirrored and on every SQL Server that holds database files (a database install reads them too);
    SMB where a share lives or database files do, and where the install's release removes the setup account from
    the Administrators over SAMR (``released``: a witness too). The service restarts only while tempdb's move is pending
    (the first run), never on a serving store."""
    holds_files = not server.role.is_witness
    ports = list(SQL_PORTS) + ([SMB_PORT] if hosts_shares or holds_files or released else [])
    return {
        "service": DEFAULT_INSTANCE,
        "agent": None if server.role.is_witness else SQL_AGENT,
        "query": sql_configuration(folders, sysadmins),
        "pending": TEMPDB_MOVE_PENDING,
        "ports": ports,
        "wmi": mirrored or holds_files,
        # Only dedicated SQL Servers have SQL settings here: a Lync or Skype for Business server stays on Windows
        # Update, so its cumulative updates never come through a patch window (the update waves install them).
        "microsoftUpdate": MICROSOFT_UPDATE,
        "microsoftUpdateFlags": MICROSOFT_UPDATE_FLAGS,
    }


TEMPDB_MOVE_PENDING = (
    "SET NOCOUNT ON; SELECT COUNT(*) FROM sys.master_files AS m JOIN tempdb.sys.database_files AS f "
    "ON m.file_id = f.file_id WHERE m.database_id = 2 AND m.physical_name <> f.physical_name;"
)
"""How many tempdb files wait for a restart to move: sys.master_files holds the path ALTER DATABASE set,
tempdb's own sys.database_files the one in use."""


def sql_configuration(folders: SqlFolders, sysadmins: list[str] | None = None) -> str:
    """T-SQL that makes the SQL folders SQL Server's defaults and moves tempdb to its volume (effective
    at the service restart that follows); and makes each of ``sysadmins`` (the install phase's setup
    account) a sysadmin, which Install-CsDatabase needs [L:deployment-permissions-for-sql-server]."""
    key = quoting.tsql("Software\\Microsoft\\MSSQLServer\\MSSQLServer")
    defaults = (("DefaultData", folders.data), ("DefaultLog", folders.log), ("BackupDirectory", folders.backup))
    statements = [
        f"EXEC xp_instance_regwrite N'HKEY_LOCAL_MACHINE', {key}, {quoting.tsql(name)}, REG_SZ, {quoting.tsql(path)};"
        for name, path in defaults
    ]
    files = (("tempdev", folders.temp_db + "\\tempdb.mdf"), ("templog", folders.temp_db + "\\templog.ldf"))
    statements += [
        f"ALTER DATABASE tempdb MODIFY FILE (NAME = {name}, FILENAME = {quoting.tsql(path)});" for name, path in files
    ]
    statements += [grant_sysadmin(account) for account in sysadmins or []]
    return " ".join(statements)


def _share(share: FileShare, *, sql: bool) -> dict[str, Any]:
    """A share: the computer accounts that use it over the network (share change, NTFS modify), and for
    the SQL shares the local SQL Server and Agent, which back up to and restore from it by its path."""
    local = [f"{a}:{FULL}" for a in SQL_ACCOUNTS] if sql else []
    return {"name": share.name, "path": share.path, "computers": list(share.computers), "local": local}


def config(data: dict[str, Any]) -> str:
    """``data`` as JSON in one PowerShell string literal, which the script reads with ``ConvertFrom-Json``."""
    return quoting.powershell(json.dumps(data, separators=(",", ":"), sort_keys=True))


def script(server: ServerPlan, plan: Plan) -> str:
    """The PowerShell script with this server's settings embedded."""
    return TEMPLATES.fill(SCRIPT, config=config(settings(server, plan)))


def command(server: ServerPlan, plan: Plan) -> str:
    """The CustomScriptExtension ``commandToExecute``: the launcher as one double-quoted ``-Command``.

    The launcher holds only base64 text inside single quotes, so neither cmd.exe nor PowerShell reads
    anything in it but the script it unpacks."""
    stub = packing.launcher(script(server, plan))
    if '"' in stub or "%" in stub:
        raise ValueError("the launcher must not hold double quotes or percent signs")
    line = f'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "{stub}"'
    if len(line) > MAX_COMMAND:
        raise ValueError(f"the bootstrap command of {server.key} is {len(line)} characters, over {MAX_COMMAND}")
    return line
