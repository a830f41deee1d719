"""Every shipped stack, synthesized as `pulumi up` would run it: the graph invariants."""

from __future__ import annotations

from collections import Counter

import pytest

from lync_pchat import stackfile
from lync_pchat.model import plan_topology
from lync_pchat.model.catalog import DOCUMENTED_SPEC, VM_SIZES
from lync_pchat.offline.graph import Resource, is_secret, of_type, reveal

from ..oracles.ports import FRONT_END, PERSISTENT_CHAT, RDP, SQL_SERVER, documented, opened
from ..powershell import bootstrap_script, embedded
from ..pulumi.stacks import stack_config, stack_graph

STACKS = stackfile.stack_names()
VM, EXT, DISK = (
    "azure-native:compute:VirtualMachine",
    "azure-native:compute:VirtualMachineExtension",
    "azure-native:compute:Disk",
)


def plan_of(stack: str):  # type: ignore[no-untyped-def]
    return plan_topology(stackfile.topology(stackfile.load_config(stackfile.stack_path(stack))))


def role(res: Resource) -> str:
    return str(res.inputs["tags"]["pchat-role"])


def test_every_scenario_is_shipped() -> None:
    assert STACKS == ["enterprise", "lab", "modern", "residency", "single", "spoke"]


@pytest.mark.parametrize("stack", STACKS)
def test_servers_per_pool(stack: str) -> None:
    plan = plan_of(stack)
    vms = of_type(stack_graph(stack), VM)
    for pool in plan.pools:
        roles = Counter(role(vm) for vm in vms if vm.inputs["tags"]["pchat-pool"] == pool.key)
        active = roles["active"] + roles["standard-edition"]
        assert 1 <= active <= 4 and active * 20_000 >= pool.users
        assert active + roles["standby"] <= 8
        assert sum(roles.values()) == len(pool.servers)
    assert len(vms) == len(list(plan.servers))


@pytest.mark.parametrize("stack", STACKS)
def test_vm_sizes_meet_the_documented_hardware(stack: str) -> None:
    plan = plan_of(stack)
    documented = {p.key for p in plan.pools if p.hardware.value == "documented"}
    for vm in of_type(stack_graph(stack), VM):
        size = VM_SIZES[vm.inputs["hardwareProfile"]["vmSize"]]
        assert size.premium_storage
        if vm.inputs["tags"]["pchat-pool"] in documented and "witness" not in role(vm):
            assert DOCUMENTED_SPEC.met_by(size), vm.name


@pytest.mark.parametrize("stack", STACKS)
def test_every_server_formats_each_of_its_data_disks(stack: str) -> None:
    """The bootstrap of each VM formats (NTFS, checked in tests/test_bootstrap.py) exactly the LUNs the VM has."""
    graph = stack_graph(stack)
    inits = {r.parent_name: r for r in of_type(graph, EXT) if r.inputs["type"] == "CustomScriptExtension"}
    for vm in of_type(graph, VM):
        script = bootstrap_script(reveal(inits[vm.parent_name].inputs["protectedSettings"])["commandToExecute"])
        luns = sorted(int(d["lun"]) for d in vm.inputs["storageProfile"]["dataDisks"])
        assert sorted(v["lun"] for v in embedded(script)["volumes"]) == luns, vm.name


@pytest.mark.parametrize("stack", STACKS)
def test_sql_data_and_log_on_separate_disks(stack: str) -> None:
    graph = stack_graph(stack)
    for vm in of_type(graph, VM):
        if role(vm) in ("active", "standby", "standard-edition"):
            continue
        disks = {d["managedDisk"]["id"].rsplit("-", 1)[-1]: d["lun"] for d in vm.inputs["storageProfile"]["dataDisks"]}
        assert {"data", "log"} <= set(disks) and disks["data"] != disks["log"], vm.name


@pytest.mark.parametrize("stack", STACKS)
def test_regions_of_roles(stack: str) -> None:
    plan = plan_of(stack)
    for pool in plan.pools:
        primary = plan.site(pool.site).region
        standby = plan.site(pool.standby_site).region if pool.standby_site else None
        for vm in of_type(stack_graph(stack), VM):
            if vm.inputs["tags"]["pchat-pool"] != pool.key:
                continue
            wanted = standby if (role(vm) == "standby" or "backup" in role(vm)) else primary
            assert vm.inputs["location"] == wanted, vm.name
        if standby is not None:
            assert primary != standby


@pytest.mark.parametrize("stack", STACKS)
def test_no_public_ip_anywhere(stack: str) -> None:
    graph = stack_graph(stack)
    assert not [r for r in graph if "PublicIP" in r.type]
    assert not [r.name for r in graph if "publicIPAddress" in str(r.inputs)]


