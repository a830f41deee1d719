"""``publish``: define, what must exist before publishing, publish, databases, mirroring, deploy.

Expected values come from the Lync Server 2013 documentation, cited on each test."""

from __future__ import annotations

from typing import Any

from tests import powershell as ps

from ..model.configs import changed, enterprise
from . import support
from .support import assert_order, code, code_lines, files, plan_of

ENTERPRISE = files("enterprise", "publish")["publish-pchat01.ps1"]
ZURICH = files("residency", "publish")["publish-pchatzrh.ps1"]
PUBLISHED = "Get-CsService -PersistentChatServer"
"""The pool is in the published topology [L:lync-server-2013-get-persistent-chat-server-pool-availability]."""


def install_lines(text: str) -> list[str]:
    return [line for line in code_lines(text) if line.startswith(("Install-", "if (Test-Mirrored"))]


def test_documented_order() -> None:
    """Define, then create the file store "before you publish the topology" [L:...add-persistent-chat-server-to-
    the-topology] step 10, then publish; then -ConfiguredDatabases, which needs the published topology: "To
    install the Topology Builder configured databases ..., the Lync Server 2013 administrator must publish the
    topology" [L:...database-installation-using-lync-server-management-shell]; mirroring "After you have
    installed your primary databases" [PS:Install-CsMirrorDatabase]; then the servers."""
    assert ENTERPRISE.index("Pool FQDN: pchat01.corp.contoso.com") < ENTERPRISE.index("2. Before publishing")
    assert_order(
        ENTERPRISE,
        "Test-Path -LiteralPath '\\\\fs01.corp.contoso.com\\lyncshare'",
        PUBLISHED,
        "Install-CsDatabase -ConfiguredDatabases",
        "Install-CsMirrorDatabase -ConfiguredDatabases",
        "Write-Host 'Next: set pchat:topology software.install: true and run pulumi up",
    )
    assert_order(ZURICH, "Grant-ShareToComputers -Domain", PUBLISHED, "Install-CsDatabase -ConfiguredDatabases")


def test_it_stops_until_the_pool_is_published() -> None:
    tree = ps.parse(ENTERPRISE)
    (gate,) = [n for n in ps.of_type(tree, "if_statement") if "-not $published" in ps.text(n)]
    assert "throw" in ps.text(gate) and "run this runbook again" in ps.text(gate)
    assert gate.start_byte < ENTERPRISE.index("Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn")


def test_the_database_conflict_is_explained_and_resolved() -> None:
    """JJ204910 against Gg398832 (lync-install.md section 2.1), resolved by publishing first; Install-CsDatabase
    without -Clean "will not overwrite any existing databases" [PS:Install-CsDatabase]."""
    header = ENTERPRISE[ENTERPRISE.index("# 4. Databases") : ENTERPRISE.index("# mgc on")]
    for quoted in (
        "[L:lync-server-2013-publish-the-updated-topology] (JJ204910)",
        '"Before you publish your topology, install the',
        "[L:lync-server-2013-database-installation-using-lync-server-management-shell] (Gg398832)",
        "must publish the topology",
        "This runbook publishes first",
        "[L:lync-server-2013-publish-the-topology] step 5",
        "without -Clean",
        "overwrite any existing databases",
    ):
        assert quoted in header, quoted
    assert all("-Clean" not in line for line in code_lines(ENTERPRISE))


