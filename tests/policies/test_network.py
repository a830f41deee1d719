"""Direct tests of the network checks: exact messages for crafted rules and NICs."""

from __future__ import annotations

import pytest

from lync_pchat.policies import CheckOptions
from lync_pchat.policies.network import (
    check_admin_sources,
    check_internet_inbound,
    check_public_ip,
    check_rdp_source,
    covers,
)

from .support import NIC_TYPE, NO, NSG_TYPE, VM_TYPE, nsg, rule

WHY = (
    "Persistent Chat servers and their SQL Servers are internal servers, reached only over private addresses "
    "[L:lync-server-2013-ports-and-protocols-for-internal-servers]"
)
PRIVATE_ONLY = "a private RFC 1918 range (set the policy config managementCidr to name the exact range)"


def rdp(source: str, allowed: str, name: str = "r") -> str:
    return (
        f"NSG rule '{name}' allows RDP (3389) from '{source}', which is not inside {allowed}: an administrator's "
        "RDP must come from the management network only "
        "[L:lync-server-2013-ports-and-protocols-for-internal-servers]"
    )


def internet(source: str, ports: str, name: str = "r") -> str:
    return (
        f"NSG rule '{name}' allows inbound traffic from '{source}' (the Internet) to port(s) {ports}: Persistent "
        "Chat and its SQL Servers are internal servers, so admit only the Front End, pool, SQL and management "
        "ranges [L:lync-server-2013-ports-and-protocols-for-internal-servers]"
    )


def test_public_ip_resource_is_refused() -> None:
    assert check_public_ip("azure-native:network:PublicIPAddress", {}, NO) == [
        f"A public IP address is not allowed in a Persistent Chat deployment: {WHY}"
    ]


def test_nic_with_public_ip_is_refused_and_a_private_nic_passes() -> None:
    private = {"name": "ipconfig1", "privateIPAddress": "10.0.0.4"}
    public = {**private, "publicIPAddress": {"id": "/pip"}}
    assert check_public_ip(NIC_TYPE, {"ipConfigurations": [private]}, NO) == []
    assert check_public_ip(NIC_TYPE, {"ipConfigurations": [private, public]}, NO) == [
        f"IP configuration 'ipconfig1' attaches a public IP address: remove publicIPAddress; {WHY}"
    ]


def test_vm_inline_nic_with_public_ip_is_refused() -> None:
    props = {
        "networkProfile": {
            "networkInterfaceConfigurations": [
                {"ipConfigurations": [{"name": "c1", "publicIPAddressConfiguration": {"name": "pip"}}]}
            ]
        }
    }
    assert check_public_ip(VM_TYPE, props, NO) == [
        f"IP configuration 'c1' attaches a public IP address: remove publicIPAddressConfiguration; {WHY}"
    ]


# Every address: "*"/Any, the Internet tag, 0.0.0.0/0 and its IPv6 twin ::/0 (NSG rules take IPv6 prefixes:
# learn.microsoft.com/azure/virtual-network/network-security-groups-overview, Security rules).
@pytest.mark.parametrize("source", ["*", "0.0.0.0/0", "::/0", "Internet", "Any", "INTERNET"])
def test_inbound_allow_from_the_internet_is_refused(source: str) -> None:
    assert check_internet_inbound(NSG_TYPE, nsg(rule(source=source, port="443")), NO) == [internet(source, "443")]


def test_plural_sources_and_ports_and_a_standalone_rule() -> None:
    many = rule(
        source="", port="", sourceAddressPrefixes=["10.1.0.0/16", "Internet"], destinationPortRanges=["5041", "881"]
    )
    assert check_internet_inbound(NSG_TYPE, nsg(many), NO) == [internet("Internet", "5041, 881")]
    standalone = {**rule(source="*", port="443"), "name": None, "securityRuleName": "web"}
    assert check_internet_inbound("azure-native:network:SecurityRule", standalone, NO) == [internet("*", "443", "web")]


@pytest.mark.parametrize("changed", [{"access": "Deny"}, {"direction": "Outbound"}, {"source": "VirtualNetwork"}])
def test_deny_outbound_and_internal_rules_pass(changed: dict[str, str]) -> None:
    assert check_internet_inbound(NSG_TYPE, nsg(rule(**{"source": "*", **changed})), NO) == []


def test_other_resources_have_no_rules() -> None:
    assert check_internet_inbound(VM_TYPE, {"securityRules": [rule(source="*")]}, NO) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("*", True), ("3389", True), ("3000-4000", True), ("22", False), ("3390-3400", False), ("x", False)],
)
def test_port_specs(spec: str, expected: bool) -> None:
    assert covers(spec, 3389) is expected