@pytest.mark.parametrize("stack", STACKS)
def test_nsg_rules_are_the_documented_set(stack: str) -> None:
    """Every allowed port is in the documentation's tables (tests/oracles/ports.py); RDP only from the
    management range; nothing from the Internet; deny-all last."""
    plan = plan_of(stack)
    sip = {("Tcp", str(p.port)) for p in plan.pools}
    allowed = {
        "pchat": documented(PERSISTENT_CHAT) | documented(FRONT_END) | sip | set(RDP),
        "sql": documented(SQL_SERVER) | set(RDP),
    }
    for nsg in of_type(stack_graph(stack), "azure-native:network:NetworkSecurityGroup"):
        rules = nsg.inputs["securityRules"]
        subnet = nsg.inputs["networkSecurityGroupName"].rsplit("-", 1)[-1]
        for rule in rules[:-1]:
            ports = tuple(rule.get("destinationPortRanges") or [rule["destinationPortRange"]])
            assert opened(rule["protocol"], ports) <= allowed[subnet], (nsg.name, rule["name"])
            assert rule.get("sourceAddressPrefix") not in ("*", "Internet", "0.0.0.0/0"), rule["name"]
        assert (rules[-1]["name"], rules[-1]["access"], rules[-1]["sourceAddressPrefix"]) == (
            "deny-all-inbound",
            "Deny",
            "*",
        )
        rdp = [r for r in rules if r.get("destinationPortRange") == "3389"]
        assert [r["sourceAddressPrefix"] for r in rdp] == ([plan.management_cidr] if plan.management_cidr else [])


@pytest.mark.parametrize("stack", STACKS)
def test_every_password_is_a_secret(stack: str) -> None:
    graph = stack_graph(stack)
    for vm in of_type(graph, VM):
        assert is_secret(vm.inputs["osProfile"]["adminPassword"])
        assert vm.ignore_changes == ("osProfile.adminPassword",)
    for ext in of_type(graph, EXT):
        if ext.inputs["type"] == "AzureMonitorWindowsAgent":  # no settings at all: it reads its rule from Azure
            assert "protectedSettings" not in ext.inputs and "settings" not in ext.inputs
            continue
        assert is_secret(ext.inputs["protectedSettings"])
    secrets = of_type(graph, "azure-native:keyvault:Secret")
    assert len(secrets) == len(of_type(graph, VM))
    assert all(is_secret(s.inputs["properties"]["value"]) for s in secrets)


@pytest.mark.parametrize("stack", STACKS)
def test_stateful_resources_are_protected(stack: str) -> None:
    graph = stack_graph(stack)
    stateful = (
        of_type(graph, DISK)
        + of_type(graph, "azure-native:keyvault:Vault")
        + of_type(graph, "azure-native:sqlvirtualmachine:SqlVirtualMachine")
        + [vm for vm in of_type(graph, VM) if role(vm) not in ("active", "standby")]
    )
    assert stateful
    assert [(r.name, r.protect, r.retain_on_delete) for r in stateful] == [(r.name, True, True) for r in stateful]


@pytest.mark.parametrize("stack", STACKS)
def test_no_vm_waits_for_another_vm(stack: str) -> None:
    """Every VM can be created in parallel: one VM on the provisioning critical path."""
    graph = stack_graph(stack)
    by_urn = {r.urn: r for r in graph}

    def upstream(res: Resource, seen: set[str]) -> set[str]:
        for dep in res.dependencies:
            if dep not in seen and dep in by_urn:
                seen.add(dep)
                upstream(by_urn[dep], seen)
        return seen

    for vm in of_type(graph, VM):
        found = {by_urn[urn].type + "::" + by_urn[urn].name for urn in upstream(vm, set())}
        assert f"azure-native:network:NetworkInterface::{vm.parent_name}-nic" in found
        assert not [d for d in found if d.startswith(VM + "::")], vm.name


def test_protection_opt_out() -> None:
    from lync_pchat.offline.graph import synthesize
    from lync_pchat.program import run as program

    config = stack_config("enterprise")
    config["pchat:topology"]["protectStatefulResources"] = False
    graph = synthesize(program, config)
    assert len(of_type(graph, DISK)) == 44
    assert not [r.name for r in graph if r.protect or r.retain_on_delete]


@pytest.mark.parametrize("stack", STACKS)
def test_every_resource_is_tagged_with_its_topology(stack: str) -> None:
    untaggable = (
        "random:",
        "time:",
        "lync-pchat:",
        "azure-native:network:Subnet",
        "azure-native:network:VirtualNetworkPeering",
        "azure-native:authorization:ManagementLockByScope",
        "azure-native:authorization:RoleAssignment",  # an extension resource: ARM gives it no tags
        "azure-native:monitor:DiagnosticSetting",
        "azure-native:storage:BlobServiceProperties",  # child resources of a storage account: no tags in ARM
        "azure-native:storage:BlobContainer",
        "azure-native:monitor:DataCollectionRuleAssociation",  # extension resources of a VM: no tags
        "azure-native:maintenance:ConfigurationAssignment",
    )
    for res in stack_graph(stack):
        if not res.type.startswith(untaggable):
            assert {"pchat-pool", "pchat-site", "pchat-role"} <= set(res.inputs["tags"]), res.name
