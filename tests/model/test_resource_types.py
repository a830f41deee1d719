"""The azure-native type tokens, named once in ``lync_pchat.model.resource_types``. Oracle: the Pulumi registry names
a resource ``azure-native:<module>:<Resource>`` (e.g. ``azure-native:compute:VirtualMachine``) and an API-version
module ``azure-native:<module>/v<YYYYMMDD>:<Resource>`` (pulumi.com/registry/packages/azure-native, "Version
guide")."""

from __future__ import annotations

from lync_pchat.model import resource_types as rt


def test_tokens_are_the_registrys() -> None:
    assert (rt.VM, rt.SUBNET, rt.RUN_COMMAND) == (
        "azure-native:compute:VirtualMachine",
        "azure-native:network:Subnet",
        "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
    )


def test_an_api_version_is_dropped_and_other_tokens_kept() -> None:
    assert rt.unversioned("azure-native:network/v20230501:Subnet") == rt.SUBNET
    assert rt.unversioned(rt.NSG) == rt.NSG
    assert rt.unversioned("random:index/randomString:RandomString") == "random:index/randomString:RandomString"
    assert rt.unversioned(rt.POOL_TYPE) == rt.POOL_TYPE
