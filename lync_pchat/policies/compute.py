"""Resource checks on servers: protected stateful resources, secrets kept secret.

The documented VM sizes are a stack check (:mod:`.hardware`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..model import resource_types as rt
from ..wire import walk
from .base import BACKUP, EXTENSIONS, VM, CheckOptions, is_secret, kind, role_of
from .recognition import Kind, kind_of

STATEFUL = {
    rt.DISK: "managed disk (a server's data volume)",
    rt.VAULT: "key vault (every administrator password)",
    rt.SQL_VM: "SQL Server registration (the SQL IaaS agent's settings)",
}
SECRET_PATHS = {
    VM: ("osProfile.adminPassword",),
    rt.VM_EXTENSION: ("protectedSettings",),
    rt.SECRET: ("properties.value",),
    rt.RUN_COMMAND: ("runAsPassword", "protectedParameters.*.value"),
}
"""Inputs that must reach the engine as Pulumi secrets (``*``: each element of a list, see
:func:`~lync_pchat.wire.walk`); beyond them, any input named like a password (:data:`PASSWORD_KEY`) must be
one too."""
PASSWORD_KEY = re.compile(r"password|passwd|pwd", re.IGNORECASE)
SQL_DATA = "chat history, rooms and compliance data"
PLAIN_KEY = re.compile(r"commandtoexecute|password|passwd|pwd|secret|accountkey|sastoken", re.IGNORECASE)


def sql_vm(props: Mapping[str, Any]) -> str | None:
    """What a SQL Server VM holds, for the message; None for other VMs. Its SQL Server image makes a
    VM one (a SqlVirtualMachine registration, seen only by stack checks, is protected on its own);
    a SQL role tag can add a VM, never remove one."""
    role = role_of(props)
    if role is not None and role.is_sql:
        return f"{role}: {SQL_DATA}"
    return SQL_DATA if kind_of(props, frozenset())[0] in (Kind.SQL, Kind.WITNESS) else None


def check_protected(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """Disks, the key vault, SQL registrations and SQL Server VMs carry ``protect``."""
    found = kind(resource_type)
    what = STATEFUL.get(found)
    holds = sql_vm(props) if found == VM else None
    if holds is not None:
        what = f"SQL Server VM ({holds})"
    if what is None or options.protect:
        return []
    return [
        f"This {what} is not protected: `pulumi destroy` or a replacing change would delete it; "
        f"set protectStatefulResources: true so it gets the resource option protect [{BACKUP}]"
    ]


def _plain_keys(value: Any, prefix: str = "settings") -> list[str]:
    if not isinstance(value, Mapping):
        return []
    found: list[str] = []
    for key in value:
        path = f"{prefix}.{key}"
        found += [path] if PLAIN_KEY.search(str(key)) else _plain_keys(value[key], path)
    return found


def plain_at(wire: Mapping[str, Any], path: str) -> list[str]:
    """Where a value is set at ``path`` without a secret marker on it or on any parent."""
    return [at for at, value in walk(wire, path) if value is not None and not is_secret(value)]


def check_secrets(resource_type: str, props: Mapping[str, Any], options: CheckOptions) -> list[str]:
    """Extension ``settings`` hold no command or credential; with wire props, secret inputs are secrets."""
    found = kind(resource_type)
    in_settings = _plain_keys(props.get("settings")) if found == rt.VM_EXTENSION else []
    messages = [
        f"Extension {path} is stored and shown in plain text (Azure returns settings to anyone "
        f"who can read the VM); move it to protectedSettings, which Azure encrypts [{EXTENSIONS}]"
        for path in in_settings
    ]
    if options.wire_props is not None:
        named = [p for p in _password_paths(options.wire_props) if p not in in_settings]
        paths = dict.fromkeys([*SECRET_PATHS.get(found, ()), *named])
        messages += [
            f"{at} is not a Pulumi secret, so it would be stored in plain text in the state and "
            "the preview; pass it as pulumi.Output.secret(...) or a secret config value"
            for path in paths
            for at in plain_at(options.wire_props, path)
        ]
    return messages


def _password_paths(wire: Any, prefix: str = "") -> list[str]:
    """Where an input named like a password holds text or a map, at any depth outside a secret."""
    if not isinstance(wire, Mapping) or is_secret(wire):
        return []
    found: list[str] = []
    for key, value in wire.items():
        path = f"{prefix}{key}"
        if PASSWORD_KEY.search(str(key)) and isinstance(value, str | Mapping):
            found.append(path)
        else:
            found += _password_paths(value, f"{path}.")
    return found
