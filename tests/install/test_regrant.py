"""The grant before a cumulative update's database step (``pchat-cu-grant``): on each SQL Server that step reaches,
as SYSTEM, the setup account a local administrator and a sysadmin again, which pchat-release took back.

Oracles: Install-CsDatabase needs sysadmin and local Administrators on the SQL Server
[L:lync-server-2013-deployment-permissions-for-sql-server] (lync-install.md 2.1 "SQL rights"); ALTER SERVER ROLE
``server_role_name ADD MEMBER server_principal``, the principal a login (so CREATE LOGIN ... FROM WINDOWS first)
(https://learn.microsoft.com/en-us/previous-versions/sql/sql-server-2012/ee677634(v=sql.110)); IS_SRVROLEMEMBER
('role', 'login') returns 1 for a member (https://learn.microsoft.com/sql/t-sql/functions/is-srvrolemember-transact-sql);
the update procedure runs Install-CsDatabase -Update against the principal, which after a failover is the mirror
(operations.md 9.3).
"""

from __future__ import annotations

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import bootstrap, install
from lync_pchat.install import regrant, release
from lync_pchat.model import plan_topology
from lync_pchat.scripting import tsql

from .. import powershell as ps
from ..model.configs import changed, enterprise
from .support import BARE, FULL, STANDARD, assert_guarded, grant_script, guard_of, installing, settings, step, steps

SQL = FULL.server("pchat01-sql")
SCRIPT = grant_script(SQL, FULL)
ACCOUNT = "CORP\\svc-lyncsetup"


def test_the_grant_is_the_bootstrap_s_t_sql_exactly() -> None:
    """The login created when missing, then added to sysadmin, as delimited identifiers; the check a literal. One
    definition: the bootstrap's own query ends with the same batch."""
    values = settings(SCRIPT)
    assert values["Grant"] == (
        "IF SUSER_ID(N'CORP\\svc-lyncsetup') IS NULL CREATE LOGIN [CORP\\svc-lyncsetup] FROM WINDOWS;"
        " ALTER SERVER ROLE [sysadmin] ADD MEMBER [CORP\\svc-lyncsetup];"
    )
    assert values["SysadminQuery"] == "SELECT IS_SRVROLEMEMBER(N'sysadmin', N'CORP\\svc-lyncsetup') AS member;"
    assert bootstrap.settings(SQL, FULL)["sql"]["query"].endswith(" " + values["Grant"])
    assert values["SetupUser"] == ACCOUNT and values["Member"] == "WinNT://CORP/svc-lyncsetup"
    assert values["ComputerFqdn"] == SQL.fqdn


def test_an_account_name_with_a_bracket_and_a_quote_stays_one_identifier() -> None:
    """A login name is data: ``]`` doubled inside the delimited identifier, ``'`` doubled inside the literal."""
    text = tsql.grant_sysadmin("CORP\\o'brien]x")
    assert text == (
        "IF SUSER_ID(N'CORP\\o''brien]x') IS NULL CREATE LOGIN [CORP\\o'brien]]x] FROM WINDOWS;"
        " ALTER SERVER ROLE [sysadmin] ADD MEMBER [CORP\\o'brien]]x];"
    )


def test_each_right_is_given_only_when_missing_and_read_back() -> None:
    assert ps.errors(SCRIPT) == []
    assert [name for name, _ in steps(SCRIPT)] == [
        "Check that the run is elevated", "$($cfg.SetupUser) in Administrators", "$($cfg.SetupUser) a sysadmin",
    ]  # fmt: skip
    members = step(SCRIPT, "$($cfg.SetupUser) in Administrators")
    (add,) = [c.node for c in ps.commands(members, "Set-SetupAdministrator")]
    assert ps.text(add) == "Set-SetupAdministrator '.' $true", "the shared helper: by SID, read back (test_membership)"
    condition, skipped = guard_of(add)
    assert ps.text(condition) == "Test-SetupAdministrator '.'" and ps.commands(skipped, "Write-Skip")
    sysadmin = step(SCRIPT, "$($cfg.SetupUser) a sysadmin")
    (grant,) = [c for c in ps.commands(sysadmin, "Invoke-SqlClient") if "$cfg.Grant" in ps.text(c.node)]
    assert_guarded(grant.node, "Test-Sysadmin")
    after = ps.text(sysadmin)[grant.node.end_byte - sysadmin.start_byte :]
    assert "Test-Sysadmin" in after and "throw" in after, "read back after the grant"


