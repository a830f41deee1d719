"""Phase B on the parse tree, against the database, mirroring and DNS documentation.

Oracles: [PS:Install-CsDatabase] (``-ConfiguredDatabases -SqlServerFqdn``, ``-ForInstance`` for a named
instance in that parameter set, ``-DatabasePaths`` log path first, ``-LocalDatabases`` for the local computer,
no overwrite without ``-Clean``); [PS:Install-CsMirrorDatabase] (``-FileShare`` UNC, ``-SqlServerFqdn`` of the
primary, ``-Confirm``, no ``-Force``); mirrors after the primary databases [lync-install.md 2.1];
[L:lync-server-2013-dns-requirements-for-persistent-chat-servers] (an A record per member, the pool FQDN
resolving to each member).
"""

from __future__ import annotations

import re

import pytest

from lync_pchat import install, stackfile
from lync_pchat.model import Plan, PoolPlan, plan_topology
from lync_pchat.scripting import quoting
from lync_pchat.scripting.tsql import existing_query, mirroring_query

from .. import powershell as ps
from ..model.configs import changed
from .support import (
    BARE,
    FULL,
    PLANS,
    STANDARD,
    assert_guarded,
    first_position,
    function,
    installing,
    main_block,
    settings,
    step,
    steps,
)

ENTERPRISE = install.database_script(FULL.pools[0], FULL)
SE = install.database_script(STANDARD.pools[0], STANDARD)
SCRIPTS = [(plan, pool, install.database_script(pool, plan)) for plan in PLANS for pool in plan.pools]


def test_the_steps_run_in_the_documented_order() -> None:
    """Databases, then mirroring of the primary databases, then DNS; the Standard Edition instance before its
    databases."""
    names = [name for name, _ in steps(ENTERPRISE)]
    databases = [i for i, n in enumerate(names) if n.startswith("Databases on")]
    mirrors = [i for i, n in enumerate(names) if n.startswith("Mirroring of")]
    records = [i for i, n in enumerate(names) if n.startswith("DNS")]
    assert databases and mirrors and records
    assert max(databases) < min(mirrors) and max(mirrors) < min(records)
    tree = ps.parse(ENTERPRISE)
    actions = ("Install-CsDatabase", "Install-CsMirrorDatabase", "Add-DnsServerResourceRecordA")
    order = [first_position(tree, n) for n in actions]
    assert order == sorted(order)
    se = [name for name, _ in steps(SE)]
    assert se.index("SQL Server Express instance of the Standard Edition server") < se.index(
        next(n for n in se if n.startswith("Databases on"))
    )


@pytest.mark.parametrize("script", [ENTERPRISE, SE], ids=["enterprise", "standard-edition"])
def test_each_step_is_guarded_by_what_it_checks(script: str) -> None:
    tree = ps.parse(script)
    attempt = main_block(script)
    pairs = {
        "Install-CsDatabase": "Get-MissingDatabase",
        "Install-CsMirrorDatabase": "Test-Mirrored",
        "Install-WindowsFeature": "Test-FeatureInstalled",
        "Add-DnsServerResourceRecordA": "Test-DnsRecord",
    }
    for action, guard in pairs.items():
        calls = ps.commands(attempt, action)
        if action == "Install-CsMirrorDatabase" and script is SE:
            continue
        (call,) = calls
        assert_guarded(call.node, guard)
    express = [c for c in ps.commands(tree, "Invoke-Native") if "/BootstrapSqlExpress" in ps.text(c.node)]
    if script is SE:
        (call,) = express
        assert_guarded(call.node, "Test-Service")


