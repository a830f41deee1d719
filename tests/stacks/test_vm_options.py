"""Licences, boot diagnostics and availability zones on the VMs, and what each does to a deployed stack.

Oracles:
- ``licenseType: Windows_Server`` is Azure Hybrid Benefit for Windows Server on a VM, and can be set or removed on
  an existing VM (learn.microsoft.com/azure/virtual-machines/windows/hybrid-use-benefit-licensing): an update.
- ``sqlServerLicenseType`` of a SQL virtual machine is ``PAYG`` or ``AHUB`` and can be changed in place
  (learn.microsoft.com/azure/azure-sql/virtual-machines/windows/licensing-model-azure-hybrid-benefit-ahb-change);
  SQL Server Express is free (pulumi-azure.md §5, SQL VM).
- Boot diagnostics with a managed storage account: ``diagnosticsProfile.bootDiagnostics.enabled: true`` and no
  ``storageUri`` (learn.microsoft.com/azure/virtual-machines/boot-diagnostics).
- Availability set and zones are mutually exclusive; a zonal VM's disks are in its zone (pulumi-azure.md §5,
  "Availability set vs zones"); ``zones`` forces replacement (lync_pchat/offline/stateful.py, REPLACE_KEYS).
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.offline.graph import Resource, of_type, synthesize
from lync_pchat.offline.stateful import replace_inputs
from lync_pchat.program import run as program

from ..model.configs import changed
from ..pulumi.stacks import stack_config, stack_graph

VM, DISK = "azure-native:compute:VirtualMachine", "azure-native:compute:Disk"
SQL_VM, AVSET = "azure-native:sqlvirtualmachine:SqlVirtualMachine", "azure-native:compute:AvailabilitySet"
STATEFUL = (VM, DISK, SQL_VM)


@functools.cache
def _enterprise(topology: str) -> tuple[Resource, ...]:
    config = copy.deepcopy(stack_config("enterprise"))
    config["pchat:topology"] = json.loads(topology)
    return tuple(synthesize(program, config, stack="enterprise"))


def enterprise(**keys: Any) -> tuple[Resource, ...]:
    """The shipped ``enterprise`` stack (mirroring, a witness, a standby site) with some keys changed."""
    topology = changed(stackfile.topology(stack_config("enterprise")), **keys)  # type: ignore[arg-type]
    return _enterprise(json.dumps(topology, sort_keys=True))


def forcing(graph: tuple[Resource, ...]) -> dict[str, dict[str, Any]]:
    """Per VM, disk and SQL registration: the inputs that make Azure replace it."""
    return {r.urn: replace_inputs(r.type, r.inputs) for r in graph if r.type in STATEFUL}


@pytest.mark.parametrize("stack", stackfile.stack_names())
def test_defaults_pay_as_you_go_boot_diagnostics_on_availability_sets(stack: str) -> None:
    graph = stack_graph(stack)
    for vm in of_type(graph, VM):
        assert "licenseType" not in vm.inputs, vm.name
        assert vm.inputs["diagnosticsProfile"] == {"bootDiagnostics": {"enabled": True}}, vm.name
        assert "zones" not in vm.inputs and "availabilitySet" in vm.inputs, vm.name
    for disk in of_type(graph, DISK):
        assert "zones" not in disk.inputs
    for sql in of_type(graph, SQL_VM):
        assert sql.inputs["sqlServerLicenseType"] == "PAYG"


def test_hybrid_benefit_for_windows_and_sql_is_an_update_in_place() -> None:
    before, after = enterprise(), enterprise(licenseType="Windows_Server", sqlLicenseType="AHUB")
    assert forcing(after) == forcing(before)
    assert {vm.inputs.get("licenseType") for vm in of_type(after, VM)} == {"Windows_Server"}
    licences = {s.inputs["sqlImageSku"]: s.inputs["sqlServerLicenseType"] for s in of_type(after, SQL_VM)}
    assert licences == {"Enterprise": "AHUB", "Express": "PAYG"}, "a witness runs the free Express edition"


def test_boot_diagnostics_opt_out_is_an_update_in_place() -> None:
    before, after = enterprise(), enterprise(bootDiagnostics=False)
    assert forcing(after) == forcing(before)
    assert {json.dumps(vm.inputs["diagnosticsProfile"]) for vm in of_type(after, VM)} == {
        json.dumps({"bootDiagnostics": {"enabled": False}})
    }


def test_zones_replace_availability_sets_in_that_site_only() -> None:
    graph = enterprise(sites__dublin__availabilityZones=["1", "2", "3"])
    vms = {vm.inputs["vmName"]: vm for vm in of_type(graph, VM)}
    dublin = {n: vm for n, vm in vms.items() if vm.inputs["tags"]["pchat-site"] == "dublin"}
    amsterdam = {n: vm for n, vm in vms.items() if vm.inputs["tags"]["pchat-site"] == "amsterdam"}
    assert dublin and amsterdam
    for vm in dublin.values():
        assert "availabilitySet" not in vm.inputs and len(vm.inputs["zones"]) == 1, vm.name
    for vm in amsterdam.values():
        assert "zones" not in vm.inputs and "availabilitySet" in vm.inputs, vm.name
    by_tier: dict[str, list[str]] = {}
    for vm in dublin.values():
        tier = "sql" if vm.inputs["tags"]["pchat-role"] not in ("active", "standby") else "pchat"
        by_tier.setdefault(tier, []).append(vm.inputs["zones"][0])
    for tier, zones in by_tier.items():
        assert len(set(zones)) == min(len(zones), 3), f"the {tier} servers spread over the zones: {zones}"
    for disk in of_type(graph, DISK):
        owner = vms[disk.inputs["diskName"].rsplit("-", 1)[0]]
        assert disk.inputs.get("zones") == owner.inputs.get("zones"), disk.name
    sets = {s.inputs["availabilitySetName"] for s in of_type(graph, AVSET)}
    assert all("-amsterdam-" in name for name in sets), sets


def test_zones_on_a_deployed_site_are_a_replacement_the_diff_shows() -> None:
    """Zones are opt-in because they replace: every VM and disk of the site changes a forcing input."""
    before = forcing(enterprise())
    after = forcing(enterprise(sites__dublin__availabilityZones=["1", "2"]))
    changed_urns = {urn for urn in before if before[urn] != after.get(urn)}
    assert changed_urns
    assert all(("zones" in after[urn]) for urn in changed_urns if "SqlVirtualMachine" not in urn)
