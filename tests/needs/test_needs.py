"""The needs model against what the project renders and builds: every connection a rendered script opens is a
declared need, the NSG rules admit every need (Azure's evaluation), and every rule that is no documented Lync flow
is used by a need (issue 22; shared/reference/needs-model.md)."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Network

import pytest

from components.lync_install import runbook_scripts
from lync_pchat import install
from lync_pchat import needs as needs_module
from lync_pchat.model import Plan
from lync_pchat.model import sources as src
from lync_pchat.model.firewall import RuleSpec, subnet_rules
from lync_pchat.model.needs import ADMIN, MANAGEMENT, Need
from lync_pchat.model.nsg import admit, evaluate, nsg_name, source_address, virtual_network
from lync_pchat.model.ports import RPC, RPC_DYNAMIC, SMB, SQL, WINRM, Port
from lync_pchat.needs import needs
from lync_pchat.runbooks import render as render_runbook
from lync_pchat.runbooks import restore
from lync_pchat.runbooks.errors import RunbookNotApplicable

from ..install.support import FULL, PLANS
from .support import AS_SHIPPED, EVERY_PLAN, FRONT_ENDS

IDS = [f"plan{i}" for i in range(len(EVERY_PLAN))]
LYNC_FLOWS = {src.PORTS, src.COMPONENTS}
"""Rules that follow the Lync port tables (Gg398833, Gg398500) for traffic of clients and other Lync servers."""


def rule(name: str, priority: int, ports: tuple[str, ...], sources: tuple[str, ...], access: str = "Allow") -> RuleSpec:
    return RuleSpec(name, priority, "Tcp", ports, sources, ("*",), name, access=access)


VNET = (IPv4Network("10.10.0.0/16"),)


def test_the_first_matching_rule_by_priority_decides() -> None:
    """NSG rules are processed in priority order, lowest number first; processing stops at the first match
    (learn.microsoft.com/azure/virtual-network/network-security-groups-overview)."""
    rules = (rule("deny", 200, ("445",), ("*",), "Deny"), rule("allow", 100, ("445",), ("10.10.0.8/32",)))
    verdict = evaluate(rules, SMB, IPv4Address("10.10.0.8"), IPv4Address("10.10.1.8"), vnet=VNET)
    assert verdict.rule is not None and verdict.rule.name == "allow"
    verdict = evaluate(rules, SMB, IPv4Address("10.10.0.9"), IPv4Address("10.10.1.8"), vnet=VNET)
    assert verdict.rule is not None and (verdict.rule.name, verdict.allowed) == ("deny", False)


def test_virtual_network_tag_ranges_and_wildcards() -> None:
    rules = (rule("vnet", 100, ("49152-65535",), ("VirtualNetwork",)), rule("any", 200, ("*",), ("10.99.0.0/16",)))
    dynamic = RPC_DYNAMIC
    assert evaluate(rules, dynamic, IPv4Address("10.10.3.3"), IPv4Address("10.10.1.8"), vnet=VNET).allowed
    wider = Port("Tcp", "50000-70000")
    assert evaluate(rules, wider, IPv4Address("10.10.3.3"), IPv4Address("10.10.1.8"), vnet=VNET).rule is None
    assert evaluate(rules, SQL, IPv4Address("10.99.0.1"), IPv4Address("10.10.1.8"), vnet=VNET).rule == rules[1]
    assert (
        evaluate(rules, Port("Udp", "1434"), IPv4Address("10.10.3.3"), IPv4Address("10.10.1.8"), vnet=VNET).rule is None
    )


@pytest.mark.parametrize("plan", EVERY_PLAN, ids=IDS)
def test_every_need_is_admitted_by_the_nsg_of_its_target(plan: Plan) -> None:
    """Issue 22, done when: every connection of every install phase, job and runbook is admitted, with managementCidr
    alone and with frontEndCidrs too."""
    blocked = [f"{n.describe()} blocked by {v}" for n in needs(plan) if (v := admit(plan, n)) and not v.allowed]
    assert blocked == []


@pytest.mark.parametrize("plan", EVERY_PLAN, ids=IDS)
def test_a_server_of_the_plan_is_targeted_by_its_key_and_never_from_itself(plan: Plan) -> None:
    """lync_pchat.needs.needs: "a target that names a server of the plan by FQDN is its key, and a connection to the
    server the action runs on is none" (the NSG check above judges keys only: an FQDN target would escape it). A
    Standard Edition server's services and restore reach its own SQL Express by FQDN (plan.SqlInstance.fqdn)."""
    found = needs(plan)
    fqdns = {s.fqdn.lower() for s in plan.servers}
    assert [n.describe() for n in found if n.target.lower() in fqdns] == []
    assert [n.describe() for n in found if n.target == n.runs_on] == []


