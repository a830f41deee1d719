"""What each VM runs once provisioned: the Initialize-PChatServer script and its settings.

Pure: builds the settings from the plan and the command line a CustomScriptExtension runs.
"""

from __future__ import annotations

import base64
import gzip
import json
from importlib import resources
from typing import Any

from .model import Plan, ServerPlan
from .model.planner import BACKUP_FOLDER

SCRIPT = "Initialize-PChatServer.ps1"
MAX_COMMAND = 8191
"""cmd.exe's limit on a command line, which commandToExecute must fit."""
SQL_PORTS = (
    {"name": "sql", "protocol": "TCP", "port": 1433},
    {"name": "sql-browser", "protocol": "UDP", "port": 1434},
    {"name": "mirroring", "protocol": "TCP", "port": 5022},
    {"name": "witness", "protocol": "TCP", "port": 7022},
)
"""SQL Server firewall exceptions, which Lync leaves to the admin on Enterprise Edition
[L:lync-server-2013-understanding-firewall-requirements-for-sql-server]."""


def settings(server: ServerPlan, plan: Plan) -> dict[str, Any]:
    """The script's settings for one server: volumes, features and SQL paths."""
    volumes = [
        {"lun": d.lun, "letter": d.drive_letter, "label": d.label, "auKb": d.allocation_unit_kb} for d in server.disks
    ]
    result: dict[str, Any] = {"volumes": volumes, "features": list(server.windows_features), "sql": None}
    if server.role.is_sql:
        result["sql"] = _sql(server, plan)
    return result


def _sql(server: ServerPlan, plan: Plan) -> dict[str, Any]:
    """SQL paths, firewall exceptions, and the file shares the plan puts on this server."""
    letters = {d.name: d.drive_letter for d in server.disks}
    backup = f"{letters.get('backup', letters['data'])}:\\{BACKUP_FOLDER}"
    shares = [{"name": s.name, "path": s.path} for s in plan.pool(server.pool).shares if s.host == server.key]
    return {
        "service": "MSSQLSERVER",
        "data": f"{letters['data']}:\\Data",
        "log": f"{letters['log']}:\\Log",
        "tempDb": f"{letters.get('tempdb', letters['data'])}:\\TempDB",
        "backup": backup,
        "ports": list(SQL_PORTS),
        "shares": shares,
    }


def script(server: ServerPlan, plan: Plan) -> str:
    """The PowerShell script with this server's settings embedded."""
    template = resources.files("lync_pchat.scripts").joinpath(SCRIPT).read_text(encoding="utf-8")
    config = json.dumps(settings(server, plan), separators=(",", ":")).replace("'", "''")
    return template.replace("__CONFIG__", config)


def launcher(script_text: str) -> str:
    """A one-line PowerShell stub that unpacks the gzip-compressed script and runs it."""
    packed = base64.b64encode(gzip.compress(script_text.encode("utf-8"), mtime=0)).decode("ascii")
    return (
        "$b=[Convert]::FromBase64String('" + packed + "');"
        "$z=New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,$b)),"
        "[IO.Compression.CompressionMode]::Decompress);"
        "$t=(New-Object IO.StreamReader($z,[Text.Encoding]::UTF8)).ReadToEnd();"
        "& ([scriptblock]::Create($t))"
    )


def command(server: ServerPlan, plan: Plan) -> str:
    """The CustomScriptExtension ``commandToExecute``: the launcher, UTF-16LE base64 encoded."""
    stub = launcher(script(server, plan))
    encoded = base64.b64encode(stub.encode("utf-16-le")).decode("ascii")
    line = f"powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand {encoded}"
    if len(line) > MAX_COMMAND:
        raise ValueError(f"the bootstrap command of {server.key} is {len(line)} characters, over {MAX_COMMAND}")
    return line
