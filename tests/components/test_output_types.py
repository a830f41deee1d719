"""The outputs a platform wires to: ids of every server's VM, identity, NIC and NSG, and of each site's NSGs;
the Python output types name the keys the values carry, which mypy checks against the real outputs."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pulumi
import pytest
from mypy import api as mypy

from components import PersistentChat
from components.persistent_chat_args import ServerOutput, SiteOutput, StoreOutput
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run

from ..oracles.arm import COMPUTE, NETWORK, resource_id

ROOT = Path(__file__).resolve().parents[2]
EXISTING = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke/providers/"
EXISTING += "Microsoft.Network/virtualNetworks/vnet-spoke/subnets/"
ARGS: Any = {
    "accept_unsupported": {"reason": "a test of Lync Server 2013 on its default images"},
    "domain": "corp.contoso.com",
    "sites": {
        "dublin": {"region": "northeurope", "address_space": "10.10.0.0/16"},
        "spoke": {
            "region": "westeurope",
            "address_space": "10.20.0.0/16",
            "existing_network": {
                "pchat_subnet_id": EXISTING + "pchat",
                "pchat_subnet_prefix": "10.20.0.0/24",
                "sql_subnet_id": EXISTING + "sql",
                "sql_subnet_prefix": "10.20.1.0/24",
            },
        },
    },
    "pools": {
        "pchat01": {
            "site": "dublin",
            "users": 20000,
            "next_hop": "fe01.corp.contoso.com",
            "high_availability": {"mirroring": True, "witness": True},
        },
        "pchat02": {"site": "spoke", "users": 20000, "next_hop": "fe02.corp.contoso.com"},
    },
    "admin_password": pulumi.Output.secret("Pw-1234567890!"),
    "name_prefix": "chat",
}


def outputs() -> tuple[dict[str, Any], list[str]]:
    found: dict[str, Any] = {}

    def program() -> None:
        chat = PersistentChat("chat", ARGS)
        for name in ("servers", "sites", "sql_stores"):
            getattr(chat, name).apply(lambda value, name=name: found.__setitem__(name, value))

    monitor = RecordingMonitor(AzureMocks())
    run(program, None, monitor)
    return found, list(monitor.warnings)


OUTPUTS, WARNINGS = outputs()


def test_every_server_names_its_vm_identity_nic_and_nsg() -> None:
    a1 = OUTPUTS["servers"]["pchat01-a1"]
    assert a1["vmId"] == resource_id("rg-chat-dublin", COMPUTE, "virtualMachines", "pchat01-a1")
    assert a1["principalId"] == "principal-pchat01-a1-vm"
    assert a1["nicId"] == resource_id("rg-chat-dublin", NETWORK, "networkInterfaces", "nic-pchat01-a1")
    assert a1["nsgId"] == resource_id("rg-chat-dublin", NETWORK, "networkSecurityGroups", "nsg-chat-dublin-pchat")
    sql = OUTPUTS["servers"]["pchat01-sql"]
    assert sql["vmId"] == resource_id("rg-chat-dublin-data", COMPUTE, "virtualMachines", "pchat01-sql")
    assert sql["nsgId"] == resource_id("rg-chat-dublin", NETWORK, "networkSecurityGroups", "nsg-chat-dublin-sql")


def test_every_site_names_its_nsgs_and_leaves_out_what_it_lacks() -> None:
    dublin, spoke = OUTPUTS["sites"]["dublin"], OUTPUTS["sites"]["spoke"]
    nsgs = "networkSecurityGroups"
    assert dublin["pchatNsgId"] == resource_id("rg-chat-dublin", NETWORK, nsgs, "nsg-chat-dublin-pchat")
    assert spoke["sqlNsgId"] == resource_id("rg-chat-spoke", NETWORK, "networkSecurityGroups", "nsg-chat-spoke-sql")
    assert "vnetId" in dublin and "vnetId" not in spoke  # the spoke's network is the platform's
    assert spoke["pchatSubnetId"] == EXISTING + "pchat"
    assert "mirror" not in OUTPUTS["sql_stores"]["pchat02"]["mgc"]


@pytest.mark.parametrize(
    ("output", "kind"),
    [("servers", ServerOutput), ("sites", SiteOutput), ("sql_stores", StoreOutput)],
)
def test_the_output_types_name_the_keys_the_values_carry(output: str, kind: Any) -> None:
    entries = OUTPUTS[output].values()
    if output == "sql_stores":
        entries = [store for pool in entries for store in pool.values()]
    for entry in entries:
        assert kind.__required_keys__ <= entry.keys() <= kind.__required_keys__ | kind.__optional_keys__
        assert all(isinstance(value, str) for value in entry.values())


def test_mypy_accepts_the_real_keys_and_refuses_snake_case(tmp_path: Path) -> None:
    """A typed consumer reads every key the real outputs carry; the old snake_case spelling is an error."""
    server = sorted(OUTPUTS["servers"]["pchat01-sql"])
    site = sorted(OUTPUTS["sites"]["dublin"])
    store = sorted(OUTPUTS["sql_stores"]["pchat01"]["mgc"])
    consumer = tmp_path / "consumer.py"
    consumer.write_text(
        textwrap.dedent(
            """
            from components.persistent_chat_args import ServerOutput, SiteOutput, StoreOutput

            def read(server: ServerOutput, site: SiteOutput, store: StoreOutput) -> list[object]:
                return [{}]
            """
        ).format(
            ", ".join(
                [*(f"server[{k!r}]" for k in server), *(f"site.get({k!r})" for k in site)]
                + [f"store.get({k!r})" for k in store]
            )
        )
    )
    args = ["--strict", "--follow-imports=silent", "--ignore-missing-imports", "--no-incremental", str(consumer)]
    args[-1:-1] = ["--cache-dir", "/dev/null"]  # mypy writes no cache: the suite's other mypy runs keep theirs
    out, _, status = mypy.run(args)
    assert status == 0, out
    consumer.write_text(consumer.read_text().replace("site.get('resourceGroupName')", "site['resource_group_name']"))
    out, _, status = mypy.run(args)
    assert status == 1 and 'TypedDict "SiteOutput" has no key "resource_group_name"' in out


def test_the_component_logs_the_models_warnings() -> None:
    """A pool without a room category: nobody can create a room, which the model warns about."""
    assert any("categor" in warning for warning in WARNINGS), WARNINGS
