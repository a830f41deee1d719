"""Unattended Lync Server 2013 installation scripts, rendered from the plan. Imports no Pulumi.

Three phases, each a PowerShell script a managed Run Command runs as ``software.setupUser``:

- :func:`server_script` (A) on every Persistent Chat and Standard Edition server, after its bootstrap;
- :func:`database_script` (B) once per pool on :func:`install_host`, after that server's phase A;
- :func:`start_script` (C) on every server of phase A, after its pool's phase B.
"""

from __future__ import annotations

from .database import database_script, install_host
from .facts import RESTART_FEATURES
from .server import server_script
from .start import start_script

__all__ = ["RESTART_FEATURES", "database_script", "install_host", "server_script", "start_script"]
