"""The install phase: with ``software.install``, every Persistent Chat server installs Lync Server 2013
through managed Run Commands, in the documented order; without it, nothing of it exists.

Order [lync-install.md §1.4, §2.1]: the server joined to the domain and bootstrapped, then its components
(phase A); the pool's databases once, after the SQL Servers are up (phase B); then each server's services
(phase C): "the database step precedes every service start of its pool" (issue 10).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import install
from lync_pchat.install.supervisor import embedded
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, is_secret, named, of_type, reveal, synthesize
from lync_pchat.program import run as program

from ..install.support import grant_script
from ..model.configs import changed, enterprise, standard
from ..support.lazy import lazy_list

RUN = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
ROLE = "azure-native:authorization:RoleAssignment"
SLEEP = "time:index/sleep:Sleep"
INSTALL_PARENT = "lync-pchat:index:LyncInstall$"


def install_runs(graph: Sequence[Resource]) -> list[Resource]:
    """The install's Run Commands (children of LyncInstall), in graph order: not the patch waves' pchat-maintenance."""
    return [r for r in of_type(graph, RUN) if INSTALL_PARENT in r.urn]


ACCOUNT = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-media/providers/"
    "Microsoft.Storage/storageAccounts/contosomedia"
)
SOFTWARE = {
    "install": True,
    "mediaUri": "https://contosomedia.blob.core.windows.net/lync/lync2013/",
    "storageAccountId": ACCOUNT,
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\lyncsetup",
}
JOIN = {"user": "CORP\\svc-join"}
FULL = changed(
    enterprise(),
    domainJoin=JOIN,
    software=SOFTWARE,
    pools__pchat01__highAvailability={"mirroring": True, "witness": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    backup={"enabled": False},  # the backup tasks' Run Commands: tests/stacks/test_backups.py
)
SECRETS = {"pchat:domainJoinPassword": "Join-Pw-1!", "pchat:setupPassword": "Setup-Pw-1!"}


def deploy(topology: dict[str, Any]) -> list[Resource]:
    return synthesize(program, {"pchat:topology": topology, **SECRETS})


GRAPH = lazy_list(lambda: deploy(FULL))
PLAN = plan_topology(FULL)


def command(server: str, phase: str) -> Resource:
    return named(GRAPH, f"{server}-{phase}")


RESUMES = {"pchat-install": 3, "pchat-update": 1, "pchat-databases": 0, "pchat-cu-databases": 0, "pchat-start": 0,
           "pchat-log-shipping": 0, "pchat-verify": 0, "pchat-release": 0}  # fmt: skip
"""Restarts each phase may take (lync_pchat.install.supervisor): A the bootstrap's pending one, the core
components' 3010 and setup's ("If you're prompted to restart ... run Step 2 one more time"
[L:lync-server-2013-install-lync-server-server-components]); the update its own; the others none."""


def last_name(phase: str) -> str:
    """The phase's last Run Command: its last resume, or itself."""
    return f"{phase}-resume{RESUMES[phase]}" if RESUMES[phase] else phase


def done(server: str, phase: str, graph: list[Resource] | None = None) -> Resource:
    """The Run Command that ends ``phase`` on ``server``: what follows the phase depends on it."""
    return named(GRAPH if graph is None else graph, f"{server}-{last_name(phase)}")


def kept(resource: Resource) -> dict[str, Any]:
    """The inputs a deployment would change: not those under ignoreChanges (a patch window's computed first
    start, which moves with the clock: the module's graphs are built before the test fixes today)."""
    return {k: v for k, v in resource.inputs.items() if k not in resource.ignore_changes}


def chain(server: str, phase: str) -> list[str]:
    return [f"{server}-{phase}", *(f"{server}-{phase}-resume{n}" for n in range(1, RESUMES[phase] + 1))]


def test_every_persistent_chat_server_and_only_they_install() -> None:
    pool = PLAN.pools[0]
    chat = sorted(s.key for s in pool.pool_servers)
    phases = ("pchat-install", "pchat-start", "pchat-release")
    assert sorted(r.name for r in install_runs(GRAPH)) == sorted(
        [name for k in chat for phase in phases for name in chain(k, phase)]
        + ["pchat01-a1-pchat-databases", "pchat01-a1-pchat-verify"]  # the install host checks the pool once
        + ["pchat01-bak-pchat-log-shipping"]  # disaster recovery armed: tests/install/test_shipping.py
    )
    assert pool.install_host.key == "pchat01-a1"