def test_enterprise_databases_and_mirrors() -> None:
    """-DatabasePaths: "log files will always be stored on the first location", no blank around the comma
    [PS:Install-CsDatabase]; Install-CsMirrorDatabase -ConfiguredDatabases -FileShare -SqlServerFqdn
    [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability], and
    -DropExistingDatabasesOnMirror, which "deletes any existing copies of the mirrored databases from the server
    acting as the mirror" [PS:Install-CsMirrorDatabase]: a store rebuilt for failback has one there."""
    paths = "-DatabasePaths 'G:\\Log','F:\\Data'"
    mgc_query = (
        "'SELECT CASE WHEN COUNT(*) = 1 THEN 1 ELSE 0 END FROM sys.database_mirroring WHERE mirroring_guid IS NOT "
        "NULL AND database_id IN (DB_ID(N''mgc''))'"
    )
    assert install_lines(ENTERPRISE) == [
        f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn 'pchat01-sql.corp.contoso.com' {paths}",
        f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn 'pchat01-cmp.corp.contoso.com' {paths}",
        f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn 'pchat01-bak.corp.contoso.com' {paths}",
        f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn 'pchat01-cbak.corp.contoso.com' {paths}",
        f"if (Test-Mirrored 'pchat01-sql.corp.contoso.com' {mgc_query}) {{",
        "Install-CsMirrorDatabase -ConfiguredDatabases -FileShare '\\\\pchat01-sql.corp.contoso.com\\pchat-mirror' "
        "-SqlServerFqdn 'pchat01-sql.corp.contoso.com' -DropExistingDatabasesOnMirror",
        f"if (Test-Mirrored 'pchat01-cmp.corp.contoso.com' {mgc_query.replace('mgc', 'mgccomp')}) {{",
        "Install-CsMirrorDatabase -ConfiguredDatabases -FileShare '\\\\pchat01-cmp.corp.contoso.com\\pchat-mirror' "
        "-SqlServerFqdn 'pchat01-cmp.corp.contoso.com' -DropExistingDatabasesOnMirror",
    ]
    assert "param(" not in ENTERPRISE and "$MirrorFileShare" not in ENTERPRISE


def test_mirroring_that_publishing_did_is_not_repeated() -> None:
    """Topology Builder "sets up the mirroring ... when you publish the topology"
    [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability]: the mirror command runs
    only in the else branch of the mirroring test."""
    tree = ps.parse(ENTERPRISE)
    for command in ps.commands(tree, "Install-CsMirrorDatabase"):
        branch = command.node.parent
        while branch is not None and branch.type != "else_clause":
            branch = branch.parent
        assert branch is not None and "Test-Mirrored" in ps.text(branch.parent)


def test_enterprise_checklist_in_the_wizard_order() -> None:
    """[L:lync-server-2013-add-persistent-chat-server-to-the-topology] steps 3-12, then the HA/DR stores
    [L:...using-topology-builder-to-configure-high-availability-and-disaster-recovery], then Machine state."""
    expected = [
        "step 3",
        "Under Lync site dublin: Persistent Chat Pools > New Persistent Chat Pool",
        "Pool FQDN: pchat01.corp.contoso.com",
        "Multiple Computer Pool",
        "Member servers in data center dublin: pchat01-a1.corp.contoso.com, pchat01-a2.corp.contoso.com, "
        "pchat01-a3.corp.contoso.com, pchat01-a4.corp.contoso.com",
        "Member servers in data center amsterdam: pchat01-s1.corp.contoso.com, pchat01-s2.corp.contoso.com, "
        "pchat01-s3.corp.contoso.com, pchat01-s4.corp.contoso.com",
        "one logical pool in Lync site dublin",
        "step 5",
        "Port: 5041",
        "step 6",
        "Enable compliance: yes",
        "step 7",
        "Use this pool as default for site dublin: yes",
        "step 8",
        "SQL store: pchat01-sql.corp.contoso.com (SQL Server FQDN pchat01-sql.corp.contoso.com, Default Instance)",
        "step 9",
        "Compliance SQL store: pchat01-cmp.corp.contoso.com",
        "step 10",
        "File store: \\\\fs01.corp.contoso.com\\lyncshare (File Server FQDN fs01.corp.contoso.com, "
        "File Share lyncshare)",
        "step 11",
        "Next hop pool: fe01.corp.contoso.com",
        "Add SQL store pchat01-sqlm.corp.contoso.com (mgc mirror)",
        "Add SQL store pchat01-sqlw.corp.contoso.com (mgc witness, mgccomp witness)",
        "Add SQL store pchat01-bak.corp.contoso.com (mgc backup)",
        "Add SQL store pchat01-bakm.corp.contoso.com (mgc backup mirror)",
        "Add SQL store pchat01-cbak.corp.contoso.com (mgccomp backup)",
        "mirroring SQL store pchat01-sqlm.corp.contoso.com (port 5022)",
        "witness to enable automatic failover: pchat01-sqlw.corp.contoso.com (port 7022)",
        "backup SQL store pchat01-bak.corp.contoso.com",
        "SQL store backup pchat01-bak.corp.contoso.com: mirroring SQL store pchat01-bakm.corp.contoso.com",
        "backup SQL store pchat01-cbak.corp.contoso.com",
        "Compliance SQL store backup pchat01-cbak.corp.contoso.com: mirroring SQL store pchat01-cbakm.corp.contoso.com",
        "Make active: pchat01-a1.corp.contoso.com (dublin), pchat01-a2.corp.contoso.com (dublin), "
        "pchat01-a3.corp.contoso.com (dublin), pchat01-a4.corp.contoso.com (dublin)",
        "Make inactive: pchat01-s1.corp.contoso.com (amsterdam), pchat01-s2.corp.contoso.com (amsterdam), "
        "pchat01-s3.corp.contoso.com (amsterdam), pchat01-s4.corp.contoso.com (amsterdam)",
    ]
    positions = [ENTERPRISE.index(text) for text in expected]
    assert positions == sorted(positions)


