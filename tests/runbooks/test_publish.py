"""``publish``: the Topology Builder checklist, then Install-CsDatabase, publish, Install-CsMirrorDatabase."""

from __future__ import annotations

from . import support
from .support import assert_order, code_lines, files

ENTERPRISE = files("enterprise", "publish")["publish-pchat01.ps1"]


def test_enterprise_databases_and_mirrors() -> None:
    commands = [line for line in code_lines(ENTERPRISE) if line.startswith("Install-")]
    assert commands == [
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn pchat01-sql.corp.contoso.com "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn pchat01-cmp.corp.contoso.com "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn pchat01-bak.corp.contoso.com "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn pchat01-cbak.corp.contoso.com "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
        "Install-CsMirrorDatabase -ConfiguredDatabases -FileShare '\\\\pchat01-sql.corp.contoso.com\\pchat-mirror' "
        "-SqlServerFqdn pchat01-sql.corp.contoso.com",
        "Install-CsMirrorDatabase -ConfiguredDatabases -FileShare '\\\\pchat01-cmp.corp.contoso.com\\pchat-mirror' "
        "-SqlServerFqdn pchat01-cmp.corp.contoso.com",
    ]
    assert "param(" not in ENTERPRISE and "$MirrorFileShare" not in ENTERPRISE


def test_enterprise_checklist_in_the_wizard_order() -> None:
    expected = [
        "step 3",
        "Pool FQDN: pchat01.corp.contoso.com",
        "Multiple Computer Pool",
        "Member servers, active in dublin: pchat01-a1.corp.contoso.com, pchat01-a2.corp.contoso.com, "
        "pchat01-a3.corp.contoso.com, pchat01-a4.corp.contoso.com",
        "Member servers, standby in amsterdam: pchat01-s1.corp.contoso.com, pchat01-s2.corp.contoso.com, "
        "pchat01-s3.corp.contoso.com, pchat01-s4.corp.contoso.com",
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
        "Make inactive: pchat01-s1.corp.contoso.com",
    ]
    positions = [ENTERPRISE.index(text) for text in expected]
    assert positions == sorted(positions)


def test_documented_order_of_the_commands() -> None:
    assert ENTERPRISE.index("Pool FQDN") < ENTERPRISE.index("Publish Topology")
    assert ENTERPRISE.index("Install-CsDatabase -Configured") < ENTERPRISE.index("Publish Topology")
    assert ENTERPRISE.index("Publish Topology") < ENTERPRISE.index("Install-CsMirrorDatabase -Configured")
    assert_order(ENTERPRISE, "$ErrorActionPreference", "Install-CsDatabase", "Install-CsMirrorDatabase")


def test_collocated_store_uses_the_existing_back_end_instance() -> None:
    text = files("single", "publish")["publish-pchat01.ps1"]
    assert [line for line in code_lines(text) if line.startswith("Install-")] == [
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn be01.corp.contoso.com -ForInstance rtc",
    ]
    assert (
        "SQL store: be01.corp.contoso.com\\rtc (SQL Server FQDN be01.corp.contoso.com, Named Instance rtc): "
        "the existing Back End instance, collocated"
    ) in text
    assert "Compliance SQL store: none: compliance is off" in text
    assert "param(" not in text and "No store of this pool is mirrored" in text
    assert "File store: not set in the stack" in text


def test_standard_edition_uses_sql_express() -> None:
    text = files("lab", "publish")["publish-lyncse01.ps1"]
    assert [line for line in code_lines(text) if line.startswith("Install-")] == [
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn lyncse01.lab.contoso.com -ForInstance RTC",
    ]
    assert "Single Computer Pool on the Standard Edition server: the pool FQDN is the server FQDN" in text
    assert "SQL store: lyncse01.lab.contoso.com\\RTC (" in text
    assert "Compliance SQL store: lyncse01.lab.contoso.com\\RTC (" in text
    assert "Next hop pool: lyncse01.lab.contoso.com" in text


def test_residency_one_file_per_pool_and_shared_compliance_instance() -> None:
    chicago = files("residency", "publish")["publish-pchatchi.ps1"]
    zurich = files("residency", "publish")["publish-pchatzrh.ps1"]
    assert "Pool FQDN: pchatchi.corp.fabrikam.com" in chicago and "zrh" not in chicago
    assert "Next hop pool: fezrh.corp.fabrikam.com" in zurich
    assert [line for line in code_lines(zurich) if line.startswith("Install-")] == [
        "Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn pchatzrh-sql.corp.fabrikam.com "
        "-DatabasePaths 'G:\\Log','F:\\Data'",
    ]
    assert "# mgc and mgccomp on pchatzrh-sql.corp.fabrikam.com" in zurich


def test_database_paths_are_the_folders_the_bootstrap_creates() -> None:
    """One source of truth: Install-CsDatabase puts mgc and mgccomp where the VM's bootstrap made and granted
    the SQL folders (log path first, data path second [PS:Install-CsDatabase])."""
    from lync_pchat import bootstrap

    plan = support.plan("enterprise")
    for key in ("pchat01-sql", "pchat01-cmp", "pchat01-bak", "pchat01-cbak"):
        server = plan.server(key)
        created = [f["path"] for f in bootstrap.settings(server, plan)["folders"]]
        line = next(
            line for text in support.files("enterprise", "publish").values() for line in text.splitlines()
            if line.startswith(f"Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn {server.fqdn}")
        )  # fmt: skip
        log, data = line.split("-DatabasePaths ")[1].split(",")
        assert [log.strip("'"), data.strip("'")] == [created[1], created[0]]
