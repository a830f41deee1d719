"""``pchat diff`` on a throwaway git repository: its exit codes, its one-line errors, its summary.

The repository holds this package and the ``single`` stack (one pool ``pchat01`` in site ``dublin``,
15,000 users on one active server at 10.10.0.8), committed once; each test edits the working tree.
"""

from __future__ import annotations

import copy
import ipaddress
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from lync_pchat.cli import main
from lync_pchat.model.sources import SYSTEM_PLATFORMS, url
from lync_pchat.offline.diff import Outcome
from lync_pchat.offline.plandiff import Request, diff_revisions
from lync_pchat.offline.revision import BackgroundPlans

ROOT = Path(__file__).resolve().parents[2]
USERS_PER_SERVER = 20_000
"""Concurrent users one active server carries [L:lync-server-2013-capacity-planning-for-persistent-chat-server]."""
FIRST_ADDRESS = ipaddress.ip_address("10.10.0.8")
"""pchat01-a1 in the base stack; a pool's n-th active server sits n - 1 addresses above its first."""
CAPACITY = url("L:lync-server-2013-capacity-planning-for-persistent-chat-server")


FIXED_DATE = {"GIT_AUTHOR_DATE": "2026-12-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-12-01T00:00:00Z"}
"""Commits of the same files get the same id in every test's throwaway repository (see :func:`_plans_once`)."""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
        env={**os.environ, **FIXED_DATE},
    )


_PLANNED: dict[tuple[str, str], Outcome] = {}


