"""Config builders for model tests: a valid base topology and a way to change one key."""

from __future__ import annotations

import copy
from typing import Any

DELETE = object()


def enterprise() -> dict[str, Any]:
    """A valid two-site Enterprise topology with every feature off."""
    return {
        "edition": "enterprise",
        "acceptUnsupported": {"reason": "a test of Lync Server 2013 on its default images"},
        "domain": "corp.contoso.com",
        "adminUsername": "lyncadmin",
        "sites": {
            "dublin": {"region": "northeurope", "addressSpace": "10.10.0.0/16"},
            "amsterdam": {"region": "westeurope", "addressSpace": "10.20.0.0/16"},
        },
        "pools": {
            "pchat01": {"site": "dublin", "users": 40000, "nextHop": "fe01.corp.contoso.com"},
        },
    }


def standard() -> dict[str, Any]:
    """A valid Standard Edition topology."""
    return {
        "edition": "standard",
        "acceptUnsupported": {"reason": "a test of Lync Server 2013 on its default images"},
        "domain": "lab.contoso.com",
        "sites": {"lab": {"region": "westeurope", "addressSpace": "10.50.0.0/22"}},
        "pools": {"lyncse01": {"site": "lab", "users": 500}},
    }


def changed(base: dict[str, Any], **paths: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with dotted paths (``pools__pchat01__users``) set or deleted."""
    result = copy.deepcopy(base)
    for dotted, value in paths.items():
        *parents, leaf = dotted.split("__")
        node = result
        for part in parents:
            node = node.setdefault(part, {})
        if value is DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return result
