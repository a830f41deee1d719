"""A collocated store mirrored onto its Back End's existing mirror (issue 17, item 8): an unseen topology.

Oracles: [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability] (JJ204992: Topology
Builder mirrors a store onto a mirroring SQL store, with an optional witness; the cmdlet form needs the primary
databases, a file share both SQL Servers' service accounts read and write, endpoints 5022/7022, WMI);
[PS:Install-CsMirrorDatabase] (``-DatabaseType PersistentChat`` / ``PersistentChatCompliance`` with
``-SqlServerFqdn`` and ``-SqlInstanceName`` acts on that database alone; ``-ConfiguredDatabases`` on every database
the topology puts on that SQL Server, the Front End pool's too; ``-Confirm``, no ``-Force``);
[L:lync-server-2013-server-collocation-in-an-enterprise-edition-front-end-pool-deployment] (one Persistent Chat
database and one compliance database per SQL instance).
"""

from __future__ import annotations

import json
from typing import Any

from lync_pchat import install
from lync_pchat.install import supervisor as sv
from lync_pchat.model import plan_topology
from lync_pchat.model.firewall import subnet_rules
from lync_pchat.model.monitoring import counters
from lync_pchat.offline.graph import Resource, of_type
from lync_pchat.offline.synthesis import offline_config
from lync_pchat.runbooks import render

from .. import powershell as ps
from ..model.configs import changed, enterprise
from ..runbooks.support import code_lines, powershell_errors
from ..support.synthesis import synthesized
from .support import installing, settings

SHARE = "\\\\fs01.corp.contoso.com\\pchat-mirror"
MIRROR = {
    "sqlServer": "be02.corp.contoso.com",
    "sqlInstance": "rtc",
    "witness": "bew.corp.contoso.com\\WIT",
    "fileShare": SHARE,
}
TOPOLOGY = installing(
    changed(
        enterprise(),
        pools__pchat01__store={
            "placement": "collocated",
            "sqlServer": "be01.corp.contoso.com",
            "sqlInstance": "rtc",
            "mirror": MIRROR,
        },
        pools__pchat01__highAvailability={"mirroring": True},
        pools__pchat01__compliance={
            "enabled": True,
            "placement": "shared",
            "outputShare": "\\\\fs01.corp.contoso.com\\compliance",
        },
    )
)
PLAN = plan_topology(TOPOLOGY)
POOL = PLAN.pools[0]
CUSTOMER = ("be01", "be02", "bew")
"""The customer's servers: the Back End, its mirror and its witness."""


def graph() -> tuple[Resource, ...]:
    return synthesized(
        offline_config(
            {"pchat:topology": TOPOLOGY, "pchat:setupPassword": "Setup-Pw-1!", "pchat:domainJoinPassword": "Join-Pw-1!"}
        )
    )


def test_the_plan_mirrors_the_store_onto_the_back_ends_mirror_it_does_not_build() -> None:
    for store in POOL.stores:
        assert store.primary.name == "be01.corp.contoso.com\\rtc" and store.primary.server is None
        assert store.mirror is not None and store.mirror.name == "be02.corp.contoso.com\\rtc"
        assert store.mirror.server is None, "the Back End's mirror is not provisioned here"
        assert store.witness is not None and store.witness.name == "bew.corp.contoso.com\\WIT"
        assert store.witness.server is None
        assert store.mirror_share is None and store.named_mirror_share == SHARE
        assert store.mirror_share_unc == SHARE
    assert [s.role.value for s in POOL.servers] == ["active", "active"], "no SQL VM for a mirror we do not own"
    assert POOL.shares == (), "no share on the customer's servers"


def test_nothing_is_opened_nor_watched_on_the_customers_servers() -> None:
    """No mirroring (5022/7022), WMI or SMB rule: the Back End's own mirroring already works; no mirroring counters
    or alert either: no SQL Server of ours holds a mirror."""
    rules = [
        rule for site in PLAN.sites for subnet in ("pchat", "sql") for rule in subnet_rules(PLAN, site.key, subnet)
    ]
    assert not [r for r in rules if r.name.startswith(("mirroring", "wmi", "shares"))]
    assert not [c for c in counters(PLAN) if "Mirroring" in c]