STRETCHED_HIGH = changed(
    enterprise(),
    sites__dublin__lyncSite="EMEA",
    pools__pchat01__users=80000,
    pools__pchat01__defaultForSite=True,
    pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "layout": "highBandwidth"},
)


def test_a_stretched_pool_is_one_lync_site_with_its_servers_in_two_data_centers() -> None:
    """ "you essentially configure one pool in the topology logically, but you physically place the servers in
    the pool in two different data centers" [L:...using-a-stretched-persistent-chat-server-pool-for-disaster-
    recovery]; the default-pool check box names the Lync site [L:...add-persistent-chat-server-to-the-topology]
    step 7."""
    text = support.render(plan_of(STRETCHED_HIGH), "publish")["publish-pchat01.ps1"]
    for expected in (
        "Publish runbook for Persistent Chat pool pchat01.corp.contoso.com (Lync site EMEA)",
        "Under Lync site EMEA: Persistent Chat Pools > New Persistent Chat Pool",
        "Member servers in data center dublin: pchat01-a1.corp.contoso.com, pchat01-a2.corp.contoso.com, "
        "pchat01-s1.corp.contoso.com, pchat01-s2.corp.contoso.com",
        "Member servers in data center amsterdam: pchat01-a3.corp.contoso.com, pchat01-a4.corp.contoso.com, "
        "pchat01-s3.corp.contoso.com, pchat01-s4.corp.contoso.com",
        "one logical pool in Lync site EMEA",
        "Use this pool as default for site EMEA: yes",
    ):
        assert expected in text, expected
    assert "site dublin" not in text and "site amsterdam" not in text


def test_high_bandwidth_machine_state_follows_the_roles_in_both_data_centers() -> None:
    """highBandwidth: "site 1 has servers 1-4 (2 active, 2 idle); site 2 has servers 5-8 (2 active, 2 idle)"
    [L:lync-server-2013-required-resources-for-persistent-chat-server]; Machine state settings: Make active /
    Make inactive [SfB15:help-topics/help-topobld/persistent-chat-machines-expander.md]."""
    text = support.render(plan_of(STRETCHED_HIGH), "publish")["publish-pchat01.ps1"]
    assert (
        "#   [ ] Make active: pchat01-a1.corp.contoso.com (dublin), pchat01-a2.corp.contoso.com (dublin), "
        "pchat01-a3.corp.contoso.com (amsterdam), pchat01-a4.corp.contoso.com (amsterdam)\n"
        "#   [ ] Make inactive: pchat01-s1.corp.contoso.com (dublin), pchat01-s2.corp.contoso.com (dublin), "
        "pchat01-s3.corp.contoso.com (amsterdam), pchat01-s4.corp.contoso.com (amsterdam)\n"
    ) in text


