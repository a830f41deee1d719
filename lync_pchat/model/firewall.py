"""The network security rules of each site subnet: only documented Persistent Chat traffic.

Ports [L:lync-server-2013-ports-and-protocols-for-internal-servers],
[L:lync-server-2013-understanding-firewall-requirements-for-sql-server],
[L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability].
Each pool's rules take priorities from its address slot, so adding a pool never renumbers
another pool's rules. Every rule set ends in an explicit deny-all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .plan import Plan, PoolPlan, ServerPlan
from .roles import Role

VIRTUAL_NETWORK = "VirtualNetwork"
RDP_PRIORITY, POOL_PRIORITY, DENY_PRIORITY = 900, 1000, 4096
RULES_PER_POOL = 20
OFFSET = {
    "sip": 0,
    "wcf": 1,
    "cms": 2,
    "pool": 3,
    "clients": 4,
    "sql": 0,
    "sql-browser": 1,
    "mirroring": 2,
    "shares": 3,
}
"""Fixed priority offset of each rule within its pool's range: enabling one never moves another."""


@dataclass(frozen=True)
class RuleSpec:
    """One inbound NSG rule."""

    name: str
    priority: int
    protocol: str
    ports: tuple[str, ...]
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    description: str
    access: str = "Allow"


def subnet_rules(plan: Plan, site: str, subnet: str) -> tuple[RuleSpec, ...]:
    """Inbound rules of the ``pchat`` or ``sql`` subnet of ``site``, by priority."""
    site_plan = plan.site(site)
    prefix = site_plan.pchat_subnet if subnet == "pchat" else site_plan.sql_subnet
    rules: list[RuleSpec] = []
    if plan.management_cidr:
        rules.append(
            RuleSpec(
                "allow-rdp-management",
                RDP_PRIORITY,
                "Tcp",
                ("3389",),
                (plan.management_cidr,),
                (prefix,),
                "RDP from the management range only",
            )
        )
    for pool in plan.pools:
        here = tuple(s for s in pool.servers if s.site == site and s.subnet == subnet)
        if here:
            rules += _pool_rules(pool, here, subnet)
    rules.append(
        RuleSpec(
            "deny-all-inbound",
            DENY_PRIORITY,
            "*",
            ("*",),
            ("*",),
            ("*",),
            "Nothing else reaches the subnet",
            access="Deny",
        )
    )
    return tuple(sorted(rules, key=lambda r: r.priority))


def _pool_rules(pool: PoolPlan, here: tuple[ServerPlan, ...], subnet: str) -> list[RuleSpec]:
    base = POOL_PRIORITY + RULES_PER_POOL * pool.address_slot
    rules = _pchat_rules(pool, here) if subnet == "pchat" else _sql_rules(pool, here)
    return [
        RuleSpec(f"{pool.key}-{name}", base + OFFSET[name], proto, ports, src, dst, text)
        for name, proto, ports, src, dst, text in rules
    ]


_Rule = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str]


def _pchat_rules(pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    front_end = (pool.front_end_cidr or VIRTUAL_NETWORK,)
    targets = _hosts(here)
    members = _hosts(pool.pool_servers)
    rules: list[_Rule] = [
        ("sip", "Tcp", (str(pool.port),), front_end, targets, "SIP (MTLS) from the next-hop Front End pool"),
        ("wcf", "Tcp", ("881",), front_end, targets, "Persistent Chat WCF (TLS, MTLS)"),
        ("cms", "Tcp", ("445",), front_end, targets, "Central Management Store replication"),
        ("pool", "Tcp", ("8011",), members, targets, "Between pool members in both sites"),
    ]
    if any(s.role is Role.STANDARD_EDITION for s in here):
        rules.append(
            (
                "clients",
                "Tcp",
                ("443", "5061"),
                (VIRTUAL_NETWORK,),
                targets,
                "Clients to the Standard Edition server: SIP over TLS and web services",
            )
        )
    return rules


def _sql_rules(pool: PoolPlan, here: tuple[ServerPlan, ...]) -> list[_Rule]:
    stores = _hosts(s for s in here if not s.role.is_witness)
    partners = _hosts(pool.sql_servers)
    clients = _hosts(pool.pool_servers)
    rules: list[_Rule] = []
    if stores:
        rules += [
            ("sql", "Tcp", ("1433",), clients, stores, "mgc and mgccomp from the pool servers"),
            ("sql-browser", "Udp", ("1434",), clients, stores, "SQL Server Browser from the pool servers"),
        ]
    if pool.mgc.mirror is not None or (pool.mgccomp is not None and pool.mgccomp.mirror is not None):
        rules.append(
            (
                "mirroring",
                "Tcp",
                ("5022", "7022"),
                partners,
                _hosts(here),
                "Mirroring (5022) and witness (7022) endpoints between SQL partners",
            )
        )
    if pool.shares:
        rules.append(
            ("shares", "Tcp", ("445",), partners, stores, "Log-shipping and mirroring file shares between SQL servers")
        )
    return rules


def _hosts(servers: Iterable[ServerPlan]) -> tuple[str, ...]:
    return tuple(f"{s.private_ip}/32" for s in servers)