def test_the_graph_builds_nothing_for_the_customers_servers() -> None:
    resources = graph()
    # The mock engine records registrations as they complete, so the two VMs arrive in either order: compare as sets.
    machines = sorted(r.name for r in of_type(resources, "azure-native:compute:VirtualMachine"))
    assert machines == ["pchat01-a1-vm", "pchat01-a2-vm"]
    for resource in resources:
        if resource.type == "azure-native:compute:VirtualMachineRunCommandByVirtualMachine":
            continue  # the databases phase names them: it mirrors from the install host
        text = json.dumps(resource.inputs)
        assert not any(f"{name}.corp.contoso.com" in text for name in CUSTOMER), resource.urn
        if resource.type == "azure-native:network:SecurityRule" or "securityRules" in resource.inputs:
            assert '"5022' not in text and '"7022' not in text, resource.urn
    (run,) = [
        r
        for r in of_type(resources, "azure-native:compute:VirtualMachineRunCommandByVirtualMachine")
        if r.inputs["runCommandName"] == "pchat-databases"
    ]
    assert sv.embedded(run.inputs["source"]["script"]) == install.database_script(POOL, PLAN)


def test_the_install_phase_mirrors_each_database_scoped_by_database_type() -> None:
    """One Install-CsMirrorDatabase per Persistent Chat database, -DatabaseType scoped, through the named share,
    guarded by the same already-mirrored check and online-copy check as the dedicated path."""
    script = install.database_script(POOL, PLAN)
    mirrors = settings(script)["Mirrors"]
    common = {"FileShare": SHARE, "SqlServerFqdn": "be01.corp.contoso.com", "SqlInstanceName": "rtc",
              "DropExistingDatabasesOnMirror": True}  # fmt: skip
    assert [m["Install"] for m in mirrors] == [
        {"DatabaseType": "PersistentChat", **common},
        {"DatabaseType": "PersistentChatCompliance", **common},
    ]
    assert all("ConfiguredDatabases" not in m["Install"] and "ForInstance" not in m["Install"] for m in mirrors)
    assert [(m["Principal"], m["Mirror"], m["Databases"]) for m in mirrors] == [
        ("be01.corp.contoso.com\\rtc", "be02.corp.contoso.com\\rtc", ["mgc"]),
        ("be01.corp.contoso.com\\rtc", "be02.corp.contoso.com\\rtc", ["mgccomp"]),
    ]
    assert mirrors[0]["Query"].endswith("WHERE d.name IN (N'mgc');")
    (call,) = ps.commands(ps.parse(script), "Install-CsMirrorDatabase")
    assert ps.text(call.node).endswith("-Confirm:$false")
    assert ps.errors(script) == []


def test_the_publish_runbook_says_the_same() -> None:
    text = render(PLAN, "publish")["publish-pchat01.ps1"]
    assert powershell_errors(text) == []
    mirrors = [line for line in code_lines(text) if line.startswith("Install-CsMirrorDatabase")]
    assert mirrors == [
        f"Install-CsMirrorDatabase -DatabaseType {kind} -FileShare '{SHARE}' -SqlServerFqdn 'be01.corp.contoso.com' "
        "-SqlInstanceName 'rtc' -DropExistingDatabasesOnMirror"
        for kind in ("PersistentChat", "PersistentChatCompliance")
    ]
    guards = [line for line in code_lines(text) if line.startswith("if (Test-Mirrored 'be01.corp.contoso.com\\rtc'")]
    assert len(guards) == 2
    assert (
        "SQL store be01.corp.contoso.com\\rtc (the Back End, collocated): Enable SQL Store mirroring, mirroring SQL "
        "store be02.corp.contoso.com\\rtc, the Back End's mirror"
    ) in text
    assert "Use SQL mirroring witness to enable automatic failover: bew.corp.contoso.com\\WIT, the Back End's" in text
    assert f"share {SHARE} (store.mirror.fileShare) when it asks" in text
    assert "pchat-mirror share (the VM bootstrap created it)" not in text


def test_an_unmirrored_collocated_store_keeps_the_untick_advice_alone() -> None:
    raw: dict[str, Any] = changed(
        TOPOLOGY, pools__pchat01__highAvailability={"mirroring": False}, pools__pchat01__store__mirror=None
    )
    raw["pools"]["pchat01"]["store"].pop("mirror")
    plan = plan_topology(raw)
    assert all(s.mirror is None for s in plan.pools[0].stores)
    text = render(plan, "publish")["publish-pchat01.ps1"]
    assert "clear the check boxes\n#    of this pool's stores: part 4 installs them (see there why)." in text
    assert "store.mirror.fileShare" not in text and "Install-CsMirrorDatabase" not in "\n".join(code_lines(text))
    assert settings(install.database_script(plan.pools[0], plan))["Mirrors"] == []
