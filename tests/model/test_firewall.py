"""NSG rules: documented ports only, stable priorities, deny-all last."""

from __future__ import annotations

from lync_pchat.model import plan_topology
from lync_pchat.model.firewall import RuleSpec, subnet_rules

from .configs import changed, enterprise

E = enterprise()


def names(rules: tuple[RuleSpec, ...]) -> list[tuple[str, int]]:
    return [(r.name, r.priority) for r in rules]


def test_without_management_range_there_is_no_rdp_rule() -> None:
    assert names(subnet_rules(plan_topology(E), "dublin", "pchat")) == [
        ("pchat01-sip", 1000),
        ("pchat01-wcf", 1001),
        ("pchat01-cms", 1002),
        ("pchat01-pool", 1003),
        ("deny-all-inbound", 4096),
    ]


def test_sites_without_servers_only_deny() -> None:
    assert names(subnet_rules(plan_topology(E), "amsterdam", "sql")) == [("deny-all-inbound", 4096)]


def test_enabling_mirroring_keeps_existing_priorities() -> None:
    before = subnet_rules(plan_topology(E), "dublin", "sql")
    after = subnet_rules(
        plan_topology(changed(E, pools__pchat01__highAvailability={"mirroring": True})), "dublin", "sql"
    )
    assert names(before) == [("pchat01-sql", 1000), ("pchat01-sql-browser", 1001), ("deny-all-inbound", 4096)]
    assert names(after) == [
        ("pchat01-sql", 1000),
        ("pchat01-sql-browser", 1001),
        ("pchat01-mirroring", 1002),
        ("pchat01-shares", 1003),
        ("deny-all-inbound", 4096),
    ]
    mirroring = after[2]
    assert (mirroring.ports, mirroring.sources, mirroring.destinations) == (
        ("5022", "7022"),
        ("10.10.1.8/32", "10.10.1.9/32"),
        ("10.10.1.8/32", "10.10.1.9/32"),
    )


def test_a_second_pool_takes_priorities_from_its_slot() -> None:
    plan = plan_topology(
        changed(
            E,
            pools__pchat02={
                "site": "dublin",
                "users": 100,
                "addressSlot": 2,
                "nextHop": "fe01.corp.contoso.com",
                "frontEndCidr": "10.1.0.0/24",
                "port": 5042,
            },
        )
    )
    rules = {r.name: r for r in subnet_rules(plan, "dublin", "pchat")}
    assert (rules["pchat01-sip"].priority, rules["pchat02-sip"].priority) == (1000, 1040)
    assert (rules["pchat02-sip"].ports, rules["pchat02-sip"].sources) == (("5042",), ("10.1.0.0/24",))
    assert rules["pchat02-sip"].destinations == ("10.10.0.24/32",)


def test_standard_edition_server_admits_its_clients() -> None:
    plan = plan_topology(
        {
            "edition": "standard",
            "domain": "lab.contoso.com",
            "sites": {"lab": {"region": "westeurope", "addressSpace": "10.50.0.0/22"}},
            "pools": {"se01": {"site": "lab", "users": 100}},
        }
    )
    clients = [r for r in subnet_rules(plan, "lab", "pchat") if r.name == "se01-clients"]
    assert [(r.ports, r.sources, r.priority) for r in clients] == [(("443", "5061"), ("VirtualNetwork",), 1004)]