@pytest.fixture(autouse=True)
def _plans_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other revision's plan of a commit, quietly made (no progress to relay), is made once per test process:
    the commit id names the code and the stack files, so the plan of the same commit and stack is the same
    (a fresh `pchat plan` process on the same day). Each test still plans its working tree, and the first test of
    each commit runs the real background process."""
    real = BackgroundPlans._plan

    def once(self: BackgroundPlans, tree: Path, stack: str) -> Outcome:
        if self.say is not None:
            return real(self, tree, stack)
        key = (self.commit, stack)
        if key not in _PLANNED:
            _PLANNED[key] = real(self, tree, stack)
        return copy.deepcopy(_PLANNED[key])

    monkeypatch.setattr(BackgroundPlans, "_plan", once)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway repository holding both top-level packages and the `single` stack, committed once (without
    ``components`` the other revision's plan would import whichever one the interpreter has installed)."""
    repo = tmp_path / "repo"
    for package in ("lync_pchat", "components"):
        shutil.copytree(ROOT / package, repo / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (repo / "stacks").mkdir()
    shutil.copy(ROOT / "stacks" / "Pulumi.single.yaml", repo / "stacks")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def stack_file(repo: Path, stack: str = "single") -> Path:
    return repo / "stacks" / f"Pulumi.{stack}.yaml"


def edit_stack(repo: Path, change: Callable[[dict[str, Any]], object], stack: str = "single") -> None:
    path = stack_file(repo, stack)
    document = yaml.safe_load(path.read_text())
    change(document["config"]["pchat:topology"])
    path.write_text(yaml.safe_dump(document))


def diff(repo: Path, *extra: str) -> int:
    markdown = ["--markdown", str(repo / "diff.md")]
    return main(["diff", "--against", "HEAD", "--repo", str(repo), *markdown, *extra])


def test_growing_a_pool_adds_servers_users_and_rules(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    users = 45_000
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(users=users))
    assert diff(repo, "--fail-on-stateful") == 0
    out, err = capsys.readouterr()
    servers = math.ceil(users / USERS_PER_SERVER)
    addresses = [str(FIRST_ADDRESS + n) for n in range(servers)]
    added = [(f"pchat01-a{n + 1}", addresses[n]) for n in range(1, servers)]
    md = (repo / "diff.md").read_text().splitlines()
    assert [line for line in md if line.startswith("| added | pchat01-") and "| pchat01 | active |" in line] == [
        f"| added | {name} | pchat01 | active | dublin | Standard_F32s_v2 | {address} |" for name, address in added
    ]
    # The network flows the new servers bring: 8011 between the pool's servers [Gg398500] (the needs model).
    flow = f"| pchat01-a1 {addresses[0]} | pchat01-a2 {addresses[1]} | tcp/8011 | between the pool's servers |"
    assert f"| added {flow} lync:persistent-chat |" in md
    assert f"| changed | pchat01 | pchat01.corp.contoso.com | 15,000 → {users:,} | 1 → {servers} | 0 |" in md
    hosts = ", ".join(f"{a}/32" for a in addresses)
    pool_rule = "| nsg-pchat-single-dublin-pchat | pchat01-pool | 1003 | Allow | Tcp | 8011 |"
    first = f"{addresses[0]}/32"
    assert f"| changed {pool_rule} {first} → {hosts} | {first} → {hosts} |" in md  # one row (issue 25)
    assert "Warning" not in "\n".join(md)
    assert "Servers:" in out and f"added   pchat01-a{servers}" in out
    assert "[working tree] synthesizing stack 'single'" in err and "[HEAD] synthesizing stack 'single'" in err
    assert "[working tree] registered " in err and "[HEAD] registered " in err


def test_renaming_servers_fails_the_stateful_gate(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(computerNamePrefix="pc01"))
    assert diff(repo) == 0
    capsys.readouterr()
    assert diff(repo, "--fail-on-stateful", "--quiet") == 3
    out, err = capsys.readouterr()
    assert (out, err) == ("", "pchat: stateful resources would be deleted, replaced or unprotected: single (1)\n")
    md = (repo / "diff.md").read_text().splitlines()
    assert md[2].startswith(  # the failing gate's finding is an error (issue 25, item 7)
        "> **Error: 1 stateful resource(s) would be deleted, replaced or unprotected** in `single`"
    )
    assert md[4] == "### Stack `single`: changed"
    losses = md.index("**⚠ Stateful resources deleted, replaced or unprotected**")
    assert md[losses + 4 : losses + 6] == ["| delete ⚠ | `azure-native:compute:Disk` | `pchat01-a1-data` | - |", ""]
    servers = md.index("**Servers**")
    assert losses < servers
    assert md[servers + 4 : servers + 6] == [
        "| added | pc01-a1 | pchat01 | active | dublin | Standard_F32s_v2 | 10.10.0.8 |",
        "| removed | pchat01-a1 | pchat01 | active | dublin | Standard_F32s_v2 | 10.10.0.8 |",
    ]


def test_a_stack_the_change_adds_is_all_new(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(stack_file(repo), stack_file(repo, "extra"))
    edit_stack(repo, lambda t: t["sites"]["dublin"].update(addressSpace="10.30.0.0/16"), "extra")
    assert diff(repo, "--fail-on-stateful", "--quiet") == 0
    assert capsys.readouterr() == ("", "")
    md = (repo / "diff.md").read_text()
    assert "### Stack `extra`: new stack, every resource is created" in md
    assert "### Stack `single`: no changes" in md
    assert "| added | pchat01-a1 | pchat01 | active | dublin | Standard_F32s_v2 | 10.30.0.8 |" in md
    assert "| added | pchat01 | pchat01.corp.contoso.com | 15,000 | 1 | 0 |" in md
    assert "to delete" not in md and "to update" not in md


def test_a_stack_the_change_removes_is_all_gone(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Gone with it: the data disk of its one server, the key vault and its name's suffix, the site's two
    resource groups, and the lock of the data group (what it protected is deletable before it goes)."""
    losses = [
        ("azure-native:authorization:ManagementLockByScope", "pchat-dublin-data-lock"),
        ("azure-native:compute:Disk", "pchat01-a1-data"),
        ("azure-native:keyvault:Vault", "pchat-secrets-vault"),
        ("random:index/randomString:RandomString", "pchat-secrets-suffix"),
        ("azure-native:resources:ResourceGroup", "pchat-dublin-rg"),
        ("azure-native:resources:ResourceGroup", "pchat-dublin-data-rg"),
    ]
    stack_file(repo).unlink()
    assert diff(repo, "single", "--fail-on-stateful", "--quiet") == 3
    what = "stateful resources would be deleted, replaced or unprotected"
    assert capsys.readouterr().err == f"pchat: {what}: single ({len(losses)})\n"
    md = (repo / "diff.md").read_text().splitlines()
    assert md[4] == "### Stack `single`: removed, every resource is deleted"
    table = md.index("**⚠ Stateful resources deleted, replaced or unprotected**") + 4
    assert sorted(md[table : table + len(losses)]) == sorted(
        f"| delete ⚠ | `{t}` | `{n}` | {'lock removed' if 'Lock' in t else '-'} |" for t, n in losses
    )
    assert "| removed | pchat01-a1 | pchat01 | active | dublin | Standard_F32s_v2 | 10.10.0.8 |" in md
    assert "| removed | pchat01 | pchat01.corp.contoso.com | 15,000 | 1 | 0 |" in md
    assert not any("to create" in line for line in md)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--against", "no-such-ref"], "pchat: unknown git revision 'no-such-ref' in {repo}"),
        (["--against=--output=x"], "pchat: unknown git revision '--output=x' in {repo}"),
        (["ghost", "--against", "HEAD"], "pchat: no stack 'ghost' in {repo}/stacks or at HEAD (stacks: single)"),
    ],
)
def test_usage_errors_are_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["diff", *args, "--repo", str(repo)]) == 2
    assert capsys.readouterr() == ("", message.format(repo=repo) + "\n")


def test_outside_a_git_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--against", "HEAD", "--repo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pchat: git rev-parse failed in {tmp_path}: fatal: not a git repository")
    assert err.count("\n") == 1


BROKEN_YAML = "config:\n  pchat:topology:\n    domain: corp.contoso.com\n\tsites: {}\n"
"""A tab indents line 4: YAML refuses it where it starts, column 1."""


def test_a_broken_stack_file_in_the_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack_file(repo).write_text(BROKEN_YAML)
    assert diff(repo) == 2
    assert capsys.readouterr() == (
        "",
        f"pchat: {stack_file(repo)}:4:1: found character '\\t' that cannot start any token\n",
    )


def test_a_broken_stack_file_at_the_other_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = stack_file(repo).read_text()
    stack_file(repo).write_text(BROKEN_YAML)
    git(repo, "commit", "-qam", "broken")
    stack_file(repo).write_text(good)
    assert diff(repo) == 2
    assert capsys.readouterr() == (
        "",
        "pchat: HEAD:stacks/Pulumi.single.yaml:4:1: found character '\\t' that cannot start any token\n",
    )
    assert not (repo / "diff.md").exists()


def test_a_stack_file_without_a_config_map(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack_file(repo).write_text("config: [pchat:topology]\n")
    assert diff(repo, "--quiet") == 2
    assert capsys.readouterr().err == f"pchat: {stack_file(repo)}: a stack file is a map with a 'config' map\n"


def test_a_topology_the_model_refuses_in_the_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(users=4 * USERS_PER_SERVER + 1))
    assert diff(repo, "--fail-on-stateful", "--quiet") == 1
    assert capsys.readouterr() == (
        "",
        "error: stack 'single' in the working tree: pchat:topology is not a supported Persistent Chat topology "
        "(1 problem):\n"
        "  - pools.pchat01.users: 80,001 concurrent users: a pool serves 1 to 80,000 (4 active servers of 20,000) "
        f"({CAPACITY})\n",
    )
    md = (repo / "diff.md").read_text()
    assert "### Stack `single`: refused by the model" in md
    assert f"([L:lync-server-2013-capacity-planning-for-persistent-chat-server]({CAPACITY}))" in md


def test_a_topology_the_model_refused_at_the_other_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = stack_file(repo).read_text()
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(users=4 * USERS_PER_SERVER + 1))
    git(repo, "commit", "-qam", "too many users")
    stack_file(repo).write_text(good)
    assert diff(repo, "--quiet") == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == "error: stack 'single' at HEAD: pchat:topology is not a supported Persistent Chat topology (1 problem):"
    )
    assert err[1].startswith("  - pools.pchat01.users: 80,001 concurrent users")


def test_a_folder_without_stacks_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing to diff is a usage error (exit 2, one line), not an empty diff that passes (issue 25, item 7)."""
    empty = repo / "nothing"
    empty.mkdir()
    assert main(["diff", "--against", "HEAD", "--repo", str(repo), "--stacks-dir", str(empty)]) == 2
    none = "no stack files (Pulumi.<stack>.yaml) in"
    assert capsys.readouterr() == ("", f"pchat: {none} {empty} or at HEAD: nothing to diff\n")
    (empty / "Pulumi.yaml").write_text("name: estate\nruntime: python\n")
    assert main(["diff", "--program", str(empty), "--against", "HEAD"]) == 2
    assert capsys.readouterr() == ("", f"pchat: {none} {empty}: nothing to diff\n")


def accept(repo: Path, *entries: dict[str, Any]) -> None:
    (repo / "stacks" / "accepted-changes.yaml").write_text(yaml.safe_dump({"accepted": list(entries)}))


def test_an_accepted_stateful_change_passes_the_gate_for_its_kinds_only(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """stacks/accepted-changes.yaml (issue 25, item 6): exactly the listed URN, for the listed kinds."""
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(computerNamePrefix="pc01"))
    (single,) = diff_revisions(Request([], "HEAD", repo, repo / "stacks"))
    (disk,) = single.dangerous
    vault = next(r["urn"] for r in single.after["resources"] if r["type"] == "azure-native:keyvault:Vault")
    reason = {"reason": "servers renamed to the pc01 scheme; the data disk is rebuilt from backup", "pr": 42}
    accept(repo, {"urn": disk.urn, "changes": ["replace"], **reason})
    assert diff(repo, "--fail-on-stateful", "--quiet") == 3  # a delete is not a replace
    assert f"warning: accepted-changes.yaml: stale entry {disk.urn}: no replace in this diff" in capsys.readouterr().err
    accept(repo, {"urn": disk.urn, "changes": ["delete"], **reason}, {"urn": vault, "changes": ["delete"], **reason})
    assert diff(repo, "--fail-on-stateful", "--quiet") == 0
    assert capsys.readouterr() == (
        "",
        f"warning: accepted-changes.yaml: stale entry {vault}: no delete in this diff; remove it\n",
    )
    md = (repo / "diff.md").read_text()
    assert f"| `single` | `pchat01-a1-data` | delete | {reason['reason']} (#42) |" in md
    assert "| delete ⚠ ✔ accepted | `azure-native:compute:Disk` | `pchat01-a1-data` | - |" in md
    assert "**Error" not in md and "stale entry" in md


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"urn": "urn:pulumi:single::pchat::x::y", "changes": ["delete"], "pr": 1}, "entry 1: reason: the reason"),
        ({"urn": "urn:pulumi:single::pchat::x::y", "changes": ["delete"], "reason": " ", "pr": 1}, "entry 1: reason"),
        ({"urn": "urn:pulumi:single::pchat::x::y", "changes": ["delete"], "reason": "r"}, "entry 1: pr: a pr is"),
        ({"urn": "urn:pulumi:single::pchat::x::y", "changes": ["drop"], "reason": "r", "pr": 1}, "entry 1: changes"),
        ({"urn": "pchat01-a1-data", "changes": ["delete"], "reason": "r", "pr": 1}, "entry 1: urn: a Pulumi URN"),
        (
            {"urn": "urn:pulumi:single::pchat::x::y", "changes": ["delete"], "reason": "a\x1bb", "pr": 1},
            "entry 1: reason: contains U+001B, a control character",
        ),
        (  # the stack config's plain-text rule (model/config.py UNSAFE_CATEGORIES): a bidi override hides text
            {"urn": "urn:pulumi:single::pchat::x::y", "changes": ["delete"], "reason": "ok\u202efed", "pr": 1},
            "entry 1: reason: contains U+202E, an invisible formatting character",
        ),
    ],
)
def test_an_incomplete_acceptance_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, Any], message: str
) -> None:
    accept(repo, entry)
    assert diff(repo, "--quiet") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pchat: {repo / 'stacks' / 'accepted-changes.yaml'}: {message}"), err
    assert err.count("\n") == 1


def test_every_warning_of_the_later_plan_is_printed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 25: warnings where people look. The `single` stack's store on the Back End is supported, not
    recommended (its warning predates the change, so the summary's "New model warnings" leaves it out); the
    diff still prints it, and the stack's other warning, once each."""
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(users=16_000))
    assert diff(repo) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("Warnings of stack 'single':")
    listed = out[start + 1 :]
    assert listed[0] == (
        "  - pools.pchat01.store.placement: collocating mgc on the Back End is supported but a dedicated SQL Server "
        f"is recommended ({url(SYSTEM_PLATFORMS)})"
    )
    assert [line.split(":")[0] for line in listed] == [
        "  - pools.pchat01.store.placement",
        "  - monitoring.testUsers",
        "  - support",  # Lync Server 2013 (docs/skype2015.md: support dates)
        "  - support",  # Windows Server 2012 R2
        "  - acceptUnsupported",  # the stack's stated reason
    ]
    assert "New model warnings:" not in out
