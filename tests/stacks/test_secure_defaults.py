"""Secure defaults, aligned with the Azure Well-Architected Framework as AVM modules are, and their opt-outs.

| default                                                    | opt-out (``pchat:topology``)                 |
|------------------------------------------------------------|----------------------------------------------|
| encryption at host on every VM                             | ``encryptionAtHost: false``                  |
| system-assigned managed identity on every VM               | none                                         |
| Key Vault: RBAC, soft delete 90 days, purge protection     | none                                         |
| no public endpoints: vault and disks private, no public IP | none                                         |
| NSG rules end in deny-all at priority 4096                 | none                                         |
| secrets expire 365 days after creation                     | ``secretExpiryDays: <days>`` or ``null``,    |
|                                                            | ``secretsNotAfter: YYYY-MM-DD``              |
| stores in a data resource group locked CanNotDelete        | ``lockStores: false``                        |
| protect + retainOnDelete on stores                         | ``protectStatefulResources: false``          |
| diagnostic settings: off (needs a workspace)               | ``diagnostics: {workspaceResourceId: ...}``  |
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from components.common import DIAGNOSTIC_SETTING
from components.store_group import LOCK_NOTES
from lync_pchat import stackfile
from lync_pchat.errors import TopologyConfigError
from lync_pchat.model import Role, TopologyError, plan_topology
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.offline.graph import Resource, flatten, named, of_type, synthesize
from lync_pchat.program import run as program

from ..components.test_secret_store import CREATED, TimeMocks
from ..model.configs import changed, enterprise
from ..oracles.arm import KEY_VAULT, NETWORK, group_id, resource_id
from ..pulumi.stacks import stack_config, stack_graph

STACKS = stackfile.stack_names()


def given_vault(stack: str) -> str | None:
    """The key vault a stack names (``keyVaultId``): the passwords go there, no vault is created."""
    return stack_config(stack)["pchat:topology"].get("keyVaultId")  # type: ignore[no-any-return, union-attr, attr-defined]


OWN_VAULT = [s for s in STACKS if given_vault(s) is None]
VM, DISK, SECRET, OFFSET = (
    "azure-native:compute:VirtualMachine",
    "azure-native:compute:Disk",
    "azure-native:keyvault:Secret",
    "time:index/offset:Offset",
)
LOCK, DIAG, GROUP = (
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:resources:ResourceGroup",
)
WORKSPACE = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/"
    "Microsoft.OperationalInsights/workspaces/law-ops"
)
DEPLOYMENT = "urn:pulumi:single::pchat::lync-pchat:index:PersistentChatDeployment"


def single(**topology: Any) -> list[Resource]:
    """The shipped ``single`` stack with some topology keys changed."""
    config = copy.deepcopy(stack_config("single"))
    config["pchat:topology"].update(topology)
    return synthesize(program, config, stack="single")


def comparable(graph: list[Resource]) -> dict[str, Any]:
    return {r.urn: (r.inputs, r.protect, r.retain_on_delete, r.ignore_changes) for r in graph}


SQL_ROLES = frozenset(role.value for role in Role if role.is_sql)


def group_of(res: Resource, stack: str, sql_vms: frozenset[str] = frozenset()) -> str:
    """The resource group a resource should be in: the site's data group for stores (and what runs on a SQL Server
    VM, which lives in its VM's group), else the site group."""
    site = res.inputs["tags"]["pchat-site"]
    stateful = (
        res.inputs.get("vmName") in sql_vms
        or "lync-pchat:index:SqlServer$" in res.urn
        or "lync-pchat:index:SecretStore$" in res.urn
        or "lync-pchat:index:BackupStorage$" in res.urn
        or res.inputs["tags"]["pchat-role"] == "sql-servers"
        or res.inputs["tags"]["pchat-role"] in SQL_ROLES  # a SQL Server's extension outside its component
    )
    return f"rg-pchat-{stack}-{site}-data" if stateful else f"rg-pchat-{stack}-{site}"


