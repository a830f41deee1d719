"""The setup account's rights granted again on the pool's SQL Servers before a cumulative update's database step.

The bootstrap makes the setup account a local administrator and a sysadmin of each SQL Server this project builds
(:func:`lync_pchat.scripting.tsql.grant_sysadmin`), and ``pchat-release`` takes both back. A later update installer
runs ``pchat-cu-databases`` again, whose ``Install-CsDatabase -Update`` needs sysadmin (and WMI: local Administrators)
on the SQL Server [L:lync-server-2013-deployment-permissions-for-sql-server]: so, unless ``software.keepSetupRights``,
a Run Command on each SQL Server that step reaches grants both again, as SYSTEM on that server (as the bootstrap
does), keyed on that step's run (a new installer, a new ``runToken``); the release, after the step, drops them.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..model import Plan, PoolPlan, ServerPlan
from ..model import needs as n
from ..model.instances import update_needs
from ..model.ports import HTTPS
from ..scripting import Value
from ..scripting.tsql import grant_sysadmin, sysadmin_query
from . import setup_facts, supervisor
from .cu_databases import cu_databases_script
from .runbook_scripts import RunbookScripts
from .scripts import render

SCRIPT = "Grant-SetupRights.ps1"
COMMAND = "pchat-cu-grant"
"""The Run Command on each SQL Server the database step reaches."""
TIMEOUT = 30 * 60
"""Seconds the grant may run: two local changes (the Administrators group, a T-SQL batch)."""
RIGHTS = (n.SYSADMIN, n.LOCAL_ADMIN)
"""What the grant gives: sysadmin + local Administrators on the SQL Server [L:deployment-permissions-for-sql-server]."""


def regrant_servers(pool: PoolPlan, plan: Plan) -> list[ServerPlan]:
    """The SQL Servers of ``pool`` this project builds on which the database step of a cumulative update takes the
    setup account's standing rights (both partners of each mirrored store: its principal now may be either; not a
    witness, a log-shipped backup store or a customer's Back End); none without ``software.updateInstaller`` or
    with ``software.keepSetupRights`` (nothing took the rights back)."""
    software = setup_facts.software(plan)
    if software.update_installer is None or software.keep_setup_rights:
        return []
    origin = n.Origin(supervisor.CU_DATABASES.name, pool.install_host.key, n.SETUP, n.CU_WAVE)
    reached = {x.target for x in update_needs(pool, origin) if set(n.rights(x)) & set(RIGHTS)}
    return [s for s in pool.sql_servers if s.key in reached]


def regrant_script(server: ServerPlan, plan: Plan, runbooks: RunbookScripts) -> str:
    """The grant script of the SQL Server ``server``: it changes with every run of its pool's database step (whose
    script holds the pool's ``runbooks``)."""
    pool = plan.pool(server.pool)
    if server.key not in {s.key for s in regrant_servers(pool, plan)}:
        raise ValueError(f"{server.key} takes no grant before the database step of a cumulative update")
    software = setup_facts.software(plan)
    account = software.setup_user
    step = supervisor.run_id(cu_databases_script(pool, plan, runbooks), software.run_token)
    settings: dict[str, Value] = {
        "ComputerFqdn": server.fqdn,
        "SetupUser": account,
        "Member": "WinNT://" + account.replace("\\", "/"),
        "Grant": grant_sysadmin(account),
        "SysadminQuery": sysadmin_query(account),
        "UpdateInstaller": setup_facts.update_installer(plan),
        "Before": f"{supervisor.CU_DATABASES.name} {step}",
        # The shared helpers' settings: no phase marker (no supervisor waits for one), no Lync Server here.
        "State": None,
        "Product": None,
    }
    return render(SCRIPT, settings)


def grants(pool: PoolPlan, plan: Plan) -> Iterator[n.Grant]:
    """What the grant gives, on each of :func:`regrant_servers`, before the database step, in a cumulative-update
    wave (where that step's needs are)."""
    for server in regrant_servers(pool, plan):
        yield n.Grant(COMMAND, server.key, n.SYSTEM, RIGHTS, supervisor.CU_DATABASES.name, n.CU_WAVE)


def needs(pool: PoolPlan, plan: Plan) -> Iterator[n.Need]:
    """The grant itself reaches nothing remote (its own Administrators group and SQL Server); its Run Command writes
    its output and error to the pool's log container with the VM's identity (Blob Storage, HTTPS)."""
    host = urlsplit(setup_facts.software(plan).media_uri).netloc
    for server in regrant_servers(pool, plan):
        origin = n.Origin(COMMAND, server.key, n.SYSTEM, n.CU_WAVE)
        yield origin.to(host, HTTPS, "the grant's output and error logs (the Run Command, the VM's identity)")
