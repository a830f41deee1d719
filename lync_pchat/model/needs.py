"""The needs model: what every automated action must reach, from where it runs, as data.

A :class:`Need` is one connection an action opens: where the action runs (a server key, or :data:`MANAGEMENT`, a
host in ``managementCidr`` with the admin tools and sqlcmd), as whom, to which target (a server key of the plan,
or an external name the project does not build), on which port, why, and in which state of a pool's life. The
producers live next to the code that renders each script (``lync_pchat.install``, ``lync_pchat.backup_task``,
``lync_pchat.runbooks``); :func:`lync_pchat.needs.needs` gathers them. Pure: no Pulumi.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

from .plan import PoolPlan, SqlInstance
from .ports import HTTPS, MIRRORING, PCHAT, RPC, RPC_DYNAMIC, SMB, SQL, SQL_BROWSER, WITNESS, Port
from .roles import Role

MANAGEMENT = "management"
"""A management host in ``managementCidr`` with the Lync admin tools and sqlcmd: where the runbooks run."""
SYSTEM, SETUP, ADMIN, SQL_SERVICE, SQL_AGENT = (
    "SYSTEM", "setup account", "administrator", "SQL Server service", "SQL Server Agent service",
)  # fmt: skip
"""The identities an action runs as."""

INSTALL, STEADY, FAILED_OVER, FAILED_BACK, RESTORED, CU_WAVE, PATCH_WAVE, ROTATED = (
    "installed", "backups", "failed-over", "failed-back", "restored", "cu-wave", "patch-wave", "password-rotated",
)  # fmt: skip
DAY = (INSTALL, STEADY, FAILED_OVER, FAILED_BACK, RESTORED, CU_WAVE, PATCH_WAVE, ROTATED)
"""A pool's day, in order: each state's actions run in it (the steady ones in every state after the install). A
patch wave (Azure Update Manager) and a password rotation (the VMAccess extension) act through Azure, not over
the stack's network: in them only the steady needs and the verify runbook run."""
EVERY = "every state"
"""``when`` of an action that may run in any state (the verify runbook, the message probe)."""


@dataclass(frozen=True)
class Need:
    """One connection an automated action opens."""

    action: str
    """What runs: an install phase (``pchat-log-shipping``), a job, or a runbook step (``runbook:failover step 2``)."""
    runs_on: str
    """A server key of the plan, or :data:`MANAGEMENT`."""
    identity: str
    target: str
    """A server key of the plan, or an external name (a Back End's FQDN, Azure Storage) outside its NSGs."""
    port: Port
    reason: str
    when: str = INSTALL

    def describe(self) -> str:
        """``action on source -> target port (reason)``."""
        return f"{self.action} on {self.runs_on} -> {self.target} {self.port} ({self.reason})"


@dataclass(frozen=True)
class Origin:
    """Who opens the connections of one action: the action, where it runs, as whom and when."""

    action: str
    runs_on: str
    identity: str
    when: str = INSTALL

    def to(self, target: str, port: Port, reason: str) -> Need:
        return Need(self.action, self.runs_on, self.identity, target, port, reason, self.when)

    def sql(self, instance: SqlInstance | None, reason: str) -> Iterator[Need]:
        """SQL Server on ``instance`` (its server key, else its FQDN); the Browser too for a named instance."""
        if instance is None:
            return
        target = instance.server or instance.fqdn
        if target == self.runs_on:
            return
        yield self.to(target, SQL, reason)
        if instance.instance:
            yield self.to(target, SQL_BROWSER, reason + " (named instance: SQL Server Browser)")

    def smb(self, target: str | None, reason: str) -> Iterator[Need]:
        """SMB (files, SAMR, the Service Control Manager) to ``target``, unless it is where the action runs."""
        if target is not None and target != self.runs_on:
            yield self.to(target, SMB, reason)

    def rpc(self, target: str | None, reason: str) -> Iterator[Need]:
        """WMI or DCOM: the endpoint mapper and the dynamic range."""
        if target is not None and target != self.runs_on:
            yield self.to(target, RPC, reason)
            yield self.to(target, RPC_DYNAMIC, reason)

    def mirror_install(self, principal: SqlInstance, mirror: SqlInstance | None, witness: SqlInstance | None,
                       share_host: str | None, what: str) -> Iterator[Need]:  # fmt: skip
        """Install-CsMirrorDatabase: SQL and WMI on principal, mirror and witness, SMB for the share and the
        mirror's data and log folders [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-
        availability]."""
        for instance in (principal, mirror, witness):
            if instance is not None:
                yield from self.sql(instance, what)
                if instance.server is not None:
                    yield from self.rpc(instance.server, what + ": WMI of the SQL Server")
        yield from self.smb(share_host, what + ": the mirroring share")
        if mirror is not None and mirror.server is not None:
            restores = replace(self, runs_on=mirror.server, identity=SQL_SERVICE)
            yield from restores.smb(share_host, what + ": the mirror restores the principal's backups from the share")
        if mirror is not None:
            yield from self.smb(mirror.server, what + ": data and log folders on the mirror")