def grants(text: str) -> list[tuple[str | None, list[str | None]]]:
    """(computer, [domain, share, UNC, computers...]) of each call of the share grant function."""
    found = []
    for command in ps.commands(ps.parse(text), "Grant-ShareToComputers"):
        p = command.parameters
        assert set(p) == {"-domain", "-server", "-name", "-unc", "-computers"} and not command.arguments
        values = [ps.text(n) if n.type == "variable" else ps.literal(n) for n in _items(p["-domain"])]
        for key in ("-name", "-unc", "-computers"):
            values += [ps.literal(n) for n in _items(p[key])]
        found.append((ps.literal(p["-server"]), values))
    return found


def _items(node: Any) -> list[Any]:
    """The elements of an array argument: variables and string literals, in order."""
    return [n for n in ps.walk(node) if n.type in ("variable", "verbatim_string_characters")]


def test_without_a_domain_join_the_runbook_grants_the_shares_to_the_computer_accounts() -> None:
    """SQL Server and the Lync services reach a share as <Domain>\\<COMPUTER>$ ("The $ is important to identify
    that this is a computer account" [L:...deploying-sql-mirroring-for-back-end-server-high-availability]); the
    bootstrap cannot grant them before the domain join, so the runbook does, from the management host without
    remoting: the share's entry through a CIM session over DCOM (Grant-SmbShareAccess -CimSession,
    learn.microsoft.com/powershell/module/smbshare/grant-smbshareaccess; New-CimSessionOption -Protocol Dcom,
    learn.microsoft.com/powershell/module/cimcmdlets/new-cimsessionoption), the folder's through the share."""
    assert grants(ZURICH) == [
        (
            "pchatzrh-sql.corp.fabrikam.com",
            [
                "$env:USERDOMAIN", "pchat-compliance", "\\\\pchatzrh-sql.corp.fabrikam.com\\pchat-compliance",
                "pchatzrh-a1",
            ],
        )
    ]  # fmt: skip
    block = ps.parse(ZURICH)
    (session,) = ps.commands(block, "New-CimSession")
    assert ps.text(session.parameters["-computername"]) == "$Server"  # type: ignore[arg-type]
    assert ps.text(session.parameters["-sessionoption"]) == "(New-CimSessionOption -Protocol Dcom)"  # type: ignore[arg-type]
    assert ps.commands(block, "Invoke-Command") == []
    (grant,) = ps.commands(block, "Grant-SmbShareAccess")
    assert {k: ps.text(v) if v else None for k, v in grant.parameters.items()} == {
        "-cimsession": "$session",
        "-name": "$Name",
        "-accountname": "$account",
        "-accessright": "Change",
        "-force": None,
    }
    assert "$account = $Domain + '\\' + $computer + '$'" in ZURICH
    assert "& icacls.exe $Unc /grant ($account + ':(OI)(CI)M')" in ZURICH
    assert grants(ENTERPRISE) == [], "domainJoin is set: the bootstrap granted them"
    assert "Grant-SmbShareAccess" not in code(ENTERPRISE)