@pytest.mark.parametrize("server", ["pchat01-a1", "pchat01-s2"])
def test_phase_a_follows_the_domain_join_and_the_bootstrap(server: str) -> None:
    join, init = named(GRAPH, f"{server}-join"), named(GRAPH, f"{server}-init")
    phase_a = command(server, "pchat-install")
    assert init.depends_on(join) and phase_a.depends_on(init)
    assert phase_a.depends_on(named(GRAPH, f"{server}-media-reader"))


def test_the_databases_follow_the_install_host_and_every_sql_server() -> None:
    databases = command("pchat01-a1", "pchat-databases")
    assert databases.depends_on(done("pchat01-a1", "pchat-install"))
    registrations = of_type(GRAPH, "azure-native:sqlvirtualmachine:SqlVirtualMachine")
    assert len(registrations) == 6
    assert [r.name for r in registrations if not databases.depends_on(r)] == []


def test_the_databases_precede_every_service_start_of_the_pool() -> None:
    databases = command("pchat01-a1", "pchat-databases")
    starts = [r for r in install_runs(GRAPH) if r.name.endswith("-pchat-start")]
    assert len(starts) == 4, "40,000 users: 2 active servers of 20,000, and as many standby"
    for start in starts:
        server = start.name.removesuffix("-pchat-start")
        assert start.depends_on(databases) and start.depends_on(done(server, "pchat-install")), server


def test_each_command_runs_as_system_with_the_password_a_secret_protected_parameter() -> None:
    """No runAsUser: the supervisor runs as SYSTEM and hands the phase to a task as the setup account; the
    password reaches it only as the protected parameter SetupPassword [AZ:windows/run-command-managed.md]."""
    for run in install_runs(GRAPH):
        inputs = run.inputs
        assert "runAsUser" not in inputs and "runAsPassword" not in inputs
        (parameter,) = inputs["protectedParameters"]
        assert parameter["name"] == "SetupPassword"
        assert is_secret(parameter["value"]) and reveal(parameter["value"]) == "Setup-Pw-1!"
        assert (inputs["treatFailureAsDeploymentFailure"], inputs["asyncExecution"]) == (True, False)
        assert inputs["timeoutInSeconds"] > 90 * 60, "longer than the 90-minute default"
        assert "Setup-Pw-1!" not in inputs["source"]["script"]
        assert "parameters" not in inputs


def test_the_scripts_are_the_rendered_phases() -> None:
    a1, s1 = PLAN.server("pchat01-a1"), PLAN.server("pchat01-s1")

    def carried(server: str, name: str) -> str:
        return embedded(command(server, name).inputs["source"]["script"])

    for name in chain("pchat01-a1", "pchat-install"):
        assert carried("pchat01-a1", name.removeprefix("pchat01-a1-")) == install.server_script(a1, PLAN)
    assert carried("pchat01-s1", "pchat-start") == install.start_script(s1, PLAN)
    assert carried("pchat01-a1", "pchat-databases") == install.database_script(PLAN.pools[0], PLAN)
    assert carried("pchat01-s1", "pchat-release") == install.release_script(
        s1, PLAN, runbook_scripts(PLAN, PLAN.pool(s1.pool))
    )
    setup = str(SOFTWARE["setupUser"])
    assert command("pchat01-a1", "pchat-install-resume2").inputs["source"]["script"] == install.supervisor_script(
        install.INSTALL, install.server_script(a1, PLAN), setup_user=setup, token=None, attempt=2
    )


