"""A dedicated SQL Server VM: a Windows server from a SQL image, registered with the SQL IaaS agent."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import sqlvirtualmachine

from lync_pchat.model.catalog import WITNESS_SQL_SKU

from .common import Component, child
from .windows_server import WindowsServer, WindowsServerArgs

SQL_PORT = 1433


@dataclass(frozen=True)
class SqlServerArgs:
    """Inputs of :class:`SqlServer`: those of the VM it builds on."""

    vm: WindowsServerArgs
    license_type: str = "PAYG"
    """``PAYG`` or ``AHUB`` (Azure Hybrid Benefit); an Express image (a witness) is free and stays ``PAYG``."""


class SqlServer(Component):
    """Children: a :class:`WindowsServer` whose bootstrap puts data, log, tempdb and backups on
    separate NTFS volumes, and its ``SqlVirtualMachine`` registration (private connectivity on
    1433, OLTP workload). The storage is laid out by the bootstrap, not by the SQL IaaS agent, so
    the two never fight over the disks.

    Outputs: ``vm_id``, ``vm_name``, ``private_ip``, ``sql_vm_id``; ``ready`` is the registration, for
    whatever must follow the SQL Server's setup.
    """

    vm_id: pulumi.Output[str]
    vm_name: pulumi.Output[str]
    private_ip: pulumi.Output[str]
    sql_vm_id: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    nic_id: pulumi.Output[str]

    def __init__(self, name: str, args: SqlServerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("SqlServer", name, opts)
        spec = args.vm
        server = spec.server
        vm = WindowsServer(name, spec, opts=child(self))
        registration = sqlvirtualmachine.SqlVirtualMachine(
            f"{name}-sqlvm",
            resource_group_name=spec.resource_group_name,
            location=server.region,
            sql_virtual_machine_name=vm.vm_name,
            virtual_machine_resource_id=vm.vm_id,
            sql_image_offer=server.image.offer,
            sql_image_sku=server.image.sku,
            sql_server_license_type=_license(args.license_type, server.image.sku),
            least_privilege_mode="Enabled",
            server_configurations_management_settings=sqlvirtualmachine.ServerConfigurationsManagementSettingsArgs(
                sql_connectivity_update_settings=sqlvirtualmachine.SqlConnectivityUpdateSettingsArgs(
                    connectivity_type="PRIVATE", port=SQL_PORT
                ),
                sql_workload_type_update_settings=sqlvirtualmachine.SqlWorkloadTypeUpdateSettingsArgs(
                    sql_workload_type="OLTP"
                ),
            ),
            tags=dict(spec.tags),
            opts=child(self, stateful=True, protect=spec.protect, depends_on=[vm.ready]),
        )
        self.vm_id = vm.vm_id
        self.nic_id = vm.nic_id
        self.principal_id = vm.principal_id
        self.vm_name = vm.vm_name
        self.private_ip = vm.private_ip
        self.sql_vm_id = registration.id
        self.ready: pulumi.Resource = registration
        self.register_outputs({"vmId": self.vm_id, "sqlVmId": self.sql_vm_id})


def _license(license_type: str, sku: str) -> str:
    """The licence of a SQL registration: Express is free, so pay-as-you-go whatever the stack says."""
    return "PAYG" if sku.lower() == WITNESS_SQL_SKU.lower() else license_type
