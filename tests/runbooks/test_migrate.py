"""``migrate``: a Lync Server 2013 pool's rooms and history into a skype2015 stack's pool, side by side.

Oracles: skype2015.md 2 (no in-place OS upgrade: a new pool on the new OS, then move), 6.1 (Export- and
Import-CsPersistentChatData exist in both products), 7 (in-place upgrade keeps the OS, no HA/DR); operations.md 1
(an export is restored with Import-CsPersistentChatData only) and 9.3 (the cmdlets are documented as the Group Chat
migration tool; Lync 2013 -> Skype for Business 2015 is documented as an in-place upgrade only).
-DBInstance: "Fully qualified domain name and name of the SQL Server instance", example
"atl-sql-001.litwareinc.com\\rtc" (Export-/Import-CsPersistentChatData, MicrosoftDocs/office-docs-powershell); a
default instance is named by its computer alone, a named instance by computer\\instance (sql-docs
database-engine/configure-windows/logging-in-to-sql-server.md). Counts: tblNode "nodeType ... True if the node is a
category. False if the node is a chat room"; "tblChat contains all chat messages"; the schema supports read-only
queries and no SELECT * (Skype for Business Server schema-reference/persistent-chat-database-schema).
"""

from __future__ import annotations

import re

import pytest

from lync_pchat.model import SqlInstance
from lync_pchat.model import sources as src
from lync_pchat.model.text import sql_store_pattern
from lync_pchat.runbooks import RunbookNotApplicable, migrate, render

from .support import assert_order, code, files, plan, powershell_errors

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


def test_it_says_what_it_is_supported_cmdlets_an_undocumented_procedure_rehearsed_on_a_copy() -> None:
    header = " ".join(MIGRATE.split("#>", 1)[0].split())
    assert "a side-by-side move built from supported cmdlets" in header
    assert (
        "Microsoft documents the move from Lync Server 2013 to Skype for Business Server 2015 only as an in-place "
        "upgrade [SfB15:plan-your-deployment/upgrade.md]"
    ) in header
    assert "the side-by-side procedure below is this project's, not Microsoft's" in header
    assert "Rehearse it on a copy first" in header
    assert "documented" not in header.replace("Microsoft documents", "").replace("documents", "")


def test_db_instance_is_fqdn_backslash_instance_or_the_fqdn_of_a_default_instance() -> None:
    assert migrate.db_instance(SqlInstance("sql01.corp.contoso.com", "rtc")) == "sql01.corp.contoso.com\\rtc"
    assert migrate.db_instance(SqlInstance("sql01.corp.contoso.com")) == "sql01.corp.contoso.com"
    assert "MSSQLSERVER" not in code(MIGRATE)
    pattern = re.compile(sql_store_pattern(), re.IGNORECASE | re.ASCII)
    for good in ("atl-sql-001.litwareinc.com\\rtc", "atl-sql-001.litwareinc.com"):
        assert pattern.match(good), good
    for bad in ("atl-sql-001", "atl-sql-001.litwareinc.com\\", "a.b.com\\x\\y", "a.b.com'; x", "-a.b.com"):
        assert not pattern.match(bad), bad
    assert f"if ($SourceStore -notmatch '{sql_store_pattern()}') {{" in code(MIGRATE)


def test_the_counts_are_read_only_named_columns_of_the_published_schema() -> None:
    query = migrate.count_query("mgc")
    assert query == (
        "SELECT (SELECT COUNT_BIG(nodeID) FROM [mgc].dbo.tblNode WHERE nodeType = 0) AS rooms, "
        "(SELECT COUNT_BIG(chatId) FROM [mgc].dbo.tblChat) AS messages;"
    )
    assert f"$countQuery = '{query}'" in code(MIGRATE)
    for key in (src.SCHEMA, src.SCHEMA_NODE, src.SCHEMA_CHAT, src.SQL_INSTANCE_NAME):
        assert f"[{key}]" in MIGRATE


def test_each_part_counts_by_the_same_name_the_cmdlet_gets_before_it_runs() -> None:
    assert_order(
        MIGRATE,
        "$exported = Get-ChatCount $SourceStore",
        "Export-CsPersistentChatData -DBInstance $SourceStore -FileName $ExportFile",
        "$exported | ConvertTo-Json | Set-Content -LiteralPath $countFile",
        "$exported = Get-Content -Raw -LiteralPath $countFile | ConvertFrom-Json",
        "$before = Get-ChatCount $targetStore",
        "Import-CsPersistentChatData -DBInstance $targetStore -FileName $ExportFile",
        "Assert-ChatCount 'after the import' $expected (Get-ChatCount $targetStore)",
        "$found = Get-ChatCount $targetStore",
    )


def test_the_import_stops_when_the_counts_differ() -> None:
    body = code(MIGRATE)
    assert (
        "$expected = [pscustomobject]@{ Rooms = $before.Rooms + $exported.Rooms; "
        "Messages = $before.Messages + $exported.Messages }"
    ) in body
    assert "if ($Found.Rooms -ne $Expected.Rooms -or $Found.Messages -ne $Expected.Messages) {" in body
    assert 'throw "Stop, do not cut over: $targetStore holds' in body
    assert "if ($found.Rooms -lt $exported.Rooms -or $found.Messages -lt $exported.Messages) {" in body
