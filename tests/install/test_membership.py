"""The setup account's local Administrators membership: changed through ADSI, then read back.

Sources: ERROR_MEMBER_NOT_IN_ALIAS is 1377 (0x561), "The specified account name is not a member of the group";
ERROR_MEMBER_IN_ALIAS is 1378 (0x562), "The specified account name is already a member of the group"
(learn.microsoft.com/windows/win32/debug/system-error-codes--1300-1699-); COM reports a Win32 error as the HRESULT
0x8007xxxx (HRESULT_FROM_WIN32, FACILITY_WIN32 = 7). A local group (an alias) holds its members as SIDs
(MS-SAMR 3.1.5.8.6 SamrGetMembersInAlias: "an array of SIDs").
"""

from __future__ import annotations

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import install

from .. import powershell as ps
from .support import FULL, code, function, main_block, server_tree

PHASE = install.server_script(FULL.server("pchat01-a1"), FULL)
SUPERVISOR = install.supervisor_script(install.INSTALL, PHASE, setup_user="CORP\\svc-lyncsetup", token=None)
RELEASE = install.release_script(FULL.server("pchat01-a1"), FULL, runbook_scripts(FULL, FULL.pools[0]))
ERROR_MEMBER_NOT_IN_ALIAS, ERROR_MEMBER_IN_ALIAS = 1377, 1378


def _statement(node: ps.tree_sitter.Node, prefix: str) -> str:
    (found,) = [ps.text(n) for n in ps.of_type(node, "pipeline") if ps.text(n).startswith(prefix)]
    return found


@pytest.mark.parametrize("script", [SUPERVISOR, RELEASE], ids=["supervisor", "release"])
def test_membership_is_never_asked_with_ismember_nor_changed_outside_the_helper(script: str) -> None:
    assert "ismember" not in code(script).lower()
    helper = function(script, "Set-SetupAdministrator")
    for node in ps.of_type(server_tree(script), "invokation_expression"):
        if ps.text(node).startswith(("$group.Add(", "$group.Remove(")):
            assert helper.start_byte <= node.start_byte < helper.end_byte, ps.text(node)


def test_the_already_so_codes_count_as_done_and_nothing_else() -> None:
    helper = function(RELEASE, "Set-SetupAdministrator")
    assert _statement(helper, "$already =") == (
        f"$already = if ($Member) {{ {ERROR_MEMBER_IN_ALIAS} }} else {{ {ERROR_MEMBER_NOT_IN_ALIAS} }}"
    )
    (catch,) = ps.of_type(helper, "catch_clause")
    (condition,) = [n for n in ps.of_type(catch, "if_statement")]
    assert ps.text(condition).startswith("if ((Get-Win32Error $_.Exception) -ne $already) {\n            throw\n")
    win32 = ps.text(function(RELEASE, "Get-Win32Error"))
    # HRESULT_FROM_WIN32: facility 7 with the severity bit, the Win32 code in the low word.
    assert "$hex.StartsWith('8007')" in win32 and "[Convert]::ToInt32($hex.Substring(4), 16)" in win32
    assert int("0562", 16) == ERROR_MEMBER_IN_ALIAS and int("0561", 16) == ERROR_MEMBER_NOT_IN_ALIAS


def test_the_change_is_read_back_and_a_disagreement_fails() -> None:
    helper = function(RELEASE, "Set-SetupAdministrator")
    text = ps.text(helper)
    (attempt,) = ps.of_type(helper, "try_statement")
    check = text.index("if ((Test-SetupAdministrator $Computer) -ne $Member) {")
    assert attempt.end_byte - helper.start_byte <= check
    assert "read back after the change" in text[check:]


def test_the_read_back_compares_sids_member_by_member() -> None:
    body = ps.text(function(RELEASE, "Test-SetupAdministrator"))
    assert ".Translate([Security.Principal.SecurityIdentifier]).Value" in body
    assert "(Get-Administrators $Computer).psbase.Invoke('Members')" in body
    assert "InvokeMember('objectSid', 'GetProperty', $null, $member, $null)" in body
    assert "(New-Object Security.Principal.SecurityIdentifier($bytes, 0)).Value -eq $sid" in body


def test_grant_and_release_go_through_the_helper() -> None:
    grant = ps.text(function(SUPERVISOR, "Grant-LocalAdministrator"))
    assert "if (-not (Test-SetupAdministrator '.')) {\n        Set-SetupAdministrator '.' $true" in grant
    calls = [ps.text(c.node) for c in ps.commands(main_block(RELEASE), "Set-SetupAdministrator")]
    assert calls == ["Set-SetupAdministrator $server $false", "Set-SetupAdministrator '.' $false"]
