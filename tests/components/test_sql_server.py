"""SqlServer: a protected SQL VM registered with the SQL IaaS agent after its bootstrap."""

from __future__ import annotations

import pulumi

from components import SqlServer, SqlServerArgs, WindowsServerArgs
from lync_pchat import bootstrap
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import children, named, synthesize

from ..model.configs import changed, enterprise
from ..oracles.arm import COMPUTE, resource_id

PLAN = plan_topology(changed(enterprise(), pools__pchat01__highAvailability={"mirroring": True, "witness": True}))


def build(key: str) -> None:
    server = PLAN.server(key)
    SqlServer(
        key,
        SqlServerArgs(
            vm=WindowsServerArgs(
                server=server,
                resource_group_name="rg",
                subnet_id="/subnets/sql",
                admin_username="lyncadmin",
                admin_password=pulumi.Output.secret("pw"),
                bootstrap_command=bootstrap.command(server, PLAN),
                domain=PLAN.domain,
                tags={"pchat-role": server.role.value},
            )
        ),
    )


def test_children_and_registration() -> None:
    graph = synthesize(lambda: build("pchat01-sql"))
    assert children(graph, "pchat01-sql", "lync-pchat:index:SqlServer") == [
        ("azure-native:sqlvirtualmachine:SqlVirtualMachine", "pchat01-sql-sqlvm"),
        ("lync-pchat:index:WindowsServer", "pchat01-sql"),
    ]
    assert [name for _, name in children(graph, "pchat01-sql", "lync-pchat:index:WindowsServer")] == [
        "pchat01-sql-backup",
        "pchat01-sql-data",
        "pchat01-sql-log",
        "pchat01-sql-tempdb",
        "pchat01-sql-vm",
        "pchat01-sql-init",
        "pchat01-sql-nic",
    ]
    sqlvm = named(graph, "pchat01-sql-sqlvm")
    assert sqlvm.inputs["sqlImageOffer"] == "SQL2014SP3-WS2012R2"
    assert sqlvm.inputs["sqlImageSku"] == "Standard"
    assert sqlvm.inputs["virtualMachineResourceId"] == resource_id("rg", COMPUTE, "virtualMachines", "pchat01-sql")
    assert sqlvm.inputs["serverConfigurationsManagementSettings"] == {
        "sqlConnectivityUpdateSettings": {"connectivityType": "PRIVATE", "port": 1433.0},
        "sqlWorkloadTypeUpdateSettings": {"sqlWorkloadType": "OLTP"},
    }
    assert "storageConfigurationSettings" not in sqlvm.inputs
    assert (sqlvm.protect, sqlvm.retain_on_delete) == (True, True)
    assert sqlvm.depends_on(named(graph, "pchat01-sql-init"))


def test_witness_runs_sql_express() -> None:
    graph = synthesize(lambda: build("pchat01-sqlw"))
    assert named(graph, "pchat01-sqlw-sqlvm").inputs["sqlImageSku"] == "Express"
    assert named(graph, "pchat01-sqlw-vm").inputs["hardwareProfile"] == {"vmSize": "Standard_D2s_v5"}
