"""Restarts in the middle of a phase, simulated from the scripts' state on disk: one ``pulumi up`` completes.

The simulation runs the Run Commands of the synthesized graph in the order ``pulumi up`` runs them, each with the
settings its rendered supervisor carries (phase, attempt, restarts, run id), and decides what each does with the
protocol of :mod:`lync_pchat.install.supervisor` (which ``Invoke-InstallPhase.ps1`` follows branch for branch,
checked below on its parse tree). The phase script is the one the Run Command embeds: its steps, read from its
parse tree, run in order and skip what is done (each step is guarded: tests/install/test_server.py and friends);
a step that calls ``Request-Restart`` (directly or through a helper) records ``restart`` with the boot it was
written in and ends the run. A scheduled restart happens during the wait before the next resume; at startup the
task runs the phase again (its AtStartup trigger).

Oracles: Azure runs a Run Command again only when its content changes, and there is no forceUpdateTag
(operations.md §5.2): a second ``pulumi up`` with the same inputs runs nothing, so the install must finish in one.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from lync_pchat.install import regrant
from lync_pchat.install import supervisor as sv
from lync_pchat.offline.graph import Resource

from .. import powershell as ps
from ..components.test_lync_install import INSTALL_PARENT, RUN, SLEEP, UPDATED, deploy, install_runs
from ..support.lazy import lazy_list
from .support import function, server_tree, settings, steps

RESTART_STEPS = {
    "pchat-install": (
        "Wait out a pending restart",
        "Install the core components",
        "Install the components of the published topology",
    ),
    "pchat-update": ("Install the cumulative update",),
    "pchat-databases": (),
    "pchat-cu-databases": (),
    "pchat-start": (),
    "pchat-log-shipping": (),
    "pchat-verify": (),
    "pchat-release": (),
}  # fmt: skip
"""Where a phase may restart its server: a restart left pending (the bootstrap's features), an installer's 3010
and setup's own prompt ("If you're prompted to restart ... run Step 2 one more time"
[L:lync-server-2013-install-lync-server-server-components]); the cumulative update's restart (JJ721942 installs,
then the server restarts when the installer asks)."""


@functools.cache
def _restarting_functions(script: str) -> frozenset[str]:
    """Functions of the script that call Request-Restart."""
    root = server_tree(script)
    names = set()
    for node in ps.of_type(root, "function_statement"):
        name = next(ps.text(c) for c in node.children if c.type == "function_name")
        if name != "Request-Restart" and ps.commands(node, "Request-Restart"):
            names.add(name)
    return frozenset(names)


@functools.cache
def phase_steps(script: str) -> tuple[tuple[str, bool], ...]:
    """(step name, whether it may ask for a restart) of the phase script, in order."""
    helpers = _restarting_functions(script)
    found = []
    for name, block in steps(script):
        calls = {c.name for c in ps.commands(block)}
        found.append((name, bool(calls & ({"Request-Restart"} | helpers))))
    return tuple(found)


@dataclass
class Vm:
    """One server's disk (the markers) and what survives a restart (the registered tasks)."""

    boot: int = 0
    markers: dict[str, dict[str, Any]] = field(default_factory=dict)
    done_steps: dict[str, set[str]] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    """phase -> embedded script of the registered task."""
    restart_scheduled: bool = False
    asks: set[tuple[str, str]] = field(default_factory=set)
    """(phase, step) where a restart is still to be asked for (each is asked once: after it the step is done)."""
    runs: dict[str, int] = field(default_factory=dict)
    """phase -> how many times its script ran."""

    def worker(self, phase: str) -> None:
        """The scheduled task: the phase script, from its first step, skipping what is done."""
        script = self.tasks[phase]
        self.runs[phase] = self.runs.get(phase, 0) + 1
        done = self.done_steps.setdefault(phase, set())
        marker = self.markers[phase]
        for name, may_restart in phase_steps(script):
            marker.update(Status=sv.RUNNING, Step=name, Boot=self.boot)
            if name in done:
                continue
            done.add(name)
            if may_restart and (phase, name) in self.asks:
                self.asks.discard((phase, name))
                marker.update(Status=sv.RESTART, Boot=self.boot)
                return
        marker.update(Status=sv.DONE)

    def restart(self) -> None:
        """Windows restarts; every registered task runs at startup."""
        self.boot += 1
        self.restart_scheduled = False
        for phase in list(self.tasks):
            self.worker(phase)


def command_settings(run: Resource) -> dict[str, Any]:
    return settings(run.inputs["source"]["script"])


def supervised(run: Resource) -> bool:
    """A phase's Run Command (the supervisor), not the plain grant before a cumulative update's database step, which
    runs its script as SYSTEM, asks for no restart and keeps no marker (tests/install/test_regrant.py)."""
    return bool(run.inputs["runCommandName"] != regrant.COMMAND)


