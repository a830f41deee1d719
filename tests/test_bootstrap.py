"""The bootstrap every VM runs as SYSTEM, checked on its parse tree and against the documentation.

Oracles: the SQL Server ports of ``tests/oracles/ports.py``; Message Queuing and the other prerequisites
of [L:lync-server-2013-additional-software-requirements]; the accounts that need the mirroring share
[L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability] and the log-shipping
share ("all Persistent Chat SQL Servers in both data centers",
[L:lync-server-2013-required-resources-for-persistent-chat-server] item 5).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lync_pchat import bootstrap, stackfile
from lync_pchat.model import Plan, Role, ServerPlan, plan_topology
from lync_pchat.scripting import packing

from . import powershell as ps
from .model.configs import changed, enterprise, standard
from .oracles.ports import SQL_SERVER, documented

FULL = plan_topology(
    changed(
        enterprise(),
        managementCidr="10.0.0.0/24",
        pools__pchat01__compliance={"enabled": True},
        pools__pchat01__highAvailability={"mirroring": True, "witness": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
    )
)
SHIPPED = [
    plan_topology(stackfile.topology(stackfile.load_config(stackfile.stack_path(s)))) for s in stackfile.stack_names()
]
SERVERS = [(plan, server) for plan in [FULL, plan_topology(standard()), *SHIPPED] for server in plan.servers]
SQL_PORTS = {(p, port) for p, port in documented(SQL_SERVER) if port in ("1433", "1434", "5022", "7022")}
"""The SQL Server and mirroring endpoints every SQL Server's firewall opens; 445 only where shares live,
and WMI (135 and the dynamic range) through Windows' own rule group."""
PCHAT_FEATURES = {"NET-Framework-45-Core", "NET-WCF-HTTP-Activation45", "Windows-Identity-Foundation", "MSMQ-Server"}
""".NET 4.5 with WCF HTTP activation and Windows Identity Foundation on every internal server, Message
Queuing on every Persistent Chat Front End Server [L:lync-server-2013-additional-software-requirements]."""
FRONT_END_LINE = (
    "RSAT-ADDS, Web-Server, Web-Static-Content, Web-Default-Doc, Web-Http-Errors, Web-Asp-Net, Web-Net-Ext, "
    "Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Http-Logging, Web-Log-Libraries, Web-Request-Monitor, Web-Http-Tracing, "
    "Web-Basic-Auth, Web-Windows-Auth, Web-Client-Auth, Web-Filtering, Web-Stat-Compression, Web-Dyn-Compression, "
    "NET-WCF-HTTP-Activation45, Web-Asp-Net45, Web-Mgmt-Tools, Web-Scripting-Tools, Web-Mgmt-Compat, "
    "Desktop-Experience, Telnet-Client, BITS"
)
"""The Add-WindowsFeature line for a Front End on Windows Server 2012, and .NET 3.5 (NET-Framework-Core)
that Front End Servers need [L:lync-server-2013-additional-software-requirements]."""


def settings_of(plan: Plan, server: ServerPlan) -> dict[str, Any]:
    return ps.embedded(ps.bootstrap_script(bootstrap.command(server, plan)))


@pytest.mark.parametrize(("plan", "server"), SERVERS, ids=[f"{p.domain}-{s.key}" for p, s in SERVERS])
def test_every_bootstrap_parses_and_fits_the_command_line(plan: Plan, server: ServerPlan) -> None:
    command = bootstrap.command(server, plan)
    assert len(command) <= bootstrap.MAX_COMMAND
    assert command.startswith('powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "')
    assert ps.errors(packing.launcher(ps.bootstrap_script(command))) == []
    assert ps.errors(ps.bootstrap_script(command)) == []


