"""Disaster recovery armed by the install phase, and one log chain per database.

Oracles: the log-shipping topics (persistent-chat.md; [L:lync-server-2013-setting-up-sql-server-log-shipping-for-the-
persistent-chat-server-primary-database], [L:lync-server-2013-set-up-log-shipping-secondary-database]: fail over to
the mirror, run the primary half there, fail back) and operations.md §1.3 (the log-shipping backup job is the only
producer of log backups of a log-shipped database).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import backup_task as backup
from lync_pchat import install
from lync_pchat.install import supervisor as sv
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, is_secret, of_type
from lync_pchat.offline.synthesis import offline_config
from lync_pchat.runbooks import log_shipping

from .. import powershell as ps
from ..model.configs import changed, enterprise
from ..support.synthesis import synthesized
from .support import FULL, installing, settings, steps

RUN = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
HA_DR = installing(
    changed(
        enterprise(),
        pools__pchat01__compliance={"enabled": True},
        pools__pchat01__highAvailability={"mirroring": True, "witness": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    )
)
DR_ONLY = installing(changed(enterprise(), pools__pchat01__disasterRecovery={"standbySite": "amsterdam"}))


def graph(topology: dict[str, Any]) -> tuple[Resource, ...]:
    config = {
        "pchat:topology": topology,
        "pchat:setupPassword": "Setup-Pw-1!",
        "pchat:domainJoinPassword": "Join-Pw-1!",
    }
    if vault := topology.get("keyVaultId"):  # a central vault needs the deployment's subscription (the spoke stack's)
        config["azure-native:subscriptionId"] = vault.split("/")[2]
    return synthesized(offline_config(config))


def shipping_runs(topology: dict[str, Any]) -> list[Resource]:
    return [r for r in of_type(graph(topology), RUN) if r.inputs["runCommandName"] == "pchat-log-shipping"]


def test_install_with_dr_arms_log_shipping_on_the_backup_store_after_the_databases() -> None:
    (run,) = shipping_runs(HA_DR)
    assert run.inputs["vmName"] == "pchat01-bak"
    # Supervised like every install phase: SYSTEM runs the supervisor, which runs the script as the setup user.
    assert "runAsUser" not in run.inputs
    assert settings(run.inputs["source"]["script"])["SetupUser"] == HA_DR["software"]["setupUser"]
    (password,) = run.inputs["protectedParameters"]
    assert password["name"] == "SetupPassword" and is_secret(password["value"])
    databases = next(r for r in of_type(graph(HA_DR), RUN) if r.inputs["runCommandName"] == "pchat-databases")
    assert run.depends_on(databases), "log shipping needs the databases and their mirrors"
    assert ps.errors(run.inputs["source"]["script"]) == []
    plan = plan_topology(HA_DR)
    assert sv.embedded(run.inputs["source"]["script"]) == install.shipping_script(
        plan.pools[0], runbook_scripts(plan, plan.pools[0])
    )


@pytest.mark.parametrize(
    "topology",
    [
        pytest.param(changed(HA_DR, pools__pchat01__disasterRecovery=None), id="no-standby-site"),
        pytest.param(changed(HA_DR, software={"install": False}), id="install-off"),
    ],
)
def test_without_install_or_standby_site_nothing_is_armed(topology: dict[str, Any]) -> None:
    topology = json.loads(json.dumps(topology))
    if topology["pools"]["pchat01"].get("disasterRecovery") is None:
        topology["pools"]["pchat01"].pop("disasterRecovery")
    assert shipping_runs(topology) == []


def test_each_store_is_shipped_with_the_runbooks_own_tsql() -> None:
    """One definition: the install phase runs the very files the log-shipping runbook renders."""
    script = install.shipping_script(FULL.pools[0], runbook_scripts(FULL, FULL.pools[0]))
    stores = settings(script)["Stores"]
    files = log_shipping.render(FULL)
    assert [s["Database"] for s in stores] == ["mgc", "mgccomp"]
    for store in stores:
        assert store["Sql"] == files[f"log-shipping-pchat01-{store['Database']}.sql"]
        assert store["Mirror"]["Sql"] == files[f"log-shipping-pchat01-{store['Database']}-mirror-primary.sql"]


def test_a_store_without_mirror_is_shipped_from_its_primary_only() -> None:
    plan = plan_topology(DR_ONLY)
    (store,) = settings(install.shipping_script(plan.pools[0], runbook_scripts(plan, plan.pools[0])))["Stores"]
    assert store["Mirror"] is None and store["Primary"] == "pchat01-sql.corp.contoso.com"


def test_the_mirror_becomes_a_primary_between_a_failover_and_a_failback() -> None:
    """[L:lync-server-2013-set-up-log-shipping-secondary-database] steps 1, 2-20, 22, in that order, each store's
    primary shipping first."""
    script = install.shipping_script(FULL.pools[0], runbook_scripts(FULL, FULL.pools[0]))
    names = [name for name, _ in steps(script)]
    assert names == [
        "Log shipping of $($store.Database) from $($store.Primary) to $($store.Secondary)",
        "Log shipping of $($store.Database) from its mirror $($mirror.Server)",
    ]
    block = ps.text(steps(script)[1][1])
    failover = block.index("Invoke-SqlValue $store.Primary $mirror.Failover")
    half = block.index("Invoke-SqlScript $mirror.Server $mirror.Sql")
    back = block.index("Invoke-SqlValue $mirror.Server $mirror.Failover")
    assert failover < half < back
    assert "finally" in block[half:back], "the failback runs even when the mirror's half fails"
    mirror = settings(script)["Stores"][0]["Mirror"]
    assert mirror["Failover"] == "ALTER DATABASE [mgc] SET PARTNER FAILOVER;"


def test_a_configured_store_is_skipped_so_a_rerun_reinitializes_nothing() -> None:
    script = install.shipping_script(FULL.pools[0], runbook_scripts(FULL, FULL.pools[0]))
    for _, block in steps(script):
        text = ps.text(block)
        assert text.index("Write-Skip") < text.index("Invoke-SqlScript")
    store = settings(script)["Stores"][0]
    assert "msdb.dbo.log_shipping_primary_databases" in store["PrimaryQuery"]
    assert "msdb.dbo.log_shipping_secondary_databases" in store["SecondaryQuery"]


def _log_backups(tsql: str) -> list[str]:
    return re.findall(r"BACKUP\s+LOG\b", tsql, flags=re.IGNORECASE)


def test_a_log_shipped_database_has_one_log_chain() -> None:
    """Every instance that may hold a log-shipped database ONLINE (primary, mirror, backup store and its mirror after
    a failover) backs up its log only while it is no log-shipping primary; both partners of a mirrored primary become
    log-shipping primaries when DR is armed; the arming T-SQL itself takes no log backup."""
    pool = FULL.pools[0]
    assert pool.backup is not None
    shipped = set(pool.backup.log_shipped)
    assert shipped == {"mgc", "mgccomp"}
    hosts = [h for h in pool.backup.hosts if shipped & set(h.databases)]
    assert {h.server for h in hosts} == {s.key for s in pool.sql_servers if not s.role.is_witness}
    for host in hosts:
        batch = backup.backup_query(host, pool.backup)
        assert len(_log_backups(batch)) == 1
        guard = batch[: batch.index("BACKUP LOG")].rsplit("ELSE IF", 1)[1]
        assert "@shipped = 0" in guard
        shipped_column = batch[batch.index("CASE WHEN EXISTS") : batch.index("THEN 1 ELSE 0 END")]
        assert "msdb.dbo.log_shipping_primary_databases" in shipped_column
        assert "l.primary_database = d.name" in shipped_column
    for store in settings(install.shipping_script(pool, runbook_scripts(FULL, pool)))["Stores"]:
        assert _log_backups(store["Sql"]) == [] and _log_backups(store["Mirror"]["Sql"]) == []
        assert "sp_add_log_shipping_primary_database" in store["Sql"]
        assert "sp_add_log_shipping_primary_database" in store["Mirror"]["Sql"]
        primary_half = store["Sql"].index("sp_add_log_shipping_primary_database")
        init = store["Sql"].index("BACKUP DATABASE")
        assert primary_half < init, "registered as a primary before the full backup that starts the shipped chain"


def test_log_shipping_runs_before_the_setup_account_loses_its_rights() -> None:
    """Log shipping runs as software.setupUser, which needs sysadmin on the primary, its mirror and the backup
    store (the log-shipping topics): every release of those rights waits for it (docs/install.md)."""
    (run,) = shipping_runs(HA_DR)
    releases = [r for r in of_type(graph(HA_DR), RUN) if r.inputs["runCommandName"] == "pchat-release"]
    assert releases
    for release in releases:
        assert release.depends_on(run), release.name


def test_the_backup_task_takes_no_log_backup_while_the_mirror_is_armed() -> None:
    """Issue 23, item 7: between the failover to the mirror and its registration as a log-shipping primary, the
    mirror's backup task would take the store's log backups, which the backup store never sees (operations.md
    §1.3). The store is marked before the failover (the mark is in the database, so it follows the failover) and
    unmarked once both partners are armed, also when a rerun finds them armed."""
    from lync_pchat.scripting.tsql import resume_query, suspend_query

    script = install.shipping_script(FULL.pools[0], runbook_scripts(FULL, FULL.pools[0]))
    block = ps.text(steps(script)[1][1])
    suspend = block.index("Invoke-SqlValue $store.Primary $mirror.Suspend")
    failover = block.index("Invoke-SqlValue $store.Primary $mirror.Failover")
    back = block.index("Invoke-SqlValue $mirror.Server $mirror.Failover")
    resume = block.index("Invoke-SqlValue $store.Primary $mirror.Resume")
    skip = block.index("Write-Skip")
    assert suspend < failover < back < resume and skip < resume
    for store in settings(script)["Stores"]:
        if store["Mirror"]:
            assert store["Mirror"]["Suspend"] == suspend_query(store["Database"])
            assert store["Mirror"]["Resume"] == resume_query(store["Database"])
    assert "sp_addextendedproperty @name = N'PChatLogBackupSuspended'" in suspend_query("mgc")
    assert (
        backup.backup_query(FULL.pools[0].backup.hosts[0], FULL.pools[0].backup).count("PChatLogBackupSuspended") == 1
    )