def test_every_share_with_computers_is_granted_on_its_host() -> None:
    raw = changed(
        enterprise(),
        pools__pchat01__highAvailability={"mirroring": True},
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "standbyServers": 1},
    )
    sql = ["pchat01-sql", "pchat01-sqlm", "pchat01-bak", "pchat01-bakm"]
    assert grants(support.render(plan_of(raw), "publish")["publish-pchat01.ps1"]) == [
        (
            "pchat01-sql.corp.contoso.com",
            [
                "$env:USERDOMAIN",
                "pchat-mirror",
                "\\\\pchat01-sql.corp.contoso.com\\pchat-mirror",
                "pchat01-sql",
                "pchat01-sqlm",
            ],
        ),
        (
            "pchat01-bak.corp.contoso.com",
            ["$env:USERDOMAIN", "pchat-logship", "\\\\pchat01-bak.corp.contoso.com\\pchat-logship", *sql],
        ),
    ]


def test_the_file_store_must_exist_before_publishing() -> None:
    """ "you must create the file store in the defined location you define before you publish the topology"
    [L:lync-server-2013-add-persistent-chat-server-to-the-topology] step 10."""
    (check,) = ps.commands(ps.parse(ENTERPRISE), "Test-Path")
    assert ps.literal(check.parameters["-literalpath"]) == "\\\\fs01.corp.contoso.com\\lyncshare"
    single = files("single", "publish")["publish-pchat01.ps1"]
    assert "Test-Path" not in code(single) and "set fileStore in the stack" in single


def test_dns_records_per_server_and_the_pool_resolving_to_each_member() -> None:
    """ "An internal A record that resolves the fully qualified domain name (FQDN) of the servers", and
    "PersistentChatPool.contoso.com 10.10.10.1 / 10.10.10.2" [L:lync-server-2013-dns-requirements-for-persistent-
    chat-servers]; on Standard Edition the pool FQDN is the server's."""
    plan = support.plan("enterprise")
    servers = plan.pools[0].pool_servers
    records = [line for line in ENTERPRISE.splitlines() if line.startswith("#   [ ] ") and " -> " in line]
    assert records == [f"#   [ ] {s.fqdn} -> {s.private_ip}" for s in servers] + [
        f"#   [ ] pchat01.corp.contoso.com -> {s.private_ip}" for s in servers
    ]
    lab = files("lab", "publish")["publish-lyncse01.ps1"]
    assert [line for line in lab.splitlines() if " -> " in line and line.startswith("#   [ ]")] == [
        f"#   [ ] lyncse01.lab.contoso.com -> {support.plan('lab').server('lyncse01').private_ip}"
    ]


def test_the_end_says_when_to_install_the_software() -> None:
    """The servers are deployed once the topology is published [L:...deployment-checklist-for-persistent-chat-
    server]: the project's install phase (software.install) or the Deployment Wizard
    [L:lync-server-2013-installing-persistent-chat-server]."""
    tail = ENTERPRISE[ENTERPRISE.index("# 6. Deploy the servers") :]
    assert "Set software.install: true in the stack's pchat:topology, then run pulumi up" in tail
    assert "If software.install stays false, run the Lync Server Deployment Wizard on each of them" in tail
    assert "pchat01-s4.corp.contoso.com" in tail


def test_collocated_store_uses_the_existing_back_end_instance() -> None:
    """On the customer's Back End, only the Persistent Chat database, scoped with -DatabaseType, -SqlServerFqdn
    and -SqlInstanceName (its parameter set) [PS:Install-CsDatabase]: -ConfiguredDatabases installs every
    database the topology assigns to the instance (issue 17), and the install phase scopes it the same way."""
    text = files("single", "publish")["publish-pchat01.ps1"]
    assert install_lines(text) == [
        "Install-CsDatabase -DatabaseType PersistentChat -SqlServerFqdn 'be01.corp.contoso.com' -SqlInstanceName 'rtc'",
    ]
    assert (
        "SQL store: be01.corp.contoso.com\\rtc (SQL Server FQDN be01.corp.contoso.com, Named Instance rtc): "
        "the existing Back End instance, collocated"
    ) in text
    assert "Compliance SQL store: none: compliance is off" in text
    assert "param(" not in text and "No store of this pool is mirrored" in text
    assert "File store: not set in the stack" in text


