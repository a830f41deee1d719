"""The network security rules of each site subnet: the traffic the product documents, nothing else.

Each rule names the documentation it follows (:attr:`RuleSpec.source`). Each pool's rules take
priorities from its address slot, so adding a pool never renumbers another pool's rules. Every rule
set ends in an explicit deny-all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import sources as src
from .plan import Plan, PoolPlan, ServerPlan
from .ports import MIRRORING, PCHAT, RDP, RPC, RPC_DYNAMIC, SMB, SQL, SQL_BROWSER, WCF, WITNESS, Port
from .roles import Role

VIRTUAL_NETWORK = "VirtualNetwork"
"""Azure's tag for the virtual network, its peerings and the on-premises ranges its gateway announces."""
RDP_PRIORITY, POOL_PRIORITY, DENY_PRIORITY = 900, 1000, 4096
RULES_PER_POOL = 20
MAX_DESCRIPTION = 140
"""Azure's limit on the description of a security rule."""
OFFSET = {
    "sip": 0, "wcf": 1, "cms": 2, "pool": 3, "se-sip": 4, "admin": 5, "se-web": 6, "se-rpc": 7,
    "se-web-mtls": 8, "se-mobility": 9, "se-conferencing": 10, "se-bandwidth": 11, "se-mediation": 12,
    "se-media": 13, "se-sql-browser": 14, "service-control": 15,
    "sql": 0, "sql-browser": 1, "mirroring": 2, "shares": 3, "sql-admin": 4, "wmi": 5, "shares-admin": 6,
    "compliance-share": 7, "sql-shipping": 8, "witness-release": 9, "witness-endpoint": 10,
}  # fmt: skip
"""Fixed priority offset of each rule within its pool's range: enabling one never moves another."""


@dataclass(frozen=True)
class RuleSpec:
    """One inbound NSG rule and the documentation it follows."""

    name: str
    priority: int
    protocol: str
    ports: tuple[str, ...]
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    description: str
    access: str = "Allow"
    source: str = ""
    """The source key of the documentation that asks for this traffic (not sent to Azure)."""


@dataclass(frozen=True)
class _Rule:
    name: str
    protocol: str
    ports: tuple[str, ...]
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    description: str
    source: str


def subnet_rules(plan: Plan, site: str, subnet: str) -> tuple[RuleSpec, ...]:
    """Inbound rules of the ``pchat`` or ``sql`` subnet of ``site``, by priority."""
    site_plan = plan.site(site)
    prefix = site_plan.subnet_prefix(subnet)
    rules: list[RuleSpec] = []
    if plan.management_cidr:
        rules.append(
            RuleSpec("allow-rdp-management", RDP_PRIORITY, *_on(RDP), (plan.management_cidr,), (prefix,),
                     "RDP from the management range only", source=src.PORTS)
        )  # fmt: skip
    for pool in plan.pools:
        here = tuple(s for s in pool.servers if s.site == site and s.subnet == subnet)
        if here:
            rules += _pool_rules(plan, pool, here, subnet)
    rules += [
        RuleSpec(r.name, r.priority, r.protocol, r.ports, r.sources, (prefix,), r.description, access=r.access)
        for r in site_plan.extra_rules
        if subnet in r.subnets
    ]
    rules.append(
        RuleSpec("deny-all-inbound", DENY_PRIORITY, "*", ("*",), ("*",), ("*",), "Nothing else reaches the subnet",
                 access="Deny")
    )  # fmt: skip
    return tuple(sorted(rules, key=lambda r: r.priority))


def _pool_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...], subnet: str) -> list[RuleSpec]:
    base = POOL_PRIORITY + RULES_PER_POOL * pool.address_slot
    rules = _pchat_rules(plan, pool, here) if subnet == "pchat" else _sql_rules(plan, pool, here)
    return [
        RuleSpec(f"{pool.key}-{r.name}", base + OFFSET[r.name], r.protocol, r.ports, r.sources, r.targets,
                 r.description, source=r.source)
        for r in rules
        if r.targets and r.sources
    ]  # fmt: skip


def front_ends(pool: PoolPlan) -> tuple[str, ...]:
    """Every Front End pool the Persistent Chat pool serves, or the VirtualNetwork tag."""
    return pool.front_end_cidrs or (VIRTUAL_NETWORK,)


def admins(plan: Plan, pool: PoolPlan) -> tuple[str, ...]:
    """Where administration and database installation come from: the management range, else the Front
    Ends (the Lync Server Management Shell runs on them too); and with ``software.install`` the pool's
    install host, which runs Install-CsDatabase and Install-CsMirrorDatabase (its SQL, WMI and SMB)."""
    people = (plan.management_cidr,) if plan.management_cidr else front_ends(pool)
    return people + (_hosts([pool.install_host]) if plan.software is not None else ())


def central_management(plan: Plan) -> tuple[str, ...]:
    """The Front End pool hosting the Central Management store, else every pool's Front End ranges."""
    if plan.central_management_cidr:
        return (plan.central_management_cidr,)
    return tuple(dict.fromkeys(r for pool in plan.pools for r in front_ends(pool)))


