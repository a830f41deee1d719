"""Validators for names and strings an admin types: FQDNs, UNC paths, user names."""

from __future__ import annotations

import re

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
_COMPUTER_NAME = re.compile(r"^(?!-)(?![0-9]+$)[a-z0-9-]{1,15}$", re.IGNORECASE)
_SQL_INSTANCE = re.compile(r"^[a-z_][a-z0-9_$]{0,15}$", re.IGNORECASE)
_UNC = re.compile(r"^\\\\[a-z0-9.-]+\\[^\\/:*?\"<>|]+(\\[^\\/:*?\"<>|]+)*$", re.IGNORECASE)
_TIME_ZONE = re.compile(r"^[A-Za-z0-9 .+()'-]{1,64}$")

RESERVED_ADMIN_NAMES = frozenset(
    {
        "administrator",
        "admin",
        "user",
        "user1",
        "test",
        "user2",
        "test1",
        "user3",
        "admin1",
        "1",
        "123",
        "a",
        "actuser",
        "adm",
        "admin2",
        "aspnet",
        "backup",
        "console",
        "david",
        "guest",
        "john",
        "owner",
        "root",
        "server",
        "sql",
        "support",
        "support_388945a0",
        "sys",
        "test2",
        "test3",
        "user4",
        "user5",
    }
)
"""User names Azure refuses for a Windows VM administrator [AZ:windows/faq]."""
_ADMIN_FORBIDDEN = set('\\/"[]:|<>+=;,?*@ ')


def is_fqdn(text: str, *, min_labels: int = 2) -> bool:
    labels = text.split(".")
    return (
        len(text) <= 253
        and len(labels) >= min_labels
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()
    )


def is_computer_name(text: str) -> bool:
    """A NetBIOS-compatible Windows computer name: at most 15 characters."""
    return bool(_COMPUTER_NAME.match(text))


def is_sql_instance_name(text: str) -> bool:
    return bool(_SQL_INSTANCE.match(text))


def is_unc_path(text: str) -> bool:
    return bool(_UNC.match(text))


def is_time_zone_id(text: str) -> bool:
    """Looks like a Windows time zone id (``UTC``, ``W. Europe Standard Time``)."""
    return bool(_TIME_ZONE.match(text))


def admin_name_problem(name: str) -> str | None:
    """Why Azure would refuse ``name`` as a Windows administrator, or None."""
    if name.lower() in RESERVED_ADMIN_NAMES:
        return f"{name!r} is a reserved administrator name on Azure; choose another, e.g. 'lyncadmin'"
    if not 1 <= len(name) <= 20:
        return f"{name!r} must be 1 to 20 characters long for a Windows VM administrator"
    if set(name) & _ADMIN_FORBIDDEN or name.endswith("."):
        return f"{name!r} contains characters Windows does not allow in a user name"
    return None
