"""Passwords that never drift: the VMAccess extension sets the local administrator's password on the server in the
same ``pulumi up`` that writes it to the vault (the VM itself ignores a changed ``osProfile.adminPassword``)."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import compute

from .common import Component, child

EXTENSION = "pchat-admin-password"
PUBLISHER, TYPE, VERSION = "Microsoft.Compute", "VMAccessAgent", "2.4"
"""The VMAccess extension for Windows, which resets a local account's password from its protected settings."""


def reset_password(
    parent: Component,
    server: str,
    *,
    vm_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    location: str,
    username: str,
    password: pulumi.Input[str],
    after: pulumi.Resource,
    tags: dict[str, str],
) -> compute.VirtualMachineExtension:
    """The extension that gives ``username`` on ``server`` the password the vault holds; a new password updates it,
    which runs it again. It follows the server's bootstrap (one extension operation at a time on a VM)."""
    return compute.VirtualMachineExtension(
        f"{server}-password-reset",
        resource_group_name=resource_group_name,
        location=location,
        vm_name=vm_name,
        vm_extension_name=EXTENSION,
        publisher=PUBLISHER,
        type=TYPE,
        type_handler_version=VERSION,
        auto_upgrade_minor_version=True,
        settings={"UserName": username},
        protected_settings=pulumi.Output.secret({"Password": password}),
        tags=tags,
        opts=child(parent, depends_on=[after]),
    )
