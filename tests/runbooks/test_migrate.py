"""``migrate``: a Lync Server 2013 pool's rooms and history into a skype2015 stack's pool, side by side.

Oracles: skype2015.md 2 (no in-place OS upgrade: a new pool on the new OS, then move), 6.1 (Export- and
Import-CsPersistentChatData exist in both products), 7 (in-place upgrade keeps the OS, no HA/DR); operations.md 1
(an export is restored with Import-CsPersistentChatData only).
"""

from __future__ import annotations

import re

import pytest

from lync_pchat.runbooks import RunbookNotApplicable, render

from .support import code, files, plan, powershell_errors

MIGRATE = files("modern", "migrate")["migrate-sfbchat.ps1"]


def test_only_a_skype2015_stack_gets_it() -> None:
    assert sorted(files("modern", "migrate")) == ["migrate-sfbchat.ps1"]
    with pytest.raises(RunbookNotApplicable) as caught:
        render(plan("enterprise"), "migrate")
    assert str(caught.value) == (
        "the migrate runbook moves a Lync Server 2013 pool to a Skype for Business Server 2015 one: it applies to the "
        "new stack, with product: skype2015 (docs/skype2015.md)"
    )


def test_it_parses_and_exports_then_imports_into_the_stacks_mgc_principal() -> None:
    assert powershell_errors(MIGRATE) == []
    body = code(MIGRATE)
    principal = plan("modern").pool("sfbchat").mgc.primary.name
    assert f"$targetStore = '{principal}'" in body
    export = body.index("Export-CsPersistentChatData -DBInstance $SourceStore -FileName $ExportFile")
    imported = body.index("Import-CsPersistentChatData -DBInstance $targetStore -FileName $ExportFile")
    verify = body.index("Get-CsPersistentChatRoom -PersistentChatPoolFqdn $poolFqdn")
    assert export < imported < verify


def test_each_part_is_chosen_and_the_source_is_the_operators() -> None:
    assert "[ValidateSet('Export', 'Import', 'Verify')][string]$Part" in MIGRATE
    assert re.search(r"if \(\$Part -eq 'Export'\) \{.*?return\n\}", code(MIGRATE), re.DOTALL)
    assert re.search(r"if \(\$Part -eq 'Import'\) \{.*?return\n\}", code(MIGRATE), re.DOTALL)


def test_it_cites_the_move_and_the_cmdlets() -> None:
    for key in (
        "PS:Export-CsPersistentChatData",
        "PS:Import-CsPersistentChatData",
        "SfB15:plan-your-deployment/upgrade.md",
        "SfB15:plan-your-deployment/requirements-for-your-environment/server-requirements.md",
        "L:lync-server-2013-restoring-persistent-chat-data",
    ):
        assert f"[{key}]" in MIGRATE


def test_the_publish_runbook_names_the_products_express_and_install() -> None:
    """SQL Server 2012 Express on a Lync 2013 SE server [L:...database-software-support]; 2014 Express on a SfB
    2015 one (skype2015.md 3.2)."""
    from lync_pchat.model import plan_topology

    from ..model.configs import changed, standard

    for product, express, name in (
        ("lync2013", "SQL Server 2012 Express", "Lync Server 2013"),
        ("skype2015", "SQL Server 2014 Express", "Skype for Business Server 2015"),
    ):
        (text,) = render(plan_topology(changed(standard(), product=product)), "publish").values()
        assert f'#   server" on it now: it installs {express} and the Central Management store, and publishing' in text
        assert f"# installs {name} on every server of the pool (lyncse01.lab.contoso.com)." in text
