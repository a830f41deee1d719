"""Phase C on each server of phase A, after its pool's databases: the services."""

from __future__ import annotations

from ..model import Plan, ServerPlan
from ..scripting import Value
from . import product, setup_facts, supervisor
from .scripts import render

SCRIPT = "Start-LyncServer.ps1"


def start_script(server: ServerPlan, plan: Plan) -> str:
    """The phase C script of ``server``."""
    setup_facts.installs_lync(server)
    setup_facts.software(plan)
    settings: dict[str, Value] = {
        "ComputerFqdn": server.fqdn,
        "Product": product.settings(plan),
        "State": supervisor.state_path(supervisor.START.name),
    }
    return render(SCRIPT, settings)
