"""The cumulative update on each server of phase A, in a Run Command of its own: after phase A, before the
pool's databases and the start."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..model import Plan, ServerPlan
from ..model import needs as n
from ..model.ports import HTTPS
from ..scripting import Value
from . import product, setup_facts, supervisor
from .scripts import render
from .server import media_location

SCRIPT = "Update-LyncServer.ps1"
UPDATE_KEY = "HKLM:\\SOFTWARE\\lync-pchat"
UPDATE_VALUE = "UpdateInstaller"
"""Where the script records the update it installed, so that only a new installer path runs again."""


def update_script(server: ServerPlan, plan: Plan) -> str:
    """The update script of ``server``; ``software.updateInstaller`` must be set."""
    setup_facts.installs_lync(server)
    software = setup_facts.software(plan)
    installer = setup_facts.update_installer(plan)
    if installer is None:
        raise ValueError("software.updateInstaller is not set: there is no update to install")
    container_url, prefix = media_location(software.media_uri)
    settings: dict[str, Value] = {
        "ComputerFqdn": server.fqdn,
        "Product": product.settings(plan),
        "State": supervisor.state_path(supervisor.UPDATE.name),
        "MediaContainerUrl": container_url,
        "MediaPrefix": prefix,
        "MediaFolder": setup_facts.media_folder(server),
        "UpdateInstaller": installer,
        "UpdateKey": UPDATE_KEY,
        "UpdateValue": UPDATE_VALUE,
        "LocalDatabasesService": setup_facts.express_service(plan.pool(server.pool))
        if setup_facts.is_standard_edition(server)
        else None,
    }
    return render(SCRIPT, settings)


def needs(server: ServerPlan, plan: Plan) -> Iterator[n.Need]:
    """The update of a cumulative-update wave: its installer from the media container (Blob Storage, HTTPS)."""
    software = setup_facts.software(plan)
    if software.update_installer is not None:
        origin = n.Origin(supervisor.UPDATE.name, server.key, n.SETUP, n.CU_WAVE)
        yield origin.to(urlsplit(software.media_uri).netloc, HTTPS, "the cumulative update's installer")
