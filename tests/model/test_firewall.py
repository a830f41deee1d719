"""NSG rules: the documented ports only, each from the sources the documentation names, stable
priorities, deny-all last. The oracle is ``tests/oracles/ports.py`` (the documentation's tables)."""

from __future__ import annotations

from lync_pchat.model import plan_topology
from lync_pchat.model import sources as src
from lync_pchat.model.firewall import MAX_DESCRIPTION, RuleSpec, subnet_rules

from ..oracles.ports import FRONT_END, FRONT_END_NOT_OPENED, PERSISTENT_CHAT, RDP, SQL_SERVER, documented, opened
from .configs import changed, enterprise, standard

E = enterprise()
MANAGED = changed(E, managementCidr="10.0.0.0/24")
MIRRORED = changed(MANAGED, pools__pchat01__highAvailability={"mirroring": True, "witness": True})
MEMBERS = ("10.10.0.8/32", "10.10.0.9/32")
"""The two active servers of 40,000 users (20,000 each) in dublin's pchat subnet, slot 0."""


def names(rules: tuple[RuleSpec, ...]) -> list[tuple[str, int]]:
    return [(r.name, r.priority) for r in rules]


def by_name(rules: tuple[RuleSpec, ...]) -> dict[str, RuleSpec]:
    return {r.name: r for r in rules}


def ports_of(rules: tuple[RuleSpec, ...]) -> set[tuple[str, str]]:
    return {pair for r in rules if r.access == "Allow" for pair in opened(r.protocol, r.ports)}


def test_a_persistent_chat_subnet_without_management_range() -> None:
    rules = subnet_rules(plan_topology(E), "dublin", "pchat")
    assert names(rules) == [
        ("pchat01-sip", 1000),
        ("pchat01-wcf", 1001),
        ("pchat01-cms", 1002),
        ("pchat01-pool", 1003),
        ("pchat01-admin", 1005),
        ("deny-all-inbound", 4096),
    ]
    rule = by_name(rules)
    assert [(n, rule[n].ports, rule[n].sources) for n in ("pchat01-sip", "pchat01-wcf", "pchat01-cms")] == [
        ("pchat01-sip", ("5041",), ("VirtualNetwork",)),
        ("pchat01-wcf", ("881",), ("VirtualNetwork",)),
        ("pchat01-cms", ("445",), ("VirtualNetwork",)),
    ]
    assert (rule["pchat01-pool"].ports, rule["pchat01-pool"].sources) == (("8011",), MEMBERS)
    assert rule["pchat01-admin"].sources == ("VirtualNetwork",), "administration from the Front Ends"
    assert {r.destinations for r in rules[:-1]} == {MEMBERS}


def test_persistent_chat_servers_open_only_documented_ports() -> None:
    for config in (E, MANAGED, MIRRORED):
        assert ports_of(subnet_rules(plan_topology(config), "dublin", "pchat")) <= documented(PERSISTENT_CHAT) | set(
            RDP
        )
    assert ports_of(subnet_rules(plan_topology(E), "dublin", "pchat")) == documented(PERSISTENT_CHAT)


def test_administration_and_rdp_come_from_the_management_range() -> None:
    rule = by_name(subnet_rules(plan_topology(MANAGED), "dublin", "pchat"))
    assert (rule["allow-rdp-management"].ports, rule["allow-rdp-management"].sources) == (("3389",), ("10.0.0.0/24",))
    assert (rule["pchat01-admin"].ports, rule["pchat01-admin"].sources) == (("8011",), ("10.0.0.0/24",))
    assert rule["pchat01-sip"].sources == ("VirtualNetwork",)


