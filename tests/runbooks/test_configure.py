"""``configure``: administrators, pool settings with documented defaults, compliance, categories, add-ins, policy.

Expected values come from the Lync Server 2013 documentation, cited on each test."""

from __future__ import annotations

import pytest

from tests import powershell as ps

from ..model.configs import changed, enterprise
from .support import assert_order, code, files, plan_of, render

ENTERPRISE = files("enterprise", "configure")["configure-pchat01.ps1"]
XML_ADAPTER = "'Microsoft.Rtc.Internal.Chat.Server.Compliance.XmlAdapter,compliance'"


def test_documented_defaults_as_parameters() -> None:
    assert "[ValidateRange(1, 500)] [int]$DefaultChatHistory = 30," in ENTERPRISE
    assert "[int]$MaxFileSizeKB = 20000," in ENTERPRISE
    assert "[int]$ParticipantUpdateLimit = 75," in ENTERPRISE
    assert "[string[]]$Administrators = @()," in ENTERPRISE
    assert "[string]$PolicyIdentity = 'site:dublin'\n)" in ENTERPRISE


def test_pool_scope_configuration_then_compliance_then_categories_then_policy() -> None:
    """[L:lync-server-2013-deployment-checklist-for-persistent-chat-server]: administrators, configuration;
    a category before any room [PS:New-CsPersistentChatCategory]; users enabled by policy."""
    assert "$configuration = 'service:PersistentChatServer:pchat01.corp.contoso.com'" in ENTERPRISE
    assert "$compliance = 'service:PersistentChatServer:pchat01.corp.contoso.com'" in ENTERPRISE
    assert f"AdapterType            = {XML_ADAPTER}" in ENTERPRISE
    assert "$policy = @{ EnablePersistentChat = $true }" in ENTERPRISE
    assert_order(
        ENTERPRISE,
        "Add-ADGroupMember -Identity 'CsPersistentChatAdministrator' -Members $Administrators",
        "New-CsPersistentChatConfiguration -Identity $configuration @settings",
        "New-CsPersistentChatComplianceConfiguration -Identity $compliance @adapter",
        "New-CsPersistentChatCategory -Name 'General'",
        "Set-CsPersistentChatCategory -Identity 'pchat01.corp.contoso.com\\General'",
        "New-CsPersistentChatPolicy -Identity $PolicyIdentity @policy",
    )


def adapter_output(text: str) -> str | None:
    """The AdapterOutputDirectory value of the compliance splat."""
    tree = ps.parse(text)
    pairs = [n for n in ps.of_type(tree, "hash_entry") if ps.text(n).startswith("AdapterOutputDirectory")]
    assert len(pairs) == 1
    return ps.literal(pairs[0].children[-1])


@pytest.mark.parametrize(
    ("stack", "name", "output"),
    [
        ("enterprise", "configure-pchat01.ps1", "\\\\pchat01-cmp.corp.contoso.com\\pchat-compliance"),
        ("residency", "configure-pchatzrh.ps1", "\\\\pchatzrh-sql.corp.fabrikam.com\\pchat-compliance"),
        ("lab", "configure-lyncse01.ps1", "F:\\PersistentChatCompliance"),
    ],
)
def test_every_server_writes_compliance_output_to_one_folder_that_exists(stack: str, name: str, output: str) -> None:
    """AdapterOutputDirectory is the "Full path to the folder where adapter data is stored"
    [PS:New-CsPersistentChatComplianceConfiguration]: one share for every server of the pool (the project's
    pchat-compliance share on the compliance store), a local folder only on the one Standard Edition server."""
    text = files(stack, "configure")[name]
    assert adapter_output(text) == output
    assert "$ComplianceOutputDirectory" not in text


def test_the_admins_output_share_is_used_as_given() -> None:
    raw = changed(
        enterprise(),
        pools__pchat01__compliance={"enabled": True, "outputShare": "\\\\fs01.corp.contoso.com\\compliance"},
    )
    text = render(plan_of(raw), "configure")["configure-pchat01.ps1"]
    assert adapter_output(text) == "\\\\fs01.corp.contoso.com\\compliance"


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
    if not compliance:
        assert "compliance is off for this pool" in text


def test_the_policy_scope_is_the_lync_site() -> None:
    """Site policies are per Lync site: "site:<name>" [L:lync-server-2013-enable-persistent-chat-server-policy]."""
    text = render(plan_of(changed(enterprise(), sites__dublin__lyncSite="EMEA")), "configure")["configure-pchat01.ps1"]
    assert "[string]$PolicyIdentity = 'site:EMEA'" in text