def test_a_target_named_by_the_fqdn_of_another_server_becomes_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same contract for a producer that names another server of the plan by FQDN, in any case."""
    first, second = list(FULL.servers)[:2]
    by_fqdn = Need("probe", first.key, ADMIN, second.fqdn.upper(), SQL, "a probe")
    monkeypatch.setattr(needs_module, "_gather", lambda plan: iter([by_fqdn]))
    assert needs(FULL) == (Need("probe", first.key, ADMIN, second.key, SQL, "a probe"),)


def test_a_need_two_producers_declare_is_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """lync_pchat.needs.needs: "every need, once, in a stable order": the flow table has one row per connection,
    though several producers declare the same one (a runbook run by hand and by the install), the first time it
    is seen deciding its place."""
    first, second = list(FULL.servers)[:2]
    to_sql = Need("probe", first.key, ADMIN, second.key, SQL, "a probe")
    to_smb = Need("probe", first.key, ADMIN, second.key, SMB, "a probe")
    by_fqdn = Need("probe", first.key, ADMIN, second.fqdn, SQL, "a probe")
    monkeypatch.setattr(needs_module, "_gather", lambda plan: iter([to_sql, to_smb, to_sql, by_fqdn]))
    assert needs(FULL) == (to_sql, to_smb)


def test_the_blocked_connections_of_the_issue_are_needs_and_admitted() -> None:
    """The three the issue lists: log shipping from the backup store to the primary site's SQL Servers and the other
    backup store; the release's SMB to the witnesses; verify's Get-CsWindowsService with frontEndCidrs."""
    wanted = {
        ("pchat-log-shipping", "pchat01-bak", "pchat01-sql", SQL),
        ("pchat-log-shipping", "pchat01-bak", "pchat01-sqlm", SQL),
        ("pchat-log-shipping", "pchat01-bak", "pchat01-cmp", SQL),
        ("pchat-log-shipping", "pchat01-bak", "pchat01-cbak", SQL),
        ("pchat-release", "pchat01-a1", "pchat01-sqlw", SMB),
        ("pchat-release", "pchat01-a1", "pchat01-bakw", SMB),
    }
    for plan in (FULL, FRONT_ENDS):
        found = {(n.action, n.runs_on, n.target, n.port): n for n in needs(plan)}
        assert wanted <= found.keys()
        for key in wanted:
            verdict = admit(plan, found[key])
            assert verdict is not None and verdict.allowed, key
    verify = [n for n in needs(FRONT_ENDS) if n.action == "pchat-verify" and n.port == SMB]
    assert {n.target for n in verify} == {s.key for s in FRONT_ENDS.pools[0].active} - {"pchat01-a1"}
    assert all(admit(FRONT_ENDS, n).allowed for n in verify)  # type: ignore[union-attr]


@pytest.mark.parametrize("plan", EVERY_PLAN, ids=IDS)
def test_every_allow_rule_admits_a_need_or_follows_a_lync_port_table(plan: Plan) -> None:
    """The negative side: a rule that is no Lync port-table flow (Gg398833, Gg398500) nor the SQL Browser the SQL
    firewall topic asks for (Gg425818) admits at least one need on its own (a broader rule of lower number may
    decide it first: without managementCidr the administrators are the whole VirtualNetwork); RDP is the
    operators' way in."""
    vnet = virtual_network(plan)
    found = [(n, plan.server(n.target)) for n in needs(plan) if any(s.key == n.target for s in plan.servers)]
    idle = []
    for site in plan.sites:
        for subnet in ("pchat", "sql"):
            for r in subnet_rules(plan, site.key, subnet):
                if r.access != "Allow" or r.source in LYNC_FLOWS or r.name.endswith(("sql-browser", "rdp-management")):
                    continue
                if not any(
                    evaluate(
                        (r,), n.port, source_address(plan, n.runs_on), IPv4Address(t.private_ip), vnet=vnet
                    ).allowed
                    for n, t in found
                ):
                    idle.append((nsg_name(site.key, subnet), r.name))
    assert idle == []


CONNECTS = re.compile(
    r"sqlcmd(?:\.exe)?\s+-S\s|:CONNECT\s|\\\\[A-Za-z0-9$]|-ComputerName\s|New-PSSession|Invoke-Sqlcmd\s+-ServerInstance"
    r"|'Data Source'|-SqlServerFqdn\s",
    re.IGNORECASE,
)
"""How a rendered script opens a connection to another computer."""