def supervised_runs(graph: list[Resource]) -> list[Resource]:
    return [r for r in install_runs(graph) if supervised(r)]


def run_command(vm: Vm, run: Resource) -> str:
    """One Run Command, as Invoke-InstallPhase.ps1 runs it: its exit ('ok' or 'failed: ...')."""
    cfg = command_settings(run)
    phase, attempt, restarts, run_id = cfg["Phase"], cfg["Attempt"], cfg["Restarts"], cfg["RunId"]
    first = sv.first_action(vm.markers.get(phase), run_id, attempt)
    if first == sv.FINISH:
        vm.tasks.pop(phase, None)
        return "ok"
    if first == sv.FAIL:
        return "failed: " + str(vm.markers[phase].get("Step"))
    if first == sv.BEGIN:
        vm.markers[phase] = {"RunId": run_id, "Status": sv.QUEUED, "Boot": vm.boot}
        vm.tasks[phase] = sv.embedded(run.inputs["source"]["script"])
        vm.worker(phase)
    for _ in range(10):
        action = sv.wait_action(vm.markers[phase], vm.boot, attempt, restarts)  # type: ignore[arg-type]
        if action == sv.FINISH:
            vm.tasks.pop(phase, None)
            return "ok"
        if action == sv.REBOOT:
            vm.restart_scheduled = True
            return "ok"
        if action in (sv.FAIL, sv.EXHAUSTED):
            return f"failed: {action}"
        if action == sv.KICK:
            vm.worker(phase)
    return "failed: timeout"


def deploy_once(graph: list[Resource], vms: dict[str, Vm], only: Iterable[str] | None = None) -> dict[str, str]:
    """One ``pulumi up``: the Run Commands (only those named, when given) and waits in the graph's order."""
    ran = {}
    wanted = None if only is None else set(only)
    position = {r.urn: i for i, r in enumerate(graph)}
    for resource in graph:
        assert all(position.get(d, -1) < position[resource.urn] for d in resource.dependencies), resource.name
        server = resource.name.split("-pchat-")[0]
        if resource.type == SLEEP and "-pchat-" in resource.name:
            vm = vms.setdefault(server, Vm())
            if vm.restart_scheduled:
                vm.restart()
        elif resource.type == RUN and INSTALL_PARENT in resource.urn and (wanted is None or resource.name in wanted):
            # The grant: one plain run of its script, no marker, no restart.
            ran[resource.name] = run_command(vms.setdefault(server, Vm()), resource) if supervised(resource) else "ok"
    return ran


GRAPH = lazy_list(lambda: deploy(UPDATED))
PHASE_NAMES = [p.name for p in sv.PHASES]


def test_the_restart_steps_are_the_ones_the_scripts_ask_from_and_each_phase_has_a_resume_for_each() -> None:
    """Derived from the rendered scripts: every step that can call Request-Restart, and no other, is listed; a
    phase has at least as many resumes as it has such steps (all of them may ask in one run)."""
    seen: dict[str, set[str]] = {name: set() for name in PHASE_NAMES}
    for run in supervised_runs(GRAPH):
        cfg = command_settings(run)
        for name, may_restart in phase_steps(sv.embedded(run.inputs["source"]["script"])):
            if may_restart:
                seen[cfg["Phase"]].add(name)
    assert {k: tuple(sorted(v)) for k, v in seen.items()} == {k: tuple(sorted(v)) for k, v in RESTART_STEPS.items()}
    for phase in sv.PHASES:
        assert phase.restarts >= len(RESTART_STEPS[phase.name]), phase.name


def _cases() -> list[tuple[str, tuple[str, ...]]]:
    cases = []
    for phase, names in RESTART_STEPS.items():
        cases += [(phase, (name,)) for name in names]
        if len(names) > 1:
            cases.append((phase, names))
    return cases


@pytest.mark.parametrize(("phase", "asking"), _cases(), ids=str)
def test_a_restart_in_the_middle_of_a_phase_and_the_install_completes_in_one_pulumi_up(
    phase: str, asking: tuple[str, ...]
) -> None:
    vms: dict[str, Vm] = {}
    servers = {r.name.split("-pchat-")[0] for r in supervised_runs(GRAPH)}
    for server in servers:
        # Only a server that runs the phase can be asked (the backup store runs pchat-log-shipping alone).
        vms[server] = Vm(asks={(phase, name) for name in asking} if phase in _scripts(server) else set())
    ran = deploy_once(GRAPH, vms)
    assert set(ran.values()) == {"ok"}, {k: v for k, v in ran.items() if v != "ok"}
    for server, vm in vms.items():
        for name, marker in vm.markers.items():
            assert marker["Status"] == sv.DONE, (server, name)
        assert vm.asks == set(), "every restart asked for happened"
        assert vm.tasks == {}, "no task (and no stored password) stays"
        if phase not in _scripts(server):
            continue  # the backup store runs pchat-log-shipping alone
        script_steps = {n for n, _ in phase_steps(_scripts(server)[phase])}
        assert vm.done_steps[phase] == script_steps
        assert vm.boot == (len(asking) if phase in vm.markers else 0)
        assert vm.runs[phase] == 1 + len(asking), "the task ran again after each restart, and only then"


