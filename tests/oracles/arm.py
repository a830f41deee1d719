"""Azure resource ids as Azure Resource Manager forms them: the oracle of every test that checks which
resource an input points at. ``/subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>``,
child resources nested under their parent's type and name."""

from __future__ import annotations

from lync_pchat.offline.engine import SUBSCRIPTION


def group_id(group: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{group}"


def resource_id(group: str, namespace: str, *path: str) -> str:
    """E.g. ``resource_id("rg", "Microsoft.Compute", "disks", "a1-data")``."""
    return f"{group_id(group)}/providers/{namespace}/" + "/".join(path)


NETWORK, COMPUTE, KEY_VAULT = "Microsoft.Network", "Microsoft.Compute", "Microsoft.KeyVault"
"""Resource provider namespaces, as listed at
learn.microsoft.com/azure/azure-resource-manager/management/azure-services-resource-providers."""
