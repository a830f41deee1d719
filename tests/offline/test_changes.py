"""The pieces of ``pchat diff`` that read a change: the refused-change table, values, SDK pins."""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.offline.changes import show
from lync_pchat.offline.diff import compare
from lync_pchat.offline.sdk import changes, pins

VAULT = "azure-native:keyvault:Vault"
SUBNET = "azure-native:network:Subnet"
SOFT_DELETE = "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
"""Purge protection "can't be disabled" once on; the retention is set "only during key vault creation"."""
SUBNETS = "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet"


def res(name: str, type_: str, protect: bool = False, **inputs: Any) -> dict[str, Any]:
    return {"urn": f"urn:{type_}::{name}", "type": type_, "name": name, "protect": protect, "inputs": inputs}


@pytest.mark.parametrize(
    ("type_", "before", "after", "refused"),
    [
        (VAULT, {"properties": {"enablePurgeProtection": True}}, {"properties": {}}, SOFT_DELETE),
        (VAULT, {"properties": {"enablePurgeProtection": False}}, {"properties": {"enablePurgeProtection": True}}, ""),
        (VAULT, {"properties": {"softDeleteRetentionInDays": 90}}, {"properties": {"softDeleteRetentionInDays": 7}},
         SOFT_DELETE),
        (VAULT, {"properties": {"enableSoftDelete": True}}, {"properties": {"enableSoftDelete": False}}, SOFT_DELETE),
        (SUBNET, {"addressPrefix": "10.0.0.0/24"}, {"addressPrefix": "10.0.0.0/25"}, SUBNETS),
        (SUBNET, {"addressPrefix": "10.0.0.0/24", "x": 1}, {"addressPrefix": "10.0.0.0/24", "x": 2}, ""),
    ],
)  # fmt: skip
def test_changes_azure_refuses(type_: str, before: dict[str, Any], after: dict[str, Any], refused: str) -> None:
    (change,) = compare({"resources": [res("r", type_, **before)]}, {"resources": [res("r", type_, **after)]})
    assert [r.rsplit("(", 1)[-1].rstrip(")") for r in change.refused] == ([refused] if refused else [])


def test_a_replaced_resource_takes_any_value() -> None:
    """A new disk (a new name) may be smaller: nothing existing shrinks."""
    disk = "azure-native:compute:Disk"
    before = res("d", disk, diskName="a", diskSizeGB=256)
    (change,) = compare({"resources": [before]}, {"resources": [res("d", disk, diskName="b", diskSizeGB=200)]})
    assert (change.action, change.refused) == ("replace", ())


def test_values_are_short_and_whole() -> None:
    assert show(256.0) == "256"
    assert show({"b": [1.0, 2.5], "a": "x"}) == '{"a":"x","b":[1,2.5]}'
    assert show("x" * 100) == "x" * 59 + "…"


def test_sdk_pins_from_every_kind_of_file() -> None:
    pyproject = '[project]\ndependencies = ["pulumi>=3.272,<4", "pyyaml"]\n'
    pyproject += '[project.optional-dependencies]\npolicy = ["pulumi_policy >= 1.21"]\n'
    assert pins("pyproject.toml", pyproject) == {"pulumi": ">=3.272,<4", "pulumi-policy": ">=1.21"}
    lock = '[[package]]\nname = "pulumi-azure-native"\nversion = "3.30.0"\n[[package]]\nname = "x"\nversion = "1"\n'
    assert pins("uv.lock", lock) == {"pulumi-azure-native": "==3.30.0"}
    assert pins("requirements.txt", "Pulumi.Random[x] ~= 4.21 ; python_version > '3'\n# c\n") == {
        "pulumi-random": "~=4.21"
    }
    assert changes({"uv.lock": lock}, {}) == ["- `uv.lock`: `pulumi-azure-native` `==3.30.0` → `(not declared)`"]
    assert changes({"uv.lock": lock}, {"uv.lock": lock}) == []