def test_standard_edition_uses_sql_express() -> None:
    """The stores on the Standard Edition server's own SQL Server Express instance (RTC): setup installs the
    instance and its databases on the server [L:lync-server-2013-database-software-support], so part 4 has
    nothing to run, and the server that will hold the Central Management store is prepared before publishing
    ("Prepare first Standard Edition server") [L:lync-server-2013-install-standard-edition-server-database]."""
    text = files("lab", "publish")["publish-lyncse01.ps1"]
    assert install_lines(text) == []
    part2 = text[text.index("# 2. Before publishing") : text.index("# 3. Publish")]
    assert '"Prepare first Standard Edition' in part2 and 'server" on it now' in part2
    assert "[ ] Prepared lyncse01.lab.contoso.com (or the Central Management store is elsewhere)" in part2
    assert "Prepare first Standard Edition" not in files("enterprise", "publish")["publish-pchat01.ps1"]
    assert "Single Computer Pool on the Standard Edition server: the pool FQDN is the server FQDN" in text
    assert "SQL store: lyncse01.lab.contoso.com\\RTC (" in text
    assert "Compliance SQL store: lyncse01.lab.contoso.com\\RTC (" in text
    assert "Next hop pool: lyncse01.lab.contoso.com" in text


def test_residency_one_file_per_pool_and_shared_compliance_instance() -> None:
    chicago = files("residency", "publish")["publish-pchatchi.ps1"]
    assert "Pool FQDN: pchatchi.corp.fabrikam.com" in chicago and "zrh" not in chicago
    assert "Next hop pool: fezrh.corp.fabrikam.com" in ZURICH
    assert install_lines(ZURICH) == [
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn 'pchatzrh-sql.corp.fabrikam.com' "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
    ]
    assert "# mgc and mgccomp on pchatzrh-sql.corp.fabrikam.com" in ZURICH


def test_database_paths_are_the_folders_the_bootstrap_creates() -> None:
    """One source of truth: Install-CsDatabase puts mgc and mgccomp where the VM's bootstrap made and granted
    the SQL folders (log path first, data path second [PS:Install-CsDatabase])."""
    from lync_pchat import bootstrap

    plan = support.plan("enterprise")
    tree = ps.parse(ENTERPRISE)
    installed = {
        ps.literal(c.parameters["-sqlserverfqdn"]): ps.text(c.parameters["-databasepaths"] or c.node)
        for c in ps.commands(tree, "Install-CsDatabase")
    }
    for key in ("pchat01-sql", "pchat01-cmp", "pchat01-bak", "pchat01-cbak"):
        server = plan.server(key)
        created = [f["path"] for f in bootstrap.settings(server, plan)["folders"]]
        assert installed[server.fqdn] == f"'{created[1]}','{created[0]}'"


def test_a_one_server_pool_with_a_local_file_store_is_a_single_computer_pool() -> None:
    """[L:lync-server-2013-add-persistent-chat-server-to-the-topology] (lync-install.md §4): "a multi-server pool
    needs a UNC path; a single-server pool may use a local path", and Topology Builder offers "Single Computer
    Pool" or "Multiple Computer Pool" (persistent-chat.md): the local path makes it the single computer pool."""
    from lync_pchat.runbooks import render

    local = plan_of(changed(enterprise(), pools__pchat01__users=100, pools__pchat01__fileStore="D:\\PChatFiles"))
    assert len(local.pools[0].pool_servers) == 1
    text = render(local, "publish")["publish-pchat01.ps1"]
    assert "Single Computer Pool: the file store is a local path" in text and "Multiple Computer Pool (" not in text
    unc = plan_of(
        changed(enterprise(), pools__pchat01__users=100, pools__pchat01__fileStore="\\\\fs01.corp.contoso.com\\pchat")
    )
    assert (
        "Multiple Computer Pool (a single computer pool cannot take more servers later)"
        in render(unc, "publish")["publish-pchat01.ps1"]
    )
