"""The install's database step of a cumulative update (``pchat-cu-databases``): the pool's ``cu-databases``
runbook itself, run once per pool on its install host as the setup account.

Oracles: the product's update procedure, Install-CsDatabase -Update against the SQL Server after the binaries
[L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] (operations.md 9.3); the result
proved with Test-CsDatabase [PS:Test-CsDatabase]; Install-CsDatabase needs sysadmin on the SQL Server
[L:lync-server-2013-deployment-permissions-for-sql-server] (lync-install.md 2).
"""

from __future__ import annotations

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import install
from lync_pchat.model import needs as n
from lync_pchat.model.ports import SQL
from lync_pchat.needs import needs
from lync_pchat.runbooks import cu_databases as runbook

from .. import powershell as ps
from .support import BARE, FULL, main_block, settings, step, steps

SCRIPT = install.cu_databases_script(FULL.pools[0], FULL, runbook_scripts(FULL, FULL.pools[0]))


def test_the_phase_carries_the_runbook_and_is_keyed_on_the_update_installer() -> None:
    """One definition: the runbook's text is the phase's data; a new installer is a new script (run again)."""
    values = settings(SCRIPT)
    assert values["Runbook"] == runbook.render(FULL)["cu-databases-pchat01.ps1"]
    assert values["RunbookPath"] == "C:\\ProgramData\\lync-pchat\\cu-databases-pchat01.ps1"
    assert values["UpdateInstaller"] == "LyncServerUpdateInstaller.exe"
    assert values["State"] == "C:\\ProgramData\\lync-pchat\\pchat-cu-databases.json"
    assert ps.errors(SCRIPT) == []
    assert [name for name, _ in steps(SCRIPT)] == [
        "Check that the run is elevated", "Load the Lync Server Management Shell", "Write the cu-databases runbook",
        "Update the databases of $($cfg.PoolFqdn)",
    ]  # fmt: skip


def test_a_database_not_at_the_expected_version_fails_the_phase() -> None:
    """The runbook ends with exit code 1 when Test-CsDatabase reports a database not at the expected version."""
    body = step(SCRIPT, "Update the databases")
    text = ps.text(body)
    assert text.index("$failed = Invoke-Runbook") < text.index("if ($LASTEXITCODE -ne 0)")
    (check,) = [x for x in ps.of_type(body, "if_statement") if "$LASTEXITCODE -ne 0" in ps.text(x)]
    assert ps.text(check).split("{", 1)[1].lstrip().startswith('throw "The databases of $($cfg.PoolFqdn)')
    assert ps.commands(main_block(SCRIPT), "Complete-Phase")


def test_the_runbook_updates_the_current_principal_as_a_sysadmin_and_proves_it() -> None:
    """Before Install-CsDatabase, the runbook checks sysadmin on the principal it found from the mirroring state:
    after the install's release the setup account holds it no more."""
    text = runbook.render(FULL)["cu-databases-pchat01.ps1"]
    update = text[text.index("function Update-Database") :]
    assert update.index("IS_SRVROLEMEMBER(N'sysadmin')") < update.index("Install-CsDatabase -Update")
    assert update.index("Install-CsDatabase -Update") < update.index("Test-CsDatabase")
    assert "[L:lync-server-2013-deployment-permissions-for-sql-server]" in update


def test_without_an_update_there_is_no_database_step() -> None:
    with pytest.raises(ValueError, match=r"^software\.updateInstaller is not set"):
        install.cu_databases_script(BARE.pools[0], BARE, runbook_scripts(BARE, BARE.pools[0]))
    assert not [x for x in needs(BARE) if x.action == install.CU_DATABASES.name]


def test_its_needs_reach_both_partners_in_a_cu_wave() -> None:
    """The current principal may be either partner (after a failover, the mirror): SQL to both, as the setup
    account from the install host, in state cu-wave."""
    mine = [x for x in needs(FULL) if x.action == install.CU_DATABASES.name]
    assert {x.runs_on for x in mine} == {FULL.pools[0].install_host.key}
    assert {x.identity for x in mine} == {n.SETUP} and {x.when for x in mine} == {n.CU_WAVE}
    pool = FULL.pools[0]
    partners = {i.server for s in pool.stores for i in (s.primary, s.mirror) if i is not None and i.server}
    assert {x.target for x in mine if x.port == SQL} == partners
    manual = [x for x in needs(FULL) if x.action == "runbook:cu-databases"]
    assert {x.target for x in manual if x.port == SQL} == partners and {x.runs_on for x in manual} == {n.MANAGEMENT}
