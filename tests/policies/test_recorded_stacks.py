"""Every shipped stack passes every mandatory policy; without its pchat-* tags too, except that a pool
stretched over two data centers then fails closed (its SQL roles cannot be read from the resources).
A broken copy is caught by exactly its policy, with or without the tags."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, named
from lync_pchat.policies import MANDATORY
from lync_pchat.policies.offline import evaluate, reveal
from lync_pchat.policies.specs import SPECS
from tests.pulumi.stacks import stack_config

from .support import POLICY_DIR, edited, offline_config, pack_config, rule, stripped

STACKS = stackfile.stack_names()
Graph = Callable[[str], tuple[Resource, ...]]
LAB_CONFIG = POLICY_DIR / "config.lab.json"
LAB_VM_SIZE = (
    "Standard_F4s_v2 has 4 vCPUs (hyper-threaded), i.e. 2 physical cores, and 8 GiB: Persistent Chat server "
    "'lyncse01' of pool 'lyncse01' needs the documented hardware, 2 x hex-core (12 physical cores; hyper-threaded "
    "vCPUs count half) and 32 GB; use Standard_F32s_v2 or larger, or exempt an unsupported lab in the policy config "
    "(evaluationPools, evaluationVms) [L:lync-server-2013-server-hardware-platforms]"
)


UNVERIFIABLE = (
    "Pool 'pchat01' has SQL Servers in two data centers (pchat01-bak, pchat01-bakm, pchat01-bakw, pchat01-cbak, "
    "pchat01-cbakm, pchat01-cmp, pchat01-cmpm, pchat01-sql, pchat01-sqlm, pchat01-sqlw) and none carries a "
    "pchat-role tag: the resources cannot tell a backup store from a mirror, so their placement cannot be "
    "checked; tag them as the components do [L:lync-server-2013-required-resources-for-persistent-chat-server]"
)
"""What the enterprise stack (stretched over dublin and amsterdam) gets without its tags."""
STRETCHED = {"enterprise": "pchat01", "modern": "sfbchat"}
"""The stretched stacks and their pool, whose SQL Servers (the same roles in both) make the message."""


def unverifiable(stack: str) -> str:
    return UNVERIFIABLE.replace("pchat01", STRETCHED[stack])


ENTERPRISE_STORES = ("bak", "bakm", "cbak", "cbakm", "cmp", "cmpm", "sql", "sqlm")
"""The enterprise stack's store VMs (not the witnesses): SQL Server 2014, the lync2013 default image, which is
outside Lync Server 2013's documented SQL versions (skype2015.md 3.1): the advisory names each."""
SQL2014_ADVISORY = "pchat-sql-outside-lync2013"


def policies_hit(resources: Any, config: Any = None) -> set[str]:
    return {f.policy for f in evaluate(resources, config)}


def management_config(stack: str) -> dict[str, dict[str, str]]:
    topology: Any = stackfile.topology(stack_config(stack))
    return {"pchat-rdp-management-only": {"managementCidr": topology["managementCidr"]}}


def product_config(stack: str) -> dict[str, dict[str, str]]:
    """The stack's product, which the version policies take from their config (lync2013 when the stack sets none)."""
    topology: Any = stackfile.topology(stack_config(stack))
    product = topology.get("product", "lync2013")
    names = ("pchat-supported-versions", "pchat-sql-outside-lync2013", "pchat-support-ended")
    return {name: {"product": product} for name in names}


def stack_configs(stack: str) -> list[dict[str, Any]]:
    """The policy configs a stack is checked with: its product alone and with its management range; the lab's own
    file too."""
    configs: list[dict[str, Any]] = [product_config(stack), {**management_config(stack), **product_config(stack)}]
    if stack == "lab":
        configs = [{**config, **offline_config(pack_config(LAB_CONFIG))} for config in configs]
    return configs


@pytest.mark.parametrize("policy", MANDATORY)
@pytest.mark.parametrize("stack", STACKS)
def test_shipped_stack_passes_mandatory_policy(stack: str, policy: str, graph: Graph) -> None:
    specs = [spec for spec in SPECS if spec.name == policy]
    expected = [unverifiable(stack)] if stack in STRETCHED and policy == "pchat-site-placement" else []
    for config in stack_configs(stack):
        assert [f.message for f in evaluate(graph(stack), config, specs)] == []
        assert [f.message for f in evaluate(stripped(graph(stack)), config, specs)] == expected


def test_the_modern_stack_passes_only_with_its_policy_config(graph: Graph) -> None:
    """Skype for Business Server 2015 on Windows Server 2019: outside Lync Server 2013's versions, so the pack
    needs the stack's product (skype2015.md 2)."""
    config = offline_config(pack_config(POLICY_DIR / "config.modern.json"))
    assert config == product_config("modern")
    assert {f.policy for f in evaluate(graph("modern")) if f.mandatory} == {"pchat-supported-versions"}
    assert [f for f in evaluate(graph("modern"), config) if f.mandatory] == []