def test_the_script_refuses_a_data_volume_that_is_not_ntfs() -> None:
    """Persistent Chat must be installed on NTFS; FAT32 is not supported [L:...deploying-persistent-chat-server]."""
    tree = ps.parse(bootstrap.script(FULL.server("pchat01-a1"), FULL))
    (loop,) = [n for n in ps.of_type(tree, "foreach_statement") if "$cfg.volumes" in ps.text(n)]
    (check,) = [n for n in ps.of_type(loop, "if_statement") if "'NTFS'" in ps.text(n)]
    (comparison,) = [n for n in ps.of_type(check, "comparison_operator")]
    assert ps.text(comparison) == "-ne"
    assert [ps.text(n) for n in ps.of_type(check, "throw")] == ["throw"]
    assigned = [n for n in ps.of_type(loop, "assignment_expression") if ps.text(n).startswith("$fs =")]
    assert [ps.text(n) for n in assigned] == ["$fs = (Get-Volume -DriveLetter $v.letter).FileSystem"]
    (fmt,) = ps.commands(loop, "Format-Volume")
    assert ps.text(fmt.parameters["-filesystem"]) == "NTFS"  # type: ignore[arg-type]


def test_every_data_volume_is_formatted_by_lun() -> None:
    for plan, server in SERVERS:
        volumes = settings_of(plan, server)["volumes"]
        assert [(v["lun"], v["letter"]) for v in volumes] == [(d.lun, d.drive_letter) for d in server.disks]


@pytest.mark.parametrize("key", ["pchat01-a1", "pchat01-s1"])
def test_every_persistent_chat_server_gets_message_queuing(key: str) -> None:
    assert set(settings_of(FULL, FULL.server(key))["features"]) == PCHAT_FEATURES
    plain = plan_topology(enterprise())
    assert set(settings_of(plain, plain.server("pchat01-a1"))["features"]) == PCHAT_FEATURES, "compliance is off"


def test_the_standard_edition_server_gets_the_front_end_prerequisites() -> None:
    plan = plan_topology(standard())
    features = set(settings_of(plan, plan.server("lyncse01"))["features"])
    assert features == set(FRONT_END_LINE.split(", ")) | {"NET-Framework-Core"} | PCHAT_FEATURES


def test_sql_servers_open_the_documented_ports_and_wmi_where_mirrored() -> None:
    for plan, server in SERVERS:
        sql = settings_of(plan, server)["sql"]
        if not server.role.is_sql:
            assert sql is None
            continue
        opened = {(p["protocol"].capitalize(), str(p["port"])) for p in sql["ports"]}
        hosts = any(share.host == server.key for share in plan.pool(server.pool).shares)
        # SMB where a share lives and on every SQL Server holding database files (lync-install.md §2.1 Mirror
        # requirements: the caller creates the data and log folders there, JJ204992).
        files = not server.role.is_witness
        # And on a witness whose setup account the install's release removes from Administrators over SAMR (SMB,
        # WINPORTS): software.install without keepSetupRights (issue 22, the needs model's pchat-release).
        software = plan.software
        released = software is not None and not software.keep_setup_rights
        assert opened == SQL_PORTS | ({("Tcp", "445")} if hosts or files or released else set()), server.key
        assert sql["wmi"] is True, server.key
    mirrored = {s.key for s in FULL.servers if s.role.is_sql and settings_of(FULL, s)["sql"]["wmi"]}
    assert mirrored == {"pchat01-sql", "pchat01-sqlm", "pchat01-sqlw", "pchat01-cmp", "pchat01-cmpm",
                        "pchat01-bak", "pchat01-bakm", "pchat01-bakw", "pchat01-cbak", "pchat01-cbakm"}  # fmt: skip
    plain = plan_topology(enterprise())
    assert settings_of(plain, plain.server("pchat01-sql"))["sql"]["wmi"] is True, "a database install reads WMI"
    tree = ps.parse(bootstrap.script(FULL.server("pchat01-sql"), FULL))
    (group,) = ps.commands(tree, "Enable-NetFirewallRule")
    assert ps.literal(group.parameters["-displaygroup"]) == "Windows Management Instrumentation (WMI)"
    (rule,) = ps.commands(tree, "New-NetFirewallRule")
    assert ps.text(rule.parameters["-localport"]) == "$p.port"  # type: ignore[arg-type]
    assert ps.text(rule.parameters["-action"]) == "Allow"  # type: ignore[arg-type]


def volume_of(server: ServerPlan, path: str) -> str:
    """The disk (by name) whose drive letter a path is on."""
    (disk,) = [d.name for d in server.disks if path.upper().startswith(f"{d.drive_letter}:")]
    return disk