CATEGORIES = changed(
    enterprise(),
    pools__pchat01__categories={
        "Finance": {
            "description": "Finance rooms",
            "allowedMembers": ["OU=Finance,DC=corp,DC=contoso,DC=com", "sip:auditor@corp.contoso.com"],
            "deniedMembers": ["CN=Interns,OU=Finance,DC=corp,DC=contoso,DC=com"],
            "creators": ["sip:cfo@corp.contoso.com"],
            "invitations": True,
            "fileUpload": True,
            "chatHistory": False,
        },
        "Open": {},
    },
    pools__pchat01__addIns={"Helpdesk": {"url": "https://apps.corp.contoso.com/helpdesk"}},
)


def arguments(command: ps.Command) -> dict[str, str | None]:
    return {name: ps.text(value) if value is not None else None for name, value in command.parameters.items()}


def test_categories_are_created_then_set() -> None:
    """New-CsPersistentChatCategory -Name -PersistentChatPoolFqdn [PS:New-CsPersistentChatCategory] ("needed only
    if there is more than one" pool [L:manage-categories], always passed); Set-CsPersistentChatCategory -Identity
    "<pool>\\<name>" with -AllowedMembers, -DeniedMembers, -Creators (list modifiers), -Invitations, -FileUpload,
    -ChatHistory (booleans) [PS:Set-CsPersistentChatCategory]."""
    tree = ps.parse(render(plan_of(CATEGORIES), "configure")["configure-pchat01.ps1"])
    assert [arguments(c) for c in ps.commands(tree, "New-CsPersistentChatCategory")] == [
        {"-name": "'Finance'", "-persistentchatpoolfqdn": "$poolFqdn"},
        {"-name": "'Open'", "-persistentchatpoolfqdn": "$poolFqdn"},
    ]
    assert [arguments(c) for c in ps.commands(tree, "Set-CsPersistentChatCategory")] == [
        {
            "-identity": "'pchat01.corp.contoso.com\\Finance'",
            "-description": "'Finance rooms'",
            "-allowedmembers": "@{Replace = 'OU=Finance,DC=corp,DC=contoso,DC=com', 'sip:auditor@corp.contoso.com'}",
            "-deniedmembers": "@{Replace = 'CN=Interns,OU=Finance,DC=corp,DC=contoso,DC=com'}",
            "-creators": "@{Replace = 'sip:cfo@corp.contoso.com'}",
            "-invitations": "$true",
            "-fileupload": "$true",
            "-chathistory": "$false",
        },
        {
            "-identity": "'pchat01.corp.contoso.com\\Open'",
            "-allowedmembers": "$null",
            "-deniedmembers": "$null",
            "-creators": "$null",
            "-invitations": "$false",
            "-fileupload": "$false",
            "-chathistory": "$true",
        },
    ]


def test_a_category_is_created_only_when_the_pool_has_none_of_that_name() -> None:
    tree = ps.parse(render(plan_of(CATEGORIES), "configure")["configure-pchat01.ps1"])
    for command in ps.commands(tree, "New-CsPersistentChatCategory"):
        condition = command.node.parent
        while condition is not None and condition.type != "if_statement":
            condition = condition.parent
        assert condition is not None
        assert "-not (Get-CsPersistentChatCategory -PersistentChatPoolFqdn $poolFqdn |" in ps.text(condition)


def test_add_ins_are_set_or_created() -> None:
    """New-CsPersistentChatAddin -Name -Url [-PersistentChatPoolFqdn] [PS:New-CsPersistentChatAddin];
    Set-CsPersistentChatAddin -Identity "<pool>\\<name>" -Url [PS:Set-CsPersistentChatAddin]."""
    tree = ps.parse(render(plan_of(CATEGORIES), "configure")["configure-pchat01.ps1"])
    url = "'https://apps.corp.contoso.com/helpdesk'"
    assert [arguments(c) for c in ps.commands(tree, "Set-CsPersistentChatAddin")] == [
        {"-identity": "'pchat01.corp.contoso.com\\Helpdesk'", "-url": url}
    ]
    assert [arguments(c) for c in ps.commands(tree, "New-CsPersistentChatAddin")] == [
        {"-name": "'Helpdesk'", "-url": url, "-persistentchatpoolfqdn": "$poolFqdn"}
    ]
    (branch,) = [n for n in ps.of_type(tree, "if_statement") if "Get-CsPersistentChatAddin" in ps.text(n)]
    assert ps.text(branch).index("Set-CsPersistentChatAddin") < ps.text(branch).index("New-CsPersistentChatAddin")


def test_without_categories_the_runbook_says_so() -> None:
    text = render(plan_of(enterprise()), "configure")["configure-pchat01.ps1"]
    assert "# This pool defines no category (pools.<pool>.categories)." in text
    assert "# This pool defines no add-in (pools.<pool>.addIns)." in text
    assert "CsPersistentChatCategory" not in code(text)