def test_the_lab_passes_only_with_its_policy_config(graph: Graph) -> None:
    """The lab's Standard Edition server has an evaluation size: exempted by config, never by a tag."""
    assert pack_config(LAB_CONFIG) == {"pchat-vm-size": {"evaluationPools": ["lyncse01"]}}
    for resources in (graph("lab"), stripped(graph("lab"))):
        findings = [(f.policy, f.message) for f in evaluate(resources, management_config("lab")) if f.mandatory]
        assert findings == [("pchat-vm-size", LAB_VM_SIZE)]
        assert [f for f in evaluate(resources, offline_config(pack_config(LAB_CONFIG))) if f.mandatory] == []


@pytest.mark.parametrize("stack", STACKS)
def test_stripping_the_tags_only_makes_a_stretched_pool_unverifiable(stack: str, graph: Graph) -> None:
    def mandatory(resources: Any) -> list[tuple[str, str, str]]:
        return sorted((f.policy, f.urn, f.message) for f in evaluate(resources, product_config(stack)) if f.mandatory)

    lost = [("pchat-site-placement", "", unverifiable(stack))] if stack in STRETCHED else []
    assert mandatory(stripped(graph(stack))) == sorted(mandatory(graph(stack)) + lost)
    assert not any("pchat-" in str(r.inputs.get("tags", {})) for r in stripped(graph(stack)))


def stores_output(stack: str) -> Resource:
    """The deployment component with the ``stores`` output a deployed stack reports (from the plan)."""
    plan = plan_topology(stackfile.topology(stack_config(stack)))
    stores = {
        pool.key: {store.database: {"primary": store.primary.name} for store in (pool.mgc, pool.mgccomp) if store}
        for pool in plan.pools
    }
    return Resource(
        urn="urn:deployment",
        type="lync-pchat:index:PersistentChatDeployment",
        name="pchat",
        parent="",
        custom=False,
        inputs={"stores": stores},
        protect=False,
        retain_on_delete=False,
        ignore_changes=(),
        dependencies=(),
    )


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        ("enterprise", [("pchat-sql-outside-lync2013", f"pchat01-{vm}") for vm in ENTERPRISE_STORES]),
        ("lab", []),
        (
            "residency",
            [
                ("pchat-separate-compliance", "Pool 'pchatzrh'"),
                *[("pchat-sql-outside-lync2013", vm) for vm in ("pchatchi-sql", "pchatzrh-sql")],
            ],
        ),
        ("single", [("pchat-dedicated-sql", "Pool 'pchat01'")]),
    ],
)
def test_shipped_stack_advisories(stack: str, expected: list[tuple[str, str]], graph: Graph) -> None:
    found = [f for f in evaluate([*graph(stack), stores_output(stack)]) if not f.mandatory]
    assert sorted((f.policy, f.message.split(" has ")[0].split(":")[0]) for f in found) == sorted(expected)


def fifth_active(resources: list[Resource]) -> list[Resource]:
    a1 = named(resources, "pchat01-a1-vm")
    return [
        *resources,
        dataclasses.replace(
            edited(a1, "vmName", "pchat01-a5"), name="pchat01-a5-vm", urn=a1.urn.replace("a1-vm", "a5-vm")
        ),
    ]


def replaced(resources: list[Resource], name: str, path: str, value: Any, **changes: Any) -> list[Resource]:
    target = named(resources, name)
    return [edited(r, path, value, **changes) if r is target else r for r in resources]


