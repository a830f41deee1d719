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


RFC1918 = "https://www.rfc-editor.org/rfc/rfc1918"
PRIVATE = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or the VirtualNetwork tag"


@pytest.mark.parametrize(
    ("sources", "ports", "protocol", "messages"),
    [
        (["0.0.0.0/1", "128.0.0.0/1"], ["1433"], "Tcp",
         [f"sources.0: '0.0.0.0/1' may not reach SQL Server (1433): an admin or data port admits only {PRIVATE}",
          f"sources.1: '128.0.0.0/1' may not reach SQL Server (1433): an admin or data port admits only {PRIVATE}"]),
        (["AzureCloud"], ["445"], "Tcp",
         [f"sources.0: 'AzureCloud' may not reach SMB (445): an admin or data port admits only {PRIVATE}"]),
        (["203.0.113.0/24"], ["135", "49152-65535"], "Tcp",
         [f"sources.0: '203.0.113.0/24' may not reach RPC endpoint mapper (135): an admin or data port admits "
          f"only {PRIVATE}"]),
        (["AzureCloud"], ["1434"], "Udp",
         [f"sources.0: 'AzureCloud' may not reach SQL Server Browser (1434): an admin or data port admits only "
          f"{PRIVATE}"]),
        (["100.64.0.0/10"], ["5985-5986"], "*",
         [f"sources.0: '100.64.0.0/10' may not reach WinRM (5985-5986): an admin or data port admits only "
          f"{PRIVATE}"]),
        (["Storage"], ["5022", "7022"], "Tcp",
         [f"sources.0: 'Storage' may not reach database mirroring (5022): an admin or data port admits only "
          f"{PRIVATE}"]),
        (["172.32.0.0/16"], ["8011"], "Tcp",
         [f"sources.0: '172.32.0.0/16' may not reach Persistent Chat administration (8011): an admin or data "
          f"port admits only {PRIVATE}"]),
        (["198.51.100.4"], ["60000"], "Tcp",
         [f"sources.0: '198.51.100.4' may not reach dynamic RPC (49152-65535): an admin or data port admits only "
          f"{PRIVATE}"]),
    ],
)  # fmt: skip
def test_admin_and_data_ports_admit_only_private_sources(
    sources: list[str], ports: list[str], protocol: str, messages: list[str]
) -> None:
    """Oracle: RFC 1918 private ranges; the ports Windows (WINPORTS), SQL Server (Gg425818) and Persistent Chat
    (Gg398833) document for administration and data (lync_pchat/model/exposure.py)."""
    rule = AGENT | {"sources": sources, "ports": ports, "protocol": protocol}
    prefix = "sites.dublin.extraSecurityRules.agent."
    assert problems(with_rules(agent=rule)) == [f"{prefix}{m} [{RFC1918}]" for m in messages]


def test_private_ranges_the_virtual_network_and_other_ports_are_fine() -> None:
    plan_topology(with_rules(
        a=AGENT | {"sources": ["10.1.0.0/16", "172.16.0.0/12", "192.168.4.4", "VirtualNetwork"],
                   "ports": ["1433", "445", "135", "49152-65535"]},
        b=AGENT | {"priority": 3200, "sources": ["AzureCloud", "203.0.113.0/24"], "ports": ["443", "5041"]},
        c=AGENT | {"priority": 3300, "sources": ["0.0.0.0/1"], "ports": ["1433"], "access": "Deny"},
    ))  # fmt: skip


@pytest.mark.parametrize(
    ("port", "taken"),
    [
        (3389, "RDP (3389)"), (1433, "SQL Server (1433)"), (445, "SMB (445)"), (135, "RPC endpoint mapper (135)"),
        (5985, "WinRM (5985-5986)"), (5986, "WinRM (5985-5986)"), (22, "SSH (22)"), (5022, "database mirroring (5022)"),
        (7022, "mirroring witness (7022)"), (1434, "SQL Server Browser (1434)"), (50000, "dynamic RPC (49152-65535)"),
    ],
)  # fmt: skip
def test_the_pool_sip_port_is_no_admin_or_data_port(port: int, taken: str) -> None:
    """The pool's SIP rule opens ``port`` to the Front Ends (firewall.py); the ports as in exposure.py (WINPORTS,
    SQL Server and Persistent Chat port tables); 5041 is the documented default [L:...ports-and-protocols-for-
    internal-servers]."""
    assert problems(changed(enterprise(), pools__pchat01__port=port)) == [
        f"pools.pchat01.port: {port} is reserved ({taken}): the SIP rule would open it to the Front Ends; the default "
        "SIP port is 5041 [L:lync-server-2013-ports-and-protocols-for-internal-servers]"
    ]


@pytest.mark.parametrize("port", [5041, 5042, 443, 49151])
def test_other_sip_ports_are_fine(port: int) -> None:
    plan_topology(changed(enterprise(), pools__pchat01__port=port))


OPEN_TO_THE_NETWORK = (
    "managementCidr: not set, so RDP has no rule and the administration (8011), SQL (1433, 1434), RPC (135, "
    "49152-65535) and SMB (445) rules of pchat01 admit the VirtualNetwork tag: the virtual network, its peerings and "
    "every on-premises range its gateway announces; set managementCidr to your administrators' range "
    "[https://learn.microsoft.com/azure/virtual-network/service-tags-overview]"
)


def test_without_management_cidr_the_admin_rules_open_to_the_virtual_network_is_a_warning() -> None:
    """The VirtualNetwork tag spans peerings and on-premises ranges (service-tags-overview); the rules fall back to
    it (firewall.admins) unless the pool names its Front Ends."""
    plan = plan_topology(enterprise())
    assert OPEN_TO_THE_NETWORK in plan.warnings
    sql = {r.name: r for r in subnet_rules(plan, "dublin", "sql")}
    assert sql["pchat01-sql-admin"].sources == ("VirtualNetwork",)
    assert not [w for w in plan_topology(changed(enterprise(), managementCidr="10.0.0.0/24")).warnings
                if w.startswith("managementCidr")]  # fmt: skip
    named = changed(enterprise(), pools__pchat01__frontEndCidrs=["10.30.0.0/24"])
    assert not [w for w in plan_topology(named).warnings if w.startswith("managementCidr")]
