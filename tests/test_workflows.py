"""The GitHub workflows are valid YAML, use only the documented inputs of their actions, and follow
GitHub's "Security hardening for GitHub Actions": zizmor finds nothing, event data reaches scripts
only through environment variables, actions are pinned to a commit SHA, checkouts do not persist
the token, and no permission is granted to a whole workflow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from lync_pchat import stackfile

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.yml"))
STACK_WORKFLOWS = [p for p in WORKFLOWS if p.name != "release.yml"]
"""The workflows that run per stack (the release builds the package once)."""
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
STACK_POLICY_CONFIG = (
    "${{ hashFiles(format('policy/config.{0}.json', matrix.stack)) != '' "
    "&& format('policy/config.{0}.json', matrix.stack) || '' }}"
)
"""A stack's own policy config, `policy/config.<stack>.json`, when the file exists (the lab stack's evaluation
server passes pchat-vm-size only with it; the modern stack names its product there); an empty value is an
empty list of configs (the action reads the input line by line)."""
ACTION_INPUTS = {
    "actions/checkout": {"fetch-depth", "ref", "persist-credentials"},
    "actions/setup-python": {"python-version"},
    "actions/upload-artifact": {"name", "path", "if-no-files-found", "retention-days", "overwrite"},
    "actions/download-artifact": {"name", "path", "pattern", "merge-multiple"},
    "marocchino/sticky-pull-request-comment": {"header", "path", "message"},
    "pulumi/actions": PULUMI_ACTION_INPUTS,
    "pypa/gh-action-pypi-publish": {"packages-dir", "repository-url", "attestations", "skip-existing"},
}
"""The actions the workflows may use, with the inputs documented in their action.yml."""
MAJOR_VERSIONS = {
    "actions/checkout": "v4",
    "actions/setup-python": "v5",
    "actions/upload-artifact": "v4",
    "actions/download-artifact": "v4",
    "marocchino/sticky-pull-request-comment": "v2",
    "pulumi/actions": "v7",
    "pypa/gh-action-pypi-publish": "v1",
}
"""The major version of each action whose inputs are listed above."""
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^\s+#\s*(?P<tag>v\d+(?:\.\d+)*)\s*$")
DIFF_COMMAND = (
    'python3 -m lync_pchat diff --against "origin/$BASE_REF" --markdown plan-diff.md '
    "--full-markdown plan-diff-full.md --fail-on-stateful"
)
"""The diff CLI contract: every stack, Markdown cut for the PR comment and whole for the artefact, exit 3 on a
stateful loss and 5 on a weakened security setting (--fail-on-stateful includes the posture gate)."""
LOCK = ROOT / "requirements-deploy.txt"
"""The hash-pinned requirements of the jobs that hold a deploy secret or an OIDC token."""


def jobs(workflow: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = workflow["jobs"]
    return result


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in jobs(workflow).values() for step in job["steps"]]


def action(step: dict[str, Any]) -> str | None:
    """`owner/repo` of a `uses:` step, without the ref; None for a `run:` step."""
    uses: str | None = step.get("uses")
    return None if uses is None else uses.split("@", 1)[0]


def load(path: Path) -> dict[Any, Any]:
    """The parsed workflow; YAML 1.1 reads its `on` key as True, hence the Any keys."""
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text())
    return workflow


def uses_lines(path: Path) -> list[tuple[int, str, str]]:
    """(line number, ref, rest of the line) of every `uses:` line, as written in the file."""
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if match := USES_LINE.match(line):
            found.append((number, match["ref"], match["rest"]))
    return found


def zizmor(*inputs: Path) -> list[dict[str, Any]]:
    """Every zizmor finding, offline: the pedantic persona (everything but the auditor's false
    positives), no severity or confidence filter, no configuration file and no ignore comments."""
    executable = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if executable is None:
        pytest.fail("zizmor is not installed: python3 -m pip install -e '.[test]'")
    env = {k: v for k, v in os.environ.items() if k not in {"GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"}}
    command = [
        executable,
        "--offline",
        "--no-config",
        "--no-ignores",
        "--strict-collection",
        "--persona=pedantic",
        "--format=json",
        *map(str, inputs),
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert result.stdout.strip().startswith("["), (result.returncode, result.stderr)
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    # zizmor exits non-zero exactly when it reports findings (and on its own errors).
    assert (result.returncode == 0) == (not findings), (result.returncode, result.stderr)
    return findings


def describe(finding: dict[str, Any]) -> str:
    """`ident (severity, confidence) at file:line: description`, or the raw finding if its shape changed."""
    try:
        level = finding["determinations"]
        primary = [loc for loc in finding["locations"] if loc["symbolic"]["kind"] == "Primary"]
        files = [loc["symbolic"]["key"]["Local"]["verbatim_path"] for loc in primary]
        rows = [loc["concrete"]["location"]["start_point"]["row"] + 1 for loc in primary]
        where = ", ".join(f"{file}:{row}" for file, row in zip(files, rows, strict=True))
        return (
            f"{finding['ident']} ({level['severity']}, {level['confidence']} confidence) at {where}: {finding['desc']}"
        )
    except (KeyError, TypeError):
        return json.dumps(finding)


def test_there_are_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pull-request.yml", "release.yml"]


def test_zizmor_finds_nothing() -> None:
    findings = zizmor(WORKFLOW_DIR)
    assert not findings, "zizmor findings:\n" + "\n".join(map(describe, findings))


def test_zizmor_catches_what_the_workflows_avoid(tmp_path: Path) -> None:
    """The same invocation flags an unhardened workflow, with the audits GitHub's guidance maps to."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\n"
        "on:\n  pull_request:\n"
        "permissions:\n  pull-requests: write\n  id-token: write\n"
        "jobs:\n  diff:\n    name: diff\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        '      - run: echo "${{ github.base_ref }}"\n'
    )
    idents = {finding["ident"] for finding in zizmor(bad.parent)}
    assert {"template-injection", "excessive-permissions", "unpinned-uses", "artipacked"} <= idents


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_get_only_documented_inputs(path: Path) -> None:
    for step in steps(load(path)):
        uses = action(step)
        if uses is None:
            assert step["run"].strip()
            continue
        assert uses in ACTION_INPUTS, (path.name, uses)
        assert set(step.get("with", {})) <= ACTION_INPUTS[uses], (path.name, uses)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_event_data_reaches_scripts_only_through_the_environment(path: Path) -> None:
    for step in steps(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], (path.name, step["run"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_the_tag_in_a_comment(path: Path) -> None:
    lines = uses_lines(path)
    assert sorted(ref for _, ref, _ in lines) == sorted(s["uses"] for s in steps(load(path)) if "uses" in s)
    for number, ref, rest in lines:
        pinned = PINNED.match(ref)
        assert pinned, f"{path.name}:{number}: {ref} is not owner/repo@<40-hex commit>"
        comment = VERSION_COMMENT.match(rest)
        assert comment, f"{path.name}:{number}: {ref} has no `# v...` version comment"
        major = comment["tag"].split(".")[0]
        assert major == MAJOR_VERSIONS[pinned["action"]], f"{path.name}:{number}: {comment['tag']}"


def test_each_action_is_pinned_to_one_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for _, ref, rest in uses_lines(path):
            name, _, sha = ref.partition("@")
            pins.setdefault(name, set()).add(f"{sha}{rest.strip()}")
    assert {name: len(refs) for name, refs in pins.items()} == dict.fromkeys(pins, 1), pins


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    checkouts = [s for s in steps(load(path)) if action(s) == "actions/checkout"]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, (path.name, step)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_permission_is_granted_to_the_whole_workflow(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in jobs(workflow).items():
        assert "permissions" in job, (path.name, name)


def test_each_job_gets_only_the_permissions_it_needs() -> None:
    granted = {(path.name, name): job["permissions"] for path in WORKFLOWS for name, job in jobs(load(path)).items()}
    assert granted == {
        ("deploy.yml", "stacks"): {"contents": "read"},
        ("deploy.yml", "test"): {"contents": "read"},
        ("deploy.yml", "up"): {"contents": "read", "id-token": "write"},
        ("pull-request.yml", "stacks"): {"contents": "read"},
        ("pull-request.yml", "test"): {"contents": "read"},
        ("pull-request.yml", "offline-diff"): {"contents": "read"},
        ("pull-request.yml", "comment"): {"pull-requests": "write"},
        ("pull-request.yml", "preview"): {"contents": "read", "id-token": "write"},
        ("release.yml", "build"): {"contents": "read"},
        ("release.yml", "github-release"): {"contents": "write"},
        ("release.yml", "publish"): {"id-token": "write"},
    }


def runs_repository_code(job: dict[str, Any]) -> bool:
    """A job that checks the repository out or runs a script: on a pull request, the PR's own code."""
    return any(action(step) == "actions/checkout" or "run" in step for step in job["steps"])


def test_pull_request_jobs_that_run_its_code_can_write_nothing() -> None:
    """GitHub's "Security hardening for GitHub Actions": a pull request's code is untrusted. No job that
    runs it gets a write permission; the only OIDC token is the preview environment's (read-only identity)."""
    pr_jobs = jobs(load(WORKFLOW_DIR / "pull-request.yml"))
    for name, job in pr_jobs.items():
        if not runs_repository_code(job):
            continue
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes <= ({"id-token"} if job.get("environment") == "preview" else set()), (name, writes)
    assert not runs_repository_code(pr_jobs["comment"])
    assert [action(step) for step in pr_jobs["comment"]["steps"]] == [
        "actions/download-artifact",
        "marocchino/sticky-pull-request-comment",
    ]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_are_read_only_inside_an_environment(path: Path) -> None:
    """Environment secrets reach a job only after its environment's protection rules (reviewers, branches)."""
    for name, job in jobs(load(path)).items():
        if "secrets." in yaml.safe_dump(job):
            assert job.get("environment"), (path.name, name)


def test_the_preview_needs_an_approval_and_uses_the_read_only_identity() -> None:
    pr_jobs = jobs(load(WORKFLOW_DIR / "pull-request.yml"))
    preview = pr_jobs["preview"]
    assert preview["environment"] == "preview"
    assert preview["if"] == (
        "${{ vars.AZURE_PREVIEW_CLIENT_ID != '' && "
        "github.event.pull_request.head.repo.full_name == github.repository }}"
    )
    pulumi_step = next(s for s in preview["steps"] if action(s) == "pulumi/actions")
    assert pulumi_step["env"]["ARM_CLIENT_ID"] == "${{ vars.AZURE_PREVIEW_CLIENT_ID }}"
    deploy_steps = [s for s in jobs(load(WORKFLOW_DIR / "deploy.yml"))["up"]["steps"] if "env" in s]
    assert {s["env"]["ARM_CLIENT_ID"] for s in deploy_steps} == {"${{ vars.AZURE_CLIENT_ID }}"}
    assert pulumi_step["with"]["command"] == "preview"
    assert pulumi_step["with"]["comment-on-summary"] is True
    assert "comment-on-pr" not in pulumi_step["with"]  # needs a pull-requests: write token
    assert pulumi_step["with"]["policyPacks"] == "policy"
    assert pulumi_step["with"]["policyPackConfigs"] == STACK_POLICY_CONFIG
    assert [s.get("run") for s in pr_jobs["test"]["steps"] if "run" in s][-1] == "python3 -m pytest"


def stack_list_step(job: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in job["steps"] if s.get("id") == "list")
    return step


@pytest.mark.parametrize("path", STACK_WORKFLOWS, ids=lambda p: p.name)
def test_matrices_come_from_the_stack_files(path: Path, tmp_path: Path) -> None:
    """Every stack matrix is the `stacks` job's output, which lists stacks/Pulumi.<stack>.yaml: a new stack
    file is previewed and deployed without a workflow change. The listing step's own script runs here."""
    workflow_jobs = jobs(load(path))
    matrices = [job["strategy"]["matrix"]["stack"] for job in workflow_jobs.values() if "strategy" in job]
    assert matrices and set(matrices) == {"${{ fromJSON(needs.stacks.outputs.names) }}"}
    assert workflow_jobs["stacks"]["outputs"] == {"names": "${{ steps.list.outputs.names }}"}
    output = tmp_path / "github-output"
    # The runner's `python3` has the package (the job installs it); here, this interpreter is that python3.
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (tmp_path / "bin" / "python3").chmod(0o755)
    path = f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "PATH": path}
    command = stack_list_step(workflow_jobs["stacks"])["run"]
    subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, check=True, timeout=120)
    name, _, value = output.read_text().strip().partition("=")
    files = sorted(p.name for p in (ROOT / "stacks").iterdir() if p.name.startswith("Pulumi."))
    assert name == "names"
    assert json.loads(value) == [f.removeprefix("Pulumi.").removesuffix(".yaml") for f in files]


def test_the_offline_diff_gates_stateful_loss_and_still_posts_its_comment() -> None:
    pr_jobs = jobs(load(WORKFLOW_DIR / "pull-request.yml"))
    diff_steps = pr_jobs["offline-diff"]["steps"]
    assert "secrets." not in yaml.safe_dump(pr_jobs["offline-diff"])
    checkout = next(s for s in diff_steps if action(s) == "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0  # the base branch, for `git worktree add`
    runs = [s for s in diff_steps if "lync_pchat diff" in s.get("run", "")]
    assert len(runs) == 1
    diff = runs[0]
    assert diff["run"].strip() == DIFF_COMMAND
    assert "--fail-on-stateful" in diff["run"].split()
    assert diff["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert "continue-on-error" not in diff  # a non-zero exit fails the job
    after = diff_steps[diff_steps.index(diff) + 1 :]
    upload, full = [s for s in after if action(s) == "actions/upload-artifact"]
    assert upload["with"]["path"] == "plan-diff.md"
    assert (full["with"]["name"], full["with"]["path"]) == ("plan-diff-full", "plan-diff-full.md")  # FULL_DIFF
    assert full["if"] == "${{ !cancelled() && hashFiles('plan-diff-full.md') != '' }}"
    # Runs after the diff step failed (a status function other than success()), when the file exists.
    assert "!cancelled()" in upload["if"]
    assert "hashFiles('plan-diff.md') != ''" in upload["if"]
    comment_job = pr_jobs["comment"]
    assert comment_job["needs"] == "offline-diff"
    assert "!cancelled()" in comment_job["if"]
    download, comment = comment_job["steps"]
    assert download["with"]["name"] == upload["with"]["name"]
    assert comment["with"]["path"] == "plan-diff.md"
    assert "continue-on-error" not in comment


def test_deploys_go_through_environments() -> None:
    workflow = load(WORKFLOW_DIR / "deploy.yml")
    up = jobs(workflow)["up"]
    assert up["environment"] == "${{ matrix.stack }}"
    assert up["if"] == "${{ vars.AZURE_CLIENT_ID != '' }}"
    assert up["concurrency"] == {"group": "deploy-${{ matrix.stack }}", "cancel-in-progress": False}
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    preview, apply = [s for s in up["steps"] if action(s) == "pulumi/actions"]
    assert (preview["with"]["command"], apply["with"]["command"]) == ("preview", "up")
    # Update plans: up applies what the preview saved, and fails on any deviation (Pulumi's update plans).
    assert preview["with"]["plan"] == apply["with"]["plan"] == "update-plan.json"
    for step in (preview, apply):
        assert step["with"]["policyPacks"] == "policy"
        assert step["with"]["policyPackConfigs"] == STACK_POLICY_CONFIG
    stacks = set(stackfile.stack_names())
    configs = {p.name.removeprefix("config.").removesuffix(".json") for p in (ROOT / "policy").glob("config.*.json")}
    assert {"lab", "modern"} <= configs - {"example"} <= stacks


def test_deploy_runs_only_on_pushes_to_main_and_by_hand() -> None:
    """A ``pull_request`` (or any other) trigger would run the deploy job's steps for code nobody merged."""
    assert load(WORKFLOW_DIR / "deploy.yml")[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}


def test_deploy_applies_one_stack_at_a_time() -> None:
    """A broken change stops at the first stack it breaks (``max-parallel: 1``), the others untouched."""
    assert jobs(load(WORKFLOW_DIR / "deploy.yml"))["up"]["strategy"]["max-parallel"] == 1


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_the_tests_run_once_before_any_stack_and_outside_the_deploy_jobs() -> None:
    """Issue 25: the suite ran once per stack, inside the job holding the deploy secrets. It runs once, in a
    job with no environment, secret or token, and every stack's deploy needs it."""
    deploy = jobs(load(WORKFLOW_DIR / "deploy.yml"))
    test, up = deploy["test"], deploy["up"]
    assert runs(test)[-1] == "python3 -m pytest"
    assert "strategy" not in test and "environment" not in test
    assert "secrets." not in yaml.safe_dump(test) and "id-token" not in test["permissions"]
    assert up["needs"] == ["stacks", "test"]
    for path in WORKFLOWS:
        for name, job in jobs(load(path)).items():
            if job.get("environment") or "id-token" in job["permissions"]:
                assert not any("pytest" in run for run in runs(job)), (path.name, name)


def holds_credentials(job: dict[str, Any]) -> bool:
    return "secrets." in yaml.safe_dump(job) or job["permissions"].get("id-token") == "write"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_and_the_azure_login_reach_only_the_pulumi_steps(path: Path) -> None:
    """Not job-level ``env``: every step of the job (pip, scripts) would see the passphrase. This keeps the
    secrets and the ``ARM_*`` settings on the Pulumi steps; it cannot keep the OIDC token there: with
    ``id-token: write`` GitHub gives every step ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN (docs/hardening.md)."""
    for name, job in jobs(load(path)).items():
        assert "env" not in job or "secrets." not in yaml.safe_dump(job["env"]), (path.name, name)
        assert "ARM_" not in yaml.safe_dump(job.get("env", {})), (path.name, name)
        for step in job["steps"]:
            if "secrets." in yaml.safe_dump(step) or "ARM_USE_OIDC" in step.get("env", {}):
                assert action(step) == "pulumi/actions", (path.name, name, step)


PIP_INSTALL = re.compile(r"pip install (?P<args>[^\n]*)")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_holding_credentials_install_only_hash_pinned_files(path: Path) -> None:
    """pip checks every file against the lock's sha256 (``--require-hashes``), or installs this checkout only
    (``--no-index --no-deps``): no range-pinned package reaches a job with a deploy secret or token."""
    for name, job in jobs(load(path)).items():
        if not holds_credentials(job):
            continue
        installs = [m["args"] for run in runs(job) for m in PIP_INSTALL.finditer(run)]
        assert installs or not runs(job), (path.name, name)  # a job that runs commands installs what they need
        for args in installs:
            words = args.split()
            hashed = words == ["--require-hashes", "--no-deps", "-r", LOCK.name]
            local = {"--no-deps", "--no-index"} <= set(words) and words[-1] == "."
            assert hashed or local, (path.name, name, args)


def locked() -> dict[str, str]:
    """Name -> version of every requirement of the lock, each of which carries at least one sha256."""
    text = LOCK.read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *hashes = line.split("--hash=")
        name, _, version = requirement.strip().partition("==")
        assert version and hashes and all(h.strip().startswith("sha256:") for h in hashes), line
        found[name.lower().replace("_", "-")] = version
    return found


def test_the_lock_pins_every_runtime_requirement_with_hashes() -> None:
    pins = locked()
    wanted = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    names = {re.split(r"[<>=!~\[ ]", w, maxsplit=1)[0].lower() for w in wanted if w}
    assert names | {"pulumi-policy", "setuptools"} <= pins.keys()


def test_the_pulumi_cli_is_pinned_to_the_locked_sdk() -> None:
    """The CLI and the Python SDK share their version numbers; the action installs what ``pulumi-version`` names."""
    version = locked()["pulumi"]
    steps_ = [s for path in WORKFLOWS for s in steps(load(path)) if action(s) == "pulumi/actions"]
    assert len(steps_) == 3
    assert {s["with"].get("pulumi-version") for s in steps_} == {version}


def test_a_tag_releases_the_built_files_and_only_the_publish_job_gets_an_oidc_token() -> None:
    """PyPI's trusted publishing ("Publishing with a Trusted Publisher", docs.pypi.org/trusted-publishers): the
    publishing job needs `id-token: write` and an environment the publisher names; GitHub's hardening guide: the
    jobs that can write run no repository code, and the one that runs it (build) can write nothing."""
    workflow = load(WORKFLOW_DIR / "release.yml")
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as True
    release_jobs = jobs(workflow)
    build, attach, publish = release_jobs["build"], release_jobs["github-release"], release_jobs["publish"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert "python3 -m build --sdist --wheel --outdir dist ." in runs
    assert any('"${GITHUB_REF_NAME#v}"' in run and "VERSION" in run for run in runs)  # the tag names the version
    upload = next(step for step in build["steps"] if action(step) == "actions/upload-artifact")
    assert upload["with"]["path"] == "dist/"
    for job in (attach, publish):
        assert job["needs"] == "build"
        assert action(job["steps"][0]) == "actions/download-artifact"
        assert job["steps"][0]["with"]["name"] == upload["with"]["name"]
        assert not any(action(step) == "actions/checkout" for step in job["steps"])
    assert publish["environment"] == "pypi"
    # PyPA's publishing action exchanges the job's OIDC token itself (no secret, no package installed by pip)
    assert action(publish["steps"][-1]) == "pypa/gh-action-pypi-publish"
    assert publish["steps"][-1]["with"] == {"packages-dir": "dist/"}
    assert "secrets." not in yaml.safe_dump(workflow)  # no long-lived token anywhere
    assert "--verify-tag" in attach["steps"][-1]["run"]  # a release only for a tag that exists


CODEOWNERS = ROOT / ".github" / "CODEOWNERS"
GUARDED = (
    "stacks/accepted-changes.yaml",
    "lync_pchat/offline/posture.py",
    "lync_pchat/model/security_rules.py",
    "lync_pchat/offline/gate.py",
    "lync_pchat/offline/accepted.py",
    "roles/pchat-deployer.json",
    "roles/pchat-deployer-rbac-condition.txt",
    ".github/workflows/pull-request.yml",
    ".github/workflows/deploy.yml",
    ".github/CODEOWNERS",
)
"""What the PR gate trusts (issue 27): its code, what it accepts, the deploy roles, the workflows."""


def code_owners(path: str) -> list[str]:
    """The owners of ``path``: the LAST matching pattern wins (GitHub, "About code owners"); a leading ``/``
    anchors at the root, a trailing ``/`` owns everything below."""
    owners: list[str] = []
    for line in CODEOWNERS.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, *names = line.split()
        anchored = pattern.lstrip("/")
        if (anchored.endswith("/") and path.startswith(anchored)) or path == anchored:
            owners = names
    return owners


def test_code_owners_review_the_gate_its_acceptances_the_roles_and_the_workflows() -> None:
    """GitHub reads the first CODEOWNERS of ``.github/``, the root, ``docs/``; the placeholder team is
    documented in docs/hardening.md, with the branch protection that makes the review required."""
    assert [p for p in (ROOT / "CODEOWNERS", ROOT / "docs" / "CODEOWNERS") if p.exists()] == []
    for path in GUARDED:
        assert (ROOT / path).exists(), path
        assert code_owners(path) == ["@lync-pchat-azure/platform"], path
    assert code_owners("lync_pchat/offline/diff.py") == []  # only what the gate trusts needs the owners
    hardening = (ROOT / "docs" / "hardening.md").read_text()
    assert "@lync-pchat-azure/platform" in hardening and "Require review from Code Owners" in hardening