@pytest.mark.parametrize("key", ["pchat01-sql", "pchat01-bak", "pchat01-cmp"])
def test_each_sql_folder_is_on_its_own_volume(key: str) -> None:
    server = FULL.server(key)
    settings = settings_of(FULL, server)
    folders = [f["path"] for f in settings["folders"]]
    assert [volume_of(server, p) for p in folders] == ["data", "log", "tempdb", "backup"]
    moved = re.findall(r"FILENAME = N'([^']*)'", settings["sql"]["query"])
    assert [volume_of(server, p) for p in moved] == ["tempdb", "tempdb"]
    defaults = dict(
        re.findall(r"N'(DefaultData|DefaultLog|BackupDirectory)', REG_SZ, N'([^']*)'", settings["sql"]["query"])
    )
    assert {k: volume_of(server, v) for k, v in defaults.items()} == {
        "DefaultData": "data", "DefaultLog": "log", "BackupDirectory": "backup"}  # fmt: skip
    assert [f["grant"] for f in settings["folders"]] == [
        ["NT SERVICE\\MSSQLSERVER:(OI)(CI)F", "NT SERVICE\\SQLSERVERAGENT:(OI)(CI)F"]
    ] * 4


def shares(key: str, plan: Plan = FULL) -> dict[str, list[str]]:
    return {s["name"]: s["computers"] for s in settings_of(plan, plan.server(key))["shares"]}


def test_each_share_is_granted_to_the_computers_that_use_it() -> None:
    sql = [s.key for s in FULL.pools[0].sql_servers if not s.role.is_witness]
    pool_servers = [s.key for s in FULL.pools[0].pool_servers]
    assert shares("pchat01-sql") == {"pchat-mirror": ["pchat01-sql", "pchat01-sqlm"]}
    assert shares("pchat01-cmp") == {"pchat-mirror": ["pchat01-cmp", "pchat01-cmpm"], "pchat-compliance": pool_servers}
    assert shares("pchat01-bak") == {"pchat-logship": sql, "pchat-logcopy": []}
    assert shares("pchat01-cbak") == {"pchat-logship": sql, "pchat-logcopy": []}
    for key in ("pchat01-sqlm", "pchat01-sqlw", "pchat01-cmpm", "pchat01-bakm", "pchat01-bakw", "pchat01-cbakm"):
        assert shares(key) == {}, key
    assert sorted(sql) == sorted(["pchat01-sql", "pchat01-sqlm", "pchat01-cmp", "pchat01-cmpm", "pchat01-bak",
                                  "pchat01-bakm", "pchat01-cbak", "pchat01-cbakm"])  # fmt: skip


def test_the_sql_shares_are_the_local_sql_services_own_and_the_compliance_share_is_not() -> None:
    """The SQL Server service and its Agent back up to and restore from the mirroring and log-shipping
    shares by path (their virtual accounts, NT SERVICE\\MSSQLSERVER and NT SERVICE\\SQLSERVERAGENT, of the
    default instance), with full control that files and folders inherit, in icacls' grant form ``(OI)(CI)F``
    (learn.microsoft.com/windows-server/administration/windows-commands/icacls); the compliance output share
    is written by the Persistent Chat servers only."""
    sql_services = ["NT SERVICE\\MSSQLSERVER:(OI)(CI)F", "NT SERVICE\\SQLSERVERAGENT:(OI)(CI)F"]
    local = {
        key: {s["name"]: s["local"] for s in settings_of(FULL, FULL.server(key))["shares"]}
        for key in ("pchat01-sql", "pchat01-cmp", "pchat01-bak")
    }
    assert local == {
        "pchat01-sql": {"pchat-mirror": sql_services},
        "pchat01-cmp": {"pchat-mirror": sql_services, "pchat-compliance": []},
        "pchat01-bak": {"pchat-logship": sql_services, "pchat-logcopy": sql_services},
    }


