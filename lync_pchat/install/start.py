"""Phase C on each server of phase A, after its pool's databases: the cumulative update, then the services."""

from __future__ import annotations

from ..model import Plan, ServerPlan
from . import facts
from .render import Value, render

SCRIPT = "Start-LyncServer.ps1"
UPDATE_KEY = "HKLM:\\SOFTWARE\\lync-pchat"
UPDATE_VALUE = "UpdateInstaller"
"""Where the script records the cumulative update it installed, so that only a new installer runs again."""


def start_script(server: ServerPlan, plan: Plan) -> str:
    """The phase C script of ``server``."""
    facts.installs_lync(server)
    software = facts.software(plan)
    settings: dict[str, Value] = {
        "ComputerFqdn": server.fqdn,
        "MediaFolder": facts.media_folder(server),
        "UpdateInstaller": software.update_installer,
        "UpdateKey": UPDATE_KEY,
        "UpdateValue": UPDATE_VALUE,
        "UpdateLocalDatabases": facts.is_standard_edition(server),
    }
    return render(SCRIPT, settings)
