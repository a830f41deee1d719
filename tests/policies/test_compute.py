"""Direct tests of the server checks: sizes, protection and secrets, with exact messages."""

from __future__ import annotations

import pytest

from lync_pchat.model.catalog import VM_SIZES
from lync_pchat.policies import CheckOptions
from lync_pchat.policies.compute import check_protected, check_secrets, check_vm_size

from .support import EXT_TYPE, NO, VM_TYPE, secret, vm_props

HARDWARE = "[L:lync-server-2013-server-hardware-platforms]"
PROTECT = (
    "is not protected: `pulumi destroy` or a replacing change would delete it; set protectStatefulResources: "
    "true so it gets the resource option protect [L:lync-server-2013-backing-up-persistent-chat-databases]"
)
PLAIN = (
    "is not a Pulumi secret, so it would be stored in plain text in the state and the preview; pass it as "
    "pulumi.Output.secret(...) or a secret config value"
)


def small(size: str, role: str) -> str:
    return (
        f"{VM_SIZES[size].describe()}: a {role} server needs the documented hardware, 2 x hex-core (12 physical "
        "cores; hyper-threaded vCPUs count half) and 32 GB; use Standard_F32s_v2 or larger, or tag the VM "
        f"'pchat-hardware: evaluation' for an unsupported lab {HARDWARE}"
    )


@pytest.mark.parametrize("role", ["active", "standby", "standard-edition", "store", "backup-store-mirror"])
def test_f16s_v2_is_below_the_documented_spec(role: str) -> None:
    assert check_vm_size(VM_TYPE, vm_props(role, "Standard_F16s_v2"), NO) == [small("Standard_F16s_v2", role)]


@pytest.mark.parametrize("size", ["Standard_F32s_v2", "Standard_D32s_v5", "Standard_E32s_v5"])
def test_sizes_with_12_physical_cores_and_32_gb_pass(size: str) -> None:
    assert check_vm_size(VM_TYPE, vm_props("active", size), NO) == []


def test_witnesses_and_evaluation_vms_need_only_a_catalog_size() -> None:
    assert check_vm_size(VM_TYPE, vm_props("witness", "Standard_D2s_v5"), NO) == []
    assert check_vm_size(VM_TYPE, vm_props("backup-witness", "Standard_D2s_v5"), NO) == []
    evaluation = vm_props("standard-edition", "Standard_F4s_v2", **{"pchat-hardware": "evaluation"})
    assert check_vm_size(VM_TYPE, evaluation, NO) == []
    documented = vm_props("standard-edition", "Standard_F4s_v2", **{"pchat-hardware": "documented"})
    assert check_vm_size(VM_TYPE, documented, NO) == [small("Standard_F4s_v2", "standard-edition")]


def test_a_size_outside_the_catalog_is_refused_even_for_a_witness() -> None:
    [message] = check_vm_size(VM_TYPE, vm_props("witness", "Standard_B2ms"), NO)
    assert message.startswith(
        "VM size 'Standard_B2ms' of this witness server is not in the project's size catalog "
        "(Standard_D2s_v5, Standard_D4s_v5, "
    )
    assert message.endswith("so it cannot be checked against the documented hardware; pick a catalog size [AZ:sizes]")


def test_untagged_vms_and_other_types_are_not_checked() -> None:
    assert check_vm_size(VM_TYPE, {"hardwareProfile": {"vmSize": "Standard_B1s"}}, NO) == []
    assert check_vm_size(VM_TYPE, vm_props("pchat-servers", "Standard_B1s"), NO) == []
    assert check_vm_size("azure-native:compute:Disk", vm_props("active", "Standard_B1s"), NO) == []


@pytest.mark.parametrize(
    ("type_", "what"),
    [
        ("azure-native:compute:Disk", "managed disk (a server's data volume)"),
        ("azure-native:keyvault:Vault", "key vault (every administrator password)"),
        ("azure-native:sqlvirtualmachine:SqlVirtualMachine", "SQL Server registration (the SQL IaaS agent's settings)"),
        ("azure-native:compute/v20240301:Disk", "managed disk (a server's data volume)"),
    ],
)
def test_stateful_resources_must_be_protected(type_: str, what: str) -> None:
    assert check_protected(type_, {}, NO) == [f"This {what} {PROTECT}"]
    assert check_protected(type_, {}, CheckOptions(protect=True)) == []


def test_sql_vms_must_be_protected_but_pool_servers_need_not() -> None:
    assert check_protected(VM_TYPE, vm_props("witness"), NO) == [
        f"This SQL Server VM (witness: chat history, rooms and compliance data) {PROTECT}"
    ]
    assert check_protected(VM_TYPE, vm_props("active"), NO) == []
    assert check_protected("azure-native:network:NetworkInterface", vm_props("store"), NO) == []


def test_commands_and_credentials_in_plain_settings_are_refused() -> None:
    props = {
        "settings": {
            "commandToExecute": "x",
            "Name": "corp",
            "User": "svc",
            "nested": {"storageAccountKey": "k"},
            "Password": "p",
        }
    }
    assert check_secrets(EXT_TYPE, props, NO) == [
        f"Extension {path} is stored and shown in plain text (Azure returns settings to anyone who can read the VM); "
        "move it to protectedSettings, which Azure encrypts [AZ:extensions/custom-script-windows.md]"
        for path in ("settings.commandToExecute", "settings.nested.storageAccountKey", "settings.Password")
    ]
    assert check_secrets(EXT_TYPE, {"settings": {"Name": "corp", "OUPath": "OU=x"}}, NO) == []


def test_with_wire_props_secret_inputs_must_be_secrets() -> None:
    plain = {"osProfile": {"adminPassword": "Pw-1!"}}
    wrapped = {"osProfile": {"adminPassword": secret("Pw-1!")}}
    parent_wrapped = {"osProfile": secret({"adminPassword": "Pw-1!"})}
    assert check_secrets(VM_TYPE, plain, CheckOptions(wire_props=plain)) == [f"osProfile.adminPassword {PLAIN}"]
    assert check_secrets(VM_TYPE, plain, CheckOptions(wire_props=wrapped)) == []
    assert check_secrets(VM_TYPE, plain, CheckOptions(wire_props=parent_wrapped)) == []
    assert check_secrets(VM_TYPE, plain, NO) == [], "the policy SDK route cannot see secretness"
    ext = {"protectedSettings": {"commandToExecute": "x"}}
    assert check_secrets(EXT_TYPE, ext, CheckOptions(wire_props=ext)) == [f"protectedSettings {PLAIN}"]
    kv = {"properties": {"value": "v", "contentType": "password"}}
    assert check_secrets("azure-native:keyvault:Secret", kv, CheckOptions(wire_props=kv)) == [
        f"properties.value {PLAIN}"
    ]
    assert check_secrets(VM_TYPE, {}, CheckOptions(wire_props={})) == []