def test_every_front_end_pool_reaches_the_pool_and_the_cms_host_replicates() -> None:
    two = changed(E, pools__pchat01__frontEndCidrs=["10.1.0.0/24", "10.2.0.0/24"])
    rule = by_name(subnet_rules(plan_topology(two), "dublin", "pchat"))
    assert rule["pchat01-sip"].sources == ("10.1.0.0/24", "10.2.0.0/24")
    assert rule["pchat01-wcf"].sources == ("10.1.0.0/24", "10.2.0.0/24")
    assert rule["pchat01-cms"].sources == ("10.1.0.0/24", "10.2.0.0/24")
    cms = changed(two, centralManagementCidr="10.3.0.0/24")
    assert by_name(subnet_rules(plan_topology(cms), "dublin", "pchat"))["pchat01-cms"].sources == ("10.3.0.0/24",)
    single = changed(E, pools__pchat01__frontEndCidr="10.1.0.0/24")
    assert by_name(subnet_rules(plan_topology(single), "dublin", "pchat"))["pchat01-sip"].sources == ("10.1.0.0/24",)


def test_the_standard_edition_server_accepts_what_a_front_end_accepts() -> None:
    rules = subnet_rules(plan_topology(standard()), "lab", "pchat")
    front_end = [r for r in rules if r.name.startswith("lyncse01-se-")]
    assert {r.sources for r in front_end} == {("VirtualNetwork",)}
    assert {r.destinations for r in rules[:-1]} == {("10.50.0.8/32",)}
    assert ports_of(rules) == documented(FRONT_END) - set(FRONT_END_NOT_OPENED) | {("Tcp", "8011")}
    assert [r.name for r in rules if r.name in ("lyncse01-sip", "lyncse01-wcf", "lyncse01-pool")] == []


def test_sql_servers_open_only_documented_ports_from_the_right_sources() -> None:
    plain = by_name(subnet_rules(plan_topology(E), "dublin", "sql"))
    assert list(plain) == [
        "pchat01-sql", "pchat01-sql-browser", "pchat01-sql-admin", "pchat01-wmi", "pchat01-shares-admin",
        "deny-all-inbound"]  # fmt: skip
    assert (plain["pchat01-sql"].protocol, plain["pchat01-sql"].ports, plain["pchat01-sql"].sources) == (
        "Tcp",
        ("1433",),
        MEMBERS,
    )
    assert plain["pchat01-sql-admin"].sources == ("VirtualNetwork",), "Install-CsDatabase from a Front End"
    rules = subnet_rules(plan_topology(MIRRORED), "dublin", "sql")
    rule = by_name(rules)
    partners = ("10.10.1.8/32", "10.10.1.9/32", "10.10.1.10/32")  # principal, mirror, witness
    # Each instance has one mirroring endpoint: the partners' on 5022, reached by the other partner and the
    # witness; the witness's on 7022, reached by the partners
    # [L:...deploying-sql-mirroring-for-back-end-server-high-availability]
    mirroring, witness = rule["pchat01-mirroring"], rule["pchat01-witness-endpoint"]
    assert (mirroring.ports, mirroring.sources, mirroring.destinations) == (("5022",), partners, partners[:2])
    assert (witness.ports, witness.sources, witness.destinations) == (("7022",), partners[:2], partners[2:])
    assert (rule["pchat01-wmi"].ports, rule["pchat01-wmi"].sources) == (("135", "49152-65535"), ("10.0.0.0/24",))
    assert rule["pchat01-sql-admin"].sources == ("10.0.0.0/24",)
    assert (rule["pchat01-shares"].sources, rule["pchat01-shares"].destinations) == (partners, ("10.10.1.8/32",))
    assert ports_of(rules) == documented(SQL_SERVER) | set(RDP)


SOFTWARE = {
    "install": True,
    "mediaUri": "https://media01.blob.core.windows.net/lync/Lync2013/",
    "storageAccountId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/media/providers/"
    "Microsoft.Storage/storageAccounts/media01",
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\svc-lyncsetup",
}


