"""WindowsServer: exact children, inputs and options."""

from __future__ import annotations

import pulumi

from components import WindowsServer, WindowsServerArgs
from lync_pchat import bootstrap
from lync_pchat.model import plan_topology
from lync_pchat.model.plan import DomainJoin
from lync_pchat.offline.graph import children, is_secret, named, reveal, synthesize

from .. import powershell as ps
from ..model.configs import changed, enterprise
from ..oracles.arm import COMPUTE, resource_id

PLAN = plan_topology(changed(enterprise(), pools__pchat01__compliance={"enabled": True}))


def build(key: str, *, join: bool = False, protect: bool = True, encryption_at_host: bool = True) -> None:
    server = PLAN.server(key)
    WindowsServer(
        key,
        WindowsServerArgs(
            server=server,
            resource_group_name="rg",
            subnet_id="/subnets/pchat",
            admin_username="lyncadmin",
            admin_password=pulumi.Output.secret("S3cret!pw"),
            bootstrap_command=bootstrap.command(server, PLAN),
            domain=PLAN.domain,
            domain_join=DomainJoin("CORP\\join", "OU=Lync,DC=corp") if join else None,
            domain_join_password=pulumi.Output.secret("join-pw") if join else None,
            availability_set_id="/avsets/a",
            protect=protect,
            encryption_at_host=encryption_at_host,
            tags={"pchat-role": server.role.value},
        ),
    )


def test_children_of_a_pool_server() -> None:
    graph = synthesize(lambda: build("pchat01-a1"))
    assert children(graph, "pchat01-a1") == [
        ("azure-native:compute:Disk", "pchat01-a1-data"),
        ("azure-native:compute:VirtualMachine", "pchat01-a1-vm"),
        ("azure-native:compute:VirtualMachineExtension", "pchat01-a1-init"),
        ("azure-native:network:NetworkInterface", "pchat01-a1-nic"),
    ]


def test_nic_is_private_and_static() -> None:
    nic = named(synthesize(lambda: build("pchat01-a1")), "pchat01-a1-nic")
    assert nic.inputs["ipConfigurations"] == [
        {
            "name": "ipconfig1",
            "primary": True,
            "privateIPAllocationMethod": "Static",
            "privateIPAddress": "10.10.0.8",
            "subnet": {
                "id": "/subnets/pchat",
                "privateEndpointNetworkPolicies": "Disabled",
                "privateLinkServiceNetworkPolicies": "Enabled",
            },
        }
    ]
    assert nic.inputs["networkInterfaceName"] == "nic-pchat01-a1"


def test_vm_inputs() -> None:
    vm = named(synthesize(lambda: build("pchat01-a1")), "pchat01-a1-vm")
    assert vm.inputs["vmName"] == "pchat01-a1"
    assert vm.inputs["hardwareProfile"] == {"vmSize": "Standard_F32s_v2"}
    assert vm.inputs["storageProfile"]["imageReference"] == {
        "publisher": "MicrosoftWindowsServer",
        "offer": "WindowsServer",
        "sku": "2012-R2-Datacenter",
        "version": "latest",
    }
    assert vm.inputs["storageProfile"]["dataDisks"] == [
        {
            "lun": 0.0,
            "createOption": "Attach",
            "deleteOption": "Detach",
            "caching": "ReadOnly",
            "managedDisk": {"id": resource_id("rg", COMPUTE, "disks", "pchat01-a1-data")},
        }
    ]
    os_profile = vm.inputs["osProfile"]
    assert (os_profile["computerName"], os_profile["adminUsername"]) == ("pchat01-a1", "lyncadmin")
    assert is_secret(os_profile["adminPassword"]) and reveal(os_profile["adminPassword"]) == "S3cret!pw"
    assert os_profile["windowsConfiguration"]["timeZone"] == "UTC"
    assert vm.inputs["securityProfile"] == {"encryptionAtHost": True}
    assert vm.inputs["identity"] == {"type": "SystemAssigned"}
    assert vm.inputs["availabilitySet"] == {"id": "/avsets/a"}
    assert "publicIPAddress" not in str(vm.inputs)


