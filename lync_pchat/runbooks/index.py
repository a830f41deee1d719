"""The runbooks this package renders: name, what it does, and the topic it follows."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import sources as src
from ..model.sources import url


@dataclass(frozen=True)
class Runbook:
    """One runbook: a one-line description and its main documentation source key."""

    description: str
    source: str

    @property
    def url(self) -> str:
        return url(self.source)


RUNBOOKS: dict[str, Runbook] = {
    "publish": Runbook(
        "Topology Builder values per pool, what must exist before publishing, then (once published) "
        "Install-CsDatabase and Install-CsMirrorDatabase",
        src.ADD_TO_TOPOLOGY,
    ),
    "configure": Runbook(
        "Administrators, pool configuration with documented defaults, compliance adapter, room categories, "
        "add-ins, policy",
        src.CONFIGURE,
    ),
    "log-shipping": Runbook(
        "T-SQL log shipping of mgc (and mgccomp) to the standby site, and from the primary's mirror",
        src.LOG_SHIPPING,
    ),
    "verify": Runbook(
        "Checks a pool: Lync services on every active server, pool state, mirroring, log shipping and "
        "Test-CsPersistentChatMessage; -Schedule registers the synthetic test Azure Monitor alerts on",
        src.SERVICES,
    ),
    "cu-databases": Runbook(
        "After a cumulative update on every server: Install-CsDatabase -Update against each Persistent Chat "
        "database's current principal (-LocalDatabases on Standard Edition), proved by Test-CsDatabase",
        src.UPDATE_SERVER,
    ),
    "failover": Runbook(
        "Manual failover of a stretched pool to the backup mgc in the standby site, after the Front End side",
        src.FAILOVER,
    ),
    "failback": Runbook(
        "Failback of a stretched pool to the rebuilt primary data center",
        src.FAILBACK,
    ),
    "migrate": Runbook(
        "Moving a Lync Server 2013 pool's rooms and history to this stack's Skype for Business Server 2015 pool "
        "(Export-/Import-CsPersistentChatData), then the cut-over",
        src.PS_IMPORT,
    ),
    "restore": Runbook(
        "One store back to a point in time from its Blob Storage backups: services stopped, mirroring removed, "
        "restore, mirroring and log shipping again, services started",
        src.RESTORING,
    ),
}
"""Every runbook by name, in the order an operator meets them."""
