"""``cu-databases``: the database step of a cumulative update, per the product's update procedure.

Oracles: operations.md 9.3 (Lync Server 2013 "upgrade or update a Back End or Standard Edition server": after the
binaries, ``Install-CsDatabase -Update`` against the SQL Server, ``-LocalDatabases`` on Standard Edition; the
cmdlet help's "not on mirrored databases" disagrees, so the chosen path is proved by ``Test-CsDatabase``);
lync-install.md 2.x (JJ721942); mirroring roles PRINCIPAL/MIRROR in ``sys.database_mirroring``; a log-shipped
secondary is RESTORING, updated through log shipping (persistent-chat.md).
"""

from __future__ import annotations

from lync_pchat.runbooks import render

from .. import powershell as ps
from .support import plan

ENTERPRISE = render(plan("enterprise"), "cu-databases")["cu-databases-pchat01.ps1"]
LAB = render(plan("lab"), "cu-databases")["cu-databases-lyncse01.ps1"]


def calls(text: str, name: str) -> list[ps.Command]:
    return ps.commands(ps.parse(text), name)


def test_it_parses() -> None:
    assert ps.errors(ENTERPRISE) == [] and ps.errors(LAB) == []


def test_each_mirrored_store_is_updated_on_its_current_principal_never_on_a_backup_store() -> None:
    pool = plan("enterprise").pools[0]
    finds = calls(ENTERPRISE, "Find-Principal")
    assert [ps.literal(c.arguments[0]) for c in finds] == [s.database for s in pool.stores]
    for call, store in zip(finds, pool.stores, strict=True):
        partners = ps.text(call.arguments[2])
        assert store.mirror is not None and store.backup is not None
        assert partners.index(store.primary.fqdn) < partners.index(store.mirror.fqdn), "the planned principal first"
        assert store.backup.fqdn not in partners, "a RESTORING secondary takes the change through log shipping"
        query = ps.literal(call.arguments[1]) or ""
        assert "mirroring_role_desc" in query and f"d.name = N'{store.database}'" in query
    updates = [c for c in calls(ENTERPRISE, "Update-Database") if c.arguments and ps.literal(c.arguments[0])]
    assert [(ps.literal(c.arguments[1]), ps.text(c.arguments[2])) for c in updates] == [
        ("PersistentChat", "$principal.Fqdn"),
        ("PersistentChatCompliance", "$principal.Fqdn"),
    ]


def test_the_update_is_install_cs_database_update_then_test_cs_database() -> None:
    tree = ps.parse(ENTERPRISE)
    (function,) = [n for n in ps.of_type(tree, "function_statement") if "Update-Database" in ps.text(n).split("{")[0]]
    body = ps.text(function)
    installs = ps.commands(function, "Install-CsDatabase")
    assert [sorted(c.parameters) for c in installs] == [
        ["-localdatabases", "-update", "-verbose"],
        ["-databasetype", "-update", "-verbose"],
    ]
    assert body.rindex("Install-CsDatabase") < body.index("Test-CsDatabase")
    assert "$result.Succeed" in body and "$script:failures.Add" in body


def test_no_result_from_test_cs_database_is_a_failure_not_a_pass() -> None:
    """Test-CsDatabase "reports back the success or failure of each attempt" [PS:Test-CsDatabase]: no report at all
    is no proof of the version, so it counts among the failures (exit code 1)."""
    tree = ps.parse(ENTERPRISE)
    (function,) = [n for n in ps.of_type(tree, "function_statement") if "Update-Database" in ps.text(n).split("{")[0]]
    body = ps.text(function)
    assert "$results = @(Test-CsDatabase -DatabaseType $Type @where)" in body
    empty = body[body.index("if ($results.Count -eq 0) {") :]
    assert empty.index("$script:failures.Add($text)") < empty.index("foreach ($result in $results)")
    assert ENTERPRISE.rstrip().endswith("exit 0") and "exit 1" in ENTERPRISE


def test_a_standard_edition_server_updates_its_local_databases() -> None:
    updates = [ps.text(c.node) for c in calls(LAB, "Update-Database") if c.arguments and ps.literal(c.arguments[0])]
    assert updates and all(u.endswith("-Local") for u in updates)
    assert calls(LAB, "Find-Principal") == [], "SQL Express of a Standard Edition server is not mirrored"


def test_the_header_says_where_the_sources_disagree() -> None:
    header = ENTERPRISE[: ENTERPRISE.index("#>")]
    assert "lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server" in header
    assert "[PS:Install-CsDatabase] says -Update cannot be used on" in " ".join(header.split())
    assert "[PS:Test-CsDatabase]" in header