def test_vm_options() -> None:
    graph = synthesize(lambda: build("pchat01-a1"))
    vm = named(graph, "pchat01-a1-vm")
    assert vm.ignore_changes == ("osProfile.adminPassword",)
    assert (vm.protect, vm.retain_on_delete) == (False, False)
    disk = named(graph, "pchat01-a1-data")
    assert (disk.protect, disk.retain_on_delete) == (True, True)
    assert disk.inputs["diskSizeGB"] == 128.0
    assert disk.inputs["sku"] == {"name": "Premium_LRS"}
    assert disk.inputs["networkAccessPolicy"] == "DenyAll"
    assert disk.inputs["publicNetworkAccess"] == "Disabled"


def test_encryption_at_host_opt_out() -> None:
    vm = named(synthesize(lambda: build("pchat01-a1", encryption_at_host=False)), "pchat01-a1-vm")
    assert vm.inputs["securityProfile"] == {"encryptionAtHost": False}
    assert vm.inputs["identity"] == {"type": "SystemAssigned"}


def test_protection_can_be_turned_off() -> None:
    disk = named(synthesize(lambda: build("pchat01-sql", protect=False)), "pchat01-sql-data")
    assert (disk.protect, disk.retain_on_delete) == (False, False)


def test_sql_vm_and_its_disks_are_protected() -> None:
    graph = synthesize(lambda: build("pchat01-sql"))
    assert [(r.name, r.protect, r.retain_on_delete) for r in graph if r.type.endswith(("Disk", "VirtualMachine"))] == [
        ("pchat01-sql-data", True, True),
        ("pchat01-sql-log", True, True),
        ("pchat01-sql-tempdb", True, True),
        ("pchat01-sql-backup", True, True),
        ("pchat01-sql-vm", True, True),
    ]
    vm = named(graph, "pchat01-sql-vm")
    assert [(d["lun"], d["caching"]) for d in vm.inputs["storageProfile"]["dataDisks"]] == [
        (0.0, "ReadOnly"),
        (1.0, "None"),
        (2.0, "ReadOnly"),
        (3.0, "ReadOnly"),
    ]


def test_bootstrap_extension_formats_every_data_disk_ntfs_in_protected_settings() -> None:
    graph = synthesize(lambda: build("pchat01-a1"))
    init, vm = named(graph, "pchat01-a1-init"), named(graph, "pchat01-a1-vm")
    assert (init.inputs["publisher"], init.inputs["type"], init.inputs["typeHandlerVersion"]) == (
        "Microsoft.Compute",
        "CustomScriptExtension",
        "1.10",
    )
    assert "settings" not in init.inputs
    assert is_secret(init.inputs["protectedSettings"])
    (command,) = reveal(init.inputs["protectedSettings"]).values()
    assert command == bootstrap.command(PLAN.server("pchat01-a1"), PLAN)
    script = ps.bootstrap_script(command)
    attached = [int(d["lun"]) for d in vm.inputs["storageProfile"]["dataDisks"]]
    assert [v["lun"] for v in ps.embedded(script)["volumes"]] == attached == [0]
    (fmt,) = ps.commands(ps.parse(script), "Format-Volume")
    assert ps.text(fmt.parameters["-filesystem"]) == "NTFS"  # type: ignore[arg-type]


def test_the_bootstrap_follows_the_domain_join_with_a_secret_password() -> None:
    graph = synthesize(lambda: build("pchat01-a1", join=True))
    join, init = named(graph, "pchat01-a1-join"), named(graph, "pchat01-a1-init")
    assert join.inputs["type"] == "JsonADDomainExtension"
    assert join.inputs["settings"] == {
        "Name": "corp.contoso.com",
        "OUPath": "OU=Lync,DC=corp",
        "User": "CORP\\join",
        "Restart": "true",
        "Options": "3",
    }
    assert is_secret(join.inputs["protectedSettings"])
    assert reveal(join.inputs["protectedSettings"]) == {"Password": "join-pw"}
    assert init.depends_on(join) and not join.depends_on(init)
