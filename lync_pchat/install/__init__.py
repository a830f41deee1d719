"""Unattended Lync Server 2013 installation scripts, rendered from the plan. Imports no Pulumi.

Each a PowerShell script that a scheduled task runs as ``software.setupUser``, started and awaited by a managed
Run Command that runs :func:`supervisor_script` as SYSTEM (restarts included, see :mod:`.supervisor`), in this
order:

- :func:`server_script` (A) on every Persistent Chat and Standard Edition server, after its bootstrap;
- :func:`update_script` on each of them after its A, when ``software.updateInstaller`` names an update;
- :func:`database_script` (B) once per pool on the pool's ``install_host``, after that server's A (and update);
- :func:`cu_databases_script` once per pool on its ``install_host`` after B and every server's update, when
  ``software.updateInstaller`` names an update: the ``cu-databases`` runbook's database step;
- :func:`regrant_script` as SYSTEM on each SQL Server that step reaches, before it, unless
  ``software.keepSetupRights``: the setup account's sysadmin and local Administrators, which the release took back;
- :func:`start_script` (C) on every server of phase A, after its own update and its pool's phase B (and the
  database step);
- :func:`release_script` on every server of phase A once the pool has started, unless ``software.keepSetupRights``.
- :func:`shipping_script` once per pool with a standby site, on its backup store, after the pool's install phase;
- :func:`verify_script` once per pool on its ``install_host`` after every start and the log shipping, before the
  release: the ``verify`` runbook's checks.
"""

from __future__ import annotations

from .cu_databases import cu_databases_script
from .database import database_script
from .regrant import regrant_script, regrant_servers
from .release import release_script
from .runbook_scripts import RunbookScripts, ShippingSql
from .server import server_script
from .setup_facts import RESTART_FEATURES
from .shipping import shipping_script
from .start import start_script
from .supervisor import (
    CU_DATABASES,
    DATABASES,
    INSTALL,
    PHASES,
    RELEASE,
    SHIPPING,
    START,
    UPDATE,
    VERIFY,
    Phase,
    run_id,
    supervisor_script,
)  # fmt: skip
from .update import update_script
from .verify_phase import verify_script

__all__ = [
    "CU_DATABASES", "DATABASES", "INSTALL", "PHASES", "RELEASE", "RESTART_FEATURES", "SHIPPING", "START", "UPDATE",
    "VERIFY", "Phase",
    "RunbookScripts", "ShippingSql",
    "cu_databases_script", "database_script",
    "regrant_script", "regrant_servers", "release_script", "run_id", "server_script", "shipping_script", "start_script",
    "supervisor_script", "update_script", "verify_script",
]  # fmt: skip
