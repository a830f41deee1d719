"""Unattended Lync Server 2013 installation scripts, rendered from the plan. Imports no Pulumi.

Each a PowerShell script a managed Run Command runs as ``software.setupUser``, in this order:

- :func:`server_script` (A) on every Persistent Chat and Standard Edition server, after its bootstrap;
- :func:`update_script` on each of them after its A, when ``software.updateInstaller`` names an update;
- :func:`database_script` (B) once per pool on the pool's ``install_host``, after that server's A (and update);
- :func:`start_script` (C) on every server of phase A, after its own update and its pool's phase B;
- :func:`shipping_script` once per pool with a standby site, on its backup store, after the pool's install phase.
"""

from __future__ import annotations

from .database import database_script
from .facts import RESTART_FEATURES
from .server import server_script
from .shipping import shipping_script
from .start import start_script
from .update import update_script

__all__ = ["RESTART_FEATURES", "database_script", "server_script", "shipping_script", "start_script", "update_script"]