def test_the_guards_read_sql_server_and_dns() -> None:
    """The databases by sys.databases, the mirroring by sys.database_mirroring, the records on the DNS server."""
    values = settings(ENTERPRISE)
    queries = {store["Server"]: store["Query"] for store in values["Stores"]}
    assert queries["pchat01-sql.corp.contoso.com"] == "SELECT name FROM sys.databases WHERE name IN (N'mgc');"
    assert queries["pchat01-cmp.corp.contoso.com"] == "SELECT name FROM sys.databases WHERE name IN (N'mgccomp');"
    for mirror in values["Mirrors"]:
        assert "sys.database_mirroring" in mirror["Query"] and "mirroring_state_desc" in mirror["Query"]
    test = function(ENTERPRISE, "Test-DnsRecord")
    (get,) = ps.commands(test, "Get-DnsServerResourceRecord")
    assert {"-computername", "-zonename", "-name", "-rrtype"} <= set(get.parameters)


def install_arguments(plan: Plan, pool: PoolPlan) -> dict[str, dict[str, object]]:
    """Instance name -> the arguments of its one -ConfiguredDatabases install (instances this project provisions)."""
    stores = settings(install.database_script(pool, plan))["Stores"]
    return {
        s["Server"]: s["Install"]
        for s in stores
        if "ConfiguredDatabases" in s["Install"] or "LocalDatabases" in s["Install"]
    }


def single_raw() -> dict[str, object]:
    raw = stackfile.topology(stackfile.load_config(stackfile.stack_path("single")))
    assert isinstance(raw, dict)
    return raw


def scoped_installs(plan: Plan, pool: PoolPlan) -> list[tuple[str, list[str], dict[str, object]]]:
    """(instance, databases, arguments) of each -DatabaseType install (an instance this project does not provision)."""
    stores = settings(install.database_script(pool, plan))["Stores"]
    return [(s["Server"], s["Databases"], s["Install"]) for s in stores if "DatabaseType" in s["Install"]]


def test_each_store_instance_gets_its_configured_databases() -> None:
    """Every primary and backup instance of mgc and mgccomp, by FQDN; on the SQL Servers this project provisions,
    -DatabasePaths <log>,<data> from their folders; no -Clean, so nothing existing is overwritten."""
    for plan, pool, script in SCRIPTS:
        if pool.key == "lyncse01":
            continue
        arguments = install_arguments(plan, pool)
        expected = {i.name for s in pool.stores for i in (s.primary, s.backup) if i and i.server}
        assert set(arguments) == expected
        for store in pool.stores:
            for instance in (store.primary, store.backup):
                if instance is None or instance.server is None:
                    continue
                args = arguments[instance.name]
                assert args["ConfiguredDatabases"] is True and args["SqlServerFqdn"] == instance.fqdn
                assert args.get("ForInstance") == instance.instance
                assert "SqlInstanceName" not in args, "not in the ConfiguredDatabases parameter set"
                folders = plan.server(instance.server).sql_folders if instance.server else None
                assert args.get("DatabasePaths") == ([folders.log, folders.data] if folders else None)
                assert "Clean" not in args and "Update" not in args
        (call,) = ps.commands(ps.parse(script), "Install-CsDatabase")
        assert [ps.text(a) for a in call.arguments] == ["@arguments"] and call.parameters == {}


def test_a_store_on_the_customers_back_end_installs_only_the_persistent_chat_databases() -> None:
    """[PS:Install-CsDatabase]: -ConfiguredDatabases installs every database the topology assigns to that SQL
    Server (lync-install.md §2.1), on a collocated store the Front End pool's too; -DatabaseType PersistentChat or
    PersistentChatCompliance with -SqlServerFqdn and -SqlInstanceName installs one."""
    single = next(p for p in PLANS if p.pools[0].mgc.primary.instance == "rtc")
    assert install_arguments(single, single.pools[0]) == {}
    assert scoped_installs(single, single.pools[0]) == [
        ("be01.corp.contoso.com\\rtc", ["mgc"],
         {"DatabaseType": "PersistentChat", "SqlServerFqdn": "be01.corp.contoso.com", "SqlInstanceName": "rtc"}),
    ]  # fmt: skip
    compliance = {"enabled": True, "placement": "shared", "outputShare": "\\\\fs01.corp.contoso.com\\comp"}
    with_compliance = plan_topology(installing(changed(single_raw(), pools__pchat01__compliance=compliance)))
    types = [(d, a["DatabaseType"]) for _, d, a in scoped_installs(with_compliance, with_compliance.pools[0])]
    assert types == [(["mgc"], "PersistentChat"), (["mgccomp"], "PersistentChatCompliance")]


