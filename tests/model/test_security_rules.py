"""The one reader of a security rule's single-or-list fields (``lync_pchat.model.security_rules``), which the policy
pack and the offline diff share. Oracle: a security rule takes ``sourceAddressPrefix`` or
``sourceAddressPrefixes``, ``destinationAddressPrefix`` or ``destinationAddressPrefixes``, ``destinationPortRange``
or ``destinationPortRanges`` (learn.microsoft.com/azure/templates/microsoft.network/networksecuritygroups,
SecurityRulePropertiesFormat)."""

from __future__ import annotations

from lync_pchat.model.security_rules import destinations, ports, sources
from lync_pchat.policies import network


def test_a_single_value_or_a_list_reads_the_same() -> None:
    single = {"sourceAddressPrefix": "10.0.0.0/24", "destinationPortRange": "1433", "destinationAddressPrefix": "*"}
    listed = {
        "sourceAddressPrefixes": ["10.0.0.0/24"],
        "destinationPortRanges": ["1433"],
        "destinationAddressPrefixes": ["*"],
    }
    for rule in (single, listed):
        assert (sources(rule), ports(rule), destinations(rule)) == (("10.0.0.0/24",), ("1433",), ("*",))


def test_an_absent_or_empty_field_is_nothing_and_a_string_is_not_a_list() -> None:
    assert sources({}) == () and ports({"destinationPortRange": "", "destinationPortRanges": []}) == ()
    assert ports({"destinationPortRanges": "1433"}) == ()


def test_the_policy_pack_reads_rules_with_it() -> None:
    assert network.sources is sources and network.ports is ports
