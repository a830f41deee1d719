"""Needs carry rights (issue 22 item 3): what each identity must hold for its connection to do its work, and the
setup account's local Administrators and sysadmin used only while it holds them, before ``pchat-release``."""

from __future__ import annotations

import pytest

from lync_pchat.install import supervisor
from lync_pchat.model import Plan, plan_topology
from lync_pchat.model.needs import (
    CHAT_ADMIN,
    DATABASE_ROLES,
    ENDPOINT,
    INSTALL,
    LOCAL_ADMIN,
    SETUP,
    SHARE,
    SYSADMIN,
    Need,
    rights,
)  # fmt: skip
from lync_pchat.model.ports import MIRRORING, PCHAT, SMB, SQL
from lync_pchat.needs import needs

from ..install.support import FULL, PLANS, installing
from ..model.configs import changed, enterprise

PHASES = [p.name for p in supervisor.PHASES]
CU_STEP = supervisor.CU_DATABASES.name
PRIVILEGED = {LOCAL_ADMIN, SYSADMIN}
"""The setup account's standing rights that pchat-release removes: "sysadmin + local Administrators on the SQL
server" [L:lync-server-2013-deployment-permissions-for-sql-server] (lync-install.md §2), and the local
Administrators group of the pool's servers (lync_pchat/install/release.py)."""


def privileged(need: Need) -> bool:
    return bool(PRIVILEGED & set(rights(need)))


def test_rights_of_the_documented_needs() -> None:
    """Install-CsDatabase: sysadmin on the SQL Server [L:...deployment-permissions-for-sql-server]; the release's SAMR
    on a witness: local Administrators there; Persistent Chat administration (8011, [Gg398500]):
    CsPersistentChatAdministrator (lync-install.md §1 step 9); the services' own SQL: the roles Install-CsDatabase
    grants; a mirroring partner: CONNECT on the endpoint; the compliance share: the share's grant."""
    every = needs(FULL)

    def of(action: str, target: str, port: object, identity: str | None = None) -> set[tuple[str, ...]]:
        return {
            rights(x) for x in every
            if x.action == action and x.target == target and x.port == port and identity in (None, x.identity)
        }  # fmt: skip

    assert of("pchat-databases", "pchat01-sql", SQL) == {(SYSADMIN,)}
    assert of("pchat-release", "pchat01-sqlw", SMB) == {(LOCAL_ADMIN,)}
    assert of("runbook:configure", "pchat01-a1", PCHAT) == {(CHAT_ADMIN,)}
    assert of("lync:persistent-chat", "pchat01-sql", SQL) == {(DATABASE_ROLES,)}
    assert {r for x in every if x.port == MIRRORING for r in rights(x)} == {ENDPOINT}
    assert of("lync:persistent-chat", "pchat01-cmp", SMB) == {(SHARE,)}


@pytest.mark.parametrize("plan", PLANS, ids=[f"plan{i}" for i in range(len(PLANS))])
def test_the_setup_account_uses_its_rights_only_while_it_holds_them(plan: Plan) -> None:
    """The phases run in supervisor.PHASES order (lync_pchat/components/lync_install.py chains them with
    depends_on) and pchat-release is last: every install need that requires local Administrators or sysadmin on its
    target is a phase up to the release, and none of the setup account's later actions (a cumulative-update wave,
    state cu-wave) requires them. On the servers this project builds, the release takes back every right used (a
    collocated Back End's are the customer's to manage)."""
    assert PHASES[-1] == supervisor.RELEASE.name
    mine = [x for x in needs(plan) if x.identity == SETUP]
    if any(pool.sql_servers for pool in plan.pools):
        assert any(privileged(x) for x in mine if x.action == supervisor.DATABASES.name)
    assert all(x.action in PHASES for x in mine)
    later = [x.describe() for x in mine if x.when != INSTALL and privileged(x) and x.action != CU_STEP]
    assert later == []
    # The one exception: the update's database step (issue 24 item 6) needs sysadmin on the SQL Servers in a later
    # cumulative-update wave [L:lync-server-2013-deployment-permissions-for-sql-server], which the release took
    # back. Its runbook checks sysadmin before it changes anything (tests/install/test_cu_databases.py); the
    # operator grants it for the wave (docs/operations.md), and the release, which re-runs after it, takes it back.
    assert PHASES.index(CU_STEP) < PHASES.index(supervisor.RELEASE.name)
    if plan.software is not None and not plan.software.keep_setup_rights:
        released = {x.target for x in mine if x.action == supervisor.RELEASE.name and privileged(x)}
        built = {s.key for s in plan.servers}
        used = {x.target for x in mine if privileged(x) and x.action != supervisor.RELEASE.name and x.target in built}
        assert used <= released | _pool_servers(plan)


def _pool_servers(plan: Plan) -> set[str]:
    """The servers whose own release (Remove-SetupRights.ps1 on each) drops the account's Administrators."""
    return {s.key for pool in plan.pools for s in pool.pool_servers}


def test_keep_setup_rights_leaves_out_the_release() -> None:
    plan = plan_topology(installing(changed(enterprise()), keepSetupRights=True))
    assert plan.software is not None and plan.software.keep_setup_rights
    assert not [x for x in needs(plan) if x.action == supervisor.RELEASE.name]
