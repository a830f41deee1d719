"""What every component shares: its type, the options its children inherit, tags, diagnostics."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import monitor

from lync_pchat.model.resource_types import LEGACY_PACKAGE, PACKAGE, type_token
from lync_pchat.model.tags import SHARED
from lync_pchat.model.tags import topology_tags as tags

DIAGNOSTIC_SETTING = "pchat-diagnostics"
"""The Azure name of every diagnostic setting; unique per resource, so one name serves all."""

__all__ = ["DIAGNOSTIC_SETTING", "PACKAGE", "SHARED", "Component", "child", "diagnostics", "tags", "type_token"]


class Component(pulumi.ComponentResource):
    """A component of this package: type ``lync-pchat:index:<kind>`` and, unless ``legacy`` is false,
    an alias to its first-release type ``pchat:index:<kind>``.

    It remembers the options the SDK does not pass down to children (``retainOnDelete``,
    ``deletedWith``), so that :func:`child` can: what a user sets on a component reaches every
    resource in it. ``protect``, providers and aliases reach them through the parent already.
    """

    def __init__(self, kind: str, name: str, opts: pulumi.ResourceOptions | None, *, legacy: bool = True) -> None:
        opts = opts or pulumi.ResourceOptions()
        if legacy:
            opts = pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=type_token(kind, LEGACY_PACKAGE))])
            )
        super().__init__(type_token(kind), name, None, opts)
        self._retain_on_delete: bool | None = opts.retain_on_delete
        self._deleted_with: pulumi.Resource | None = opts.deleted_with


def child(
    parent: Component, *, stateful: bool = False, protect: bool = False, **extra: object
) -> pulumi.ResourceOptions:
    """Options of a resource or component inside ``parent``.

    It inherits the parent's ``protect``, providers and aliases (the SDK's inheritance) and its
    ``retainOnDelete`` and ``deletedWith`` (carried here). A stateful child whose topology asks for
    protection (``protect``) is strengthened: protected and retained on delete, whatever the parent says.
    """
    keep = stateful and protect
    return pulumi.ResourceOptions(
        parent=parent,
        protect=True if keep else None,
        retain_on_delete=True if keep else parent._retain_on_delete,
        deleted_with=parent._deleted_with,
        **extra,  # type: ignore[arg-type]
    )


def diagnostics(
    name: str, parent: Component, *, resource_uri: pulumi.Input[str], workspace_id: pulumi.Input[str], metrics: bool
) -> monitor.DiagnosticSetting:
    """Every log (category group ``allLogs``) and, with ``metrics``, every metric of a resource to a
    Log Analytics workspace (the AVM ``diagnosticSettings`` interface, evergreen categories)."""
    return monitor.DiagnosticSetting(
        name,
        resource_uri=resource_uri,
        name=DIAGNOSTIC_SETTING,
        workspace_id=workspace_id,
        logs=[monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
        metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)] if metrics else None,
        opts=child(parent),
    )
