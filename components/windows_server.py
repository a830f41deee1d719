"""A Windows Server VM of the topology: NIC, separate data disks, VM, bootstrap and domain join."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import compute, network

from lync_pchat.model import ServerPlan
from lync_pchat.model.plan import DiskPlan, DomainJoin

from .common import Component, child

LOG_DISK = "log"
ADMIN_PASSWORD_PATH = "osProfile.adminPassword"


@dataclass(frozen=True)
class WindowsServerArgs:
    """Inputs of :class:`WindowsServer`."""

    server: ServerPlan
    """What to build: name, size, image, disks, address, time zone."""
    resource_group_name: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    admin_username: str
    admin_password: pulumi.Input[str]
    """A secret; rotating it never replaces the VM (``ignoreChanges``)."""
    bootstrap_command: str
    """The CustomScriptExtension command that formats the volumes NTFS and installs features."""
    domain: str
    domain_join: DomainJoin | None = None
    domain_join_password: pulumi.Input[str] | None = None
    availability_set_id: pulumi.Input[str] | None = None
    nsg_id: pulumi.Input[str] | None = None
    """The NSG of the NIC, when the server attaches to an existing subnet that carries none of ours."""
    encryption_at_host: bool = True
    patch_settings: compute.PatchSettingsArgs | None = None
    """How Windows patches (``patching``); None leaves the image default, Windows Automatic Updates."""
    user_assigned_identity_id: pulumi.Input[str] | None = None
    """A user-assigned identity the VM carries beside its system-assigned one (may be an Output)."""
    protect: bool = True
    """Protect and retain the data disks (and the VM of a server holding databases) on delete."""
    tags: Mapping[str, str] = field(default_factory=dict)
    license_type: str | None = None
    """``Windows_Server``: Azure Hybrid Benefit; None: pay-as-you-go (an in-place update either way)."""
    boot_diagnostics: bool = True
    """Boot diagnostics in Azure-managed storage (``bootDiagnostics.enabled`` without a ``storageUri``)."""


class WindowsServer(Component):
    """Children: a NIC with a static private address (no public IP), one managed disk per data
    volume, the VM, a CustomScriptExtension and, with a domain join account, a JsonADDomainExtension.

    Outputs: ``vm_id``, ``vm_name``, ``private_ip``, ``principal_id``, ``nic_id``; ``ready`` is the last
    extension, for whatever must follow the bootstrap.
    """

    vm_id: pulumi.Output[str]
    nic_id: pulumi.Output[str]
    vm_name: pulumi.Output[str]
    private_ip: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    ready: pulumi.Resource

    def __init__(self, name: str, args: WindowsServerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("WindowsServer", name, opts)
        server = args.server
        nic = network.NetworkInterface(
            f"{name}-nic",
            resource_group_name=args.resource_group_name,
            location=server.region,
            network_interface_name=f"nic-{server.computer_name}",
            ip_configurations=[
                network.NetworkInterfaceIPConfigurationArgs(
                    name="ipconfig1",
                    primary=True,
                    private_ip_allocation_method="Static",
                    private_ip_address=server.private_ip,
                    subnet=network.SubnetArgs(id=args.subnet_id),
                )
            ],
            network_security_group=network.NetworkSecurityGroupArgs(id=args.nsg_id)
            if args.nsg_id is not None
            else None,
            tags=dict(args.tags),
            opts=child(self),
        )
        disks = {disk.name: self._disk(name, disk, args) for disk in server.disks}
        vm = compute.VirtualMachine(
            f"{name}-vm",
            resource_group_name=args.resource_group_name,
            location=server.region,
            vm_name=server.computer_name,
            hardware_profile=compute.HardwareProfileArgs(vm_size=server.vm_size),
            os_profile=compute.OSProfileArgs(
                computer_name=server.computer_name,
                admin_username=args.admin_username,
                admin_password=args.admin_password,
                windows_configuration=compute.WindowsConfigurationArgs(
                    provision_vm_agent=True,
                    enable_automatic_updates=True,  # can only be set at creation [AZ:automatic-vm-guest-patching.md]
                    time_zone=server.time_zone,
                    patch_settings=args.patch_settings,
                ),
            ),
            storage_profile=compute.StorageProfileArgs(
                image_reference=compute.ImageReferenceArgs(
                    publisher=server.image.publisher,
                    offer=server.image.offer,
                    sku=server.image.sku,
                    version=server.image.version,
                ),
                os_disk=compute.OSDiskArgs(
                    name=f"{server.computer_name}-os",
                    create_option="FromImage",
                    caching="ReadWrite",
                    delete_option="Delete",
                    managed_disk=compute.ManagedDiskParametersArgs(storage_account_type="Premium_LRS"),
                ),
                data_disks=[
                    compute.DataDiskArgs(
                        lun=disk.lun,
                        create_option="Attach",
                        delete_option="Detach",
                        caching="None" if disk.name == LOG_DISK else "ReadOnly",
                        managed_disk=compute.ManagedDiskParametersArgs(id=disks[disk.name].id),
                    )
                    for disk in server.disks
                ],
            ),
            network_profile=compute.NetworkProfileArgs(
                network_interfaces=[compute.NetworkInterfaceReferenceArgs(id=nic.id, primary=True)]
            ),
            security_profile=compute.SecurityProfileArgs(encryption_at_host=args.encryption_at_host),
            identity=_identity(args.user_assigned_identity_id),
            availability_set=(
                compute.SubResourceArgs(id=args.availability_set_id) if args.availability_set_id is not None else None
            ),
            zones=[server.zone] if server.zone is not None else None,
            license_type=args.license_type,
            diagnostics_profile=_boot_diagnostics(args.boot_diagnostics),
            tags=dict(args.tags),
            opts=child(
                self, stateful=server.role.holds_data, protect=args.protect, ignore_changes=[ADMIN_PASSWORD_PATH]
            ),
        )
        join = self._join(name, vm, args, args.domain_join) if args.domain_join is not None else None
        init = compute.VirtualMachineExtension(
            f"{name}-init",
            resource_group_name=args.resource_group_name,
            location=server.region,
            vm_name=vm.name,
            vm_extension_name="pchat-init",
            publisher="Microsoft.Compute",
            type="CustomScriptExtension",
            type_handler_version="1.10",
            auto_upgrade_minor_version=True,
            protected_settings=pulumi.Output.secret({"commandToExecute": args.bootstrap_command}),
            tags=dict(args.tags),
            opts=child(self, depends_on=[join] if join is not None else []),
        )
        self.ready = init
        self.vm_id = vm.id
        self.nic_id = nic.id
        self.vm_name = vm.name
        self.private_ip = pulumi.Output.from_input(server.private_ip)
        self.principal_id = vm.identity.apply(lambda identity: identity.principal_id if identity else "")
        self.register_outputs({"vmId": self.vm_id, "vmName": self.vm_name, "privateIp": self.private_ip})

    def _disk(self, name: str, disk: DiskPlan, args: WindowsServerArgs) -> compute.Disk:
        server = args.server
        return compute.Disk(
            f"{name}-{disk.name}",
            resource_group_name=args.resource_group_name,
            location=server.region,
            disk_name=f"{server.computer_name}-{disk.name}",
            disk_size_gb=disk.size_gb,
            sku=compute.DiskSkuArgs(name="Premium_LRS"),
            creation_data=compute.CreationDataArgs(create_option="Empty"),
            network_access_policy="DenyAll",
            public_network_access="Disabled",
            encryption=compute.EncryptionArgs(type="EncryptionAtRestWithPlatformKey"),
            zones=[server.zone] if server.zone is not None else None,
            tags=dict(args.tags),
            opts=child(self, stateful=True, protect=args.protect),
        )

    def _join(
        self, name: str, vm: compute.VirtualMachine, args: WindowsServerArgs, join: DomainJoin
    ) -> compute.VirtualMachineExtension:
        """Joins the domain (and restarts) before the bootstrap, so that the bootstrap can grant its file
        shares to domain computer accounts; extensions on one VM run one at a time."""
        return compute.VirtualMachineExtension(
            f"{name}-join",
            resource_group_name=args.resource_group_name,
            location=args.server.region,
            vm_name=vm.name,
            vm_extension_name="pchat-domain-join",
            publisher="Microsoft.Compute",
            type="JsonADDomainExtension",
            type_handler_version="1.3",
            auto_upgrade_minor_version=True,
            settings={
                "Name": args.domain,
                "OUPath": join.ou_path or "",
                "User": join.user,
                "Restart": "true",
                "Options": "3",
            },
            protected_settings=pulumi.Output.secret({"Password": args.domain_join_password}),
            tags=dict(args.tags),
            opts=child(self),
        )


def _boot_diagnostics(enabled: bool) -> compute.DiagnosticsProfileArgs:
    """Boot diagnostics with a managed storage account: enabled and no ``storageUri`` [AZ:boot-diagnostics]."""
    return compute.DiagnosticsProfileArgs(boot_diagnostics=compute.BootDiagnosticsArgs(enabled=enabled))


def _identity(user_assigned: pulumi.Input[str] | None) -> compute.VirtualMachineIdentityArgs:
    """The system-assigned identity (what the install phase grants the media to), and the platform's own."""
    if user_assigned is None:
        return compute.VirtualMachineIdentityArgs(type="SystemAssigned")
    return compute.VirtualMachineIdentityArgs(
        type="SystemAssigned, UserAssigned", user_assigned_identities=[user_assigned]
    )