def _pchat_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    """A Persistent Chat server [L:...ports-and-protocols-for-internal-servers] (Gg398833) and
    [L:...components-and-topologies-for-persistent-chat-server] (Gg398500); a Standard Edition server
    is also a full Front End (:func:`_front_end_rules`)."""
    # A Standard Edition server is its own next hop and the pool's only server: no SIP, WCF or pool traffic
    # reaches it from elsewhere, only administration.
    chat = _hosts(s for s in here if s.role is not Role.STANDARD_EDITION)
    every = _hosts(here)
    members = _hosts(pool.pool_servers)
    rules = [
        _Rule("sip", "Tcp", (str(pool.port),), front_ends(pool), chat, "Persistent Chat SIP (MTLS) from the Front Ends",
              src.PORTS),
        _Rule("wcf", *_on(WCF), front_ends(pool), chat, "Persistent Chat WCF (TLS, MTLS)", src.PORTS),
        _Rule("cms", *_on(SMB), central_management(plan), every,
              "Central Management store replication (Master Replicator)", src.PORTS),
        _Rule("pool", *_on(PCHAT), members, chat, "Between the pool's servers in both data centers",
              src.COMPONENTS),
        _Rule("admin", *_on(PCHAT), admins(plan, pool), every, "Persistent Chat administration", src.COMPONENTS),
    ]  # fmt: skip
    if central_management(plan) != (VIRTUAL_NETWORK,):  # else the cms rule admits the administrators already
        rules.append(
            _Rule("service-control", *_on(SMB), admins(plan, pool), every,
                  "Get-, Stop-, Start-CsWindowsService -ComputerName (Service Control Manager over SMB)",
                  src.PS_WINDOWS_SERVICE)
        )  # fmt: skip
    standard = _hosts(s for s in here if s.role is Role.STANDARD_EDITION)
    return rules + (_front_end_rules(standard) if standard else [])


FRONT_END_PORTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("se-sip", "Tcp", ("5061",), "Front-End SIP: clients (TLS) and servers (MTLS)"),
    ("se-web", "Tcp", ("80", "443", "444", "4443", "8080"),
     "Web services, Web Compatibility, Focus and reverse proxy (HTTP, HTTPS)"),
    ("se-rpc", "Tcp", ("135",), "DCOM/RPC: moving users, User Replicator, Address Book"),
    ("se-web-mtls", "Tcp", ("8060", "8061"), "Web server (MTLS)"),
    ("se-mobility", "Tcp", ("5086", "5087"), "Mobility service (MTLS)"),
    ("se-conferencing", "Tcp",
     ("5062", "5063", "5064", "5065", "5071", "5072", "5073", "5075", "5076", "8057", "8058", "8404"),
     "IM, A/V, web and dial-in conferencing, application sharing, attendant, call park, RGS"),
    ("se-bandwidth", "Tcp", ("448", "5080"), "Bandwidth Policy service (call admission control)"),
    ("se-mediation", "Tcp", ("5067", "5068", "5070", "5081", "5082"), "Mediation, collocated by default"),
    ("se-media", "*", ("49152-65535",), "Audio, video and application sharing media (TCP, UDP)"),
    ("se-sql-browser", "Udp", ("1434",), "SQL Browser of the server's SQL Server Express instances"),
)  # fmt: skip
"""What a Front End (here: the Standard Edition server) accepts, from the table of
[L:lync-server-2013-ports-and-protocols-for-internal-servers] (Gg398833); the SQL Express instances of a
Standard Edition server take remote connections [L:...understanding-firewall-requirements-for-sql-server]."""


def _front_end_rules(targets: tuple[str, ...]) -> list[_Rule]:
    """Clients and servers anywhere in the private network reach a Front End."""
    return [
        _Rule(name, protocol, ports, (VIRTUAL_NETWORK,), targets, text, src.PORTS)
        for name, protocol, ports, text in FRONT_END_PORTS
    ]


def _sql_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    """A SQL Server of the pool [L:...understanding-firewall-requirements-for-sql-server] (Gg425818),
    [L:...deploying-sql-mirroring-for-back-end-server-high-availability] (JJ204992)."""
    stores = _hosts(s for s in here if not s.role.is_witness)
    members = _hosts(pool.pool_servers)
    rules = [
        _Rule("sql", *_on(SQL), members, stores, "mgc and mgccomp from the pool servers", src.SQL_FIREWALL),
        _Rule("sql-browser", *_on(SQL_BROWSER), tuple(dict.fromkeys(members + admins(plan, pool))), stores,
              "SQL Server Browser", src.SQL_FIREWALL),
        _Rule("sql-admin", *_on(SQL), admins(plan, pool), _hosts(here),
              "Install-CsDatabase, Install-CsMirrorDatabase (the witness too) and the runbooks' sqlcmd",
              src.SQL_FIREWALL),
    ]  # fmt: skip
    return (
        rules + _mirroring_rules(plan, pool, here) + _wmi_rules(plan, pool, here) + _share_rules(plan, pool, here)
        + _install_rules(plan, pool, here)
    )  # fmt: skip


