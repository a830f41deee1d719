"""The end of the install on each Persistent Chat and Standard Edition server: the setup account's standing
rights removed (unless ``software.keepSetupRights``). The install host also removes them on the pool's SQL
Servers: sysadmin first, then the local Administrators group."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from ..model import Plan, PoolPlan, ServerPlan
from ..model import needs as n
from ..model.ports import SQL
from ..scripting import Value, quoting
from ..scripting.tsql import sysadmin_query
from . import setup_facts, supervisor
from .cu_databases import cu_databases_script
from .database import database_script
from .regrant import regrant_script, regrant_servers
from .runbook_scripts import RunbookScripts
from .scripts import render
from .server import server_script
from .shipping import shipping_script
from .start import start_script
from .update import update_script
from .verify_phase import verify_script

SCRIPT = "Remove-SetupRights.ps1"


def release_script(server: ServerPlan, plan: Plan, runbooks: RunbookScripts) -> str:
    """The release script of ``server``; ``runbooks``: the runbook scripts its pool's earlier phases run."""
    setup_facts.installs_lync(server)
    software = setup_facts.software(plan)
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
        "After": earlier_runs(pool, plan, runbooks),
    }
    return render(SCRIPT, settings)


def earlier_runs(pool: PoolPlan, plan: Plan, runbooks: RunbookScripts) -> str:
    """A digest of every phase script of ``pool`` that runs before the release, as the supervisor runs them as the
    setup account (whose rights each supervisor grants again): when any of them changes (a new
    ``software.updateInstaller``, a changed setting) it runs again, and so does the release, on every server of the
    pool. A new ``software.runToken`` is in the release's own run id (:func:`supervisor.run_id`)."""
    digest = hashlib.sha256()
    for script in _earlier_scripts(pool, plan, runbooks):
        digest.update(supervisor.run_id(script, None).encode())
    return digest.hexdigest()[:32]


def _earlier_scripts(pool: PoolPlan, plan: Plan, runbooks: RunbookScripts) -> Iterator[str]:
    """The scripts :class:`components.lync_install.LyncInstall` runs before the release."""
    updates = setup_facts.software(plan).update_installer is not None
    for server in pool.pool_servers:
        yield server_script(server, plan)
        if updates:
            yield update_script(server, plan)
        yield start_script(server, plan)
    yield database_script(pool, plan)
    if updates:
        yield cu_databases_script(pool, plan, runbooks)
    for sql in regrant_servers(pool, plan):
        yield regrant_script(sql, plan, runbooks)  # the rights it gives back are the release's to take
    backup = pool.mgc.backup
    if backup is not None and backup.server is not None:
        yield shipping_script(pool, runbooks)
    yield verify_script(pool, plan, runbooks)


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