def test_each_server_reads_the_media_container_with_its_own_identity() -> None:
    """Storage Blob Data Reader, scoped to the container; no SAS or key anywhere."""
    readers = [r for r in of_type(GRAPH, ROLE) if r.name.endswith("-media-reader")]
    assert len(readers) == 4
    for reader in readers:
        server = reader.name.removesuffix("-media-reader")
        assert reader.inputs["scope"] == f"{ACCOUNT}/blobServices/default/containers/lync"
        assert reader.inputs["roleDefinitionId"].endswith("/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
        assert reader.inputs["principalType"] == "ServicePrincipal"
        assert reader.depends_on(named(GRAPH, f"{server}-vm")), "the principal is the VM's identity"
    assert "sig=" not in str([r.inputs for r in GRAPH]) and "AccountKey" not in str([r.inputs for r in GRAPH])


def test_without_install_nothing_of_it_exists() -> None:
    graph = deploy(changed(FULL, software={**SOFTWARE, "install": False}))
    install = [r for r in graph if r.type in (RUN, ROLE, SLEEP) or r.type.endswith(":LyncInstall")]
    assert [r.name for r in install if "lync-pchat:index:PatchWaves$" not in r.urn] == []  # its own Run Commands


def test_a_standard_edition_server_waits_for_its_restart() -> None:
    """Its bootstrap installs Desktop Experience, which needs a restart one minute after the bootstrap."""
    graph = deploy(changed(standard(), domainJoin=JOIN, software=SOFTWARE, backup={"enabled": False}))
    wait = named(graph, "lyncse01-restart-wait")  # the install phase's own wait (the backups have theirs)
    assert wait.inputs == {"createDuration": "5m"} and wait.depends_on(named(graph, "lyncse01-init"))
    assert named(graph, "lyncse01-pchat-install").depends_on(wait)
    assert [r.name for r in install_runs(graph)] == [
        *chain("lyncse01", "pchat-install"), "lyncse01-pchat-databases", "lyncse01-pchat-start",
        "lyncse01-pchat-verify", "lyncse01-pchat-release"]  # fmt: skip


def test_without_the_setup_password_the_program_stops_before_any_resource() -> None:
    from lync_pchat.errors import TopologyConfigError
    from lync_pchat.offline.engine import run

    with pytest.raises(TopologyConfigError, match=r"^pchat:setupPassword is not set: software.install runs"):
        run(program, {"pchat:topology": FULL, "pchat:domainJoinPassword": "x"})


def test_the_plan_summary_lists_the_run_commands_in_the_order_the_graph_runs_them() -> None:
    """``pchat plan`` shows the install phase; each row's 'after' is a dependency the graph really has."""
    from lync_pchat.report import install_phase

    lines = install_phase(PLAN)
    assert lines[0] == f"Install phase: on. Lync Server 2013 from {SOFTWARE['mediaUri']}, as CORP\\lyncsetup:"
    assert lines[-1].startswith("Platform: the bootstrap is a Custom Script Extension, the install managed Run")
    assert "for Windows Server 2016 and later only, not 2012 R2" in lines[-1], "operations.md §5.1"
    rows = [line.split("  ") for line in lines[3:-1]]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    pool = PLAN.pools[0]
    assert [(row[0].split(" ")[0], row[1]) for row in rows] == [
        *(("pchat-install", s.key) for s in pool.pool_servers),
        ("pchat-databases", "pchat01-a1"),
        *(("pchat-start", s.key) for s in pool.pool_servers),
        ("pchat-log-shipping", "pchat01-bak"),  # on the backup store [operations.md §3.5]
        ("pchat-verify", "pchat01-a1"),
        *(("pchat-release", s.key) for s in pool.pool_servers),
    ]
    started = "every pchat-start of the pool"
    for step, server, after in rows:
        resource = command(server, step.split(" ")[0])
        if step == "pchat-install":
            assert after == "its bootstrap and domain join"
            assert resource.depends_on(named(GRAPH, f"{server}-init"))
        elif step.startswith("pchat-databases"):
            assert (step, after) == ("pchat-databases (mgc)", "its pchat-install; the SQL Servers")
            assert resource.depends_on(done(server, "pchat-install"))
        elif step == "pchat-release":
            assert after == f"{started}; pchat-log-shipping on pchat01-bak; pchat-verify"
            assert [s.key for s in pool.pool_servers if not resource.depends_on(done(s.key, "pchat-start"))] == []
            assert resource.depends_on(command("pchat01-a1", "pchat-verify"))
            assert resource.depends_on(done("pchat01-bak", "pchat-log-shipping"))
        elif step == "pchat-log-shipping":
            assert after == f"pchat-databases on pchat01-a1; {started}"
            assert [s.key for s in pool.pool_servers if not resource.depends_on(done(s.key, "pchat-start"))] == []
            assert resource.depends_on(done("pchat01-a1", "pchat-databases"))
        elif step == "pchat-verify":
            assert after == f"{started}; pchat-log-shipping on pchat01-bak"
            assert [s.key for s in pool.pool_servers if not resource.depends_on(done(s.key, "pchat-start"))] == []
            assert resource.depends_on(done("pchat01-bak", "pchat-log-shipping"))
        else:
            assert after == "its pchat-install; pchat-databases on pchat01-a1"
            assert resource.depends_on(command("pchat01-a1", "pchat-databases"))
            assert resource.depends_on(done(server, "pchat-install"))


def test_the_plan_summary_says_how_to_switch_the_install_phase_on() -> None:
    from lync_pchat.report import install_phase

    assert install_phase(plan_topology(enterprise())) == [
        "Install phase: off (software.install is false). After the topology is published (the publish runbook), "
        "set software.install: true and run pulumi up, or install with the Deployment Wizard.",
        "Platform: the bootstrap is a Custom Script Extension (the backups a managed Run Command); Azure documents "
        "both for Windows Server 2016 and later only, not 2012 R2, which this stack runs (docs/install.md, "
        "'Platform').",
    ]


OFF_THE_LIST = ", not 2012 R2, which this stack runs (docs/install.md, 'Platform')."


@pytest.mark.parametrize(
    ("product", "images", "said"),
    [
        ("lync2013", {}, OFF_THE_LIST),
        ("skype2015", {}, ": this stack runs Windows Server 2019, on that list."),
        ("skype2015", {"windows": {"sku": "2016-Datacenter"}},
         ": this stack runs Windows Server 2016 and 2019, on that list."),
        ("skype2015", {"windows": {"sku": "2012-R2-Datacenter"}}, OFF_THE_LIST),
    ],
)  # fmt: skip
def test_the_platform_line_names_the_versions_off_azure_s_list(product: str, images: dict[str, Any], said: str) -> None:
    """The Custom Script Extension and managed Run Commands are documented for Windows Server 2016 and later only
    (operations.md §5.1): the plan says which of the stack's versions (its Windows image's, and the one its SQL
    Server offer names) are off that list."""
    from lync_pchat.report import platform

    line = platform(plan_topology(changed(enterprise(), product=product, images=images)))
    assert line.endswith(f"Azure documents both for Windows Server 2016 and later only{said}")


UPDATED = changed(FULL, software={**SOFTWARE, "updateInstaller": "cu2023-02/LyncServerUpdateInstaller.exe"})
UPDATED_GRAPH = lazy_list(lambda: deploy(UPDATED))


def test_the_update_runs_after_phase_a_and_before_the_databases_and_the_start() -> None:
    """The update in its own Run Command: the databases are created with the updated tools, and no shell holds
    the files it replaces (the Lync admin review of issue 10)."""
    plan = plan_topology(UPDATED)

    def run(server: str, phase: str) -> Resource:
        return named(UPDATED_GRAPH, f"{server}-{phase}")

    chat = [s.key for s in plan.pools[0].pool_servers]
    assert sorted(r.name for r in install_runs(UPDATED_GRAPH) if "-pchat-update" in r.name) == sorted(
        name for k in chat for name in chain(k, "pchat-update")
    )
    for key in chat:
        update = run(key, "pchat-update")
        assert update.depends_on(done(key, "pchat-install", UPDATED_GRAPH))
        assert run(key, "pchat-start").depends_on(done(key, "pchat-update", UPDATED_GRAPH))
        assert embedded(update.inputs["source"]["script"]) == install.update_script(plan.server(key), plan)
        assert update.inputs["runCommandName"] == "pchat-update"
    assert run("pchat01-a1", "pchat-databases").depends_on(done("pchat01-a1", "pchat-update", UPDATED_GRAPH))
    assert install_runs(GRAPH) and not [r for r in install_runs(GRAPH) if "-pchat-update" in r.name]


def test_the_update_database_step_runs_once_after_the_last_wave_and_before_the_start_and_the_release() -> None:
    """The product's update procedure runs Install-CsDatabase -Update once the binaries are updated
    [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] (operations.md 9.3): once per
    pool, on its install host, after every server's update (the last wave) and phase B; the start and the release
    follow it. Without an update installer there is no such step."""
    plan = plan_topology(UPDATED)
    step = named(UPDATED_GRAPH, "pchat01-a1-pchat-cu-databases")
    assert step.inputs["runCommandName"] == "pchat-cu-databases"
    assert embedded(step.inputs["source"]["script"]) == install.cu_databases_script(
        plan.pools[0], plan, runbook_scripts(plan, plan.pools[0])
    )
    assert step.depends_on(done("pchat01-a1", "pchat-databases", UPDATED_GRAPH))
    for server in plan.pools[0].pool_servers:
        assert step.depends_on(done(server.key, "pchat-update", UPDATED_GRAPH)), server.key
        assert named(UPDATED_GRAPH, f"{server.key}-pchat-start").depends_on(step), server.key
        assert named(UPDATED_GRAPH, f"{server.key}-pchat-release").depends_on(step), server.key
    assert [r.name for r in install_runs(UPDATED_GRAPH) if "cu-databases" in r.name] == [step.name]
    assert [r.name for r in install_runs(GRAPH) if "cu-databases" in r.name] == []


def grant_of(graph: list[Resource], key: str) -> Resource:
    return named(graph, f"{key}-pchat-cu-grant")


def test_the_grant_precedes_the_update_database_step_which_precedes_the_release() -> None:
    """A later update after the release: Install-CsDatabase -Update needs sysadmin (and WMI: local Administrators) on
    the SQL Server [L:lync-server-2013-deployment-permissions-for-sql-server], which pchat-release took back. So on
    both partners of each mirrored store (the principal now may be either: operations.md 9.3), the grant runs first,
    as SYSTEM (no runAsUser, no password) with the rendered script, after the server's registration and with its
    log writer; the database step depends on every grant, the release on the database step."""
    plan = plan_topology(UPDATED)
    pool = plan.pools[0]
    partners = sorted({i.server for s in pool.stores for i in (s.primary, s.mirror) if i is not None and i.server})
    assert partners == ["pchat01-sql", "pchat01-sqlm"]
    grants = [r for r in of_type(UPDATED_GRAPH, RUN) if r.inputs["runCommandName"] == "pchat-cu-grant"]
    assert sorted(r.name for r in grants) == [f"{key}-pchat-cu-grant" for key in partners]
    step = named(UPDATED_GRAPH, "pchat01-a1-pchat-cu-databases")
    for key in partners:
        grant = grant_of(UPDATED_GRAPH, key)
        assert grant.inputs["source"]["script"] == grant_script(plan.server(key), plan)
        assert "runAsUser" not in grant.inputs and "protectedParameters" not in grant.inputs
        assert grant.inputs["vmName"] == plan.server(key).computer_name
        assert grant.inputs["outputBlobUri"] == f"{LOGS}/{key}/pchat-cu-grant.output.log"
        assert grant.depends_on(named(UPDATED_GRAPH, f"{key}-sqlvm"))
        assert grant.depends_on(named(UPDATED_GRAPH, f"{key}-log-writer"))
        assert step.depends_on(grant), key
    for server in pool.pool_servers:
        assert named(UPDATED_GRAPH, f"{server.key}-pchat-release").depends_on(step), server.key


def test_no_grant_without_an_update_or_with_keep_setup_rights() -> None:
    """Without an update installer there is no database step to grant for; with keepSetupRights the release never
    takes the rights back: the database step runs without a grant."""
    kept = deploy(changed(UPDATED, software={**UPDATED["software"], "keepSetupRights": True}))
    assert named(kept, "pchat01-a1-pchat-cu-databases")
    for graph in (GRAPH, kept):
        assert [r.name for r in of_type(graph, RUN) if r.inputs["runCommandName"] == "pchat-cu-grant"] == []
        assert [r.name for r in of_type(graph, ROLE) if r.name.startswith("pchat01-sql")] == []


def test_a_new_update_changes_only_the_update_and_release_commands() -> None:
    """Growth stays safe: a new updateInstaller changes the update scripts and, since each update's supervisor makes
    the setup account a local administrator again, the release on every server (issue 24); nothing else."""
    before = {r.urn: kept(r) for r in UPDATED_GRAPH}
    newer = deploy(changed(UPDATED, software__updateInstaller="cu2024-01/LyncServerUpdateInstaller.exe"))
    after = {r.urn: kept(r) for r in newer}
    assert set(before) == set(after)
    changed_names = sorted(urn.rsplit("::", 1)[-1] for urn in before if before[urn] != after[urn])
    assert changed_names == sorted(
        [
            name
            for s in PLAN.pools[0].pool_servers
            for name in (*chain(s.key, "pchat-update"), f"{s.key}-pchat-update-wait1", *chain(s.key, "pchat-release"))
        ]
        + ["pchat01-a1-pchat-cu-databases"]
        + [f"{key}-pchat-cu-grant" for key in ("pchat01-sql", "pchat01-sqlm")]
    ), (
        "the update's Run Commands, the wait before its resume (a new run waits again), the database step on the "
        "install host (keyed on the installer), the grant before it on each SQL Server it reaches, and the release"
    )


@pytest.mark.parametrize(
    "software",
    [{"updateInstaller": "cu2024-01/LyncServerUpdateInstaller.exe"}, {"runToken": "2026-12-06"}],
    ids=["update-installer", "run-token"],
)
def test_any_re_run_is_followed_by_the_release_on_every_server(software: dict[str, str]) -> None:
    """A phase that runs again grants the setup account its rights again (its supervisor), so the release runs
    again too: Azure re-runs a Run Command only when its content changes (operations.md 5.2)."""
    newer = deploy(changed(UPDATED, software={**UPDATED["software"], **software}))
    plan = plan_topology(changed(UPDATED, software={**UPDATED["software"], **software}))
    for server in PLAN.pools[0].pool_servers:
        old, new = named(UPDATED_GRAPH, f"{server.key}-pchat-release"), named(newer, f"{server.key}-pchat-release")
        assert old.inputs["source"]["script"] != new.inputs["source"]["script"], server.key
        assert embedded(new.inputs["source"]["script"]) == install.release_script(
            plan.server(server.key), plan, runbook_scripts(plan, plan.pool(plan.server(server.key).pool))
        )


def test_the_plan_summary_lists_the_update_between_the_install_and_the_databases() -> None:
    from lync_pchat.report import install_phase

    plan = plan_topology(UPDATED)
    rows = [[c.strip() for c in line.split("  ") if c.strip()] for line in install_phase(plan)[3:-1]]
    chat = [s.key for s in plan.pools[0].pool_servers]
    update = "pchat-update (cu2023-02/LyncServerUpdateInstaller.exe)"
    first = "pchat-install; pchat-update on pchat01-a1"  # wave 2 after wave 1 (tests/operations/test_waves.py)
    assert rows[len(chat) : 2 * len(chat)] == [
        [update, "pchat01-a1", "pchat-install"],
        [update, "pchat01-a2", first],
        [update, "pchat01-s1", first],
        [update, "pchat01-s2", first],
    ]
    assert rows[2 * len(chat)] == [
        "pchat-databases (mgc)", "pchat01-a1", "its pchat-update; every pchat-update; the SQL Servers"
    ]  # fmt: skip
    granted = ["pchat01-sql", "pchat01-sqlm"]  # both partners of mgc
    assert rows[2 * len(chat) + 1 : 2 * len(chat) + 1 + len(granted)] == [
        ["pchat-cu-grant", key, "its bootstrap"] for key in granted
    ]
    assert rows[2 * len(chat) + 1 + len(granted)] == [
        "pchat-cu-databases", "pchat01-a1", "its pchat-databases; every pchat-update; every pchat-cu-grant"
    ]  # fmt: skip
    assert rows[-3 - len(chat)] == ["pchat-start", chat[-1], "its pchat-update; pchat-cu-databases on pchat01-a1"]
    assert rows[-2 - len(chat)] == [
        "pchat-log-shipping", "pchat01-bak", "pchat-databases on pchat01-a1; every pchat-start of the pool"
    ]  # fmt: skip
    assert rows[-1 - len(chat)] == [
        "pchat-verify", "pchat01-a1", "every pchat-start of the pool; pchat-log-shipping on pchat01-bak"
    ]  # fmt: skip
    for step, server, after in rows[: -len(chat)]:
        resource = named(UPDATED_GRAPH, f"{server}-{step.split(' ')[0]}")
        for needed in after.split("; "):
            name = needed.removeprefix("its ").split(" on ")
            if name[0].startswith("pchat-"):
                target = done(name[1] if len(name) > 1 else server, name[0], UPDATED_GRAPH)
                assert resource.depends_on(target), (step, server, target.name)


def minutes(duration: str) -> int:
    assert duration.endswith("m"), duration
    return int(duration[:-1])


def test_pulumi_waits_for_every_run_command_longer_than_its_script_may_run() -> None:
    """customTimeouts (create and update) at least the Run Command's timeoutInSeconds, so that pulumi up never
    gives up while the script still runs; the 90-minute default is too short for a phase [lync-install.md §7
    timeoutInSeconds] (the grant before the update's database step runs two local commands: its own 30 minutes)."""
    runs = install_runs(GRAPH) + install_runs(UPDATED_GRAPH)
    assert {re.sub(r"-resume\d+$", "", r.inputs["runCommandName"]) for r in runs} == {
        "pchat-install", "pchat-update", "pchat-databases", "pchat-cu-databases", "pchat-start",
        "pchat-log-shipping", "pchat-verify", "pchat-release", "pchat-cu-grant"}  # fmt: skip
    for run in runs:
        create, update, _ = run.custom_timeouts
        script = int(run.inputs["timeoutInSeconds"])
        assert minutes(create) * 60 >= script and minutes(update) * 60 >= script, run.name
        assert script > 90 * 60 or (run.inputs["runCommandName"], script) == ("pchat-cu-grant", 30 * 60), run.name


LOGS = "https://contosomedia.blob.core.windows.net/pchat-install-pchat01"
"""The pool's own container in the media's storage account."""


def test_each_run_command_writes_its_output_and_error_to_append_blobs_with_its_managed_identity() -> None:
    """outputBlobUri/errorBlobUri with outputBlobManagedIdentity/errorBlobManagedIdentity ``{}`` (the system
    identity), which needs Storage Blob Data Contributor [AZ:windows/run-command-managed.md]; instanceView keeps
    only the last 4 KB."""
    for run in install_runs(GRAPH):
        server, name = run.name.split("-pchat-")[0], run.inputs["runCommandName"]
        assert run.inputs["outputBlobUri"] == f"{LOGS}/{server}/{name}.output.log"
        assert run.inputs["errorBlobUri"] == f"{LOGS}/{server}/{name}.error.log"
        assert run.inputs["outputBlobManagedIdentity"] == {} and run.inputs["errorBlobManagedIdentity"] == {}
    (container,) = of_type(GRAPH, "azure-native:storage:BlobContainer")
    assert container.inputs == {
        "accountName": "contosomedia", "resourceGroupName": "rg-media", "containerName": "pchat-install-pchat01",
        "publicAccess": "None"}  # fmt: skip
    writers = [r for r in of_type(GRAPH, ROLE) if r.name.endswith("-log-writer")]
    # The four pool servers, and the backup store that arms log shipping (the stack is stretched).
    assert sorted(w.name.removesuffix("-log-writer") for w in writers) == [
        "pchat01-a1", "pchat01-a2", "pchat01-bak", "pchat01-s1", "pchat01-s2"]  # fmt: skip
    for writer in writers:
        assert writer.inputs["scope"] == f"{ACCOUNT}/blobServices/default/containers/pchat-install-pchat01"
        # Storage Blob Data Contributor, the built-in role id.
        assert writer.inputs["roleDefinitionId"].endswith("/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe")
        assert writer.depends_on(container)
        server = writer.name.removesuffix("-log-writer")
        first = "pchat-log-shipping" if server == "pchat01-bak" else "pchat-install"
        assert command(server, first).depends_on(writer)


def test_a_new_run_token_runs_every_phase_again_and_changes_nothing_else() -> None:
    """Azure runs a Run Command again only when its content changes (operations.md §5.2): a new token changes
    every Run Command (and the waits before the resumes, which wait again), nothing else."""
    before = {r.urn: r for r in GRAPH}
    after = {r.urn: r for r in deploy(changed(FULL, software={**SOFTWARE, "runToken": "2026-12-05"}))}
    assert set(before) == set(after)
    differ = {urn for urn in before if kept(before[urn]) != kept(after[urn])}
    runs = {r.urn for r in install_runs(GRAPH)}
    waits = {r.urn for r in of_type(GRAPH, SLEEP) if "-wait" in r.name and not r.name.endswith("restart-wait")}
    assert runs and waits and differ == runs | waits


def test_the_release_comes_last_on_every_server_and_keep_setup_rights_leaves_it_out() -> None:
    pool = PLAN.pools[0]
    for server in pool.pool_servers:
        release = command(server.key, "pchat-release")
        assert embedded(release.inputs["source"]["script"]) == install.release_script(
            server, PLAN, runbook_scripts(PLAN, PLAN.pool(server.pool))
        )
        for other in pool.pool_servers:
            assert release.depends_on(done(other.key, "pchat-start")), (server.key, other.key)
        assert release.depends_on(command("pchat01-a1", "pchat-databases"))
    kept = deploy(changed(FULL, software={**SOFTWARE, "keepSetupRights": True}))
    assert [r.name for r in install_runs(kept) if "release" in r.name] == []
    assert len(install_runs(kept)) == len(install_runs(GRAPH)) - len(pool.pool_servers)