@functools.cache
def _all_scripts() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for run in supervised_runs(GRAPH):
        cfg = command_settings(run)
        found.setdefault(run.name.split("-pchat-")[0], {})[cfg["Phase"]] = sv.embedded(run.inputs["source"]["script"])
    return found


def _scripts(server: str) -> dict[str, str]:
    return _all_scripts()[server]


def test_more_restarts_than_resumes_fail_with_one_line_instead_of_hanging() -> None:
    vm = Vm()
    runs = [r for r in install_runs(GRAPH) if r.name.startswith("pchat01-a1-pchat-databases")]
    (databases,) = runs
    cfg = command_settings(databases)
    vm.markers["pchat-databases"] = {"RunId": cfg["RunId"], "Status": sv.RESTART, "Boot": 0}
    assert sv.wait_action(vm.markers["pchat-databases"], 0, 0, 0) == sv.EXHAUSTED
    text = ps.text(server_tree(databases.inputs["source"]["script"]))
    assert "asks for more than $($cfg.Restarts) restart(s)" in text


def test_a_new_run_token_runs_every_phase_again_and_the_same_inputs_run_nothing() -> None:
    vms: dict[str, Vm] = {}
    assert set(deploy_once(GRAPH, vms).values()) == {"ok"}
    before = {(s, p): dict(m) for s, vm in vms.items() for p, m in vm.markers.items()}
    # The same inputs: Azure runs no Run Command again; nothing changes on disk.
    assert deploy_once(GRAPH, vms, only=()) == {}
    again = deploy(changed_token(UPDATED, "rerun-1"))
    changed = [r.name for r in install_runs(again)]
    assert sorted(changed) == sorted(r.name for r in install_runs(GRAPH)), "every Run Command's content changed"
    ran = deploy_once(again, vms)
    assert set(ran.values()) == {"ok"}
    for (server, phase), marker in before.items():
        now = vms[server].markers[phase]
        assert now["RunId"] != marker["RunId"] and now["Status"] == sv.DONE, (server, phase)
        assert vms[server].runs[phase] == 2, (server, phase)


def changed_token(raw: dict[str, Any], token: str) -> dict[str, Any]:
    return {**raw, "software": {**raw["software"], "runToken": token}}


def test_the_powershell_follows_the_protocol_branch_for_branch() -> None:
    """Get-FirstAction and Get-WaitAction return the actions of first_action and wait_action, in the same order
    of tests; the statuses the scripts write are the protocol's."""
    script = next(r for r in install_runs(GRAPH)).inputs["source"]["script"]

    def returns(name: str) -> list[str]:
        return [
            ps.text(n).removeprefix("return ").strip("'")
            for n in ps.of_type(function(script, name), "flow_control_statement")
        ]

    assert returns("Get-FirstAction") == [sv.BEGIN, sv.FINISH, sv.BEGIN, sv.FAIL, sv.WAIT]
    assert returns("Get-WaitAction") == [sv.FINISH, sv.FAIL, sv.KICK, sv.REBOOT, sv.EXHAUSTED, sv.WAIT]
    assert sv.first_action(None, "r", 0) == sv.BEGIN
    assert sv.first_action({"RunId": "other", "Status": sv.DONE}, "r", 1) == sv.BEGIN
    assert sv.first_action({"RunId": "r", "Status": sv.FAILED}, "r", 0) == sv.BEGIN
    assert sv.first_action({"RunId": "r", "Status": sv.FAILED}, "r", 1) == sv.FAIL
    assert sv.first_action({"RunId": "r", "Status": sv.RESTART}, "r", 1) == sv.WAIT
    assert sv.wait_action({"Status": sv.RESTART, "Boot": "b1"}, "b2", 0, 1) == sv.KICK
    assert sv.wait_action({"Status": sv.RESTART, "Boot": "b1"}, "b1", 0, 1) == sv.REBOOT
    assert sv.wait_action({"Status": sv.RESTART, "Boot": "b1"}, "b1", 1, 1) == sv.EXHAUSTED
    statuses = {sv.QUEUED, sv.RUNNING, sv.RESTART, sv.DONE, sv.FAILED}
    written = set()
    for text in (script, sv.embedded(script)):
        for call in itertools.chain(ps.commands(server_tree(text), "Set-PhaseState")):
            written.add(ps.literal(call.arguments[0]))
    assert written == statuses - {sv.QUEUED}
    assert "Status = 'queued'" in ps.text(function(script, "Start-Phase"))