@dataclass(frozen=True)
class Grant:
    """Rights given to the setup account on the server an action runs on, by that action, before ``before``: a
    grant opens no connection (it acts on its own server), so it is no :class:`Need`."""

    action: str
    runs_on: str
    """A server key of the plan: where the rights are given."""
    identity: str
    rights: tuple[str, ...]
    """What the setup account holds there afterwards (:data:`SYSADMIN`, :data:`LOCAL_ADMIN`)."""
    before: str
    """The action whose needs use the rights; the deployment runs it after this one."""
    when: str = INSTALL

    def covers(self, need: Need) -> bool:
        """Whether this grant gives ``need``'s identity, on its target and before its action, every standing right the
        need takes (:func:`rights`: sysadmin, local Administrators)."""
        standing = set(rights(need)) & {SYSADMIN, LOCAL_ADMIN}
        where = (need.target, need.action, need.when) == (self.runs_on, self.before, self.when)
        return where and need.identity == SETUP and standing <= set(self.rights)


_Item = TypeVar("_Item", Need, Grant)


def unique(items: Iterable[_Item]) -> tuple[_Item, ...]:
    """Each need or grant once, in first-seen order."""
    return tuple(dict.fromkeys(items))


def service_needs(pool: PoolPlan) -> Iterator[Need]:
    """The documented Lync flows between servers this project builds: the Persistent Chat services reach mgc and
    mgccomp [L:lync-server-2013-understanding-firewall-requirements-for-sql-server] (the backup stores once failed
    over), each other on 8011 [L:lync-server-2013-components-and-topologies-for-persistent-chat-server], and the
    compliance share [PS:New-CsPersistentChatComplianceConfiguration]."""
    for server in pool.pool_servers:
        lync = Origin("lync:persistent-chat", server.key, "Lync services (computer account)", STEADY)
        failed = replace(lync, when=FAILED_OVER)
        for store in pool.stores:
            yield from lync.sql(store.primary, f"{store.database} on its primary")
            yield from lync.sql(store.mirror, f"{store.database} on its mirror after a database failover")
            yield from failed.sql(store.backup, f"{store.database} on the backup store, failed over")
            yield from failed.sql(store.backup_mirror, f"{store.database} on the backup mirror, failed over")
        for other in pool.pool_servers:
            if other.key != server.key and server.role is not Role.STANDARD_EDITION:
                yield lync.to(other.key, PCHAT, "between the pool's servers")
        if pool.compliance_share is not None:
            yield from lync.smb(pool.compliance_share.host, "the compliance adapter's output share")


SYSADMIN = "sysadmin on the target SQL Server"
LOCAL_ADMIN = "local Administrators on the target"
CHAT_ADMIN = "CsPersistentChatAdministrator"
SHARE = "the share's Change and NTFS Modify (its computer account)"
ENDPOINT = "CONNECT on the target's mirroring endpoint (its computer account)"
DATABASE_ROLES = "the database roles Install-CsDatabase grants the pool's computer accounts"
BLOB_DATA = "a Storage Blob Data role on the container (its managed identity)"
ELSEWHERE = "what that computer grants: its local Administrators, or its service's right (a CA's Enroll, a DNS update)"
"""The rights an identity holds for a need: the SQL rights of a database or mirror install, "sysadmin + local
Administrators on the SQL server" [L:lync-server-2013-deployment-permissions-for-sql-server] (lync-install.md §2);
WMI, the data and log folders, SAMR and the Service Control Manager of another computer, its local Administrators
[WINPORTS]; Persistent Chat administration, CsPersistentChatAdministrator [L:lync-server-2013-persistent-chat-
server-administrative-roles] (lync-install.md §1 step 9); the shares and endpoints, what the bootstrap and
Install-CsMirrorDatabase grant the computer accounts; Azure Storage, a data role on the container."""
_ADMINS = (SETUP, ADMIN)


def rights(need: Need) -> tuple[str, ...]:
    """What ``need``'s identity must hold for its connection to do its work (empty: none beyond reaching it). A
    target with a dot is a computer this project does not build (its FQDN; the plan's servers are keys)."""
    if need.port == HTTPS:
        return (BLOB_DATA,)
    return _administrator(need) if need.identity in _ADMINS else _service(need)


def _administrator(need: Need) -> tuple[str, ...]:
    """The setup account's or an administrator's."""
    if need.port == SQL:
        return (SYSADMIN,)
    if need.port in (SMB, RPC, RPC_DYNAMIC):
        return (LOCAL_ADMIN,) if "." not in need.target else (ELSEWHERE,)
    return (CHAT_ADMIN,) if need.port == PCHAT else ()


def _service(need: Need) -> tuple[str, ...]:
    """A service's, as its computer account."""
    if need.port == SMB:
        return (SHARE,)
    if need.port in (MIRRORING, WITNESS):
        return (ENDPOINT,)
    return (DATABASE_ROLES,) if need.port == SQL and need.identity.startswith("Lync") else ()
