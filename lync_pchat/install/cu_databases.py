"""The database step of a cumulative update, once per pool on its install host after every server's update: the
pool's ``cu-databases`` runbook itself (one definition of the procedure), run as the setup account, whose failure
fails the deployment. Only with ``software.updateInstaller``; keyed on it, so that a new update runs it again."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan
from ..model import needs as n
from ..model.host import HOST_FOLDER
from ..runbooks import cu_databases as runbook
from ..runbooks import facts as runbook_facts
from . import facts, supervisor
from .render import Value, render

SCRIPT = "Update-PoolDatabases.ps1"


def cu_databases_script(pool: PoolPlan, plan: Plan) -> str:
    """The ``pchat-cu-databases`` script of ``pool``: the runbook ``cu-databases-<pool>.ps1`` as data, written to
    the state folder and run; ``software.updateInstaller`` must be set (the update the databases follow)."""
    installer = facts.update_installer(plan)
    if installer is None:
        raise ValueError("software.updateInstaller is not set: there is no update for the databases to follow")
    name = runbook_facts.runbook_file("cu-databases", pool)
    settings: dict[str, Value] = {
        "PoolFqdn": pool.fqdn,
        "UpdateInstaller": installer,
        "State": supervisor.state_path(supervisor.CU_DATABASES.name),
        "RunbookPath": f"{HOST_FOLDER}\\{name}",
        "Runbook": runbook.render(plan)[name],
    }
    return render(SCRIPT, settings)


def needs(pool: PoolPlan, plan: Plan) -> Iterator[n.Need]:
    """The runbook's connections, from the install host as the setup account, in a cumulative-update wave."""
    if facts.software(plan).update_installer is not None:
        origin = n.Origin(supervisor.CU_DATABASES.name, pool.install_host.key, n.SETUP, n.CU_WAVE)
        yield from runbook.needs(pool, origin)
