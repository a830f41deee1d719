"""The posture gate of ``pchat diff``: a change that weakens a security setting of a data or security resource
is an error under ``--fail-on-posture`` and ``--fail-on-stateful`` (issue 27, item 2).

Each row of ``lync_pchat/offline/posture.py`` is checked here with its documented weak and safe values; the
issue's posture PR is replayed on the synthesized ``enterprise`` stack.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lync_pchat import stackfile
from lync_pchat.offline.accepted import FILE_NAME, Acceptance, apply, load
from lync_pchat.offline.diff import diff_stack
from lync_pchat.offline.diffview import markdown
from lync_pchat.offline.gate import POSTURE_WEAKENED, STATEFUL_LOSS, Gates, verdict
from lync_pchat.offline.posture import POSTURE, weakened
from lync_pchat.offline.render import plan_json
from lync_pchat.offline.synthesis import synthesize_stack

ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
CONTAINER = "azure-native:storage:BlobContainer"
POLICY = "azure-native:storage:BlobContainerImmutabilityPolicy"
VAULT = "azure-native:keyvault:Vault"
NSG = "azure-native:network:NetworkSecurityGroup"
RULE = "azure-native:network:SecurityRule"

CASES: dict[tuple[str, str], tuple[Any, Any, Any]] = {
    # (type, path): (safe value, weaker value, a value at least as safe as the first)
    # learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview: soft delete on, 1 to 365 days
    (BLOB_SERVICE, "deleteRetentionPolicy.enabled"): (True, False, True),
    (BLOB_SERVICE, "deleteRetentionPolicy.days"): (30, 1, 90),
    # learn.microsoft.com/azure/storage/blobs/soft-delete-container-overview
    (BLOB_SERVICE, "containerDeleteRetentionPolicy.enabled"): (True, False, True),
    (BLOB_SERVICE, "containerDeleteRetentionPolicy.days"): (30, 7, 30),
    # learn.microsoft.com/azure/storage/blobs/versioning-overview
    (BLOB_SERVICE, "isVersioningEnabled"): (True, False, True),
    # learn.microsoft.com/azure/storage/blobs/immutable-storage-overview (version-level immutability)
    (CONTAINER, "immutableStorageWithVersioning.enabled"): (True, False, True),
    # learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure: None, Blob, Container
    (CONTAINER, "publicAccess"): ("None", "Blob", "None"),
    (POLICY, "immutabilityPeriodSinceCreationInDays"): (365, 30, 3650),
    (ACCOUNT, "immutableStorageWithVersioning.enabled"): (True, False, True),
    (ACCOUNT, "immutableStorageWithVersioning.immutabilityPolicy.immutabilityPeriodSinceCreationInDays"): (
        365,
        1,
        365,
    ),
    # learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent
    (ACCOUNT, "allowBlobPublicAccess"): (False, True, False),
    # learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent
    (ACCOUNT, "allowSharedKeyAccess"): (False, True, False),
    # learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version
    (ACCOUNT, "minimumTlsVersion"): ("TLS1_2", "TLS1_0", "TLS1_3"),
    # learn.microsoft.com/azure/storage/common/storage-network-security
    (ACCOUNT, "publicNetworkAccess"): ("Disabled", "Enabled", "Disabled"),
    (ACCOUNT, "networkRuleSet.defaultAction"): ("Deny", "Allow", "Deny"),
    # learn.microsoft.com/azure/storage/common/storage-redundancy: LRS keeps copies in one data center
    (ACCOUNT, "sku.name"): ("Standard_GRS", "Standard_LRS", "Standard_RAGRS"),
    # learn.microsoft.com/azure/key-vault/general/soft-delete-overview
    (VAULT, "properties.enablePurgeProtection"): (True, False, True),
    (VAULT, "properties.enableSoftDelete"): (True, False, True),
    (VAULT, "properties.softDeleteRetentionInDays"): (90, 7, 90),
    # learn.microsoft.com/azure/key-vault/general/rbac-guide
    (VAULT, "properties.enableRbacAuthorization"): (True, False, True),
    # learn.microsoft.com/azure/key-vault/general/network-security
    (VAULT, "properties.publicNetworkAccess"): ("Disabled", "Enabled", "Disabled"),
    (VAULT, "properties.networkAcls.defaultAction"): ("Deny", "Allow", "Deny"),
}


def nested(path: str, value: Any) -> dict[str, Any]:
    """``a.b.c`` = value as nested input maps."""
    *parents, leaf = path.split(".")
    inputs: dict[str, Any] = {leaf: value}
    for part in reversed(parents):
        inputs = {part: inputs}
    return inputs


def test_every_row_has_a_case() -> None:
    assert sorted((row.type, row.path) for row in POSTURE) == sorted(CASES)


@pytest.mark.parametrize(("type_", "path"), sorted(CASES), ids=lambda v: v.rsplit(":", 1)[-1])
def test_each_row_flags_its_weakening_and_nothing_else(type_: str, path: str) -> None:
    safe, weak, safer = CASES[type_, path]
    (row,) = [r for r in POSTURE if (r.type, r.path) == (type_, path)]
    found = weakened(type_, nested(path, safe), nested(path, weak))
    assert len(found) == 1 and found[0].startswith(f"{row.what}: {path}: ")
    assert found[0].endswith(f"({row.source})")
    assert weakened(type_, nested(path, safe), nested(path, safer)) == ()
    assert weakened(type_, nested(path, weak), nested(path, safe)) == ()  # strengthening is fine
    assert weakened(type_, nested(path, safe), {}) != ()  # unset: Azure's default, for a reviewer to confirm
    assert weakened("azure-native:compute:Disk", nested(path, safe), nested(path, weak)) == ()


def rule(name: str, *sources: str, access: str = "Allow", direction: str = "Inbound") -> dict[str, Any]:
    many = {"sourceAddressPrefixes": list(sources)} if len(sources) > 1 else {"sourceAddressPrefix": sources[0]}
    return {"name": name, "access": access, "direction": direction, "destinationPortRange": "1433", **many}


@pytest.mark.parametrize(
    ("was", "now"),
    [
        (("10.1.0.0/16",), ("10.0.0.0/8",)),
        (("10.1.0.0/16",), ("*",)),
        (("10.1.0.0/16",), ("Internet",)),
        (("10.1.0.0/16",), ("AzureCloud",)),
        (("10.1.0.0/16",), ("0.0.0.0/1", "128.0.0.0/1")),
        (("10.1.0.0/16",), ("10.1.0.0/16", "VirtualNetwork")),
    ],
)
def test_an_nsg_rule_admitting_wider_sources_is_flagged(was: tuple[str, ...], now: tuple[str, ...]) -> None:
    """Service tags name address sets (learn.microsoft.com/azure/virtual-network/service-tags-overview):
    ``Internet`` and ``*`` every address, ``AzureCloud`` every Azure public address (any tenant's VM)."""
    (found,) = weakened(NSG, {"securityRules": [rule("sql", *was)]}, {"securityRules": [rule("sql", *now)]})
    assert found.startswith("NSG rule sql admits wider sources: ")
    assert f"(was {', '.join(was)})" in found
    (standalone,) = weakened(RULE, rule("sql", *was), rule("sql", *now))
    assert standalone == found


@pytest.mark.parametrize(
    ("was", "now"),
    [
        (("10.0.0.0/8",), ("10.1.0.0/16",)),
        (("10.1.0.0/16",), ("10.1.2.0/24", "10.1.3.4")),
        (("10.10.0.8/32",), ("10.10.0.8/32", "10.10.0.9/32")),  # a pool's new server beside the first
        (("203.0.113.0/24",), ("203.0.113.5",)),
        (("*",), ("Internet",)),
        (("VirtualNetwork",), ("VirtualNetwork",)),
    ],
)
def test_an_nsg_rule_narrowed_or_kept_is_not(was: tuple[str, ...], now: tuple[str, ...]) -> None:
    assert weakened(NSG, {"securityRules": [rule("sql", *was)]}, {"securityRules": [rule("sql", *now)]}) == ()


def test_deny_to_allow_and_new_public_rules_are_flagged_new_private_ones_are_not() -> None:
    before = {"securityRules": [rule("smb", "10.0.0.0/8", access="Deny")]}
    after = {
        "securityRules": [
            rule("smb", "10.0.0.0/8"),
            rule("from-cloud", "AzureCloud"),
            rule("from-vnet", "VirtualNetwork"),
            rule("from-lan", "192.168.1.0/24"),
            rule("outbound", "*", direction="Outbound"),
        ]
    }
    assert [line.split(":")[0] for line in weakened(NSG, before, after)] == [
        "NSG rule smb admits wider sources",
        "NSG rule from-cloud admits wider sources",
    ]


@pytest.fixture(scope="module")
def enterprise() -> Iterator[dict[str, Any]]:
    """Two sites, each with its backup storage account; one vault."""
    yield plan_json(synthesize_stack("enterprise", stackfile.read("enterprise")))


def posture_pr(plan: dict[str, Any]) -> dict[str, Any]:
    """Issue 27's posture PR: blob and container soft delete off, public blob access and shared keys on,
    the vault open to public networks."""
    after = copy.deepcopy(plan)
    for resource in after["resources"]:
        inputs = resource["inputs"]
        if resource["type"] == BLOB_SERVICE:
            inputs["deleteRetentionPolicy"]["enabled"] = False
            inputs["containerDeleteRetentionPolicy"]["enabled"] = False
        elif resource["type"] == ACCOUNT:
            inputs.update(allowBlobPublicAccess=True, allowSharedKeyAccess=True)
        elif resource["type"] == VAULT:
            inputs["properties"].update(publicNetworkAccess="Enabled", networkAcls={"defaultAction": "Allow"})
    return after


def test_the_posture_pr_fails_the_gate_with_named_errors(
    enterprise: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    diff = diff_stack("enterprise", enterprise, posture_pr(enterprise))
    assert sorted(c.type for c in diff.changes) == sorted([VAULT, ACCOUNT, ACCOUNT, BLOB_SERVICE, BLOB_SERVICE])
    assert {c.action for c in diff.changes} == {"update"}
    assert not diff.dangerous
    assert verdict([diff]) == 0
    capsys.readouterr()
    assert verdict([diff], fail_on_stateful=True) == POSTURE_WEAKENED  # --fail-on-stateful includes it
    capsys.readouterr()
    assert verdict([diff], fail_on_posture=True) == POSTURE_WEAKENED
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("error: stack 'enterprise' ")]
    named = sorted(line.split(": ", 2)[2].split(":")[0] for line in errors)
    assert named == sorted(
        [
            *("anonymous blob access allowed", "shared key access allowed") * 2,
            *("blob soft delete off", "container soft delete off") * 2,
            "public network access enabled",
            "network default action Allow",
        ]
    )
    assert err[-1] == "pchat: security settings would be weakened: enterprise"
    md = markdown([diff], "origin/main", gates=Gates(posture=True))
    assert "> **Error: 5 change(s) weaken security settings** in `enterprise`" in md
    assert "**🔓 Security settings weakened**" in md
    assert "allowSharedKeyAccess: false → true" in md
    assert "> **Warning: 5 change(s) weaken security settings**" in markdown([diff], "origin/main")


def test_a_stateful_loss_still_comes_first(enterprise: dict[str, Any]) -> None:
    after = posture_pr(enterprise)
    after["resources"] = [r for r in after["resources"] if r["type"] != "azure-native:compute:Disk"]
    assert verdict([diff_stack("enterprise", enterprise, after)], fail_on_stateful=True) == STATEFUL_LOSS


def test_accepted_posture_changes_pass_only_for_their_urns(enterprise: dict[str, Any]) -> None:
    """accepted-changes.yaml honours exactly the listed URNs, for the kinds listed (issue 25, item 6)."""
    diff = diff_stack("enterprise", enterprise, posture_pr(enterprise))
    vault = next(c for c in diff.changes if c.type == VAULT)
    others = [c for c in diff.changes if c is not vault]
    why = {"reason": "private endpoints replace the firewall", "pr": "https://github.com/contoso/pchat/pull/7"}
    only_vault = (Acceptance(vault.urn, frozenset({"posture"}), why["reason"], why["pr"]),)
    (accepted,), stale = apply([diff], only_vault)
    assert stale == []
    assert [c.acceptance for c in accepted.changes if c.accepted] == [f"{why['reason']} ({why['pr']})"]
    assert verdict([accepted], fail_on_posture=True) == POSTURE_WEAKENED
    wrong_kind = tuple(Acceptance(c.urn, frozenset({"delete"}), "r", "#1") for c in diff.changes)
    (unaccepted,), stale = apply([diff], wrong_kind)
    assert verdict([unaccepted], fail_on_posture=True) == POSTURE_WEAKENED
    assert len(stale) == len(diff.changes)
    every = only_vault + tuple(Acceptance(c.urn, frozenset({"posture"}), "r", "#1") for c in others)
    (passed,), stale = apply([diff], every)
    assert (verdict([passed], fail_on_stateful=True), stale) == (0, [])
    md = markdown([passed], "origin/main", gates=Gates(stateful=True))
    assert "**✔ Accepted on purpose (accepted-changes.yaml)**" in md
    assert "weaken security settings" not in md.split("###")[0]  # no banner: every one accepted


def test_the_shipped_list_of_accepted_changes_is_valid_and_empty() -> None:
    """Nothing is accepted on main: each entry belongs to the pull request that makes its change."""
    assert load(Path(__file__).resolve().parents[2] / "stacks" / FILE_NAME) == ()


def test_an_acceptance_covers_only_its_kinds_of_one_change(enterprise: dict[str, Any]) -> None:
    """A storage account that loses ``protect`` and allows shared keys: accepting its posture change
    leaves the lost protection to the stateful gate."""
    after = copy.deepcopy(enterprise)
    account = next(r for r in after["resources"] if r["type"] == ACCOUNT)
    account["protect"] = False
    account["inputs"]["allowSharedKeyAccess"] = True
    diff = diff_stack("enterprise", enterprise, after)
    (change,) = [c for c in diff.changes if c.urn == account["urn"]]
    assert change.kinds == {"unprotect", "posture"}
    (accepted,), _ = apply([diff], (Acceptance(change.urn, frozenset({"posture"}), "r", "#1"),))
    assert verdict([accepted], fail_on_posture=True) == 0
    assert verdict([accepted], fail_on_stateful=True) == STATEFUL_LOSS