def test_the_command_is_the_same_at_any_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command is the extension's protected setting: if it changed between runs (gzip stamps the time by
    default), every `pulumi up` would update the extension and run the bootstrap again."""
    import time

    server = FULL.server("pchat01-sql")
    before = bootstrap.command(server, FULL)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    assert bootstrap.command(server, FULL) == before


def test_shares_are_opened_to_nobody_else() -> None:
    """Chat history travels through these shares: only local Administrators and the computer accounts the
    plan names get in, never Everyone or every authenticated user."""
    script = bootstrap.script(FULL.server("pchat01-bak"), FULL)
    tree = ps.parse(script)
    (create,) = ps.commands(tree, "New-SmbShare")
    access = {k: ps.literal(v) for k, v in create.parameters.items() if k.endswith("access")}
    assert access == {"-fullaccess": "BUILTIN\\Administrators"}
    (grant,) = ps.commands(tree, "Grant-SmbShareAccess")
    assert (ps.text(grant.parameters["-accountname"]), ps.text(grant.parameters["-accessright"])) == (  # type: ignore[arg-type]
        "$account",
        "Change",
    )
    settings = json.dumps(ps.embedded(script)).lower()
    for broad in ("everyone", "authenticated users", "s-1-1-0", "s-1-5-11", "domain users", "domain computers"):
        assert broad not in script.lower() and broad not in settings


def test_without_a_domain_the_share_stays_closed_and_says_so() -> None:
    tree = ps.parse(bootstrap.script(FULL.server("pchat01-bak"), FULL))
    (resolve,) = [n for n in ps.of_type(tree, "function_statement") if "Resolve-Account" in ps.text(n)]
    assert "catch" in ps.text(resolve) and "return $null" in ps.text(resolve)
    warnings = [c for c in ps.commands(tree, "Write-Warning") if "after the domain join" in ps.text(c.node)]
    assert len(warnings) == 1


PLAIN = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
QUOTES = st.sampled_from(["'", "\u2018", "\u2019", "\u201a", "\u201b", '"', "$(", "`", ";", "\\", "]", "%", "{"])
HOSTILE = st.lists(st.one_of(PLAIN, QUOTES), max_size=8).map("".join)


@given(st.dictionaries(HOSTILE, st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=4))
def test_any_settings_stay_one_literal(data: dict[str, Any]) -> None:
    """Whatever the settings hold, PowerShell reads back exactly them from one string literal."""
    script = "$cfg = ConvertFrom-Json " + bootstrap.config(data) + "\n"
    assert ps.errors(script) == []
    assert ps.embedded(script) == data


def test_the_settings_go_in_exactly_once() -> None:
    """The template names its settings once, read by one ``ConvertFrom-Json``."""
    text = bootstrap.TEMPLATES.text(bootstrap.SCRIPT)
    assert text.count("{{ config }}") == 1
    assert "$cfg = ConvertFrom-Json {{ config }}\n" in text


def test_the_servers_checked_cover_every_role() -> None:
    assert {s.role for _, s in SERVERS} == set(Role)


READS = {"$cfg": (), "$v": ("volumes",), "$f": ("folders",), "$s": ("sql",), "$p": ("sql", "ports"),
         "$share": ("shares",)}  # fmt: skip
"""Each settings variable of the script and where in the settings it points (a list is read item by item)."""
LIST_MEMBERS = {"Count"}
"""Members PowerShell itself gives a list (not settings)."""


def members_read(script: str) -> dict[tuple[str, ...], set[str]]:
    """Per settings path, the members the script reads (``$v.lun`` reads ``lun`` of each of ``volumes``)."""
    read: dict[tuple[str, ...], set[str]] = {path: set() for path in READS.values()}
    for node in ps.of_type(ps.parse(script), "member_access"):
        variable, _, member = node.children
        if ps.text(variable) in READS:
            read[READS[ps.text(variable)]].add(ps.text(member))
    read[()] -= LIST_MEMBERS
    return read


def test_the_settings_hold_exactly_what_the_script_reads() -> None:
    """The script is the oracle of the settings' shape: a key it does not read is dead, a key it reads and the
    settings lack is $null on the server (a silently skipped step)."""
    read = members_read(bootstrap.script(FULL.server("pchat01-sql"), FULL))
    assert read[()] == {"volumes", "features", "administrators", "folders", "sql", "shares"}
    for plan, server in [(p, s) for p, s in SERVERS if p.software is None]:
        settings = settings_of(plan, server)
        assert set(settings) == read[()]
        for path in (("volumes",), ("folders",), ("shares",)):
            for item in settings[path[0]]:
                assert set(item) == read[path], (server.key, path)
        if settings["sql"] is not None:
            assert set(settings["sql"]) == read[("sql",)]
            assert {frozenset(p) for p in settings["sql"]["ports"]} == {frozenset(read[("sql", "ports")])}


def test_each_volume_is_formatted_as_its_disk_is_planned() -> None:
    for plan, server in SERVERS:
        volumes = settings_of(plan, server)["volumes"]
        assert volumes == [
            {"lun": d.lun, "letter": d.drive_letter, "label": d.label, "auKb": d.allocation_unit_kb}
            for d in server.disks
        ]


def test_sql_server_takes_its_folders_and_moves_tempdb_in_one_batch() -> None:
    """SQL Server's default data, log and backup folders are the instance's registry values DefaultData,
    DefaultLog and BackupDirectory under Software\\Microsoft\\MSSQLServer\\MSSQLServer (what SSMS's Database
    Settings page writes, through xp_instance_regwrite, which maps it to the instance); tempdb's files are
    tempdev and templog (learn.microsoft.com/sql/relational-databases/databases/tempdb-database, "Move the
    tempdb data and log files"), moved with ALTER DATABASE ... MODIFY FILE, effective at the next restart."""
    key = "N'HKEY_LOCAL_MACHINE', N'Software\\Microsoft\\MSSQLServer\\MSSQLServer'"
    assert bootstrap.sql_configuration(FULL.server("pchat01-sql").sql_folders) == " ".join(  # type: ignore[arg-type]
        [
            f"EXEC xp_instance_regwrite {key}, N'DefaultData', REG_SZ, N'F:\\Data';",
            f"EXEC xp_instance_regwrite {key}, N'DefaultLog', REG_SZ, N'G:\\Log';",
            f"EXEC xp_instance_regwrite {key}, N'BackupDirectory', REG_SZ, N'I:\\Backup';",
            "ALTER DATABASE tempdb MODIFY FILE (NAME = tempdev, FILENAME = N'H:\\TempDB\\tempdb.mdf');",
            "ALTER DATABASE tempdb MODIFY FILE (NAME = templog, FILENAME = N'H:\\TempDB\\templog.ldf');",
        ]
    )


def test_sql_server_restarts_and_its_agent_runs_except_on_a_witness() -> None:
    """The Agent runs the log-shipping jobs; a witness (SQL Server Express) has none."""
    for plan, server in SERVERS:
        sql = settings_of(plan, server)["sql"]
        if sql is not None:
            assert (sql["service"], sql["agent"]) == (
                "MSSQLSERVER", None if server.role.is_witness else "SQLSERVERAGENT")  # fmt: skip
    tree = ps.parse(bootstrap.script(FULL.server("pchat01-sql"), FULL))
    (restart,) = ps.commands(tree, "Restart-Service")
    assert ps.text(restart.parameters["-name"]) == "$s.service"  # type: ignore[arg-type]
    configure, pending = [c for c in ps.commands(tree) if c.name.lower() == "sqlcmd.exe"]
    assert "-b" in ps.text(configure.node) and ps.text(configure.parameters["-q"]) == "$s.query"  # type: ignore[arg-type]
    assert ps.text(pending.parameters["-q"]) == "$s.pending"  # type: ignore[arg-type]
    guards = [n for n in ps.of_type(tree, "if_statement") if "Restart-Service" in ps.text(n)]
    innermost = min(guards, key=lambda n: n.end_byte - n.start_byte)
    assert ps.text(innermost).startswith("if ([int]$pending[0] -gt 0)"), "no restart of a serving store on a re-run"


def test_the_restart_waits_for_a_tempdb_move_only() -> None:
    """ALTER DATABASE tempdb MODIFY FILE records the new path in sys.master_files at once; tempdb's own
    sys.database_files keeps the path in use until the restart (learn.microsoft.com/sql/relational-databases/
    databases/move-system-databases): they differ exactly while the move is pending."""
    assert settings_of(FULL, FULL.server("pchat01-sql"))["sql"]["pending"] == (
        "SET NOCOUNT ON; SELECT COUNT(*) FROM sys.master_files AS m JOIN tempdb.sys.database_files AS f "
        "ON m.file_id = f.file_id WHERE m.database_id = 2 AND m.physical_name <> f.physical_name;"
    )


INSTALLING = plan_topology(
    changed(
        enterprise(),
        domainJoin={"user": "CORP\\svc-join"},
        pools__pchat01__highAvailability={"mirroring": True, "witness": True},
        software={
            "install": True,
            "mediaUri": "https://media01.blob.core.windows.net/lync/Lync2013/",
            "storageAccountId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/media/"
            "providers/Microsoft.Storage/storageAccounts/media01",
            "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
            "setupUser": "CORP\\svc-lyncsetup",
        },
    )
)


def test_the_setup_account_is_a_local_administrator_and_a_sysadmin_of_every_sql_server() -> None:
    """Installing the databases takes sysadmin and local Administrators on the SQL Server
    [L:deployment-permissions-for-sql-server]; the setup account runs the Run Commands, so it is a local
    administrator of every server too. The login is a delimited identifier, its lookup a literal."""
    account = "CORP\\svc-lyncsetup"
    for server in INSTALLING.servers:
        settings = settings_of(INSTALLING, server)
        assert settings["administrators"] == [account]
        if server.role.is_sql:
            assert settings["sql"]["query"].endswith(
                " IF SUSER_ID(N'CORP\\svc-lyncsetup') IS NULL CREATE LOGIN [CORP\\svc-lyncsetup] FROM WINDOWS;"
                " ALTER SERVER ROLE [sysadmin] ADD MEMBER [CORP\\svc-lyncsetup];"
            ), server.key
    for plan, server in [(p, s) for p, s in SERVERS if p.software is None]:
        settings = settings_of(plan, server)
        assert settings["administrators"] == [] and "LOGIN" not in json.dumps(settings), "without the install phase"
    tree = ps.parse(bootstrap.script(INSTALLING.server("pchat01-a1"), INSTALLING))
    (loop,) = [n for n in ps.of_type(tree, "foreach_statement") if "$cfg.administrators" in ps.text(n)]
    (add,) = [c for c in ps.commands(loop) if c.name.lower() == "net.exe" and "/add" in ps.text(c.node)]
    assert ps.text(add.node).strip() == "& net.exe localgroup Administrators $account /add"
    assert "$members -notcontains $account" in ps.text(loop) and "throw" in ps.text(loop)


def test_every_sql_server_with_database_files_and_every_witness_opens_wmi() -> None:
    """Install-CsMirrorDatabase reads the principal's, mirror's and witness's service accounts through WMI
    [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability]; a database install
    from Topology Builder or the shell reads the SQL Servers through it too (lync-install.md §5.3)."""
    plan = plan_topology(changed(enterprise(), pools__pchat01__highAvailability={"mirroring": True}))
    wmi = {s.key: settings_of(plan, s)["sql"]["wmi"] for s in plan.servers if s.role.is_sql}
    assert wmi == {"pchat01-sql": True, "pchat01-sqlm": True}
    witnessed = plan_topology(
        changed(enterprise(), pools__pchat01__highAvailability={"mirroring": True, "witness": True})
    )
    assert {s.key for s in witnessed.servers if s.role.is_sql and settings_of(witnessed, s)["sql"]["wmi"]} == {
        "pchat01-sql", "pchat01-sqlm", "pchat01-sqlw"}  # fmt: skip


def test_the_standard_edition_server_grants_its_local_compliance_folder_to_the_lync_services() -> None:
    """The compliance adapter of a Standard Edition server writes as the Lync services (NETWORK SERVICE) to a
    folder on its data volume; with a configured share, nothing local is created."""
    local = plan_topology(changed(standard(), pools__lyncse01__compliance={"enabled": True}))
    server = local.server("lyncse01")
    (data,) = [d.drive_letter for d in server.disks if d.name == "data"]
    assert settings_of(local, server)["folders"] == [
        {"path": f"{data}:\\PersistentChatCompliance", "grant": ["NT AUTHORITY\\NETWORK SERVICE:(OI)(CI)M"]}
    ]
    unc = plan_topology(
        changed(standard(), pools__lyncse01__compliance={"enabled": True, "outputShare": "\\\\fs01\\out"})
    )
    assert settings_of(unc, unc.server("lyncse01"))["folders"] == []
    assert settings_of(plan_topology(standard()), plan_topology(standard()).server("lyncse01"))["folders"] == []
