"""SQL Servers registered for Microsoft Update, which SQL Server's updates come through; Lync and Skype for Business
servers not, so their cumulative updates never come through a patch window (the update waves install them).

Oracles: operations.md 9.4 (SQL Server updates through Update Manager need the Microsoft Update service registered
on the VM, service id 7971f918-a847-4430-9279-4a52d1efe18d; MicrosoftDocs/sql-docs azure-update-manager-sql-vm.md);
``IUpdateServiceManager2::AddService2`` and ``AddServiceFlag`` (learn.microsoft.com/windows/win32/api/wuapi:
asfAllowPendingRegistration 1, asfAllowOnlineRegistration 2, asfRegisterServiceWithAU 4).
"""

from __future__ import annotations

import pytest

from lync_pchat import bootstrap
from lync_pchat.model import Plan, ServerPlan, plan_topology

from . import powershell as ps
from .model.configs import changed, enterprise, standard

SERVICE = "7971f918-a847-4430-9279-4a52d1efe18d"
FLAGS = 1 | 2 | 4
FULL = plan_topology(
    changed(
        enterprise(),
        pools__pchat01__highAvailability={"mirroring": True, "witness": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    )
)
SE = plan_topology(standard())
SERVERS = [(plan, server) for plan in (FULL, SE) for server in plan.servers]


def sql_settings(plan: Plan, server: ServerPlan) -> dict[str, object] | None:
    return ps.embedded(ps.bootstrap_script(bootstrap.command(server, plan)))["sql"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("plan", "server"), SERVERS, ids=[s.key for _, s in SERVERS])
def test_only_the_sql_servers_register_microsoft_update(plan: Plan, server: ServerPlan) -> None:
    sql = sql_settings(plan, server)
    if server.role.is_sql:
        assert sql is not None and (sql["microsoftUpdate"], sql["microsoftUpdateFlags"]) == (SERVICE, FLAGS)
    else:
        assert sql is None, "a Lync server (a Standard Edition server too) stays on Windows Update"


def test_the_registration_is_read_back_from_the_service_manager() -> None:
    script = bootstrap.script(FULL.server("pchat01-sql"), FULL)
    tree = ps.parse(script)
    (block,) = [n for n in ps.of_type(tree, "if_statement") if ps.text(n).startswith("if ($s.microsoftUpdate)")]
    text = ps.text(block)
    assert "New-Object -ComObject Microsoft.Update.ServiceManager" in text
    assert "$updates.AddService2($s.microsoftUpdate, $s.microsoftUpdateFlags, '')" in text
    assert text.index("AddService2") < text.index("$updates.Services") < text.index("throw")
    assert "$_.IsRegisteredWithAU" in text
