"""``pchat diff`` flags a product change: a switch from Lync Server 2013 to Skype for Business Server 2015 is a
rebuild (new images, fresh install; no in-place OS upgrade, skype2015.md 2 and 7), never an update."""

from __future__ import annotations

from typing import Any

from lync_pchat.offline.diff import diff_stack
from lync_pchat.offline.diffview import markdown, text

VM = "azure-native:compute:VirtualMachine"


def _plan(product: str | None, sku: str) -> dict[str, Any]:
    vm = {
        "urn": f"urn:pulumi:s::pchat::{VM}::a1-vm",
        "type": VM,
        "name": "a1-vm",
        "protect": False,
        "inputs": {"storageProfile": {"imageReference": {"sku": sku}}},
    }
    plan: dict[str, Any] = {"resources": [vm]}
    if product is not None:
        plan["product"] = product
    return plan


def test_a_product_change_is_flagged_as_a_rebuild() -> None:
    diff = diff_stack("modern", _plan("lync2013", "2012-R2-Datacenter"), _plan("skype2015", "2019-Datacenter"))
    assert diff.topology is not None and diff.topology.product == ("lync2013", "skype2015")
    md = markdown([diff], "main")
    assert "> **Product change: `lync2013` → `skype2015`**: a rebuild, not an update: " in md
    assert "Product change: lync2013 → skype2015: a rebuild, not an update: " in text([diff], "main")


def test_a_plan_without_a_product_is_lync2013() -> None:
    """Plans written before the switch record no product: they were all Lync Server 2013's."""
    same = diff_stack("s", _plan(None, "2012-R2-Datacenter"), _plan("lync2013", "2012-R2-Datacenter"))
    assert same.topology is not None and same.topology.product is None
    assert "Product change" not in markdown([same], "main")
    switched = diff_stack("s", _plan(None, "2012-R2-Datacenter"), _plan("skype2015", "2019-Datacenter"))
    assert switched.topology is not None and switched.topology.product == ("lync2013", "skype2015")


def test_a_new_stack_is_no_product_change() -> None:
    diff = diff_stack("s", None, _plan("skype2015", "2019-Datacenter"))
    assert diff.topology is not None and diff.topology.product is None