NSG = "pchat-dublin-pchat-nsg"
VARIANTS: dict[str, tuple[Callable[[list[Resource]], list[Resource]], set[str]]] = {
    "public IP on a NIC": (
        lambda g: replaced(g, "pchat01-a1-nic", "ipConfigurations.[0].publicIPAddress", {"id": "/pip"}),
        {"pchat-no-public-ip"},
    ),
    "a PublicIPAddress": (
        lambda g: [
            *g,
            Resource("urn:pip", "azure-native:network:PublicIPAddress", "pip", "", True, {}, False, False, (), ()),
        ],
        {"pchat-no-public-ip"},
    ),
    "F16s_v2 store": (
        lambda g: replaced(g, "pchat01-sql-vm", "hardwareProfile.vmSize", "Standard_F16s_v2"),
        {"pchat-vm-size"},
    ),
    "F8s_v2 store tagged as evaluation hardware": (
        lambda g: replaced(
            replaced(g, "pchat01-sql-vm", "hardwareProfile.vmSize", "Standard_F8s_v2"),
            "pchat01-sql-vm",
            "tags.pchat-hardware",
            "evaluation",
        ),
        {"pchat-vm-size"},
    ),
    "unprotected disk": (
        lambda g: replaced(g, "pchat01-sql-data", "diskName", "pchat01-sql-data", protect=False),
        {"pchat-stateful-protected"},
    ),
    "unprotected SQL VM": (
        lambda g: replaced(g, "pchat01-sqlw-vm", "vmName", "pchat01-sqlw", protect=False),
        {"pchat-stateful-protected"},
    ),
    "a fifth active server": (fifth_active, {"pchat-pool-size"}),
    "RDP from anywhere": (
        lambda g: replaced(g, NSG, "securityRules.[0].sourceAddressPrefix", "*"),
        {"pchat-no-internet-inbound", "pchat-rdp-management-only"},
    ),
    "HTTPS from the Internet": (
        lambda g: replaced(g, NSG, "securityRules", [rule(source="Internet", port="443")]),
        {"pchat-no-internet-inbound"},
    ),
    "RDP from a public range": (
        lambda g: replaced(g, NSG, "securityRules.[0].sourceAddressPrefix", "203.0.113.0/24"),
        {"pchat-rdp-management-only"},
    ),
    "SQL from the Internet split in halves": (
        lambda g: replaced(
            g, NSG, "securityRules", [rule(source="0.0.0.0/1", port="1433"), rule(source="128.0.0.0/1", port="1433")]
        ),
        {"pchat-admin-ports-private"},
    ),
    "SMB from the AzureCloud tag": (
        lambda g: replaced(g, NSG, "securityRules", [rule(source="AzureCloud", port="445")]),
        {"pchat-admin-ports-private"},
    ),
    "backup store in the primary region": (
        lambda g: replaced(g, "pchat01-bak-vm", "location", "northeurope"),
        {"pchat-site-placement"},
    ),
    "mirror in the standby region": (
        lambda g: replaced(g, "pchat01-sqlm-vm", "location", "westeurope"),
        {"pchat-site-placement"},
    ),
    "plain-text admin password": (
        lambda g: replaced(g, "pchat01-a1-vm", "osProfile", reveal(named(g, "pchat01-a1-vm").inputs["osProfile"])),
        {"pchat-secrets"},
    ),
    "command in plain settings": (
        lambda g: replaced(g, "pchat01-a1-init", "settings", {"commandToExecute": "x"}),
        {"pchat-secrets"},
    ),
    "Windows Server 2019 under Lync Server 2013": (
        lambda g: replaced(g, "pchat01-a1-vm", "storageProfile.imageReference.sku", "2019-Datacenter"),
        {"pchat-supported-versions"},
    ),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_broken_variant_is_caught_by_exactly_its_policy(variant: str, graph: Graph) -> None:
    resources = list(graph("enterprise"))
    assert policies_hit(resources) == {SQL2014_ADVISORY}
    build, expected = VARIANTS[variant]
    assert policies_hit(build(resources)) == expected | {SQL2014_ADVISORY}
    assert policies_hit(stripped(build(resources))) == expected | {"pchat-site-placement", SQL2014_ADVISORY}, (
        "the tags hide no violation; without them the stretched pool is unverifiable"
    )


def test_every_mandatory_policy_has_a_broken_variant() -> None:
    assert set().union(*(expected for _, expected in VARIANTS.values())) == set(MANDATORY)


def test_a_contradicting_tag_is_refused_and_hides_nothing(graph: Graph) -> None:
    resources = list(graph("enterprise"))
    sql_active = replaced(resources, "pchat01-sql-vm", "tags.pchat-role", "active")
    assert {(f.policy, f.urn) for f in evaluate(sql_active) if f.policy != SQL2014_ADVISORY} == {
        ("pchat-pool-size", named(resources, "pchat01-sql-vm").urn),
        ("pchat-site-placement", named(resources, "pchat01-sql-vm").urn),
    }
    fifth_as_store = replaced(fifth_active(resources), "pchat01-a5-vm", "tags.pchat-role", "store")
    assert [f.message.split(";")[0] for f in evaluate(fifth_as_store) if f.policy == "pchat-pool-size"] == [
        "Pool 'pchat01' has 9 Persistent Chat servers (pchat01-a1, pchat01-a2, pchat01-a3, pchat01-a4, pchat01-a5, "
        "pchat01-s1, pchat01-s2, pchat01-s3, pchat01-s4)",
        "Pool 'pchat01' has 5 Persistent Chat servers in northeurope (pchat01-a1, pchat01-a2, pchat01-a3, "
        "pchat01-a4, pchat01-a5)",
        "VM 'pchat01-a5' of pool 'pchat01' is tagged pchat-role: store, but it is a Persistent Chat server (image "
        "MicrosoftWindowsServer/WindowsServer/2012-R2-Datacenter, no SqlVirtualMachine registration)",
    ]


def test_a_registration_makes_a_vm_a_sql_server_whatever_its_image(graph: Graph) -> None:
    """A SqlVirtualMachine registration naming a pool server makes it a SQL Server: its active tag then
    contradicts it."""
    resources = list(graph("enterprise"))
    sqlvm = named(resources, "pchat01-sql-sqlvm")
    a1 = named(resources, "pchat01-a1-vm")
    registered = [
        *resources,
        edited(
            sqlvm,
            "sqlVirtualMachineName",
            "pchat01-a1",
            name="a1-sqlvm",
            urn=sqlvm.urn.replace("sql-sqlvm", "a1-sqlvm"),
        ),
    ]
    assert {(f.policy, f.urn) for f in evaluate(registered) if f.urn == a1.urn and f.policy != SQL2014_ADVISORY} == {
        ("pchat-pool-size", a1.urn),
        ("pchat-site-placement", a1.urn),
    }
    assert {f.policy for f in evaluate(stripped(registered))} == {"pchat-site-placement", SQL2014_ADVISORY}