def _install_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    """What the install phase reaches beyond the administrators' rules: ``pchat-log-shipping`` runs on the backup
    store of mgc and connects to every shipped store's primary, mirror and backup store (sqlcmd -S, :CONNECT);
    ``pchat-release`` on the install host removes the setup account from the witnesses' Administrators too
    (SAMR over SMB)."""
    rules: list[_Rule] = []
    software, shipper = plan.software, pool.mgc.backup
    if software is not None and shipper is not None and shipper.server is not None:
        shipped = {i.server for s in pool.stores if s.log_shipping for i in (s.primary, s.mirror, s.backup) if i}
        source = plan.server(shipper.server)
        rules.append(
            _Rule("sql-shipping", *_on(SQL), _hosts([source]),
                  _hosts(s for s in here if s.key in shipped and s.key != source.key),
                  "pchat-log-shipping from the backup store: sqlcmd and :CONNECT to the shipped stores",
                  src.LOG_SHIPPING)
        )  # fmt: skip
    if software is not None and not software.keep_setup_rights:
        rules.append(
            _Rule("witness-release", *_on(SMB), _hosts([pool.install_host]),
                  _hosts(s for s in here if s.role.is_witness),
                  "pchat-release: the setup account removed from the witness's Administrators (SAMR)",
                  src.DEPLOYMENT_PERMISSIONS)
        )  # fmt: skip
    return rules


def _on(*ports: Port) -> tuple[str, tuple[str, ...]]:
    """A rule's protocol and port list for ``ports`` (one protocol)."""
    (protocol,) = {p.protocol for p in ports}
    return protocol, tuple(p.number for p in ports)


def _mirroring_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    """The endpoints between the SQL partners this project builds. A collocated store mirrored onto the Back
    End's existing mirror (``store.mirror``) opens nothing: its partners are the customer's servers."""
    if not any(store.mirror is not None and store.mirror.server is not None for store in pool.stores):
        return []
    partners = [s for s in pool.sql_servers if not s.role.is_witness]
    rules = []
    if targets := [s for s in here if not s.role.is_witness]:  # a partner's endpoint: its partner and its witness
        rules.append(_Rule("mirroring", *_on(MIRRORING), _hosts(pool.sql_servers), _hosts(targets),
                           "Mirroring endpoint (5022) of each SQL partner, from its partner and its witness",
                           src.SQL_MIRRORING))  # fmt: skip
    if witnesses := [s for s in here if s.role.is_witness]:  # a witness's endpoint: the partners it watches
        rules.append(_Rule("witness-endpoint", *_on(WITNESS), _hosts(partners), _hosts(witnesses),
                           "Witness endpoint (7022), from the SQL partners it watches", src.SQL_MIRRORING))  # fmt: skip
    return rules


def _wmi_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    """WMI (RPC) from the administrators and the install host to every SQL Server of the pool: a database or
    mirror install reads the SQL Servers through their WMI provider, on principal, mirror and witness
    [L:...deploying-sql-mirroring-for-back-end-server-high-availability] (ports from [WINPORTS]). A witness
    exists only beside a mirror, so every SQL Server here either holds database files or witnesses them."""
    return [
        _Rule("wmi", *_on(RPC, RPC_DYNAMIC), admins(plan, pool), _hosts(here),
              "WMI (RPC) of Install-CsDatabase and Install-CsMirrorDatabase (principal, mirror, witness)",
              src.SQL_MIRRORING),
    ]  # fmt: skip


def _share_rules(plan: Plan, pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    """SMB to the shares each SQL Server hosts, from whoever the plan grants them to; and from the
    administrators and the install host to every SQL Server that holds database files (all but a witness),
    on which Install-CsDatabase and Install-CsMirrorDatabase create the data and log folders ("the caller must
    be able to create data/log folders on the mirror" [L:...deploying-sql-mirroring-for-back-end-server-high-
    availability]), whether or not it hosts a share or a mirror."""
    compliance = pool.compliance_share
    sql_hosts = {share.host for share in pool.shares if share is not compliance}
    rules = [
        _Rule("shares", *_on(SMB), _hosts(pool.sql_servers), _hosts(s for s in here if s.key in sql_hosts),
              "Mirroring and log-shipping shares between the SQL Servers", src.REQUIRED_RESOURCES),
    ]  # fmt: skip
    rules.append(
        _Rule("shares-admin", *_on(SMB), admins(plan, pool), _hosts(s for s in here if not s.role.is_witness),
              "Data and log folders that database and mirroring installs create; the shares failover uses",
              src.SQL_MIRRORING)
    )  # fmt: skip
    if compliance is not None:
        rules.append(
            _Rule("compliance-share", *_on(SMB), _hosts(pool.pool_servers),
                  _hosts(s for s in here if s.key == compliance.host), "The compliance adapter's output share",
                  src.PS_COMPLIANCE)
        )  # fmt: skip
    return rules


def _hosts(servers: Iterable[ServerPlan]) -> tuple[str, ...]:
    return tuple(f"{s.private_ip}/32" for s in servers)