def test_the_install_host_reaches_the_sql_servers_as_an_administrator_does() -> None:
    """With the install phase, the pool's first active server (10.10.0.8) runs Install-CsDatabase and
    Install-CsMirrorDatabase: SQL on every SQL Server, the witness too (it configures its endpoint), WMI on the
    principal, mirror and witness, and SMB for the folders on the mirror (JJ204992)."""
    installing = changed(MIRRORED, domainJoin={"user": "CORP\\svc-join"}, software=SOFTWARE)
    rule = by_name(subnet_rules(plan_topology(installing), "dublin", "sql"))
    admin = ("10.0.0.0/24", "10.10.0.8/32")
    partners = ("10.10.1.8/32", "10.10.1.9/32", "10.10.1.10/32")
    assert (rule["pchat01-sql-admin"].sources, rule["pchat01-sql-admin"].destinations) == (admin, partners)
    assert (rule["pchat01-wmi"].sources, rule["pchat01-wmi"].destinations) == (admin, partners)
    assert rule["pchat01-shares-admin"].sources == admin
    assert rule["pchat01-sql-browser"].sources == (*MEMBERS, *admin[:1])
    manual = by_name(subnet_rules(plan_topology(MIRRORED), "dublin", "sql"))
    assert (manual["pchat01-sql-admin"].sources, manual["pchat01-sql-admin"].destinations) == (admin[:1], partners)
    assert manual["pchat01-wmi"].sources == admin[:1]


def test_sites_without_servers_only_deny() -> None:
    assert names(subnet_rules(plan_topology(E), "amsterdam", "sql")) == [("deny-all-inbound", 4096)]


def test_enabling_mirroring_keeps_existing_priorities() -> None:
    before = subnet_rules(plan_topology(MANAGED), "dublin", "sql")
    after = subnet_rules(plan_topology(MIRRORED), "dublin", "sql")
    assert names(before) == [
        ("allow-rdp-management", 900),
        ("pchat01-sql", 1000),
        ("pchat01-sql-browser", 1001),
        ("pchat01-sql-admin", 1004),
        ("pchat01-wmi", 1005),
        ("pchat01-shares-admin", 1006),
        ("deny-all-inbound", 4096),
    ]
    assert set(names(before)) <= set(names(after))


def test_a_second_pool_takes_priorities_from_its_slot() -> None:
    plan = plan_topology(
        changed(
            E,
            pools__pchat02={
                "site": "dublin",
                "users": 100,
                "addressSlot": 2,
                "nextHop": "fe01.corp.contoso.com",
                "frontEndCidrs": ["10.1.0.0/24"],
                "port": 5042,
            },
        )
    )
    rules = by_name(subnet_rules(plan, "dublin", "pchat"))
    assert (rules["pchat01-sip"].priority, rules["pchat02-sip"].priority) == (1000, 1040)
    assert (rules["pchat02-sip"].ports, rules["pchat02-sip"].sources) == (("5042",), ("10.1.0.0/24",))
    assert rules["pchat02-sip"].destinations == ("10.10.0.24/32",)


def test_every_rule_cites_its_source_and_fits_azure() -> None:
    keys = {v for k, v in vars(src).items() if k.isupper() and isinstance(v, str)}
    for config in (E, MIRRORED, standard()):
        plan = plan_topology(config)
        for site in plan.sites:
            for subnet in ("pchat", "sql"):
                for rule in subnet_rules(plan, site.key, subnet):
                    assert len(rule.description) <= MAX_DESCRIPTION, rule.name
                    assert rule.access == "Deny" or rule.source in keys, rule.name


def test_the_compliance_output_share_takes_smb_from_the_pool_servers_only() -> None:
    """Every Persistent Chat server's compliance adapter writes to the one output share
    [PS:New-CsPersistentChatComplianceConfiguration]; a UNC share is SMB, TCP 445 (WINPORTS)."""
    plan = plan_topology(changed(E, pools__pchat01__compliance={"enabled": True}))
    share = plan.pools[0].compliance_share
    assert share is not None
    rule = by_name(subnet_rules(plan, "dublin", "sql"))["pchat01-compliance-share"]
    host = f"{plan.server(share.host).private_ip}/32"
    assert (rule.protocol, rule.ports, rule.sources, rule.destinations) == ("Tcp", ("445",), MEMBERS, (host,))
    given = plan_topology(
        changed(E, pools__pchat01__compliance={"enabled": True, "outputShare": "\\\\fs01.corp.contoso.com\\out"})
    )
    assert "pchat01-compliance-share" not in by_name(subnet_rules(given, "dublin", "sql"))