def test_the_grant_connects_to_its_own_server_as_system() -> None:
    """Integrated security to the local default instance (as the bootstrap's ``sqlcmd -E``): no credential."""
    text = ps.text(ps.parse(SCRIPT))
    calls = [ps.text(c.node) for c in ps.commands(ps.parse(SCRIPT), "Invoke-SqlClient")]
    assert calls and all(c.startswith("Invoke-SqlClient '.' ") for c in calls), calls
    assert "$builder['Data Source'] = $Server" in text and "$builder['Integrated Security'] = $true" in text
    assert "User ID" not in text and "Password" not in text


def test_keyed_on_each_run_of_the_database_step() -> None:
    """Azure runs a Run Command again only when its content changes (operations.md 5.2): the grant changes with a new
    update installer and a new runToken (each runs pchat-cu-databases again), not otherwise."""
    raw = installing(changed(enterprise(), pools__pchat01__highAvailability={"mirroring": True, "witness": True}))
    base = plan_topology(raw)
    same = plan_topology(raw)
    newer = plan_topology(installing(changed(raw), updateInstaller="cu2024/LyncServerUpdateInstaller.exe"))
    token = plan_topology(installing(changed(raw), runToken="2026-12-08"))
    key = "pchat01-sql"
    first = grant_script(base.server(key), base)
    assert first == grant_script(same.server(key), same)
    assert first != grant_script(newer.server(key), newer)
    assert first != grant_script(token.server(key), token)
    assert settings(grant_script(newer.server(key), newer))["UpdateInstaller"] == (
        "cu2024\\LyncServerUpdateInstaller.exe"
    )


def test_only_both_partners_of_each_store_and_only_after_a_release() -> None:
    """The step reaches the partners of each store (its principal now may be either), not the witness (the step
    does not touch it) nor the log-shipped backup stores (they take the update by log shipping)."""
    assert [s.key for s in install.regrant_servers(FULL.pools[0], FULL)] == [
        "pchat01-sql", "pchat01-sqlm", "pchat01-cmp", "pchat01-cmpm"
    ]  # fmt: skip
    for key in ("pchat01-sqlw", "pchat01-bak", "pchat01-bakm", "pchat01-cbak"):
        with pytest.raises(ValueError, match="takes no grant"):
            grant_script(FULL.server(key), FULL)
    kept = plan_topology(installing(enterprise(), keepSetupRights=True))
    assert install.regrant_servers(kept.pools[0], kept) == []
    assert install.regrant_servers(BARE.pools[0], BARE) == [], "no update installer"
    assert install.regrant_servers(STANDARD.pools[0], STANDARD) == [], "SQL Server Express on the server itself"


def test_the_grant_needs_only_its_log_upload() -> None:
    """As SYSTEM on its own server; its Run Command writes its logs to the media's storage account (HTTPS)."""
    found = list(regrant.needs(FULL.pools[0], FULL))
    assert {(x.runs_on, x.identity, x.target, str(x.port), x.when) for x in found} == {
        (key, "SYSTEM", "media01.blob.core.windows.net", "tcp/443", "cu-wave")
        for key in ("pchat01-sql", "pchat01-sqlm", "pchat01-cmp", "pchat01-cmpm")
    }


def test_whatever_the_grant_gives_back_the_release_takes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Azure runs the release again only when its content changes (operations.md 5.2): the grant scripts are in the
    digest of what runs before it (After), so any new grant (a new update, or a stack that gains the grant when it
    takes this version) runs the release again after it; the release drops sysadmin on every SQL Server of the pool
    (the grant's among them) and reads it back with the same query."""
    pool = FULL.pools[0]
    values = settings(install.release_script(pool.install_host, FULL, runbook_scripts(FULL, pool)))
    assert values["SysadminQuery"] == settings(SCRIPT)["SysadminQuery"]
    assert {s.fqdn for s in install.regrant_servers(pool, FULL)} <= set(values["SqlServers"])
    before = release.earlier_runs(pool, FULL, runbook_scripts(FULL, pool))
    assert values["After"] == before
    monkeypatch.setattr(
        release, "regrant_script", lambda server, plan, runbooks: install.regrant_script(server, plan, runbooks) + "#"
    )
    assert release.earlier_runs(pool, FULL, runbook_scripts(FULL, pool)) != before
