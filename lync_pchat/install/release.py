"""The end of the install on each Persistent Chat and Standard Edition server: the setup account's standing
rights removed (unless ``software.keepSetupRights``). The install host also removes them on the pool's SQL
Servers: sysadmin first, then the local Administrators group."""

from __future__ import annotations

from collections.abc import Iterator

from .. import quoting
from ..model import Plan, ServerPlan
from ..model import needs as n
from ..model.ports import SQL
from . import facts, supervisor
from .render import Value, render

SCRIPT = "Remove-SetupRights.ps1"


def release_script(server: ServerPlan, plan: Plan) -> str:
    """The release script of ``server``."""
    facts.installs_lync(server)
    software = facts.software(plan)
    pool = plan.pool(server.pool)
    account = software.setup_user
    sql = [s.fqdn for s in pool.sql_servers] if server.key == pool.install_host.key else []
    settings: dict[str, Value] = {
        "ComputerFqdn": server.fqdn,
        "State": supervisor.state_path(supervisor.RELEASE.name),
        "SetupUser": account,
        "Member": "WinNT://" + account.replace("\\", "/"),
        "SqlServers": sql,
        "SysadminQuery": sysadmin_query(account),
        "DropSysadmin": drop_sysadmin(account),
    }
    return render(SCRIPT, settings)


def sysadmin_query(account: str) -> str:
    """T-SQL: 1 when ``account`` is a sysadmin of the instance."""
    return f"SELECT IS_SRVROLEMEMBER(N'sysadmin', {quoting.tsql(account)}) AS member;"


def drop_sysadmin(account: str) -> str:
    """T-SQL removing ``account``'s login from sysadmin (its login and what it owns stay)."""
    return f"ALTER SERVER ROLE [sysadmin] DROP MEMBER {quoting.tsql_name(account)};"


def needs(server: ServerPlan, plan: Plan) -> Iterator[n.Need]:
    """The install host drops sysadmin on every SQL Server of the pool (SqlConnection, SQL) and the local
    Administrators membership (ADSI WinNT: SAMR over SMB), witnesses included."""
    pool = plan.pool(server.pool)
    if server.key != pool.install_host.key:
        return
    origin = n.Origin(supervisor.RELEASE.name, server.key, n.SETUP)
    for sql in pool.sql_servers:
        yield origin.to(sql.key, SQL, "the setup account's sysadmin dropped")
        yield from origin.smb(sql.key, "the setup account removed from Administrators (SAMR)")
