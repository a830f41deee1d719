"""What the project names on a server itself: its folder there, and the Windows services of SQL Server.

The service names are SQL Server's: ``MSSQLSERVER`` and ``SQLSERVERAGENT`` for the default instance,
``MSSQL$<instance>`` for a named one (learn.microsoft.com/sql/database-engine/configure-windows/
configure-windows-service-accounts-and-permissions, "Service names").
"""

from __future__ import annotations

HOST_FOLDER = "C:\\ProgramData\\lync-pchat"
"""The project's folder on every server: the install phases' scripts, logs and markers, and the backup task's
script, settings and state. On the OS volume, kept across restarts, readable by SYSTEM and the Administrators
only (each script that writes there locks it down first)."""
FORMER_BACKUP_FOLDER = "C:\\ProgramData\\PChat"
"""Where releases before issue 26 kept the backup task's files: the task's upload state is carried over from it
once, so that the freshness alert keeps the last upload times."""
DEFAULT_INSTANCE = "MSSQLSERVER"
"""The service of SQL Server's default instance, which connections name by the server alone."""
SQL_AGENT = "SQLSERVERAGENT"
"""The SQL Server Agent service of the default instance (it runs the log-shipping jobs)."""


def sql_service(instance: str | None = None) -> str:
    """The Windows service of SQL Server ``instance`` (``None`` or ``MSSQLSERVER``: the default instance)."""
    if instance is None or instance.upper() == DEFAULT_INSTANCE:
        return DEFAULT_INSTANCE
    return f"MSSQL${instance}"