@pytest.mark.parametrize("stack", STACKS)
def test_servers_encrypt_at_host_and_have_a_managed_identity(stack: str) -> None:
    vms = of_type(stack_graph(stack), VM)
    assert vms
    for vm in vms:
        assert vm.inputs["securityProfile"] == {"encryptionAtHost": True}, vm.name
        assert vm.inputs["identity"] == {"type": "SystemAssigned"}, vm.name


@pytest.mark.parametrize("stack", STACKS)
def test_no_public_endpoints(stack: str) -> None:
    graph = stack_graph(stack)
    for vault in of_type(graph, "azure-native:keyvault:Vault"):
        assert vault.inputs["properties"]["publicNetworkAccess"] == "Disabled"
        assert vault.inputs["properties"]["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    for disk in of_type(graph, DISK):
        assert (disk.inputs["networkAccessPolicy"], disk.inputs["publicNetworkAccess"]) == ("DenyAll", "Disabled")
    for nic in of_type(graph, "azure-native:network:NetworkInterface"):
        assert [set(c) & {"publicIPAddress"} for c in nic.inputs["ipConfigurations"]] == [set()]


AZURE_PASSWORD_LENGTH = range(12, 124)
"""An Azure Windows VM's administrator password: 12 to 123 characters, and 3 of the 4 kinds (lower case,
upper case, digit, special character) (learn.microsoft.com/azure/virtual-machines/windows/faq, "What are the
password requirements when creating a VM?")."""
KINDS = ("minLower", "minUpper", "minNumeric", "minSpecial")


@pytest.mark.parametrize("stack", STACKS)
def test_generated_passwords_meet_azures_requirements(stack: str) -> None:
    generated = of_type(stack_graph(stack), "random:index/randomPassword:RandomPassword")
    servers = {r.name for r in of_type(stack_graph(stack), VM)}
    assert {r.name.removesuffix("-admin-password") for r in generated} == {vm.removesuffix("-vm") for vm in servers}
    for password in generated:
        assert int(password.inputs["length"]) in AZURE_PASSWORD_LENGTH
        assert sum(int(password.inputs.get(kind, 0)) >= 1 for kind in KINDS) >= 3
        assert password.inputs["special"] is True
        assert not set(password.inputs["overrideSpecial"]) & set("'\"`$")  # nothing a shell would read


@pytest.mark.parametrize("stack", OWN_VAULT)
def test_key_vault_uses_rbac_soft_delete_and_purge_protection(stack: str) -> None:
    (vault,) = of_type(stack_graph(stack), "azure-native:keyvault:Vault")
    properties = vault.inputs["properties"]
    assert (
        properties["enableRbacAuthorization"],
        properties["enableSoftDelete"],
        properties["softDeleteRetentionInDays"],
        properties["enablePurgeProtection"],
    ) == (True, True, 90.0, True)
    assert "accessPolicies" not in properties


@pytest.mark.parametrize("stack", [s for s in STACKS if s not in OWN_VAULT])
def test_a_given_vault_gets_the_passwords_and_none_is_created(stack: str) -> None:
    """``keyVaultId`` is ``/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>``."""
    graph = stack_graph(stack)
    parts = str(given_vault(stack)).split("/")
    assert of_type(graph, "azure-native:keyvault:Vault") == []
    secrets = of_type(graph, SECRET)
    assert len(secrets) == len(of_type(graph, VM))
    assert {(s.inputs["resourceGroupName"], s.inputs["vaultName"]) for s in secrets} == {(parts[4], parts[8])}


@pytest.mark.parametrize("stack", STACKS)
def test_nsgs_end_in_deny_all(stack: str) -> None:
    for nsg in of_type(stack_graph(stack), "azure-native:network:NetworkSecurityGroup"):
        last = nsg.inputs["securityRules"][-1]
        assert {
            k: last[k]
            for k in (
                "name",
                "priority",
                "direction",
                "access",
                "protocol",
                "sourceAddressPrefix",
                "destinationAddressPrefix",
                "destinationPortRange",
            )
        } == {
            "name": "deny-all-inbound",
            "priority": 4096.0,
            "direction": "Inbound",
            "access": "Deny",
            "protocol": "*",
            "sourceAddressPrefix": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRange": "*",
        }, nsg.name


@pytest.mark.parametrize("stack", STACKS)
def test_every_secret_expires_365_days_after_its_creation(stack: str) -> None:
    graph = stack_graph(stack)
    secrets = of_type(graph, SECRET)
    assert len(secrets) == len(of_type(graph, VM)) == len(of_type(graph, OFFSET))
    for secret in secrets:
        offset = named(graph, f"{secret.name}-expiry")
        assert (offset.type, offset.inputs, offset.parent) == (OFFSET, {"offsetDays": 365.0}, secret.parent)
        assert secret.depends_on(offset)
        assert sorted(secret.inputs["properties"]["attributes"]) == ["enabled", "expires"]
        assert secret.inputs["properties"]["attributes"]["enabled"] is True


def test_the_expiry_is_the_creation_time_the_time_provider_keeps() -> None:
    monitor = RecordingMonitor(TimeMocks())
    run(program, stack_config("single"), monitor, stack="single")
    (secret,) = of_type(flatten(monitor), SECRET)
    assert secret.inputs["properties"]["attributes"] == {"enabled": True, "expires": CREATED + 365 * 86_400}


@pytest.mark.parametrize("stack", STACKS)
def test_stores_live_in_a_data_group_locked_can_not_delete(stack: str) -> None:
    graph = stack_graph(stack)
    plan = plan_topology(stackfile.topology(stack_config(stack)))
    home = plan.pools[0].site
    data_sites = [
        s.key for s in plan.sites if s.key == home or any(v.site == s.key and v.role.is_sql for v in plan.servers)
    ]
    groups = {r.name: r for r in of_type(graph, GROUP) if r.name.endswith("-data-rg")}
    assert sorted(groups) == sorted(f"pchat-{site}-data-rg" for site in data_sites)
    locks = of_type(graph, LOCK)
    assert sorted((lock.inputs["scope"], lock.inputs["level"], lock.inputs["notes"]) for lock in locks) == sorted(
        (group_id(group.inputs["resourceGroupName"]), "CanNotDelete", LOCK_NOTES) for group in groups.values()
    )
    for group in groups.values():
        assert group.inputs["resourceGroupName"] == f"rg-pchat-{stack}-{group.inputs['tags']['pchat-site']}-data"
        assert (group.protect, group.retain_on_delete) == (True, True)
    vault = given_vault(stack)
    placed = [
        r for r in graph
        if "resourceGroupName" in r.inputs and "tags" in r.inputs and r.type != GROUP
        and not (vault and r.type == SECRET)  # in the given vault's group (the test above)
    ]  # fmt: skip
    sql_vms = frozenset(vm.inputs["vmName"] for vm in of_type(graph, VM) if "lync-pchat:index:SqlServer$" in vm.urn)
    assert [(r.name, r.inputs["resourceGroupName"]) for r in placed] == [
        (r.name, group_of(r, stack, sql_vms)) for r in placed
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_by_default_only_the_vault_is_audited_in_the_monitoring_workspace(stack: str) -> None:
    """Without ``diagnostics``, the one diagnostic setting is the project vault's (``allLogs``: the AuditEvent of
    every secret read, learn.microsoft.com/azure/key-vault/general/logging), to the workspace the alerts read."""
    graph = stack_graph(stack)
    topology = stackfile.topology(stack_config(stack))
    assert isinstance(topology, dict) and "diagnostics" not in topology
    vaults = of_type(graph, "azure-native:keyvault:Vault")
    rules = of_type(graph, "azure-native:monitor:DataCollectionRule")
    settings = of_type(graph, DIAG)
    if not (vaults and rules):
        assert settings == [], "no project vault (keyVaultId), or no monitoring: nothing to send"
        return
    ((rule,), (vault,), (setting,)) = (rules, vaults, settings)
    workspace = rule.inputs["destinations"]["logAnalytics"][0]["workspaceResourceId"]
    assert setting.parent_name == "pchat-secrets" and setting.inputs["resourceUri"].endswith(
        "/providers/Microsoft.KeyVault/vaults/" + vault.inputs["vaultName"]
    )
    assert (setting.inputs["workspaceId"], setting.inputs["logs"]) == (
        workspace,
        [{"categoryGroup": "allLogs", "enabled": True}],
    )


def test_encryption_at_host_opt_out() -> None:
    assert [vm.inputs["securityProfile"] for vm in of_type(single(encryptionAtHost=False), VM)] == [
        {"encryptionAtHost": False}
    ]


def test_lock_opt_out_removes_only_the_lock() -> None:
    locked, unlocked = comparable(single()), comparable(single(lockStores=False))
    assert sorted(set(locked) - set(unlocked)) == [
        f"{DEPLOYMENT}$lync-pchat:index:StoreGroup${LOCK}::pchat-dublin-data-lock"
    ]
    assert {urn: value for urn, value in locked.items() if urn in unlocked} == unlocked


def test_secret_expiry_days() -> None:
    graph = single(secretExpiryDays=90)
    assert [r.inputs for r in of_type(graph, OFFSET)] == [{"offsetDays": 90.0}]


def test_secret_expiry_opt_out() -> None:
    graph = single(secretExpiryDays=None)
    assert of_type(graph, OFFSET) == []
    assert [s.inputs["properties"]["attributes"] for s in of_type(graph, SECRET)] == [{"enabled": True}]


def test_fixed_expiry_date() -> None:
    graph = single(secretsNotAfter="2027-06-30")
    assert of_type(graph, OFFSET) == []
    assert [s.inputs["properties"]["attributes"] for s in of_type(graph, SECRET)] == [
        {"enabled": True, "expires": 1_814_313_600.0}
    ]


MONITORING = "lync-pchat:index:Monitoring"


def test_diagnostics_on_the_vault_and_every_nsg() -> None:
    graph = single(diagnostics={"workspaceResourceId": WORKSPACE})
    settings = {r.urn: r.inputs for r in of_type(graph, DIAG)}
    logs = [{"categoryGroup": "allLogs", "enabled": True}]

    def arm_id(name: str, kind: str, namespace: str, name_input: str) -> str:
        """The ARM id of the resource the setting must point at."""
        inputs = named(graph, name).inputs
        return resource_id(inputs["resourceGroupName"], namespace, kind, inputs[name_input])

    assert settings == {
        f"{DEPLOYMENT}$lync-pchat:index:SecretStore${DIAG}::pchat-secrets-diag": {
            "resourceUri": arm_id("pchat-secrets-vault", "vaults", KEY_VAULT, "vaultName"),
            "name": DIAGNOSTIC_SETTING,
            "workspaceId": WORKSPACE,
            "logs": logs,
            "metrics": [{"category": "AllMetrics", "enabled": True}],
        },
        **{
            f"{DEPLOYMENT}$lync-pchat:index:SiteNetwork${DIAG}::pchat-dublin-{subnet}-nsg-diag": {
                "resourceUri": arm_id(
                    f"pchat-dublin-{subnet}-nsg", "networkSecurityGroups", NETWORK, "networkSecurityGroupName"
                ),
                "name": DIAGNOSTIC_SETTING,
                "workspaceId": WORKSPACE,
                "logs": logs,
            }
            for subnet in ("pchat", "sql")
        },
    }
    # The workspace is also Azure Monitor's (issue 16): the monitoring component uses it instead of its own.
    # Without the workspace the vault's setting goes to the monitoring workspace (the test above): same URN.
    without = {urn: v for urn, v in comparable(single()).items() if urn not in settings and MONITORING not in urn}
    assert {urn: v for urn, v in comparable(graph).items() if urn not in settings and MONITORING not in urn} == without


BAD_GUARDRAILS = [
    ({"secretExpiryDays": 0}, "secretExpiryDays: 0 is outside 1 to 3650 days; use null for secrets that never expire"),
    (
        {"secretExpiryDays": 3651},
        "secretExpiryDays: 3651 is outside 1 to 3650 days; use null for secrets that never expire",
    ),
    ({"secretExpiryDays": "soon"}, "secretExpiryDays: expected a whole number, got the string 'soon'"),
    (
        {"secretsNotAfter": "1999-12-31"},
        "secretsNotAfter: 1999-12-31 is not in the future (today is 2026-12-01, UTC): the secrets would be "
        "created expired; give the date (YYYY-MM-DD) they must be rotated by",
    ),
    (
        {"secretsNotAfter": "2026-11-30"},
        "secretsNotAfter: 2026-11-30 is not in the future (today is 2026-12-01, UTC): the secrets would be "
        "created expired; give the date (YYYY-MM-DD) they must be rotated by",
    ),
    (
        {"secretsNotAfter": "2026-12-01"},
        "secretsNotAfter: 2026-12-01 is not in the future (today is 2026-12-01, UTC): the secrets would be "
        "created expired; give the date (YYYY-MM-DD) they must be rotated by",
    ),
    (
        {"secretsNotAfter": "2027-06-30", "secretExpiryDays": None},
        "secretsNotAfter: secretExpiryDays is null (secrets never expire): remove one of the two",
    ),
    (
        {"secretsNotAfter": "30/06/2027"},
        "secretsNotAfter: Input should be a valid date in the format YYYY-MM-DD, invalid character in year",
    ),
    ({"lockStores": "maybe"}, "lockStores: expected true or false, got the string 'maybe'"),
    ({"diagnostics": {}}, "diagnostics.workspaceResourceId: required key is missing"),
    (
        {"diagnostics": {"workspaceResourceId": WORKSPACE, "storage": "x"}},
        "diagnostics.storage: unknown key; expected one of: workspaceResourceId",
    ),
    *[
        (
            {"diagnostics": {"workspaceResourceId": bad}},
            f"diagnostics.workspaceResourceId: {bad!r} is not the "
            "resource id of a Log Analytics workspace: /subscriptions/<subscription id>/resourceGroups/<group>/"
            "providers/Microsoft.OperationalInsights/workspaces/<name>",
        )
        for bad in ("law-ops", WORKSPACE + "/", WORKSPACE.replace("OperationalInsights", "Storage"))
    ],
    (
        {"diagnostics": {"workspaceResourceId": WORKSPACE + "\n"}},
        "diagnostics.workspaceResourceId: contains U+000A, a control character such as a line break or tab: "
        "every config value is one line of plain text",
    ),
]


@pytest.mark.parametrize(("keys", "problem"), BAD_GUARDRAILS)
def test_guardrail_keys_are_validated(keys: dict[str, Any], problem: str) -> None:
    with pytest.raises(TopologyError) as caught:
        plan_topology(changed(enterprise(), **keys))
    assert [str(p) for p in caught.value.problems] == [problem]


def test_a_bad_guardrail_key_stops_the_program_before_any_resource() -> None:
    monitor = RecordingMonitor(AzureMocks())
    config = {"pchat:topology": changed(enterprise(), diagnostics={"workspaceResourceId": "law-ops"})}
    with pytest.raises(TopologyConfigError, match=r"diagnostics\.workspaceResourceId: 'law-ops'"):
        run(program, config, monitor)
    assert monitor.registered == []


def test_valid_guardrail_keys_in_any_case() -> None:
    upper = WORKSPACE.replace("/subscriptions/", "/SUBSCRIPTIONS/").replace("resourceGroups", "resourcegroups")
    plan_topology(
        changed(
            enterprise(),
            diagnostics={"workspaceResourceId": upper},
            secretExpiryDays=3650,
            secretsNotAfter="2030-01-01",
            lockStores=False,
        )
    )
