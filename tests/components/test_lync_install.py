"""The install phase: with ``software.install``, every Persistent Chat server installs Lync Server 2013
through managed Run Commands, in the documented order; without it, nothing of it exists.

Order [lync-install.md §1.4, §2.1]: the server joined to the domain and bootstrapped, then its components
(phase A); the pool's databases once, after the SQL Servers are up (phase B); then each server's services
(phase C): "the database step precedes every service start of its pool" (issue 10).
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat import install
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, is_secret, named, of_type, reveal, synthesize
from lync_pchat.program import run as program

from ..model.configs import changed, enterprise, standard

RUN = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
ROLE = "azure-native:authorization:RoleAssignment"
SLEEP = "time:index/sleep:Sleep"
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
)
SECRETS = {"pchat:domainJoinPassword": "Join-Pw-1!", "pchat:setupPassword": "Setup-Pw-1!"}


def deploy(topology: dict[str, Any]) -> list[Resource]:
    return synthesize(program, {"pchat:topology": topology, **SECRETS})


GRAPH = deploy(FULL)
PLAN = plan_topology(FULL)


def command(server: str, phase: str) -> Resource:
    return named(GRAPH, f"{server}-{phase}")


def test_every_persistent_chat_server_and_only_they_install() -> None:
    pool = PLAN.pools[0]
    chat = sorted(s.key for s in pool.pool_servers)
    assert sorted(r.name for r in of_type(GRAPH, RUN)) == sorted(
        [f"{k}-pchat-install" for k in chat] + [f"{k}-pchat-start" for k in chat] + ["pchat01-a1-pchat-databases"]
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
    assert databases.depends_on(command("pchat01-a1", "pchat-install"))
    registrations = of_type(GRAPH, "azure-native:sqlvirtualmachine:SqlVirtualMachine")
    assert len(registrations) == 6
    assert [r.name for r in registrations if not databases.depends_on(r)] == []


def test_the_databases_precede_every_service_start_of_the_pool() -> None:
    databases = command("pchat01-a1", "pchat-databases")
    starts = [r for r in of_type(GRAPH, RUN) if r.name.endswith("-pchat-start")]
    assert len(starts) == 4, "40,000 users: 2 active servers of 20,000, and as many standby"
    for start in starts:
        server = start.name.removesuffix("-pchat-start")
        assert start.depends_on(databases) and start.depends_on(command(server, "pchat-install")), server


def test_each_command_runs_as_the_setup_user_with_a_secret_password_and_fails_the_deployment() -> None:
    for run in of_type(GRAPH, RUN):
        inputs = run.inputs
        assert inputs["runAsUser"] == "CORP\\lyncsetup"
        assert is_secret(inputs["runAsPassword"]) and reveal(inputs["runAsPassword"]) == "Setup-Pw-1!"
        assert (inputs["treatFailureAsDeploymentFailure"], inputs["asyncExecution"]) == (True, False)
        assert inputs["timeoutInSeconds"] > 90 * 60, "longer than the 90-minute default"
        assert "Setup-Pw-1!" not in inputs["source"]["script"]
        assert "protectedParameters" not in inputs and "parameters" not in inputs


def test_the_scripts_are_the_rendered_phases() -> None:
    a1, s1 = PLAN.server("pchat01-a1"), PLAN.server("pchat01-s1")
    assert command("pchat01-a1", "pchat-install").inputs["source"]["script"] == install.server_script(a1, PLAN)
    assert command("pchat01-s1", "pchat-start").inputs["source"]["script"] == install.start_script(s1, PLAN)
    databases = command("pchat01-a1", "pchat-databases").inputs["source"]["script"]
    assert databases == install.database_script(PLAN.pools[0], PLAN)


def test_each_server_reads_the_media_container_with_its_own_identity() -> None:
    """Storage Blob Data Reader, scoped to the container; no SAS or key anywhere."""
    readers = of_type(GRAPH, ROLE)
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
    assert [r.name for r in graph if r.type in (RUN, ROLE, SLEEP) or r.type.endswith(":LyncInstall")] == []


def test_a_standard_edition_server_waits_for_its_restart() -> None:
    """Its bootstrap installs Desktop Experience, which needs a restart one minute after the bootstrap."""
    graph = deploy(changed(standard(), domainJoin=JOIN, software=SOFTWARE))
    (wait,) = of_type(graph, SLEEP)
    assert wait.inputs == {"createDuration": "5m"} and wait.depends_on(named(graph, "lyncse01-init"))
    assert named(graph, "lyncse01-pchat-install").depends_on(wait)
    assert [r.name for r in of_type(graph, RUN)] == [
        "lyncse01-pchat-install", "lyncse01-pchat-databases", "lyncse01-pchat-start"]  # fmt: skip


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
    rows = [line.split("  ") for line in lines[3:]]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    pool = PLAN.pools[0]
    assert [(row[0].split(" ")[0], row[1]) for row in rows] == [
        *(("pchat-install", s.key) for s in pool.pool_servers),
        ("pchat-databases", "pchat01-a1"),
        *(("pchat-start", s.key) for s in pool.pool_servers),
    ]
    for step, server, after in rows:
        resource = command(server, step.split(" ")[0])
        if step == "pchat-install":
            assert after == "its bootstrap and domain join"
            assert resource.depends_on(named(GRAPH, f"{server}-init"))
        elif step.startswith("pchat-databases"):
            assert (step, after) == ("pchat-databases (mgc)", "its pchat-install; the SQL Servers")
            assert resource.depends_on(command(server, "pchat-install"))
        else:
            assert after == "its pchat-install; pchat-databases on pchat01-a1"
            assert resource.depends_on(command("pchat01-a1", "pchat-databases"))
            assert resource.depends_on(command(server, "pchat-install"))


def test_the_plan_summary_says_how_to_switch_the_install_phase_on() -> None:
    from lync_pchat.report import install_phase

    assert install_phase(plan_topology(enterprise())) == [
        "Install phase: off (software.install is false). After the topology is published (the publish runbook), "
        "set software.install: true and run pulumi up, or install with the Deployment Wizard."
    ]


UPDATED = changed(FULL, software={**SOFTWARE, "updateInstaller": "cu2023-02/LyncServerUpdateInstaller.exe"})
UPDATED_GRAPH = deploy(UPDATED)


def test_the_update_runs_after_phase_a_and_before_the_databases_and_the_start() -> None:
    """The update in its own Run Command: the databases are created with the updated tools, and no shell holds
    the files it replaces (the Lync admin review of issue 10)."""
    plan = plan_topology(UPDATED)

    def run(server: str, phase: str) -> Resource:
        return named(UPDATED_GRAPH, f"{server}-{phase}")

    chat = [s.key for s in plan.pools[0].pool_servers]
    assert sorted(r.name for r in of_type(UPDATED_GRAPH, RUN) if r.name.endswith("-pchat-update")) == sorted(
        f"{k}-pchat-update" for k in chat
    )
    for key in chat:
        update = run(key, "pchat-update")
        assert update.depends_on(run(key, "pchat-install"))
        assert run(key, "pchat-start").depends_on(update)
        assert update.inputs["source"]["script"] == install.update_script(plan.server(key), plan)
        assert update.inputs["runCommandName"] == "pchat-update"
    assert run("pchat01-a1", "pchat-databases").depends_on(run("pchat01-a1", "pchat-update"))
    assert of_type(GRAPH, RUN) and not [r for r in of_type(GRAPH, RUN) if r.name.endswith("-pchat-update")]


def test_a_new_update_changes_only_the_update_commands() -> None:
    """Growth stays safe: a new updateInstaller changes the update scripts and nothing else."""
    before = {r.urn: r.inputs for r in UPDATED_GRAPH}
    newer = deploy(changed(UPDATED, software__updateInstaller="cu2024-01/LyncServerUpdateInstaller.exe"))
    after = {r.urn: r.inputs for r in newer}
    assert set(before) == set(after)
    changed_names = sorted(urn.rsplit("::", 1)[-1] for urn in before if before[urn] != after[urn])
    assert changed_names == sorted(f"{s.key}-pchat-update" for s in PLAN.pools[0].pool_servers)


def test_the_plan_summary_lists_the_update_between_the_install_and_the_databases() -> None:
    from lync_pchat.report import install_phase

    plan = plan_topology(UPDATED)
    rows = [[c.strip() for c in line.split("  ") if c.strip()] for line in install_phase(plan)[3:]]
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
    assert rows[-1] == ["pchat-start", chat[-1], "its pchat-update; pchat-databases on pchat01-a1"]
    for step, server, after in rows:
        resource = named(UPDATED_GRAPH, f"{server}-{step.split(' ')[0]}")
        for needed in after.split("; "):
            name = needed.removeprefix("its ").split(" on ")
            target = f"{name[1] if len(name) > 1 else server}-{name[0]}"
            if name[0].startswith("pchat-"):
                assert resource.depends_on(named(UPDATED_GRAPH, target)), (step, server, target)
