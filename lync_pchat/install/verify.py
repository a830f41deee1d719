"""The end of the install's checks, once per pool on its install host (the first active or the Standard Edition
server), after every start and the log shipping and before the release: the pool's ``verify`` runbook itself (one
definition of every check), run as the setup account, whose failures fail the deployment."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan, PoolPlan
from ..model import needs as n
from ..model.host import HOST_FOLDER
from ..runbooks import facts as runbook_facts
from ..runbooks import verify as runbook
from . import supervisor
from .render import Value, render

SCRIPT = "Test-PersistentChatPool.ps1"


def verify_script(pool: PoolPlan, plan: Plan) -> str:
    """The verify phase script of ``pool``: the runbook ``verify-<pool>.ps1`` as data, written to the state
    folder and run; the message test, and the schedule of its probe, only with ``monitoring.testUsers`` (else a
    warning line)."""
    name = runbook_facts.runbook_file("verify", pool)
    settings: dict[str, Value] = {
        "PoolFqdn": pool.fqdn,
        "State": supervisor.state_path(supervisor.VERIFY.name),
        "RunbookPath": f"{HOST_FOLDER}\\{name}",
        "Runbook": runbook.render(plan)[name],
        "SkipMessage": not runbook.tests_message(plan),
        "Schedule": runbook.tests_message(plan),
    }
    return render(SCRIPT, settings)


def needs(pool: PoolPlan, plan: Plan) -> Iterator[n.Need]:
    """The verify runbook's connections, from the install host as the setup account."""
    yield from runbook.needs(pool, n.Origin(supervisor.VERIFY.name, pool.install_host.key, n.SETUP))