NOT_CONNECTING = re.compile(r"-ActiveServers\b|^\s*AdapterOutputDirectory\s*=", re.IGNORECASE)
"""Lines that name servers without connecting to them: Set-CsPersistentChatActiveServer writes the list to the
Central Management store [PS:Set-CsPersistentChatActiveServer], and the compliance configuration's
AdapterOutputDirectory is a setting there too, which the compliance service uses
[PS:New-CsPersistentChatComplianceConfiguration]."""


def code(text: str) -> str:
    """The script without its comments (PowerShell ``#`` and ``<# #>``, T-SQL ``--``) and without lines that only
    name servers."""
    text = re.sub(r"<#.*?#>", "", text, flags=re.DOTALL)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("#", "--"))]
    return "\n".join(line for line in lines if not NOT_CONNECTING.search(line))


RUNBOOKS = ("publish", "configure", "verify", "failover", "failback", "restore", "log-shipping", "migrate")
"""Every runbook ``pchat runbook`` writes."""


def scripts(plan: Plan) -> list[tuple[str, str, str]]:
    """(action, runs on, text) of every install phase and runbook the plan renders."""
    found: list[tuple[str, str, str]] = []
    for pool in plan.pools:
        host = pool.install_host.key
        if plan.software is not None:
            found.append((install.DATABASES.name, host, install.database_script(pool, plan)))
            found.append((install.VERIFY.name, host, install.verify_script(pool, plan, runbook_scripts(plan, pool))))
            found.append(
                (
                    install.RELEASE.name,
                    host,
                    install.release_script(
                        pool.install_host, plan, runbook_scripts(plan, plan.pool(pool.install_host.pool))
                    ),
                )
            )
            if pool.mgc.backup is not None and pool.mgc.backup.server is not None:
                found.append(
                    (
                        install.SHIPPING.name,
                        pool.mgc.backup.server,
                        install.shipping_script(pool, runbook_scripts(plan, pool)),
                    )
                )
    for name in RUNBOOKS:
        try:
            files = render_runbook(plan, name)
        except RunbookNotApplicable:
            continue
        for file_name, text in files.items():
            (pool,) = [p for p in plan.pools if file_name.startswith(f"{name}-{p.key}")]
            where = restore.run_location(pool) if name == "restore" else MANAGEMENT
            found.append((f"runbook:{name}", where, text))
    return found


@pytest.mark.parametrize("plan", PLANS, ids=[f"plan{i}" for i in range(len(PLANS))])
def test_every_server_a_script_connects_to_is_a_declared_need(plan: Plan) -> None:
    """A rendered script that opens connections (sqlcmd -S, :CONNECT, \\\\host\\, -ComputerName, ...) names its targets
    as literals of its settings; every server of the plan its code names is a target of that action's needs."""
    declared: dict[str, set[str]] = {}
    for need in needs(plan):
        declared.setdefault(need.action.split(" ")[0], set()).add(need.target)
    missing = []
    for action, runs_on, text in scripts(plan):
        body = code(text)
        if not CONNECTS.search(body):
            continue
        for server in plan.servers:
            named = re.search(rf"(?<![\w.-]){re.escape(server.fqdn)}(?![\w-])", body, re.IGNORECASE)
            if named and server.key != runs_on and server.key not in declared.get(action, set()):
                missing.append((action, server.key))
    assert sorted(set(missing)) == []


WINRM_REMOTING = re.compile(
    r"\bInvoke-Command\b[^\n]*-ComputerName\b|\b(?:New|Enter)-PSSession\b|\s-CimSession\s+[^\s$-]"
    r"|\bNew-CimSession\b(?![^\n]*-Protocol\s+Dcom)",
    re.IGNORECASE,
)
"""PowerShell remoting over WS-Management (WinRM, TCP 5985 [WINPORTS]): Invoke-Command -ComputerName, a PSSession, a
CIM session by default, and -CimSession given a computer name, which "runs the cmdlet ... on a remote computer"
through a default (WS-Management) session (learn.microsoft.com/powershell/module/smbshare/grant-smbshareaccess)."""
DCOM_REMOTING = re.compile(r"\bNew-CimSession\b[^\n]*New-CimSessionOption\s+-Protocol\s+Dcom", re.IGNORECASE)
"""A CIM session over DCOM: RPC, the endpoint mapper and the dynamic range [WINPORTS]
(learn.microsoft.com/powershell/module/cimcmdlets/new-cimsessionoption)."""


