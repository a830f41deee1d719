"""The database step of a cumulative update, once per pool on its install host after every server's update: the
pool's ``cu-databases`` runbook itself (one definition of the procedure, handed over in :class:`RunbookScripts`), run
as the setup account, whose failure fails the deployment. Only with ``software.updateInstaller``; keyed on it, so
that a new update runs it again. Its connections are the runbook's (:func:`lync_pchat.runbooks.cu_databases.needs`
from the install host, see :mod:`lync_pchat.needs`)."""

from __future__ import annotations

from ..model import Plan, PoolPlan
from ..model.host import HOST_FOLDER
from ..scripting import Value
from . import setup_facts, supervisor
from .runbook_scripts import RunbookScripts
from .scripts import render

SCRIPT = "Update-PoolDatabases.ps1"


def cu_databases_script(pool: PoolPlan, plan: Plan, runbooks: RunbookScripts) -> str:
    """The ``pchat-cu-databases`` script of ``pool``: the runbook ``cu-databases-<pool>.ps1`` (``runbooks``) as
    data, written to the state folder and run; ``software.updateInstaller`` must be set (the update the databases
    follow)."""
    installer = setup_facts.update_installer(plan)
    if installer is None or runbooks.cu_databases is None:
        raise ValueError("software.updateInstaller is not set: there is no update for the databases to follow")
    name, runbook = runbooks.cu_databases
    settings: dict[str, Value] = {
        "PoolFqdn": pool.fqdn,
        "UpdateInstaller": installer,
        "State": supervisor.state_path(supervisor.CU_DATABASES.name),
        "RunbookPath": f"{HOST_FOLDER}\\{name}",
        "Runbook": runbook,
    }
    return render(SCRIPT, settings)
