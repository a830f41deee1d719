"""Patching in waves on the synthesized program: every server runs "Customer Managed Schedules"
(``AutomaticByPlatform`` + ``bypassPlatformSafetyChecksOnUserSchedule``: Windows Automatic Updates off, only a
schedule patches [UM:prerequsite-for-schedule-patching.md], [AZ:automatic-vm-guest-patching.md]) and is assigned
to the maintenance configuration of its wave, whose window is ``patching.windows[wave - 1]`` (config).
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import plan_topology
from lync_pchat.offline.diff import compare
from lync_pchat.offline.graph import Resource, named, of_type
from lync_pchat.offline.render import plan_json
from lync_pchat.offline.stateful import replace_inputs
from lync_pchat.offline.synthesis import offline_config

from ..model.configs import changed, enterprise, standard
from ..support.lazy import lazy_list
from ..support.synthesis import synthesis, synthesized

VM = "azure-native:compute:VirtualMachine"
CONFIGURATION = "azure-native:maintenance:MaintenanceConfiguration"
ASSIGNMENT = "azure-native:maintenance:ConfigurationAssignment"
RUN_COMMAND = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
HA = {"mirroring": True, "witness": True}
WINDOWS = [
    {"start": "2027-02-06 22:00", "duration": "03:55", "recurEvery": "Month Second Saturday"},
    {"start": "2027-02-13 22:00", "duration": "02:00", "recurEvery": "Month Third Saturday"},
    {"start": "2027-02-20 22:00", "recurEvery": "Month Fourth Saturday"},
]
FULL = changed(
    enterprise(),
    pools__pchat01__users=60000,
    pools__pchat01__highAvailability=HA,
    pools__pchat01__compliance={"enabled": True},
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    patching={"timeZone": "W. Europe Standard Time", "windows": WINDOWS, "excludeKbs": ["2809243"]},
)
GRAPH = lazy_list(lambda: synthesized({"pchat:topology": FULL}))
PLAN = plan_topology(FULL)
EXPECTED_WAVE = {
    "pchat01-a1": 1, "pchat01-a3": 1, "pchat01-sqlm": 1, "pchat01-cmpm": 1, "pchat01-bak": 1, "pchat01-cbak": 1,
    "pchat01-a2": 2, "pchat01-s1": 2, "pchat01-s2": 2, "pchat01-s3": 2, "pchat01-sql": 2, "pchat01-cmp": 2,
    "pchat01-bakm": 2, "pchat01-cbakm": 2, "pchat01-sqlw": 3, "pchat01-bakw": 3,
}  # fmt: skip
"""Mirrors and log-shipping secondaries first, principals after them, witnesses apart (operations.md §3.5, §3.6);
odd active servers, then even ones with the standby servers (the issue)."""


def windows_configuration(vm: Resource) -> dict[str, Any]:
    return vm.inputs["osProfile"]["windowsConfiguration"]  # type: ignore[no-any-return]


def test_every_vm_is_patched_only_by_a_schedule() -> None:
    vms = of_type(GRAPH, VM)
    assert len(vms) == len(list(PLAN.servers)) == len(EXPECTED_WAVE)
    for vm in vms:
        assert windows_configuration(vm)["patchSettings"] == {
            "patchMode": "AutomaticByPlatform",
            "automaticByPlatformSettings": {"bypassPlatformSafetyChecksOnUserSchedule": True},
        }, vm.name


def test_every_server_is_assigned_to_the_window_of_its_wave() -> None:
    configurations = {r.urn: r for r in of_type(GRAPH, CONFIGURATION)}
    assignments = of_type(GRAPH, ASSIGNMENT)
    assert sorted(a.name for a in assignments) == sorted(f"{k}-patch-wave" for k in EXPECTED_WAVE)
    for server, n in EXPECTED_WAVE.items():
        assignment = named(GRAPH, f"{server}-patch-wave")
        vm = named(GRAPH, f"{server}-vm")
        site = PLAN.server(server).site
        configuration = named(GRAPH, f"pchat-patching-{site}-wave{n}")
        assert configuration.urn in configurations and assignment.depends_on(configuration)
        assert assignment.depends_on(vm)
        assert assignment.inputs["providerName"] == "Microsoft.Compute"
        assert assignment.inputs["resourceType"] == "virtualMachines"
        assert assignment.inputs["resourceName"] == vm.inputs["vmName"]
        assert assignment.inputs["configurationAssignmentName"] == "pchat-patch-wave"
        assert assignment.inputs["location"] == PLAN.server(server).region
        window = WINDOWS[n - 1]
        assert configuration.inputs["startDateTime"] == window["start"]
        assert configuration.inputs["duration"] == window.get("duration", "03:00")
        assert configuration.inputs["recurEvery"] == window["recurEvery"]
        assert configuration.inputs["timeZone"] == "W. Europe Standard Time"


def test_a_maintenance_configuration_is_a_user_scheduled_guest_patch() -> None:
    """``maintenanceScope=InGuestPatch``, ``extensionProperties.InGuestPatchMode=User``
    [TPL:maintenanceconfigurations]; named ``mc-<prefix>-<site>-wave<n>``, the prefix ``pchat-<stack>``."""
    configuration = named(GRAPH, "pchat-patching-dublin-wave2")
    assert configuration.inputs["maintenanceScope"] == "InGuestPatch"
    assert configuration.inputs["extensionProperties"] == {"InGuestPatchMode": "User"}
    assert configuration.inputs["resourceName"] == "mc-pchat-test-dublin-wave2"
    assert configuration.inputs["location"] == "northeurope"
    assert configuration.inputs["installPatches"] == {
        "rebootSetting": "IfRequired",
        "windowsParameters": {"classificationsToInclude": ["Critical", "Security"], "kbNumbersToExclude": ["2809243"]},
    }
    assert sorted(r.name for r in of_type(GRAPH, CONFIGURATION)) == [
        f"pchat-patching-{site}-wave{n}" for site in ("amsterdam", "dublin") for n in (1, 2, 3)
    ]


def test_principal_and_mirror_get_different_configurations() -> None:
    def configuration_of(server: str) -> str:
        return next(d for d in named(GRAPH, f"{server}-patch-wave").dependencies if "MaintenanceConfiguration" in d)

    assert configuration_of("pchat01-sql") != configuration_of("pchat01-sqlm")
    assert configuration_of("pchat01-sqlw") not in (configuration_of("pchat01-sql"), configuration_of("pchat01-sqlm"))
    assert configuration_of("pchat01-a1") != configuration_of("pchat01-a2")


def test_patching_off_leaves_the_vms_and_creates_no_schedule() -> None:
    graph = synthesized({"pchat:topology": changed(standard(), patching={"enabled": False})})
    assert not of_type(graph, CONFIGURATION) and not of_type(graph, ASSIGNMENT)
    (vm,) = of_type(graph, VM)
    assert "patchSettings" not in windows_configuration(vm)
    assert windows_configuration(vm)["enableAutomaticUpdates"] is True


@pytest.mark.parametrize("base", [enterprise(), changed(enterprise(), pools__pchat01__highAvailability=HA)])
def test_turning_patching_on_updates_vms_in_place_and_keeps_every_resource(base: dict[str, Any]) -> None:
    """The existing stack (patching off) gains schedules: only the VMs' patch settings change, which is not a
    replacing input (lync_pchat.offline.stateful.REPLACE_KEYS, the gate of ``pchat diff --fail-on-stateful``),
    and ``enableAutomaticUpdates``, which Azure sets only at creation, stays as it was
    [AZ:automatic-vm-guest-patching.md]."""
    off = changed(base, patching={"enabled": False})
    before = plan_json(synthesis("prod", offline_config({"pchat:topology": off})))
    after = plan_json(synthesis("prod", offline_config({"pchat:topology": base})))
    changes = compare(before, after)
    assert not [c for c in changes if c.action in ("delete", "replace")]
    updated = [c for c in changes if c.action == "update"]
    assert {c.type for c in updated} == {VM}
    assert {c.keys for c in updated} == {("osProfile.windowsConfiguration.patchSettings",)}
    assert len(updated) == len(list(plan_topology(base).servers))
    created = {c.type for c in changes if c.action == "create"}
    # a mirrored pool also gains each partner's pre-maintenance step (issue 24 item 4): only additions
    steps = {RUN_COMMAND} if base["pools"]["pchat01"].get("highAvailability", {}).get("mirroring") else set()
    assert created == {CONFIGURATION, ASSIGNMENT, "lync-pchat:index:PatchWaves"} | steps
    old = {r["urn"]: r for r in before["resources"]}
    for res in after["resources"]:
        if res["type"] == VM:
            assert replace_inputs(VM, res["inputs"]) == replace_inputs(VM, old[res["urn"]]["inputs"])
