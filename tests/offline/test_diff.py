"""``pchat diff``: what a change adds, updates, replaces and deletes, stateful losses first."""

from __future__ import annotations

from typing import Any

from lync_pchat.offline.diff import Change, StackDiff, compare, diff_stack
from lync_pchat.offline.diffview import markdown, text
from lync_pchat.offline.summary import topology_diff

VM = "azure-native:compute:VirtualMachine"
NSG = "azure-native:network:NetworkSecurityGroup"


def res(name: str, type_: str = "azure-native:compute:Disk", protect: bool = False, **inputs: Any) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:s::pchat::{type_}::{name}",
        "type": type_,
        "name": name,
        "protect": protect,
        "inputs": inputs,
    }


def plan(*resources: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {"resources": list(resources), **sections}


def test_actions_and_stateful_flags() -> None:
    before = plan(
        res("d1", diskSizeGB=128),
        res("d2", diskName="a"),
        res("gone"),
        res("sql-vm", VM, tags={"pchat-role": "store"}, vmName="x"),
        res("a1-vm", VM, tags={"pchat-role": "active"}, hardwareProfile={"vmSize": "A"}),
    )
    after = plan(
        res("d1", diskSizeGB=256),
        res("d2", diskName="b"),
        res("new"),
        res("sql-vm", VM, tags={"pchat-role": "store"}, vmName="x"),
        res("a1-vm", VM, tags={"pchat-role": "active"}, hardwareProfile={"vmSize": "B"}),
    )
    assert [(c.name, c.action, c.keys, c.dangerous) for c in compare(before, after)] == [
        ("gone", "delete", (), True),
        ("d2", "replace", ("diskName",), True),
        ("d1", "update", ("diskSizeGB",), False),
        ("a1-vm", "update", ("hardwareProfile.vmSize",), False),
        ("new", "create", (), False),
    ]


def test_a_new_vault_suffix_and_a_vm_that_deletes_its_disks_are_stateful_losses() -> None:
    """pulumi-random replaces a RandomString on any input change, and the vault's name carries it; a VM whose
    data disk has deleteOption Delete takes the disk with it when Azure deletes the VM
    (learn.microsoft.com/azure/virtual-machines/delete, "Delete a VM and its attached resources")."""
    suffix = "random:index/randomString:RandomString"
    disk = {"storageProfile": {"dataDisks": [{"lun": 0, "deleteOption": "Delete"}]}}
    before = plan(
        res("kv-suffix", suffix, length=8, upper=False),
        res("a1-vm", VM, tags={"pchat-role": "active"}, vmName="a", **disk),
    )
    after = plan(
        res("kv-suffix", suffix, length=8, upper=True),
        res("a1-vm", VM, tags={"pchat-role": "active"}, vmName="b", **disk),
    )
    assert [(c.name, c.action, c.dangerous) for c in compare(before, after)] == [
        ("a1-vm", "replace", True),
        ("kv-suffix", "replace", True),
    ]


def test_a_resource_under_its_alias_is_the_same_resource() -> None:
    old = res("data", diskSizeGB=128)
    new = {**res("pool-data", diskSizeGB=256), "aliases": [old["urn"]]}
    assert [(c.name, c.action, c.keys) for c in compare(plan(old), plan(new))] == [
        ("pool-data", "update", ("diskSizeGB",))
    ]


def test_a_stack_on_one_side_only_is_all_new_or_all_gone() -> None:
    disk = res("data", diskSizeGB=128)
    servers = {"pchat01-a1": {"pool": "pchat01", "role": "active", "site": "dublin", "address": "10.10.0.8"}}
    new = diff_stack("lab", None, plan(disk, servers=servers))
    gone = diff_stack("lab", plan(disk, servers=servers), None)
    assert (new.status, [(c.action, c.dangerous) for c in new.changes]) == ("new", [("create", False)])
    assert (gone.status, [(c.action, c.dangerous) for c in gone.changes]) == ("removed", [("delete", True)])
    assert new.topology is not None and new.topology.servers[0][:2] == ("added", "pchat01-a1")
    assert gone.topology is not None and gone.topology.servers[0][:2] == ("removed", "pchat01-a1")
    assert diff_stack("lab", plan(disk), plan(disk)).status == "unchanged"


def test_an_older_plan_without_pools_or_warnings_is_read() -> None:
    """Plans of schema 1 (before this summary) have resources and servers only."""
    pools = {"pchat01": {"fqdn": "pchat01.corp.contoso.com", "users": 30000, "active": 2, "standby": 0}}
    older = plan(res("d1"), servers={})
    newer = plan(res("d1"), servers={}, pools=pools, warnings=["pools.pchat01.hardware: evaluation"])
    topology = topology_diff(older, newer)
    assert topology.pools == (("before unknown", "pchat01", "pchat01.corp.contoso.com", "30,000", "2", "0"),)
    assert topology.warnings == ("pools.pchat01.hardware: evaluation",)
    assert topology_diff(newer, newer).warnings == ()


def test_nsg_rules_added_removed_and_changed_in_one_row() -> None:
    """A rule is keyed by its NSG and name (Azure's identity of a security rule, NSG_RULES of posture.py):
    one whose destinations grow is one ``changed`` row, each changed cell ``old → new`` (issue 25, item 7)."""

    def nsg(*rules: dict[str, Any]) -> dict[str, Any]:
        return res("site-nsg", NSG, networkSecurityGroupName="nsg-site", securityRules=list(rules))

    sip = {"name": "p-sip", "priority": 1000.0, "access": "Allow", "protocol": "Tcp", "destinationPortRange": "5041"}
    sip |= {"sourceAddressPrefix": "VirtualNetwork", "destinationAddressPrefixes": ["10.0.0.8/32"]}
    grown = sip | {"destinationAddressPrefixes": ["10.0.0.8/32", "10.0.0.9/32"]}
    sql = {"name": "p-sql", "priority": 1001.0, "access": "Allow", "protocol": "Tcp", "destinationPortRanges": ["1433"]}
    sql |= {"sourceAddressPrefixes": ["10.0.0.8/32", "10.0.0.9/32"], "destinationAddressPrefix": "10.0.1.0/24"}
    old = {"name": "p-old", "priority": 1002.0, "access": "Deny", "protocol": "*", "destinationPortRange": "*"}
    rows = topology_diff(plan(nsg(sip, old)), plan(nsg(grown, sql))).rules
    assert rows == (
        (
            "changed",
            "nsg-site",
            "p-sip",
            "1000",
            "Allow",
            "Tcp",
            "5041",
            "VirtualNetwork",
            "10.0.0.8/32 → 10.0.0.8/32, 10.0.0.9/32",
        ),
        ("added", "nsg-site", "p-sql", "1001", "Allow", "Tcp", "1433", "10.0.0.8/32, 10.0.0.9/32", "10.0.1.0/24"),
        ("removed", "nsg-site", "p-old", "1002", "Deny", "*", "*", "", ""),
    )


def test_stateful_losses_come_first_in_markdown_and_text() -> None:
    changes = (
        Change("u1", "azure-native:compute:Disk", "d2", "replace", ("diskName",), True),
        Change("u2", "azure-native:compute:Disk", "d3", "create", (), True),
    )
    diff = StackDiff("enterprise", "changed", changes, topology_diff({}, {}))
    assert markdown([diff], "origin/main").splitlines() == [
        "## Persistent Chat plan diff against `origin/main`",
        "",
        "> **Warning: 1 stateful resource(s) would be deleted, replaced or unprotected** in `enterprise`: "
        "chat history, compliance records or secrets may be lost; use `aliases` for renames.",
        "",
        "### Stack `enterprise`: changed",
        "",
        "1 to create · 1 to replace",
        "",
        "**⚠ Stateful resources deleted, replaced or unprotected**",
        "",
        "| action | type | name | changed inputs |",
        "|---|---|---|---|",
        "| replace ⚠ | `azure-native:compute:Disk` | `d2` | diskName |",
        "",
        "<details><summary>Resources (2 changes)</summary>",
        "",
        "| action | type | name | changed inputs |",
        "|---|---|---|---|",
        "| replace ⚠ | `azure-native:compute:Disk` | `d2` | diskName |",
        "| create | `azure-native:compute:Disk` | `d3` | - |",
        "",
        "</details>",
    ]
    assert text([diff], "origin/main").splitlines()[:3] == [
        "Persistent Chat plan diff against origin/main",
        "",
        "Warning: 1 stateful resource(s) would be deleted, replaced or unprotected in enterprise: chat history, "
        "compliance records or secrets may be lost; use aliases for renames.",
    ]
    assert markdown([StackDiff("lab", "unchanged")], "HEAD~1").splitlines()[-1] == "### Stack `lab`: no changes"


def test_warnings_link_their_sources() -> None:
    topology = topology_diff({}, {"warnings": ["pools.p.hardware: evaluation sizes [L:lync-server-2013-x]"]})
    diff = StackDiff("lab", "changed", (Change("u", "t", "n", "create", (), False),), topology)
    url = "https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-x"
    assert f"- pools.p.hardware: evaluation sizes ([L:lync-server-2013-x]({url}))" in markdown([diff], "HEAD")
    assert f"- pools.p.hardware: evaluation sizes ({url})" in text([diff], "HEAD")


ALERT = "azure-native:monitor:ScheduledQueryRule"
HEARTBEAT = (
    'datatable(Computer: string) ["a1"]\n| join kind=leftanti (Heartbeat | where TimeGenerated > ago(10m)'
    "\n    | distinct Computer) on Computer"
)


def alert(query: str, enabled: bool = True, severity: float = 1.0) -> dict[str, Any]:
    criteria = {"allOf": [{"query": query, "operator": "GreaterThan", "threshold": 0.0, "timeAggregation": "Count"}]}
    return res(
        "mon-alert-heartbeat",
        ALERT,
        displayName="Server heartbeat lost",
        enabled=enabled,
        severity=severity,
        evaluationFrequency="PT5M",
        windowSize="PT60M",
        criteria=criteria,
    )


def test_alert_rules_read_as_a_table_with_the_words_a_query_changes() -> None:
    """Issue 27's regressions: every alert disabled, the heartbeat join inverted (leftanti -> inner): the
    diff shows both in a row of their own, not as truncated JSON (issue 25, item 7)."""
    inverted = HEARTBEAT.replace("kind=leftanti", "kind=inner")
    diff = diff_stack("lab", plan(alert(HEARTBEAT)), plan(alert(inverted, enabled=False, severity=3.0)))
    assert diff.topology is not None
    assert diff.topology.alerts == (
        (
            "changed",
            "Server heartbeat lost",
            "true → false",
            "1 → 3",
            "PT5M / PT60M",
            "Count GreaterThan 0",
            "-leftanti +inner",
        ),
    )
    md = markdown([diff], "HEAD").splitlines()
    row = "| changed | Server heartbeat lost | true → false | 1 → 3 | PT5M / PT60M | Count GreaterThan 0 |"
    assert f"{row} -leftanti +inner |" in md
    (row,) = [line for line in md if line.startswith("| update | `azure-native:monitor:ScheduledQueryRule`")]
    assert row.endswith("| criteria.allOf; enabled; severity |")  # names only: the table above reads them
    added = topology_diff({}, plan(alert(HEARTBEAT))).alerts
    assert added == (("added", "Server heartbeat lost", "true", "1", "PT5M / PT60M", "Count GreaterThan 0", "-"),)


def test_a_cut_comment_keeps_the_gated_tables_and_truncates_the_rest_in_order() -> None:
    """The PR comment fits GitHub's 65,536 characters (docs.github.com/rest/issues/comments): tables after the
    first that does not fit are named, not shown, except the gated ones, wherever they come."""
    disk = "azure-native:compute:Disk"
    many = tuple(Change(f"u{n}", disk, f"disk-{n:03}", "create", (), False) for n in range(300))
    gone = (Change("z", disk, "pool-data", "delete", (), True),)
    diffs = [StackDiff(s, "new", many, topology_diff({}, {})) for s in ("a", "b")]
    diffs.append(StackDiff("z", "changed", gone, topology_diff({}, {})))
    whole = markdown(diffs, "HEAD")
    limit = len(whole) * 3 // 5  # one of the two long tables fits
    cut = markdown(diffs, "HEAD", limit=limit).splitlines()
    assert len("\n".join(cut)) < limit
    assert cut[2].startswith("**The diff was cut to fit a PR comment**")
    assert "**⚠ Stateful resources deleted, replaced or unprotected**" in cut
    assert "| delete ⚠ | `azure-native:compute:Disk` | `pool-data` | - |" in cut
    assert [line for line in cut if line.startswith("_Resources")] == [
        "_Resources (300 changes): 300 row(s) in the full diff_",
        "_Resources (1 changes): 1 row(s) in the full diff_",  # after the cut, though it would fit
    ]
    assert cut.count("<details><summary>Resources (300 changes)</summary>") == 1
