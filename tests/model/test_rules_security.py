"""The platform's own NSG rules (``sites.<site>.extraSecurityRules``): kept in the site's NSGs, each problem
one line with its path.

Oracles: NSG rule priorities are 100 to 4096, ports a number, a range ``10000-10005`` or ``*``
(learn.microsoft.com/azure/virtual-network/network-security-groups-overview); the project's own rules take
900 (RDP), 1000 up (20 per addressSlot) and 4096 (deny-all) (README, NSG rules); the policy pack refuses an
inbound Allow from the Internet and RDP from elsewhere than managementCidr (README, Policy pack).
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology
from lync_pchat.model.firewall import subnet_rules

from .configs import changed, enterprise

NSG_RULES = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
PRIORITY = "must be 100 to 899 or 3000 to 4095 (the rest is the project's)"
NOT_A_PORT = "is not a port, a range such as 5985-5986, or *"
AGENT = {"priority": 3100, "sources": ["AzureMonitor"], "ports": ["443"], "description": "monitoring agent"}


def with_rules(**rules: dict[str, Any]) -> dict[str, Any]:
    return changed(enterprise(), managementCidr="10.0.0.0/24", sites__dublin__extraSecurityRules=rules)


def problems(raw: object) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        plan_topology(raw)
    return [str(p) for p in caught.value.problems]


def test_an_extra_rule_sits_in_both_nsgs_of_its_site_before_the_deny_all() -> None:
    plan = plan_topology(with_rules(agent=AGENT, jump={"subnet": "sql", "priority": 200, "sources": ["10.0.5.4"],
                                                       "ports": ["1433"], "access": "Deny"}))  # fmt: skip
    for subnet, prefix in (("pchat", plan.site("dublin").pchat_subnet), ("sql", plan.site("dublin").sql_subnet)):
        rules = subnet_rules(plan, "dublin", subnet)
        agent = next(r for r in rules if r.name == "extra-agent")
        assert (agent.priority, agent.protocol, agent.ports, agent.sources, agent.destinations, agent.access) == (
            3100, "Tcp", ("443",), ("AzureMonitor",), (prefix,), "Allow",
        )  # fmt: skip
        assert agent.description == "monitoring agent"
        assert rules[-1].name == "deny-all-inbound"
        assert [r.priority for r in rules] == sorted(r.priority for r in rules)
    assert "extra-jump" not in {r.name for r in subnet_rules(plan, "dublin", "pchat")}
    assert not any(r.name.startswith("extra-") for r in subnet_rules(plan, "amsterdam", "pchat"))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (AGENT | {"priority": 1000}, f"priority: 1000: {PRIORITY} [{NSG_RULES}]"),
        (AGENT | {"priority": 99}, f"priority: 99: {PRIORITY} [{NSG_RULES}]"),
        (AGENT | {"sources": ["Internet"]}, "sources.0: 'Internet': no inbound rule may allow the Internet"),
        (AGENT | {"sources": ["0.0.0.0/0"]}, "sources.0: '0.0.0.0/0': no inbound rule may allow the Internet"),
        (AGENT | {"sources": ["10.0.0.1/8"]},
         f"sources.0: '10.0.0.1/8' is not an IPv4 range or a service tag [{NSG_RULES}]"),
        (AGENT | {"ports": ["70000"]}, f"ports.0: '70000' {NOT_A_PORT} [{NSG_RULES}]"),
        (AGENT | {"ports": ["9-1"]}, f"ports.0: '9-1' {NOT_A_PORT} [{NSG_RULES}]"),
        (AGENT | {"ports": ["²"]}, f"ports.0: '²' {NOT_A_PORT} [{NSG_RULES}]"),
        (AGENT | {"ports": ["3000-4000"]},
         "ports: allows RDP (3389): RDP comes only from managementCidr (10.0.0.0/24)"),
    ],
)  # fmt: skip
def test_refused_rules(rule: dict[str, Any], message: str) -> None:
    assert problems(with_rules(agent=rule)) == [f"sites.dublin.extraSecurityRules.agent.{message}"]


def test_a_denied_or_udp_rdp_port_and_an_internet_deny_are_fine() -> None:
    plan_topology(with_rules(a=AGENT | {"ports": ["*"], "access": "Deny", "sources": ["*"]},
                             b=AGENT | {"priority": 3200, "ports": ["3389"], "protocol": "Udp"}))  # fmt: skip


def test_two_rules_of_one_nsg_need_two_priorities() -> None:
    rules = {"a": AGENT | {"subnet": "sql"}, "b": AGENT | {"subnet": "both"}, "c": AGENT | {"subnet": "pchat"}}
    assert problems(with_rules(**rules)) == [
        f"sites.dublin.extraSecurityRules.b.priority: 3100 is also a's in the sql NSG [{NSG_RULES}]",
        f"sites.dublin.extraSecurityRules.c.priority: 3100 is also b's in the pchat NSG [{NSG_RULES}]",
    ]


def test_the_user_assigned_identity_is_a_resource_id() -> None:
    """``/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/
    <name>`` (learn.microsoft.com/azure/templates/microsoft.managedidentity/userassignedidentities)."""
    shape = "/subscriptions/<subscription id>/resourceGroups/<group>/providers/"
    wrong = "/subscriptions/x/identities/id-platform"
    assert problems(changed(enterprise(), userAssignedIdentityId=wrong)) == [
        f"userAssignedIdentityId: {wrong!r} is not the resource id of a user-assigned managed identity: "
        f"{shape}Microsoft.ManagedIdentity/userAssignedIdentities/<name>"
    ]