def test_the_standard_edition_server_installs_its_local_databases() -> None:
    """-LocalDatabases: "install databases and stores as needed on the local computer" [PS:Install-CsDatabase],
    on its SQL Server Express instance (RTC by default), set up first when missing."""
    values = settings(SE)
    (store,) = values["Stores"]
    assert store["Install"] == {"LocalDatabases": True}
    assert store["Databases"] == ["mgc", "mgccomp"]
    assert store["Server"] == f"{STANDARD.pools[0].fqdn}\\RTC"
    assert values["Express"] == {"Service": "MSSQL$RTC"}
    assert values["Mirrors"] == []


def test_mirroring_where_the_topology_defines_a_mirror() -> None:
    """One Install-CsMirrorDatabase per mirrored principal, through the mirror share on it; a backup store is not
    mirrored before a failover."""
    for _, pool, script in SCRIPTS:
        mirrors = settings(script)["Mirrors"]
        mirrored = [s for s in pool.stores if s.mirror is not None]
        assert {m["Principal"] for m in mirrors} == {s.primary.name for s in mirrored}
        for mirror in mirrors:
            store = next(s for s in mirrored if s.primary.name == mirror["Principal"])
            assert store.mirror_share is not None
            assert mirror["Install"] == {
                "ConfiguredDatabases": True,
                "FileShare": store.mirror_share.unc,
                "SqlServerFqdn": store.primary.fqdn,
                "DropExistingDatabasesOnMirror": True,
            }
    assert len(settings(ENTERPRISE)["Mirrors"]) == 2
    assert settings(install.database_script(BARE.pools[0], BARE))["Mirrors"] == []


def test_mirroring_never_prompts_nor_drops_a_working_mirror() -> None:
    """The cmdlet asks [Y]/[A] and has -Confirm, no -Force; -DropExistingDatabasesOnMirror runs only in the branch
    where the principal has no mirroring session: a working one skips, a broken one stops the script."""
    tree = ps.parse(ENTERPRISE)
    (call,) = ps.commands(tree, "Install-CsMirrorDatabase")
    assert ps.text(call.node).endswith("-Confirm:$false") and "-force" not in call.parameters
    test = function(ENTERPRISE, "Test-Mirrored")
    body = ps.text(test)
    assert "@('SYNCHRONIZED', 'SYNCHRONIZING')" in body
    returns = [ps.text(n) for n in ps.of_type(test, "flow_control_statement")]
    assert returns == ["return $true", "return $false", f"throw {body.split('throw ', 1)[1].splitlines()[0]}"]
    assert body.index("return $true") < body.index("return $false") < body.index("throw")


def test_mirroring_is_verified_by_its_state_on_the_principal_after_the_cmdlet() -> None:
    """After Install-CsMirrorDatabase, each database's mirroring_state_desc on the principal
    (sys.database_mirroring: SYNCHRONIZING or SYNCHRONIZED for a working session, learn.microsoft.com/sql/
    relational-databases/system-catalog-views/sys-database-mirroring-transact-sql) decides; a failure names each
    database with its state, and nothing builds mirroring another way."""
    (mirror, _) = settings(ENTERPRISE)["Mirrors"]
    assert mirror["Query"] == mirroring_query(["mgc"])
    assert "m.mirroring_state_desc AS state FROM sys.databases AS d JOIN sys.database_mirroring" in mirror["Query"]
    body = step(ENTERPRISE, "Mirroring of $($mirror.Databases -join ', ') on $($mirror.Principal)")
    text = ps.text(body)
    install_at = text.index("Install-CsMirrorDatabase @arguments -Confirm:$false")
    check = text.index("if (-not (Test-Mirrored $mirror)) {", install_at)
    failure = text[check:].split("\n")[1].strip()
    assert failure.startswith('throw "Install-CsMirrorDatabase left no working mirroring on $($mirror.Principal): ')
    assert "$(Format-MirroringState $mirror)" in failure
    states = ps.text(function(ENTERPRISE, "Format-MirroringState"))
    assert '"$_=$($states[$_])"' in states and '"$_=no mirroring session"' in states
    assert "Get-MirroringState $Mirror" in ps.text(function(ENTERPRISE, "Test-Mirrored"))
    after = ps.commands(ps.parse(text[install_at:]))
    assert [c.name for c in after if c.name.startswith(("Install-Cs", "Invoke-Sql"))] == ["Install-CsMirrorDatabase"]


