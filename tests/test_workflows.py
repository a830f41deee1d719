"""The GitHub workflows are valid YAML and use only the documented inputs of their actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lync_pchat import stackfile

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PULUMI_ACTION_INPUTS = {
    "command",
    "stack-name",
    "work-dir",
    "cloud-url",
    "secrets-provider",
    "config-map",
    "upsert",
    "remove",
    "comment-on-pr",
    "comment-on-pr-number",
    "edit-pr-comment",
    "comment-on-summary",
    "always-include-summary",
    "github-token",
    "diff",
    "expect-no-changes",
    "refresh",
    "target",
    "target-dependents",
    "exclude",
    "exclude-dependents",
    "replace",
    "exclude-protected",
    "policyPacks",
    "policyPackConfigs",
    "plan",
    "pulumi-version",
    "pulumi-version-file",
    "parallel",
    "message",
    "suppress-outputs",
    "suppress-progress",
    "continue-on-error",
    "color",
    "log-verbosity",
    "log-flow",
    "debug",
}
"""pulumi/actions v7 action.yml inputs."""
LAB_POLICY_CONFIG = "${{ matrix.stack == 'lab' && 'policy/config.lab.json' || '' }}"
"""The lab stack's evaluation server passes pchat-vm-size only with its policy config; an empty value
is an empty list of configs (the action reads the input line by line)."""
OTHER_ACTION_INPUTS = {
    "actions/checkout@v4": {"fetch-depth", "ref"},
    "actions/setup-python@v5": {"python-version"},
    "marocchino/sticky-pull-request-comment@v2": {"header", "path", "message"},
}


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def load(path: Path) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(path.read_text())
    return workflow


def test_there_are_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_get_only_documented_inputs(path: Path) -> None:
    for step in steps(load(path)):
        uses = step.get("uses")
        if uses is None:
            assert step["run"].strip()
            continue
        allowed = PULUMI_ACTION_INPUTS if uses == "pulumi/actions@v7" else OTHER_ACTION_INPUTS[uses]
        assert set(step.get("with", {})) <= allowed, (path.name, uses)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_matrices_name_the_shipped_stacks(path: Path) -> None:
    for job in load(path)["jobs"].values():
        matrix = job.get("strategy", {}).get("matrix", {})
        if "stack" in matrix:
            assert sorted(matrix["stack"]) == stackfile.stack_names()


def test_pull_requests_run_the_tests_and_the_offline_diff_without_secrets() -> None:
    jobs = load(ROOT / ".github" / "workflows" / "pull-request.yml")["jobs"]
    assert [s.get("run") for s in jobs["test"]["steps"] if "run" in s][-1] == "python3 -m pytest"
    diff = "\n".join(s.get("run", "") for s in jobs["offline-diff"]["steps"])
    assert 'python3 -m lync_pchat diff "$stack" --against "origin/${{ github.base_ref }}"' in diff
    assert "secrets." not in yaml.safe_dump(jobs["offline-diff"])
    preview = jobs["preview"]
    assert preview["if"] == "${{ vars.AZURE_CLIENT_ID != '' }}"
    pulumi_step = next(s for s in preview["steps"] if s.get("uses") == "pulumi/actions@v7")
    assert pulumi_step["with"]["command"] == "preview"
    assert pulumi_step["with"]["comment-on-pr"] is True
    assert pulumi_step["with"]["policyPacks"] == "policy"
    assert pulumi_step["with"]["policyPackConfigs"] == LAB_POLICY_CONFIG


def test_deploys_go_through_environments() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "deploy.yml")
    up = workflow["jobs"]["up"]
    assert up["environment"] == "${{ matrix.stack }}"
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    pulumi_step = next(s for s in up["steps"] if s.get("uses") == "pulumi/actions@v7")
    assert pulumi_step["with"]["command"] == "up"
    assert pulumi_step["with"]["policyPackConfigs"] == LAB_POLICY_CONFIG
    assert (ROOT / "policy" / "config.lab.json").is_file()