def test_rdp_reaches_each_subnet_it_guards_and_everything_else_is_denied() -> None:
    """An NSG rule's destination is the subnet the NSG guards: RDP to the other subnet's range would never
    match [AZ:virtual-network/network-security-groups-overview]; the last rule denies all inbound traffic
    (Azure's own default rules would otherwise allow the virtual network)."""
    plan = plan_topology(MANAGED)
    for subnet, prefix in (("pchat", "10.10.0.0/24"), ("sql", "10.10.1.0/24")):
        rules = subnet_rules(plan, "dublin", subnet)
        rdp, deny = rules[0], rules[-1]
        assert (rdp.name, rdp.priority, rdp.protocol, rdp.ports, rdp.sources, rdp.destinations, rdp.access) == (
            "allow-rdp-management", 900, "Tcp", ("3389",), ("10.0.0.0/24",), (prefix,), "Allow",
        )  # fmt: skip
        assert (deny.name, deny.priority, deny.protocol, deny.ports, deny.sources, deny.destinations, deny.access) == (
            "deny-all-inbound", 4096, "*", ("*",), ("*",), ("*",), "Deny",
        )  # fmt: skip


# lync-install.md §5.3: the host running Install-CsMirrorDatabase or a database install reaches the SQL Servers
# over WMI (TCP 135 + 49152-65535, DERIVED from WINPORTS) and SMB (TCP 445: "the caller must be able to create
# data/log folders on the mirror", §2.1 Mirror requirements, JJ204992).
ADMIN_SMB = ("Tcp", "445")
ADMIN_WMI = {("Tcp", "135"), ("Tcp", "49152-65535")}


def _from(rules: tuple[RuleSpec, ...], source: str, destination: str) -> set[tuple[str, str]]:
    """The (protocol, port) pairs ``source`` reaches on ``destination`` through Allow rules (exact prefixes)."""
    return {
        pair
        for r in rules
        if r.access == "Allow" and source in r.sources and destination in r.destinations
        for pair in opened(r.protocol, r.ports)
    }


def _residency() -> dict[str, object]:
    from lync_pchat import stackfile

    raw = stackfile.topology(stackfile.load_config(stackfile.stack_path("residency")))
    assert isinstance(raw, dict)
    return changed(raw, domainJoin={"user": "CORP\\svc-join"}, software=SOFTWARE)


def test_smb_and_wmi_reach_every_sql_server_with_database_files_from_the_admins_and_the_install_host() -> None:
    """Every SQL Server that holds database files (all but witnesses), in every site, with and without
    mirroring (the residency stack's zurich site has none): SMB and WMI from the management range and from
    the pool's install host; a witness takes WMI, and SMB only from the install host, whose ``pchat-release``
    removes the setup account from its Administrators over SAMR (issue 22; needs model, ``pchat-release``)."""
    for raw in (_residency(), changed(MIRRORED, domainJoin={"user": "CORP\\svc-join"}, software=SOFTWARE)):
        plan = plan_topology(raw)
        assert plan.management_cidr
        checked = 0
        for pool in plan.pools:
            host = f"{pool.install_host.private_ip}/32"
            for server in pool.sql_servers:
                rules = subnet_rules(plan, server.site, server.subnet)
                target = f"{server.private_ip}/32"
                for source in (plan.management_cidr, host):
                    reached = _from(rules, source, target)
                    assert reached >= ADMIN_WMI, (server.key, source)
                    released = source == host
                    assert (ADMIN_SMB in reached) is (released or not server.role.is_witness), (server.key, source)
                checked += 1
        assert checked >= 2


def test_a_store_without_mirroring_or_shares_still_opens_smb_and_wmi_to_the_admins() -> None:
    rule = by_name(subnet_rules(plan_topology(MANAGED), "dublin", "sql"))
    store = ("10.10.1.8/32",)
    assert (rule["pchat01-shares-admin"].ports, rule["pchat01-shares-admin"].sources) == (("445",), ("10.0.0.0/24",))
    assert rule["pchat01-shares-admin"].destinations == store
    assert (rule["pchat01-wmi"].ports, rule["pchat01-wmi"].destinations) == (("135", "49152-65535"), store)
    assert "pchat01-shares" not in rule, "no share lives on a store without mirroring or log shipping"
