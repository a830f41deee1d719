"""The release: the setup account's standing rights removed at the end of the install, in order, each step guarded.

Oracles: the setup account needs sysadmin and local Administrators for the databases
[L:lync-server-2013-deployment-permissions-for-sql-server] (lync-install.md §2.1 "SQL rights") and a local
administrator for setup [lync-install.md §1.4]; the bootstrap grants both (tests/test_bootstrap.py), so the
release undoes exactly those two grants.
"""

from __future__ import annotations

from components.lync_install import runbook_scripts
from lync_pchat import install
from lync_pchat.install import release
from lync_pchat.scripting import quoting

from .. import powershell as ps
from .support import FULL, STANDARD, assert_guarded, main_block, settings, steps

HOST = install.release_script(
    FULL.server("pchat01-a1"), FULL, runbook_scripts(FULL, FULL.pool(FULL.server("pchat01-a1").pool))
)
OTHER = install.release_script(
    FULL.server("pchat01-s1"), FULL, runbook_scripts(FULL, FULL.pool(FULL.server("pchat01-s1").pool))
)
SE = install.release_script(
    STANDARD.pools[0].servers[0], STANDARD, runbook_scripts(STANDARD, STANDARD.pool(STANDARD.pools[0].servers[0].pool))
)
ACCOUNT = "CORP\\svc-lyncsetup"


def test_the_install_host_releases_every_sql_server_of_the_pool_and_the_others_only_themselves() -> None:
    cfg = settings(HOST)
    assert cfg["SqlServers"] == [s.fqdn for s in FULL.pools[0].sql_servers]
    assert len(cfg["SqlServers"]) == 10, "primary, mirror and witness of mgc and mgccomp, in both data centers"
    assert settings(OTHER)["SqlServers"] == [] and settings(SE)["SqlServers"] == []
    assert cfg["SetupUser"] == ACCOUNT and cfg["Member"] == "WinNT://CORP/svc-lyncsetup"
    assert cfg["State"] == "C:\\ProgramData\\lync-pchat\\pchat-release.json"


def test_the_sql_undoes_the_bootstraps_grant_and_checks_it() -> None:
    """The bootstrap runs ``ALTER SERVER ROLE [sysadmin] ADD MEMBER [<account>]``; the release drops the same."""
    cfg = settings(HOST)
    assert cfg["DropSysadmin"] == f"ALTER SERVER ROLE [sysadmin] DROP MEMBER {quoting.tsql_name(ACCOUNT)};"
    assert cfg["SysadminQuery"] == f"SELECT IS_SRVROLEMEMBER(N'sysadmin', {quoting.tsql(ACCOUNT)}) AS member;"
    assert release.drop_sysadmin("CORP\\a]b") == "ALTER SERVER ROLE [sysadmin] DROP MEMBER [CORP\\a]]b];"


def test_sysadmin_goes_first_then_the_sql_servers_administrators_then_this_server_last() -> None:
    names = [name for name, _ in steps(HOST)]
    assert names == ["sysadmin on $server", "Administrators of $server", "Administrators of $($cfg.ComputerFqdn)"]
    loops = [n for n in ps.of_type(main_block(HOST), "foreach_statement")]
    assert [ps.text(n).split("{")[0].strip() for n in loops] == ["foreach ($server in $cfg.SqlServers)"] * 2
    calls = ("Invoke-SqlClient", "Set-SetupAdministrator", "Test-SetupAdministrator")
    drop, remote, local = (ps.commands(main_block(HOST), c) for c in calls)
    assert drop and remote and local
    text = ps.text(main_block(HOST))
    assert (
        text.index("$cfg.DropSysadmin")
        < text.index("Set-SetupAdministrator $server $false")
        < text.index("Set-SetupAdministrator '.' $false")
    )


def test_each_removal_is_guarded_and_verified() -> None:
    block = main_block(HOST)
    (drop,) = [c for c in ps.commands(block, "Invoke-SqlClient") if "$cfg.DropSysadmin" in ps.text(c.node)]
    assert_guarded(drop.node, "Test-Sysadmin")
    assert "is still a sysadmin of $server" in ps.text(block)
    for name, body in steps(HOST)[1:]:
        assert "Test-SetupAdministrator" in ps.text(body) and "Write-Skip" in ps.text(body), name
    assert "Complete-Phase" in ps.text(block)