def remoting(text: str) -> list[tuple[str, tuple[Port, ...]]]:
    """(statement, ports) of each line of code that opens a remote session, or calls a function of the script that
    does: the ports that session needs (WinRM; or RPC and its dynamic range for DCOM)."""
    body = code(text)
    kinds: dict[str, tuple[Port, ...]] = {}
    for function in re.finditer(r"^function\s+([\w-]+)\s*\{(.*?)^\}", body, re.MULTILINE | re.DOTALL):
        ports = _ports(function.group(2))
        if ports:
            kinds[function.group(1).lower()] = ports
    found = []
    for line in body.splitlines():
        called = re.match(r"\s*([\w-]+)", line)
        if called and called.group(1).lower() in kinds and not line.lstrip().lower().startswith("function"):
            found.append((line, kinds[called.group(1).lower()]))
        elif ports := _ports(line):
            found.append((line, ports))
    return found


def _ports(text: str) -> tuple[Port, ...]:
    ports = (WINRM,) if WINRM_REMOTING.search(text) else ()
    return ports + ((RPC, RPC_DYNAMIC) if DCOM_REMOTING.search(text) else ())


REMOTING_PLANS = [*PLANS, *AS_SHIPPED]


@pytest.mark.parametrize("plan", REMOTING_PLANS, ids=[f"plan{i}" for i in range(len(REMOTING_PLANS))])
def test_every_remote_session_a_script_opens_is_a_declared_need(plan: Plan) -> None:
    """A session to another computer (WinRM remoting, a CIM session over WS-Management or DCOM) needs its own ports:
    every server of the plan a remoting statement names must be a target of that action's needs on those ports, and
    WinRM, which no rule admits, must not appear at all unless declared (issue 22: the publish runbook's share
    grants used Invoke-Command, an undeclared flow every NSG blocks)."""
    declared = {(n.action.split(" ")[0], n.target, n.port) for n in needs(plan)}
    missing = []
    for action, runs_on, text in scripts(plan):
        for line, ports in remoting(text):
            named = [s.key for s in plan.servers if s.fqdn.lower() in line.lower() and s.key != runs_on]
            if WINRM in ports and not named:
                missing.append((action, line.strip(), "WinRM to a server it does not name"))
            missing += [(action, k, str(p)) for k in named for p in ports if (action, k, p) not in declared]
    assert missing == []


def test_the_remoting_scanner_sees_each_kind_of_session() -> None:
    """PowerShell remoting and CIM sessions, direct and through a function of the script."""
    assert [p for _, p in remoting("Invoke-Command -ComputerName 'h' -ScriptBlock {}")] == [(WINRM,)]
    assert [p for _, p in remoting("$s = New-PSSession -ComputerName 'h'")] == [(WINRM,)]
    assert [p for _, p in remoting("Enter-PSSession h")] == [(WINRM,)]
    assert [p for _, p in remoting("Grant-SmbShareAccess -CimSession 'h' -Name x")] == [(WINRM,)]
    assert [p for _, p in remoting("$s = New-CimSession -ComputerName 'h'")] == [(WINRM,)]
    dcom = "$s = New-CimSession -ComputerName $h -SessionOption (New-CimSessionOption -Protocol Dcom)"
    assert [p for _, p in remoting(dcom)] == [(RPC, RPC_DYNAMIC)]
    wrapped = f"function Grant-It {{\n    {dcom}\n}}\nGrant-It -Server 'h'\n"
    assert remoting(wrapped) == [("    " + dcom, (RPC, RPC_DYNAMIC)), ("Grant-It -Server 'h'", (RPC, RPC_DYNAMIC))]
    assert remoting("Get-CsWindowsService -ComputerName 'h'\n# Invoke-Command -ComputerName 'h'") == []


def test_the_publish_share_grants_are_needs_the_nsg_admits() -> None:
    """Without domainJoin (the residency stack) the publish runbook grants pchat-compliance on pchatzrh-sql from the
    management range: the share's entry over a DCOM CIM session (TCP 135 and the dynamic range [WINPORTS]), the
    folder's NTFS entry through the share over SMB (TCP 445); both admitted."""
    (plan,) = [p for p in AS_SHIPPED if any(pool.key == "pchatzrh" for pool in p.pools)]
    assert plan.domain_join is None
    grants = {
        (n.runs_on, n.target, n.port) for n in needs(plan)
        if n.action == "runbook:publish" and ("Grant-SmbShareAccess" in n.reason or "icacls" in n.reason)
    }  # fmt: skip
    assert grants == {(MANAGEMENT, "pchatzrh-sql", port) for port in (RPC, RPC_DYNAMIC, SMB)}
    for need in needs(plan):
        if (need.runs_on, need.target, need.port) in grants:
            verdict = admit(plan, need)
            assert verdict is not None and verdict.allowed, need.describe()