def test_rdp_without_config_must_come_from_rfc1918() -> None:
    props = nsg(
        rule("a", source="10.0.0.0/24"),
        rule("b", source="192.168.1.0/24", port="3000-4000"),
        rule("c", source="203.0.113.0/24"),
        rule("d", source="VirtualNetwork", port="*"),
        rule("e", source="8.8.8.8/32", port="443"),
        rule("f", source="8.8.8.8/32", protocol="Icmp"),
    )
    assert check_rdp_source(NSG_TYPE, props, NO) == [
        rdp("203.0.113.0/24", PRIVATE_ONLY, "c"),
        rdp("VirtualNetwork", PRIVATE_ONLY, "d"),
    ]


def test_rdp_with_config_must_come_from_the_management_range() -> None:
    options = CheckOptions(config={"managementCidr": "10.0.0.0/24"})
    props = nsg(rule("a", source="10.0.0.0/25"), rule("b", source="10.20.0.0/24"), rule("c", source="*"))
    assert check_rdp_source(NSG_TYPE, props, options) == [
        rdp("10.20.0.0/24", "the management range 10.0.0.0/24", "b"),
        rdp("*", "the management range 10.0.0.0/24", "c"),
    ]


def test_a_bad_management_cidr_is_reported() -> None:
    options = CheckOptions(config={"managementCidr": "mgmt"})
    assert check_rdp_source(NSG_TYPE, nsg(rule()), options) == [
        "Policy config managementCidr 'mgmt' is not an address range such as 10.0.0.0/24"
    ]
    assert check_rdp_source(NSG_TYPE, nsg(rule(port="443")), options) == []


def admin(port: str, source: str, name: str = "r") -> str:
    """The admin-ports message; the ports are the Windows, SQL Server and Lync documented ones (exposure.py), the
    private ranges RFC 1918 (https://www.rfc-editor.org/rfc/rfc1918)."""
    return (
        f"NSG rule '{name}' allows {port} from '{source}': an admin or data port admits only 10.0.0.0/8, "
        "172.16.0.0/12, 192.168.0.0/16 or the VirtualNetwork tag "
        "[L:lync-server-2013-ports-and-protocols-for-internal-servers]"
    )


@pytest.mark.parametrize(
    ("source", "port", "expected"),
    [
        ("0.0.0.0/1", "1433", [admin("SQL Server (1433)", "0.0.0.0/1")]),
        ("128.0.0.0/1", "445", [admin("SMB (445)", "128.0.0.0/1")]),
        ("AzureCloud", "135", [admin("RPC endpoint mapper (135)", "AzureCloud")]),
        ("203.0.113.7", "5985-5986", [admin("WinRM (5985-5986)", "203.0.113.7")]),
        ("100.64.0.0/10", "50000", [admin("dynamic RPC (49152-65535)", "100.64.0.0/10")]),
        ("Storage", "7022", [admin("mirroring witness (7022)", "Storage")]),
        ("172.32.0.0/16", "8011", [admin("Persistent Chat administration (8011)", "172.32.0.0/16")]),
        ("11.0.0.0/8", "1434", [admin("SQL Server Browser (1434)", "11.0.0.0/8")]),
        ("11.0.0.0/8", "5022", [admin("database mirroring (5022)", "11.0.0.0/8")]),
        ("10.0.0.0/8", "1433", []),
        ("172.16.5.0/24", "445", []),
        ("192.168.1.4", "135", []),
        ("VirtualNetwork", "1433", []),
        ("203.0.113.0/24", "443", []),
        ("203.0.113.0/24", "3389", []),
        ("Internet", "1433", []),
    ],
)  # fmt: skip
def test_admin_and_data_ports_only_from_private_ranges(source: str, port: str, expected: list[str]) -> None:
    """RDP is pchat-rdp-management-only's, the whole Internet pchat-no-internet-inbound's: each once."""
    assert check_admin_sources(NSG_TYPE, nsg(rule(source=source, port=port)), NO) == expected


def test_admin_ports_ignore_deny_outbound_and_icmp_rules() -> None:
    rules = [rule("d", source="0.0.0.0/1", port="1433", access="Deny"),
             rule("o", source="0.0.0.0/1", port="1433", direction="Outbound"),
             rule("i", source="0.0.0.0/1", port="1433", protocol="Icmp")]  # fmt: skip
    assert check_admin_sources(NSG_TYPE, nsg(*rules), NO) == []