def test_a_database_online_on_the_mirror_is_never_dropped() -> None:
    """-DropExistingDatabasesOnMirror "deletes any existing copies of the mirrored databases from the server acting
    as the mirror" [PS:Install-CsMirrorDatabase]; a mirror's copy is RESTORING, so an ONLINE database there is a
    working one (after a failover to the mirror): the step stops before the cmdlet."""
    (mirror, _) = settings(ENTERPRISE)["Mirrors"]
    assert mirror["Mirror"] == "pchat01-sqlm.corp.contoso.com"
    assert mirror["OnlineQuery"] == (
        "SELECT name FROM sys.databases WHERE state_desc = N'ONLINE' AND name IN (N'mgc');"
    )
    body = step(ENTERPRISE, "Mirroring of $($mirror.Databases -join ', ') on $($mirror.Principal)")
    text = ps.text(body)
    check = text.index("Invoke-SqlClient $mirror.Mirror $mirror.OnlineQuery")
    stop = text.index("if ($online.Count -gt 0) {\n                    throw ")
    assert check < stop < text.index("Install-CsMirrorDatabase @arguments")


def test_database_names_reach_t_sql_through_its_quoting() -> None:
    for _, _, script in SCRIPTS:
        values = settings(script)
        for entry in values["Stores"] + values["Mirrors"]:
            names = re.findall(r"N'((?:[^']|'')*)'", entry["Query"])
            assert names == [quoting.tsql(d)[2:-1] for d in entry["Databases"]]
    assert existing_query(["it's"]).endswith("(N'it''s');")
    assert mirroring_query(["a]'b"]).endswith("(N'a]''b');")


def test_dns_records_per_member_and_the_pool_to_each_member() -> None:
    for plan, pool, script in SCRIPTS:
        if plan is BARE:
            continue
        dns = settings(script)["Dns"]
        assert dns["Server"] == "dc01.corp.contoso.com" and dns["Zone"] == plan.domain
        records = {(r["Name"] + "." + plan.domain, r["Address"]) for r in dns["Records"]}
        members = {(s.fqdn, s.private_ip) for s in pool.pool_servers}
        assert records == members | {(pool.fqdn, ip) for _, ip in members}
        assert len(dns["Records"]) == len(records), "each record once"
    assert settings(install.database_script(BARE.pools[0], BARE))["Dns"] is None


def test_the_dns_tools_are_installed_when_missing() -> None:
    tree = ps.parse(ENTERPRISE)
    (feature,) = ps.commands(tree, "Install-WindowsFeature")
    assert ps.literal(feature.parameters["-name"]) == "RSAT-DNS-Server"
    (add,) = ps.commands(tree, "Add-DnsServerResourceRecordA")
    (splat,) = [n for n in ps.of_type(tree, "assignment_expression") if "IPv4Address = $record.Address" in ps.text(n)]
    assert splat.end_byte < add.node.start_byte
    for key in ("ComputerName = $cfg.Dns.Server", "ZoneName = $cfg.Dns.Zone", "Name = $record.Name"):
        assert key in ps.text(splat)
