"""Direct tests of the resource checks on servers: protection and secrets, with exact messages."""

from __future__ import annotations

import pytest

from lync_pchat.policies import CheckOptions
from lync_pchat.policies.compute import check_protected, check_secrets

from .support import EXT_TYPE, NO, VM_TYPE, secret, untagged, vm_props

PROTECT = (
    "is not protected: `pulumi destroy` or a replacing change would delete it; set protectStatefulResources: "
    "true so it gets the resource option protect [L:lync-server-2013-backing-up-persistent-chat-databases]"
)
PLAIN = (
    "is not a Pulumi secret, so it would be stored in plain text in the state and the preview; pass it as "
    "pulumi.Output.secret(...) or a secret config value"
)


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


def test_an_untagged_sql_vm_is_recognised_by_its_image() -> None:
    expected = [f"This SQL Server VM (chat history, rooms and compliance data) {PROTECT}"]
    assert check_protected(VM_TYPE, untagged(vm_props("store")), NO) == expected
    assert check_protected(VM_TYPE, untagged(vm_props("witness")), NO) == expected
    assert check_protected(VM_TYPE, vm_props("active", image_kind="sql"), NO) == expected, "a wrong tag hides nothing"
    assert check_protected(VM_TYPE, untagged(vm_props("store")), CheckOptions(protect=True)) == []
    assert check_protected(VM_TYPE, untagged(vm_props("active")), NO) == []


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
