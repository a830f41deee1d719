"""``configure``: administrators, pool settings with documented defaults, compliance, policy."""

from __future__ import annotations

import pytest

from .support import assert_order, code, files

ENTERPRISE = files("enterprise", "configure")["configure-pchat01.ps1"]
XML_ADAPTER = "'Microsoft.Rtc.Internal.Chat.Server.Compliance.XmlAdapter,compliance'"


def test_documented_defaults_as_parameters() -> None:
    assert "[ValidateRange(1, 500)] [int]$DefaultChatHistory = 30," in ENTERPRISE
    assert "[int]$MaxFileSizeKB = 20000," in ENTERPRISE
    assert "[int]$ParticipantUpdateLimit = 75," in ENTERPRISE
    assert "[string[]]$Administrators = @()," in ENTERPRISE
    assert "[string]$PolicyIdentity = 'site:dublin'," in ENTERPRISE
    assert "[string]$ComplianceOutputDirectory = 'F:\\PersistentChatCompliance'" in ENTERPRISE


def test_pool_scope_configuration_then_compliance_then_policy() -> None:
    assert "$configuration = 'service:PersistentChatServer:pchat01.corp.contoso.com'" in ENTERPRISE
    assert "$compliance = 'service:PersistentChatServer:pchat01.corp.contoso.com'" in ENTERPRISE
    assert f"AdapterType            = {XML_ADAPTER}" in ENTERPRISE
    assert "$policy = @{ EnablePersistentChat = $true }" in ENTERPRISE
    assert_order(
        ENTERPRISE,
        "Add-ADGroupMember -Identity 'CsPersistentChatAdministrator' -Members $Administrators",
        "New-CsPersistentChatConfiguration -Identity $configuration @settings",
        "New-CsPersistentChatComplianceConfiguration -Identity $compliance @adapter",
        "New-CsPersistentChatPolicy -Identity $PolicyIdentity @policy",
    )


@pytest.mark.parametrize(
    ("stack", "name", "compliance", "site"),
    [
        ("lab", "configure-lyncse01.ps1", True, "lab"),
        ("residency", "configure-pchatchi.ps1", False, "chicago"),
        ("residency", "configure-pchatzrh.ps1", True, "zurich"),
        ("single", "configure-pchat01.ps1", False, "dublin"),
    ],
)
def test_compliance_only_where_it_is_on(stack: str, name: str, compliance: bool, site: str) -> None:
    text = files(stack, "configure")[name]
    pool = name.removeprefix("configure-").removesuffix(".ps1")
    assert f"'service:PersistentChatServer:{pool}." in text
    assert f"[string]$PolicyIdentity = 'site:{site}'" in text
    assert ("New-CsPersistentChatComplianceConfiguration" in code(text)) is compliance
    assert ("$ComplianceOutputDirectory" in code(text)) is compliance
    if not compliance:
        assert "compliance is off for this pool" in text
