"""The scan covers the install phase too: run commands and role assignments are in the ARM view, and the
project checks fail a plain ``runAsPassword`` or protected parameter, a password-named run command parameter, and a role
assignment of a privileged role or at subscription scope. Checkov itself is not needed here."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.pulumi.stacks import stack_graph

from .support import script

security_scan = script("security_scan")
arm_view = script("arm_view")
RUN = "Microsoft.Compute/virtualMachines/runCommands"
ROLE = "Microsoft.Authorization/roleAssignments"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
"""The Owner built-in role [AZ:role-based-access-control/built-in-roles]."""
READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
"""Storage Blob Data Reader, what each server gets on the media container (``components/lync_install.py``)."""
WRITER = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Storage Blob Data Contributor [AZ:role-based-access-control/built-in-roles], what a server gets on the
containers it writes: its backups, its Run Commands' output logs."""


@pytest.fixture(scope="module")
def spoke() -> dict[str, Any]:
    """The stack that installs Lync Server: run commands, and role assignments on the media."""
    graph = stack_graph("spoke")
    assert arm_view.unmapped(r.type for r in graph) == []
    return arm_view.template(graph)


def failures(template: dict[str, Any]) -> list[tuple[str, str]]:
    report = security_scan.StackReport("t")
    security_scan.project_checks(template, report)
    assert report.project_passed > 0
    # a failure's resource is "<type>.<name>", and the type has one dot of its own
    return sorted({(f.check_id, f.resource[: f.resource.index(".", len("Microsoft."))]) for f in report.failures})


def of_type(template: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r for r in template["resources"] if r["type"] == type_]


def test_the_install_phase_is_scanned_and_passes(spoke: dict[str, Any]) -> None:
    runs, roles = of_type(spoke, RUN), of_type(spoke, ROLE)
    assert len(runs) >= 3 and len(roles) >= 2
    installs = [r for r in runs if r["name"].split("/")[1].startswith("pchat-install")]
    values = [p["value"] for r in runs for p in r["properties"].get("protectedParameters", [])]
    assert len(installs) >= 2 and all("protectedParameters" in r["properties"] for r in installs)
    assert all(v.startswith("[parameters(") for v in values)
    assert {r["properties"]["roleDefinitionId"].rsplit("/", 1)[-1] for r in roles} == {READER, WRITER}
    assert all("/containers/" in r["scope"] for r in roles)
    assert failures(spoke) == []


def test_a_plain_run_as_password_fails_pchat_arm_2(spoke: dict[str, Any]) -> None:
    broken = copy.deepcopy(spoke)
    of_type(broken, RUN)[0]["properties"]["runAsPassword"] = "Plain-Setup-1!"
    assert failures(broken) == [("PCHAT_ARM_2", RUN)]


def test_a_plain_protected_parameter_fails_pchat_arm_2(spoke: dict[str, Any]) -> None:
    broken = copy.deepcopy(spoke)
    run = next(r for r in of_type(broken, RUN) if "protectedParameters" in r["properties"])
    run["properties"]["protectedParameters"][0]["value"] = "Plain-Setup-1!"
    assert failures(broken) == [("PCHAT_ARM_2", RUN)]


def test_a_password_in_plain_run_command_parameters_fails_pchat_arm_3(spoke: dict[str, Any]) -> None:
    broken = copy.deepcopy(spoke)
    of_type(broken, RUN)[0]["properties"]["parameters"] = [{"name": "SetupPassword", "value": "x"}]
    assert failures(broken) == [("PCHAT_ARM_3", RUN)]


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (OWNER, None),
        ("b24988ac-6180-42a0-ab88-20f7382dd24c", None),
        (READER, "/subscriptions/11111111-2222-3333-4444-555555555555"),
        (READER, "/providers/Microsoft.Management/managementGroups/platform"),
        (READER, "/"),
    ],
)
def test_a_privileged_role_or_a_broad_scope_fails_pchat_arm_4(
    spoke: dict[str, Any], role: str, scope: str | None
) -> None:
    broken = copy.deepcopy(spoke)
    assignment = of_type(broken, ROLE)[0]
    definition = assignment["properties"]["roleDefinitionId"]
    assignment["properties"]["roleDefinitionId"] = definition.rsplit("/", 1)[0] + "/" + role
    assignment["scope"] = scope or assignment["scope"]
    assert failures(broken) == [("PCHAT_ARM_4", ROLE)]
