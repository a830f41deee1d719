"""Needs carry rights (issue 22 item 3): what each identity must hold for its connection to do its work, and the
setup account's local Administrators and sysadmin used only while it holds them, before ``pchat-release``."""

from __future__ import annotations

import pytest

from lync_pchat import bootstrap
from lync_pchat.install import regrant, supervisor
from lync_pchat.model import Plan, plan_topology
from lync_pchat.model.needs import (
    CHAT_ADMIN,
    CU_WAVE,
    DATABASE_ROLES,
    ENDPOINT,
    INSTALL,
    LOCAL_ADMIN,
    SETUP,
    SHARE,
    SYSADMIN,
    SYSTEM,
    Grant,
    Need,
    rights,
)  # fmt: skip
from lync_pchat.model.ports import MIRRORING, PCHAT, SMB, SQL
from lync_pchat.needs import grants, needs
from lync_pchat.scripting import tsql

from ..install.support import FULL, PLANS, STANDARD, installing
from ..model.configs import changed, enterprise

PHASES = [p.name for p in supervisor.PHASES]
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
    """The phases run in supervisor.PHASES order (components/lync_install.py chains them with depends_on) and
    pchat-release is last. In the install, the rights on a SQL Server come from its bootstrap, which grants the setup
    account sysadmin and local Administrators [L:lync-server-2013-deployment-permissions-for-sql-server] before any
    phase (phase B waits for every SQL Server). Later (a cumulative-update wave, state cu-wave) the release has taken
    them back: every need that takes them on a server this project builds has a grant on its target, before its
    action, in its state (no exception; on a customer's Back End, a collocated store, its administrator grants them, as
    for the first install: README, docs/operations.md). On the servers this project builds, the release takes back
    every right used."""
    assert PHASES[-1] == supervisor.RELEASE.name
    mine = [x for x in needs(plan) if x.identity == SETUP]
    if any(pool.sql_servers for pool in plan.pools):
        assert any(privileged(x) for x in mine if x.action == supervisor.DATABASES.name)
    assert all(x.action in PHASES for x in mine)
    software = plan.software
    released = software is not None and not software.keep_setup_rights
    given = grants(plan)
    built = {s.key for s in plan.servers}
    later = [x for x in mine if x.when != INSTALL and privileged(x) and x.target in built]
    assert [x.describe() for x in later if released and not any(g.covers(x) for g in given)] == []
    sql = {s.key for pool in plan.pools for s in pool.sql_servers}
    for need in (x for x in mine if privileged(x) and x.target in sql and (x.when == INSTALL or not released)):
        held = bootstrap.settings(plan.server(need.target), plan)
        assert software is not None and held["administrators"] == [software.setup_user], need.describe()
        assert tsql.grant_sysadmin(software.setup_user) in held["sql"]["query"], need.describe()
    if released:
        assert software is not None
        released_on = {x.target for x in mine if x.action == supervisor.RELEASE.name and privileged(x)}
        used = {x.target for x in mine if privileged(x) and x.action != supervisor.RELEASE.name and x.target in built}
        assert used <= released_on | _pool_servers(plan)
        assert {g.runs_on for g in given} <= released_on, "the release takes back what the grants give"


def test_a_later_update_of_a_mirrored_pool_uses_only_granted_rights() -> None:
    """FULL (mirrored with a witness, log-shipped, an update installer): the database step takes sysadmin (SQL) and
    local Administrators (WMI) on both partners of each store, whichever is the principal now; the grant gives
    exactly those, on those servers, before pchat-cu-databases, in a cumulative-update wave. Not the witnesses
    and not the backup stores: the step does not reach them (a backup store takes the update by log shipping)."""
    step = supervisor.CU_DATABASES.name
    later = [x for x in needs(FULL) if x.identity == SETUP and x.when != INSTALL and privileged(x)]
    assert {x.action for x in later} == {step}
    pool = FULL.pools[0]
    partners = {i.server for s in pool.stores for i in (s.primary, s.mirror) if i is not None and i.server}
    assert {x.target for x in later} == partners == {"pchat01-sql", "pchat01-sqlm", "pchat01-cmp", "pchat01-cmpm"}
    assert {r for x in later for r in rights(x)} == {SYSADMIN, LOCAL_ADMIN}
    assert len(grants(FULL)) == len(partners) and set(grants(FULL)) == {
        Grant(regrant.COMMAND, key, SYSTEM, (SYSADMIN, LOCAL_ADMIN), step, CU_WAVE) for key in partners
    }
    assert all(any(g.covers(x) for g in grants(FULL)) for x in later)


def test_no_grant_where_nothing_was_taken_back_or_nothing_needs_it() -> None:
    """keepSetupRights: the release never ran, the rights stand; no update installer: no database step to grant for;
    Standard Edition: the step runs on the server's own SQL Server Express (no connection)."""
    kept = plan_topology(installing(changed(enterprise()), keepSetupRights=True))
    without = plan_topology(installing(changed(enterprise()), updateInstaller=None))
    assert kept.software is not None and kept.software.update_installer is not None
    assert grants(kept) == () and grants(without) == ()
    assert grants(STANDARD) == ()
    assert [x for x in needs(kept) + needs(without) if x.action == regrant.COMMAND] == []


def _pool_servers(plan: Plan) -> set[str]:
    """The servers whose own release (Remove-SetupRights.ps1 on each) drops the account's Administrators."""
    return {s.key for pool in plan.pools for s in pool.pool_servers}


def test_keep_setup_rights_leaves_out_the_release() -> None:
    plan = plan_topology(installing(changed(enterprise()), keepSetupRights=True))
    assert plan.software is not None and plan.software.keep_setup_rights
    assert not [x for x in needs(plan) if x.action == supervisor.RELEASE.name]
