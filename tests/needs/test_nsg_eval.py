"""Azure's NSG evaluation as the model performs it, table by table.

The oracle: "Security rules are evaluated and applied based on the five-tuple (source, source port, destination,
destination port, and protocol) ... processed in priority order, with lower numbers processed before higher numbers
... once traffic matches a rule, processing stops"; a rule's protocol is TCP, UDP, ICMP, ESP, AH or Any, its ports
a single port, a range or a list of them
(https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview). Service tags
(https://learn.microsoft.com/azure/virtual-network/service-tags-overview): ``VirtualNetwork`` is the VNet's address
space, its peerings and the on-premises space; ``Internet`` the public address space outside it;
``AzureLoadBalancer`` the host's 168.63.129.16; the other tags Azure's public ranges.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from lync_pchat.model import Plan, plan_topology
from lync_pchat.model.firewall import RuleSpec
from lync_pchat.model.nsg import admit, evaluate
from lync_pchat.model.ports import RPC_DYNAMIC, Port
from lync_pchat.needs import needs

from ..install.support import installing
from ..model.configs import changed, enterprise

VNET = (IPv4Network("10.10.0.0/16"),)
SOURCE = IPv4Address("10.10.0.8")
TARGET = IPv4Address("10.10.1.8")
DENY_ALL = RuleSpec("deny-all", 4096, "*", ("*",), ("*",), ("*",), "deny-all", access="Deny")


def allow(name: str, priority: int, ports: tuple[str, ...], protocol: str = "Tcp", sources: str = "*") -> RuleSpec:
    return RuleSpec(name, priority, protocol, ports, (sources,), ("*",), name)


def deny(name: str, priority: int, ports: tuple[str, ...], protocol: str = "Tcp", sources: str = "*") -> RuleSpec:
    return RuleSpec(name, priority, protocol, ports, (sources,), ("*",), name, access="Deny")


def decide(rules: tuple[RuleSpec, ...], port: Port, source: IPv4Address = SOURCE) -> tuple[str, bool, str]:
    verdict = evaluate((*rules, DENY_ALL), port, source, TARGET, vnet=VNET)
    return (verdict.rule.name if verdict.rule else "none"), verdict.allowed, verdict.ports


DYNAMIC = Port("Tcp", "49152-65535")

# (rules, need, expected (deciding rule, admitted, the part of the need it decides when not all of it))
PORT_CASES = [
    pytest.param(
        (deny("part", 100, ("50000-50100",)), allow("rpc", 200, ("49152-65535",))),
        DYNAMIC,
        ("part", False, "tcp/50000-50100"),
        id="a-deny-over-part-of-the-range-blocks-that-part",
    ),
    pytest.param(
        (allow("rpc", 100, ("49152-65535",)), deny("part", 200, ("50000-50100",))),
        DYNAMIC,
        ("rpc", True, ""),
        id="a-deny-behind-the-allow-is-never-reached",
    ),
    pytest.param(
        (allow("low", 100, ("49152-50000",)), allow("high", 200, ("50001-65535",))),
        DYNAMIC,
        ("low", True, ""),
        id="two-allows-together-cover-the-range",
    ),
    pytest.param(
        (allow("low", 100, ("49152-50000",)), allow("high", 200, ("50002-65535",))),
        DYNAMIC,
        ("deny-all", False, "tcp/50001"),
        id="a-port-no-rule-allows-falls-to-the-deny-all",
    ),
    pytest.param(
        (allow("list", 100, ("49152-50000", "50001-65535")),),
        DYNAMIC,
        ("list", True, ""),
        id="a-port-list-covers-the-range-by-its-union",
    ),
    pytest.param(
        (allow("list", 100, ("5022", "7022")),),
        Port("Tcp", "5022-7022"),
        ("deny-all", False, "tcp/5023-7021"),
        id="a-list-of-ports-is-no-range",
    ),
    pytest.param(
        (allow("any", 100, ("*",)),),
        DYNAMIC,
        ("any", True, ""),
        id="the-port-wildcard-covers-everything",
    ),
    pytest.param(
        (deny("all", 100, ("1-65535",)), allow("rpc", 200, ("49152-65535",))),
        DYNAMIC,
        ("all", False, ""),
        id="a-deny-over-the-whole-need-names-no-part",
    ),
]


@pytest.mark.parametrize(("rules", "need", "expected"), PORT_CASES)
def test_a_range_is_admitted_only_when_every_port_of_it_is(
    rules: tuple[RuleSpec, ...], need: Port, expected: tuple[str, bool, str]
) -> None:
    assert decide(rules, need) == expected


PROTOCOL_CASES = [
    pytest.param(allow("tcp", 100, ("445",)), Port("*", "445"), ("deny-all", False, "udp/445"), id="tcp-rule-any-need"),
    pytest.param(allow("any", 100, ("445",), "*"), Port("*", "445"), ("any", True, ""), id="any-rule-any-need"),
    pytest.param(allow("any", 100, ("445",), "*"), Port("Tcp", "445"), ("any", True, ""), id="any-rule-tcp-need"),
    pytest.param(allow("any", 100, ("445",), "*"), Port("Udp", "445"), ("any", True, ""), id="any-rule-udp-need"),
    pytest.param(allow("any", 100, ("*",), "*"), Port("Icmp", "*"), ("any", True, ""), id="any-rule-icmp-need"),
    pytest.param(allow("icmp", 100, ("*",), "Icmp"), Port("Icmp", "*"), ("icmp", True, ""), id="icmp-rule-icmp"),
    pytest.param(allow("icmp", 100, ("7",), "Icmp"), Port("Icmp", "*"), ("icmp", True, ""), id="icmp-has-no-port"),
    pytest.param(allow("udp", 100, ("445",), "Udp"), Port("Tcp", "445"), ("deny-all", False, ""), id="udp-rule-tcp"),
    pytest.param(allow("esp", 100, ("*",), "Esp"), Port("Tcp", "445"), ("deny-all", False, ""), id="esp-rule-tcp"),
    pytest.param(allow("ah", 100, ("*",), "Ah"), Port("Icmp", "*"), ("deny-all", False, ""), id="ah-rule-icmp"),
]


@pytest.mark.parametrize(("rule", "need", "expected"), PROTOCOL_CASES)
def test_protocols(rule: RuleSpec, need: Port, expected: tuple[str, bool, str]) -> None:
    """A need of protocol ``*`` sends TCP and UDP: a TCP rule admits its TCP half only; a rule of ``*`` matches
    TCP, UDP and ICMP."""
    assert decide((rule,), need) == expected


def test_without_a_deny_all_the_part_no_rule_matches_has_no_rule() -> None:
    rules = (allow("low", 100, ("49152-50000",)), allow("high", 200, ("60000-65535",)))
    verdict = evaluate(rules, DYNAMIC, SOURCE, TARGET, vnet=VNET, nsg="nsg-a-pchat")
    assert (verdict.rule, verdict.allowed, str(verdict)) == (
        None,
        False,
        "no rule of nsg-a-pchat matches for tcp/50001-59999",
    )


def test_a_tcp_and_a_udp_rule_together_admit_a_need_of_both() -> None:
    rules = (allow("tcp", 100, ("445",)), allow("udp", 200, ("445",), "Udp"))
    assert decide(rules, Port("*", "445")) == ("tcp", True, "")
    rules = (allow("tcp", 100, ("445",)), deny("udp", 200, ("445",), "Udp"))
    assert decide(rules, Port("*", "445")) == ("udp", False, "udp/445")


PRIVATE = IPv4Address("10.10.0.8")
ON_PREMISES = IPv4Address("192.168.5.5")
PUBLIC = IPv4Address("20.50.2.1")
PROBE = IPv4Address("168.63.129.16")
SQL = Port("Tcp", "1433")

# (source prefix of an Allow rule at 100, source address, admitted by it)
TAG_CASES = [
    pytest.param("VirtualNetwork", PRIVATE, True, id="vnet-tag-own-host"),
    pytest.param("VirtualNetwork", ON_PREMISES, False, id="vnet-tag-outside-the-plan-space"),
    pytest.param("Internet", PRIVATE, False, id="internet-tag-private-host"),
    pytest.param("Internet", PUBLIC, True, id="internet-tag-public-address"),
    pytest.param("AzureLoadBalancer", PROBE, True, id="load-balancer-tag-probe"),
    pytest.param("AzureLoadBalancer", PRIVATE, False, id="load-balancer-tag-private-host"),
    pytest.param("AzureMonitor", PRIVATE, False, id="azure-monitor-private-host"),
    pytest.param("AzureCloud", PRIVATE, False, id="azure-cloud-private-host"),
    pytest.param("AzureCloud.WestEurope", ON_PREMISES, False, id="regional-tag-private-host"),
    pytest.param("*", PUBLIC, True, id="wildcard"),
    pytest.param("Any", PRIVATE, True, id="any"),
    pytest.param("10.10.0.0/24", PRIVATE, True, id="cidr-in"),
    pytest.param("10.10.2.0/24", PRIVATE, False, id="cidr-out"),
]


@pytest.mark.parametrize(("prefix", "source", "admitted"), TAG_CASES)
def test_service_tags_match_the_addresses_they_stand_for(prefix: str, source: IPv4Address, admitted: bool) -> None:
    expected = ("tag", True, "") if admitted else ("deny-all", False, "")
    assert decide((allow("tag", 100, ("1433",), sources=prefix),), SQL, source) == expected


def test_a_deny_of_a_service_tag_at_the_platform_priorities_leaves_our_hosts_alone() -> None:
    """Extra rules of the config sit at 100-899, before the project's (stack-config.md); a Deny from Internet or
    AzureCloud there never matches a private host."""
    rules = (deny("internet", 100, ("*",), "*", "Internet"), deny("cloud", 110, ("*",), "*", "AzureCloud"))
    assert decide((*rules, allow("sql", 1000, ("1433",), sources="VirtualNetwork")), SQL) == ("sql", True, "")


def test_a_public_address_in_an_unknown_tag_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match=r"^the model does not hold the ranges of service tag 'AzureCloud'"):
        decide((allow("cloud", 100, ("1433",), sources="AzureCloud"),), SQL, PUBLIC)
    with pytest.raises(ValueError, match=r"^'10\.0\.0\.0/33' is neither a CIDR nor a service tag$"):
        decide((allow("bad", 100, ("1433",), sources="10.0.0.0/33"),), SQL)


def test_the_first_match_wins_whatever_the_order_of_the_list() -> None:
    rules = (allow("late", 300, ("1433",)), deny("early", 200, ("1433",)), allow("first", 100, ("1433",), "Udp"))
    assert decide(rules, SQL) == ("early", False, "")
    assert decide(rules, Port("Udp", "1433")) == ("first", True, "")


def extra(rules: dict[str, dict[str, object]]) -> Plan:
    """The HA/DR pool with ``sites.<site>.extraSecurityRules`` (stack-config.md) in every site."""
    cfg = changed(enterprise(), managementCidr="10.0.0.0/24")
    for site in cfg["sites"]:
        cfg["sites"][site]["extraSecurityRules"] = rules
    return plan_topology(installing(cfg))


def test_a_platform_deny_over_part_of_the_dynamic_rpc_range_blocks_the_wmi_needs() -> None:
    """Priorities 100-899 come before the project's rules (stack-config.md), so a Deny there on 50000-50100 blocks
    that part of every need over the dynamic RPC range, which the earlier evaluator let through; the rule is
    `extra-<name>` in Azure (docs/configuration.md, extraSecurityRules)."""
    plan = extra(
        {"block": {"priority": 100, "access": "Deny", "sources": ["VirtualNetwork"], "ports": ["50000-50100"]}}
    )
    dynamic = [n for n in needs(plan) if n.port == RPC_DYNAMIC and any(s.key == n.target for s in plan.servers)]
    assert dynamic
    for need in dynamic:
        verdict = admit(plan, need)
        assert verdict is not None and verdict.rule is not None
        assert (verdict.rule.name, verdict.allowed, verdict.ports) == ("extra-block", False, "tcp/50000-50100")


def test_platform_rules_of_service_tags_leave_every_need_admitted() -> None:
    """Agents' rules from Azure service tags match no private host, so every need is still admitted (and no tag
    raises)."""
    plan = extra({
        "monitor": {"priority": 100, "sources": ["AzureMonitor"], "ports": ["443"]},
        "probe": {"priority": 110, "sources": ["AzureLoadBalancer"], "ports": ["80"]},
        "cloud": {"priority": 120, "access": "Deny", "protocol": "*", "sources": ["AzureCloud"], "ports": ["*"]},
        "internet": {"priority": 130, "access": "Deny", "protocol": "*", "sources": ["Internet"], "ports": ["*"]},
    })  # fmt: skip
    blocked = [f"{n.describe()}: {v}" for n in needs(plan) if (v := admit(plan, n)) and not v.allowed]
    assert blocked == []
