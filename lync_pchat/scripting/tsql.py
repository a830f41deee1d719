"""T-SQL the producers share, each value a literal of :mod:`.quoting`: which store databases exist, are
ONLINE or mirrored, and the mark that suspends the backup task's log backups while log shipping is armed."""

from __future__ import annotations

from ..model.backup import SUSPENDED
from . import quoting


def existing_query(databases: list[str]) -> str:
    """T-SQL listing which of ``databases`` exist on the instance."""
    return f"SELECT name FROM sys.databases WHERE name IN ({_names(databases)});"


def mirroring_query(databases: list[str]) -> str:
    """T-SQL giving each of ``databases`` with its mirroring state (NULL when it is not mirrored)."""
    return (
        "SELECT d.name AS name, m.mirroring_state_desc AS state FROM sys.databases AS d "
        f"JOIN sys.database_mirroring AS m ON m.database_id = d.database_id WHERE d.name IN ({_names(databases)});"
    )


def online_query(databases: list[str]) -> str:
    """T-SQL giving each of ``databases`` that is ONLINE (a working database, not a mirror's RESTORING copy)."""
    return f"SELECT name FROM sys.databases WHERE state_desc = N'ONLINE' AND name IN ({_names(databases)});"


def _names(databases: list[str]) -> str:
    return ", ".join(quoting.tsql(d) for d in databases)


def suspend_query(database: str) -> str:
    """T-SQL on a store's principal: mark it :data:`SUSPENDED` (no log backup by the task), if not yet."""
    name, db = quoting.tsql(SUSPENDED), quoting.tsql_name(database)
    return (
        f"IF NOT EXISTS (SELECT 1 FROM {db}.sys.extended_properties WHERE class = 0 AND name = {name}) "
        f"EXEC {db}.sys.sp_addextendedproperty @name = {name}, @value = N'log shipping being armed';"
    )


def resume_query(database: str) -> str:
    """T-SQL on a store's principal: remove the :data:`SUSPENDED` mark, if any."""
    name, db = quoting.tsql(SUSPENDED), quoting.tsql_name(database)
    return (
        f"IF EXISTS (SELECT 1 FROM {db}.sys.extended_properties WHERE class = 0 AND name = {name}) "
        f"EXEC {db}.sys.sp_dropextendedproperty @name = {name};"
    )


def grant_sysadmin(account: str) -> str:
    """T-SQL making the Windows account ``account`` a sysadmin: its login created when it has none, then added to
    the role [L:deployment-permissions-for-sql-server] (the one definition: the bootstrap and the grant before a
    cumulative update's database step, :mod:`lync_pchat.install.regrant`, both run it)."""
    login, name = quoting.tsql(account), quoting.tsql_name(account)
    create = f"IF SUSER_ID({login}) IS NULL CREATE LOGIN {name} FROM WINDOWS;"
    return f"{create} ALTER SERVER ROLE [sysadmin] ADD MEMBER {name};"


def sysadmin_query(account: str) -> str:
    """T-SQL: 1 when ``account`` is a sysadmin of the instance (how the grant and the release read it back)."""
    return f"SELECT IS_SRVROLEMEMBER(N'sysadmin', {quoting.tsql(account)}) AS member;"
