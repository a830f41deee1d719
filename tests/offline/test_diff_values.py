"""``pchat diff`` shows what changes: values before and after, changes Azure refuses, protection taken
away, VM restarts per pool and SDK versions, on the throwaway repository of ``test_diff_command``."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_diff_command import _plans_once, diff, edit_stack, git, repo, stack_file  # noqa: F401  (fixtures)

EXPAND_DISK = "https://learn.microsoft.com/azure/virtual-machines/windows/expand-os-disk"
""""Shrinking an existing disk isn't supported": Azure refuses a smaller size (the Expand-a-disk article)."""
VM_API = "https://learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update"
"""osProfile: "Some of the settings cannot be changed once VM is provisioned" (the VM REST reference)."""
RESIZE_VM = "https://learn.microsoft.com/azure/virtual-machines/sizes/resize-vm"
""""If the virtual machine is currently running, changing its size will cause it to be restarted"."""


def commit(repo: Path, message: str) -> None:  # noqa: F811
    git(repo, "commit", "-qam", message)


def test_a_disk_shrink_shows_its_values_and_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(dataDisk={"sizeGb": 256}))
    commit(repo, "a 256 GB data volume")
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(dataDisk={"sizeGb": 200}))
    assert diff(repo, "--quiet") == 4
    assert capsys.readouterr().err == "pchat: Azure refuses changes to existing resources: single (1)\n"
    md = (repo / "diff.md").read_text().splitlines()
    assert md[2].startswith("> **Error: Azure refuses 1 change(s) to existing resources** in `single`")
    refused = md.index("**✖ Changes Azure refuses**")
    assert md[refused + 4] == (
        f"| `pchat01-a1-data` | diskSizeGB: 256 → 200 | Azure cannot shrink a managed disk ({EXPAND_DISK}) |"
    )
    assert "| update | `azure-native:compute:Disk` | `pchat01-a1-data` | diskSizeGB: 256 → 200 |" in md


def test_a_grown_disk_is_not_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(dataDisk={"sizeGb": 256}))
    assert diff(repo, "--fail-on-stateful", "--quiet") == 0
    assert "| update | `azure-native:compute:Disk` | `pchat01-a1-data` | diskSizeGB: 128 → 256 |" in (
        (repo / "diff.md").read_text().splitlines()
    )


def test_a_time_zone_change_on_a_vm_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(timeZone="W. Europe Standard Time"))
    assert diff(repo, "--quiet") == 4
    md = (repo / "diff.md").read_text()
    change = "osProfile.windowsConfiguration.timeZone: GMT Standard Time → W. Europe Standard Time"
    assert f"| `pchat01-a1-vm` | {change} | the time zone is an osProfile setting" in md
    assert f"takes only when it creates the VM ({VM_API}) |" in md


@pytest.mark.parametrize("option", ["protectStatefulResources", "lockStores"])
def test_turning_protection_off_fails_the_stateful_gate(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    option: str,
) -> None:
    edit_stack(repo, lambda t: t.update({option: False}))
    assert diff(repo, "--quiet") == 0
    assert diff(repo, "--fail-on-stateful", "--quiet") == 3
    err = capsys.readouterr().err
    assert err.startswith("pchat: stateful resources would be deleted, replaced or unprotected: single (")
    md = (repo / "diff.md").read_text().splitlines()
    losses = md[md.index("**⚠ Stateful resources deleted, replaced or unprotected**") :]
    if option == "lockStores":
        lock = "| delete ⚠ | `azure-native:authorization:ManagementLockByScope` | `pchat-dublin-data-lock` |"
        assert f"{lock} lock removed |" in losses
    else:
        disk = "| update ⚠ | `azure-native:compute:Disk` | `pchat01-a1-data` |"
        assert f"{disk} protect removed; retainOnDelete removed |" in losses


def test_a_resize_names_the_restarts_of_the_pool(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    """45,000 users: three active servers, resized at once."""
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(users=45_000))
    commit(repo, "three servers")
    edit_stack(repo, lambda t: t["pools"]["pchat01"].update(vmSize="Standard_D32s_v5"))
    assert diff(repo, "--fail-on-stateful", "--quiet") == 0
    md = (repo / "diff.md").read_text().splitlines()
    assert md[md.index("VM restarts:") + 1] == (
        "- pool `pchat01`: 3 of 3 VMs restart at once (pchat01-a1, pchat01-a2, pchat01-a3): "
        f"resize: Azure restarts a running VM to change its size ({RESIZE_VM})"
    )
    assert "hardwareProfile.vmSize: Standard_F32s_v2 → Standard_D32s_v5" in "\n".join(md)


def test_an_sdk_version_change_is_called_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    (repo / "requirements.txt").write_text("pulumi>=3.272,<4\npulumi-azure-native>=3.29,<4\npyyaml>=6\n")
    git(repo, "add", "requirements.txt")
    commit(repo, "requirements")
    (repo / "requirements.txt").write_text("pulumi>=3.272,<4\npulumi-azure-native==3.31.0\npyyaml>=7\n")
    assert diff(repo, "--quiet") == 0
    md = (repo / "diff.md").read_text().splitlines()
    assert md[2:4] == [
        "**SDK versions change** (every resource may read differently):",
        "- `requirements.txt`: `pulumi-azure-native` `>=3.29,<4` → `==3.31.0`",
    ]
    assert stack_file(repo).exists()
