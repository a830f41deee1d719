"""The end of the install's checks, once per pool on its install host (the first active or the Standard Edition
server), after every start and the log shipping and before the release: the pool's ``verify`` runbook itself (one
definition of every check), run as the setup account, whose failures fail the deployment. Its connections are the
runbook's (:func:`lync_pchat.runbooks.verify.needs` from the install host, see :mod:`lync_pchat.needs`)."""

from __future__ import annotations

from ..model import Plan, PoolPlan
from ..model.host import HOST_FOLDER
from ..model.monitoring import tests_message
from ..scripting import Value
from . import supervisor
from .runbook_scripts import RunbookScripts
from .scripts import render

SCRIPT = "Test-PersistentChatPool.ps1"


def verify_script(pool: PoolPlan, plan: Plan, runbooks: RunbookScripts) -> str:
    """The verify phase script of ``pool``: the runbook ``verify-<pool>.ps1`` (``runbooks``) as data, written to
    the state folder and run; the message test, and the schedule of its probe, only with ``monitoring.testUsers``
    (else a warning line)."""
    name = runbooks.verify_file
    settings: dict[str, Value] = {
        "PoolFqdn": pool.fqdn,
        "State": supervisor.state_path(supervisor.VERIFY.name),
        "RunbookPath": f"{HOST_FOLDER}\\{name}",
        "Runbook": runbooks.verify,
        "SkipMessage": not tests_message(plan),
        "Schedule": tests_message(plan),
    }
    return render(SCRIPT, settings)
