"""The changes issues 11 and 27 list as slipping through the suite, each applied to a copy of the checkout: the
suite must fail on every one.

    python scripts/listed_mutants.py [--only NAME ...]

Each mutant is a literal edit of one file (it must match exactly once, so a refactor that moves the code
makes this script fail loudly instead of testing nothing) and the tests that should catch it. Prints one
row per mutant (killed by which test, SURVIVED, or pytest's own error) and exits 1 unless every one is killed
(a pytest error, such as no test collected, is no kill). mutmut covers the model and
the script rendering broadly (README, Testing); this script pins the named regressions, across layers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOTSTRAP = "lync_pchat/bootstrap/scripts/Initialize-PChatServer.ps1"
DEPLOY_ROLE = "roles/pchat-deployer.json"
DEPLOY_ROLE_TEST = "tests/security/test_deploy_role.py"
PROBES = ("components", "lync_pchat.scripting.quoting")
"""Modules whose files must be the copy's: the editable install must not win over it."""


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant(
        "a syntax error in the bootstrap",
        BOOTSTRAP,
        "if ($fs -ne 'NTFS') { throw",
        "if ($fs -ne 'NTFS') { { throw",
        ("tests/test_bootstrap.py",),
    ),
    Mutant(
        "the NTFS verification removed",
        BOOTSTRAP,
        "    if ($fs -ne 'NTFS') { throw \"Volume $($v.letter): is $fs; Persistent Chat requires NTFS\" }\n",
        "",
        ("tests/test_bootstrap.py",),
    ),
    Mutant(
        "a share opened to Everyone",
        BOOTSTRAP,
        "-FullAccess 'BUILTIN\\Administrators'",
        "-FullAccess 'BUILTIN\\Administrators' -ChangeAccess 'Everyone'",
        ("tests/test_bootstrap.py",),
    ),
    Mutant(
        "port 5022 dropped from the SQL firewall",
        "lync_pchat/bootstrap/__init__.py",
        '    {"name": "mirroring", "protocol": MIRRORING.protocol.upper(), "port": int(MIRRORING.number)},\n',
        "",
        ("tests/test_bootstrap.py",),
    ),
    Mutant(
        "tempdb moved onto the data volume",
        "lync_pchat/model/server_specs.py",
        "temp_db=f\"{letters.get('tempdb', letters['data'])}:\\\\TempDB\"",
        "temp_db=f\"{letters['data']}:\\\\TempDB\"",
        ("tests/test_bootstrap.py", "tests/model"),
    ),
    Mutant(
        "PowerShell quote escaping removed",
        "lync_pchat/scripting/quoting.py",
        "c + c if c in POWERSHELL_QUOTES else c",
        "c",
        ("tests/test_bootstrap.py", "tests/runbooks", "tests/install"),
    ),
    Mutant(
        "T-SQL quote escaping removed",
        "lync_pchat/scripting/quoting.py",
        """text.replace("'", "''")""",
        "text",
        ("tests/test_bootstrap.py", "tests/runbooks", "tests/install"),
    ),
    Mutant(
        "the generated password shortened to 8 characters",
        "components/pool.py",
        "PASSWORD_LENGTH = 24",
        "PASSWORD_LENGTH = 8",
        ("tests/stacks/test_secure_defaults.py",),
    ),
    Mutant(
        "a data disk renamed (Azure replaces it)",
        "components/windows_server.py",
        'disk_name=f"{server.computer_name}-{disk.name}"',
        'disk_name=f"{server.computer_name}-disk-{disk.name}"',
        ("tests/stacks/test_snapshots.py",),
    ),
    Mutant(
        "pchat diff exits 0 on a stateful loss",
        "lync_pchat/offline/gate.py",
        "STATEFUL_LOSS = 3",
        "STATEFUL_LOSS = 0",
        ("tests/test_cli.py", "tests/offline"),
    ),
    Mutant(
        "a user's protect stops at the component's children",
        "components/common.py",
        "        protect=True if keep else None,\n",
        "        protect=keep,\n",
        ("tests/components",),
    ),
    Mutant(
        "the setup password sent to a Run Command in plain text",
        "components/lync_install.py",
        'name="SetupPassword", value=pulumi.Output.secret(args.setup_password)',
        'name="SetupPassword", value=args.setup_password',
        ("tests/security/test_passwords_are_secrets.py",),
    ),
    Mutant(
        "a second log backup chain on a log-shipped database",
        "lync_pchat/backup_task/__init__.py",
        "\"ELSE IF @recovery = N'FULL' AND @shipped = 0 AND @suspended = 0 BEGIN\",",
        "\"ELSE IF @recovery = N'FULL' AND @suspended = 0 BEGIN\",",
        ("tests/install/test_shipping.py", "tests/stacks/test_backups.py", "tests/install/test_backup_scripts.py"),
    ),
    Mutant(
        "a store's mirror patched in its principal's wave",
        "lync_pchat/model/waves.py",
        "    Role.STORE_MIRROR: FIRST,\n",
        "    Role.STORE_MIRROR: SECOND,\n",
        ("tests/operations",),
    ),
    Mutant(
        "every active server patched in one wave",
        "lync_pchat/model/waves.py",
        "return FIRST if server.ordinal % 2 else SECOND",
        "return FIRST",
        ("tests/operations",),
    ),
    Mutant(
        "Pulumi gives up on a Run Command before its script",
        "components/run_command.py",
        'wait = f"{(script_seconds + TIMEOUT_MARGIN) // 60}m"',
        'wait = f"{script_seconds // 120}m"',
        ("tests/stacks/test_backups.py", "tests/components/test_lync_install.py"),
    ),
    Mutant(
        "the deploy role assignable at /",
        DEPLOY_ROLE,
        '"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/REPLACE-WITH-EACH-RESOURCE-GROUP"',
        '"/"',
        (DEPLOY_ROLE_TEST,),
    ),
    Mutant(
        "the deploy role without networkInterfaces/join/action",
        DEPLOY_ROLE,
        '    "Microsoft.Network/networkInterfaces/join/action",\n',
        "",
        (DEPLOY_ROLE_TEST,),
    ),
    Mutant(
        "the deploy role may assign any role",
        DEPLOY_ROLE,
        '    "Microsoft.Authorization/locks/write",\n',
        '    "Microsoft.Authorization/locks/write",\n    "Microsoft.Authorization/roleAssignments/write",\n',
        (DEPLOY_ROLE_TEST,),
    ),
    Mutant(
        "the deploy role may delete the backup storage",
        DEPLOY_ROLE,
        '    "Microsoft.Storage/storageAccounts/write",\n',
        '    "Microsoft.Storage/storageAccounts/write",\n    "Microsoft.Storage/storageAccounts/delete",\n',
        (DEPLOY_ROLE_TEST,),
    ),
    Mutant(
        "the role coverage drops a reference it has no mapping for",
        DEPLOY_ROLE_TEST,
        "            assert (resource.type, path) in REFERENCES, (",
        "            assert (resource.type, path) in REFERENCES or True, (",
        (DEPLOY_ROLE_TEST,),
    ),
    Mutant(
        "27: backup pruning with an empty prefix",
        "lync_pchat/backup_task/scripts/Backup-PChatStores.ps1",
        'Get-PrefixBlob $cfg.Container "$($cfg.Prefix)/$Database/$($env:COMPUTERNAME)/" $Token',
        'Get-PrefixBlob $cfg.Container "" $Token',
        ("tests/install/test_backup_scripts.py",),
    ),
    Mutant(
        "27: blob soft delete 30 -> 1 day",
        "components/backup.py",
        "SOFT_DELETE_DAYS = 30",
        "SOFT_DELETE_DAYS = 1",
        ("tests/stacks/test_backup_posture.py",),
    ),
    Mutant(
        "27: backup storage GRS -> LRS",
        "components/backup.py",
        'SKU = "Standard_GRS"',
        'SKU = "Standard_LRS"',
        ("tests/stacks/test_backup_posture.py",),
    ),
    Mutant(
        "27: every alert rule disabled",
        "components/monitoring.py",
        "            enabled=True,\n            scopes=[self.workspace_id],",
        "            enabled=False,\n            scopes=[self.workspace_id],",
        ("tests/operations/test_alert_semantics.py",),
    ),
    Mutant(
        "27: heartbeat alert leftanti -> inner",
        "lync_pchat/model/monitoring.py",
        "| join kind=leftanti (Heartbeat",
        "| join kind=inner (Heartbeat",
        ("tests/operations/test_alert_semantics.py",),
    ),
    Mutant(
        "27: backup-failed alert reads the System log",
        "lync_pchat/model/monitoring.py",
        """f'Event | where EventLog == "Application" and EventID == {BACKUP_FAILED}'""",
        """f'Event | where EventLog == "System" and EventID == {BACKUP_FAILED}'""",
        ("tests/operations/test_alert_semantics.py",),
    ),
    Mutant(
        "27: Users may change the backup task's script folder",
        "lync_pchat/backup_task/scripts/Register-PChatBackup.ps1",
        "$path = Save-TaskScript $cfg.ScriptFolder $cfg.ScriptName $cfg.Script\n",
        "$path = Save-TaskScript $cfg.ScriptFolder $cfg.ScriptName $cfg.Script\n"
        "& icacls.exe $cfg.ScriptFolder /grant '*S-1-5-32-545:(OI)(CI)M'\n",
        ("tests/install/test_folder_acls.py",),
    ),
    Mutant(
        "27: Users may change the install supervisor's folder",
        "lync_pchat/install/scripts/Invoke-InstallPhase.ps1",
        "    Protect-Folder $cfg.Folder\n",
        "    Protect-Folder $cfg.Folder\n    & icacls.exe $cfg.Folder /grant '*S-1-5-32-545:(OI)(CI)M' | Out-Null\n",
        ("tests/install/test_folder_acls.py",),
    ),
    Mutant(
        "27: the protected folders keep inherited rights",
        "lync_pchat/scripting/scripts/protect.ps1",
        "& icacls.exe $Path /inheritance:r /grant:r",
        "& icacls.exe $Path /grant:r",
        ("tests/install/test_folder_acls.py",),
    ),
    Mutant(
        "the PR preview outside its approved environment",
        ".github/workflows/pull-request.yml",
        "    environment: preview # required reviewers",
        "    # required reviewers",
        ("tests/test_workflows.py",),
    ),
    Mutant(
        "max-parallel removed from deploy",
        ".github/workflows/deploy.yml",
        "      max-parallel: 1\n",
        "",
        ("tests/test_workflows.py",),
    ),
    Mutant(
        "the test job before up removed",
        ".github/workflows/deploy.yml",
        "    needs: [stacks, test]\n",
        "    needs: stacks\n",
        ("tests/test_workflows.py",),
    ),
    Mutant(
        "a pull_request trigger added to deploy",
        ".github/workflows/deploy.yml",
        "  workflow_dispatch:\n",
        "  workflow_dispatch:\n  pull_request:\n",
        ("tests/test_workflows.py",),
    ),
    Mutant(
        "the posture gate off under --fail-on-stateful",
        "lync_pchat/offline/gate.py",
        "(LOSSES | POSTURE if self.stateful else frozenset())",
        "(LOSSES if self.stateful else frozenset())",
        ("tests/offline/test_posture.py",),
    ),
    Mutant(
        "blob soft delete off passes the posture gate",
        "lync_pchat/offline/posture.py",
        'Posture(BLOB_SERVICE, "deleteRetentionPolicy.enabled", _enabled,',
        'Posture(BLOB_SERVICE, "deleteRetentionPolicy.enabled", _disabled,',
        ("tests/offline/test_posture.py",),
    ),
)


def copy_checkout(into: Path) -> None:
    """The tracked and new files of the checkout (symlinks kept), without ignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, into / name
        if not source.exists() and not source.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)


def apply(mutant: Mutant, root: Path) -> None:
    path = root / mutant.path
    text = path.read_text()
    count = text.count(mutant.old)
    if count != 1:
        raise SystemExit(f"{mutant.name}: expected the code once in {mutant.path}, found it {count} times")
    path.write_text(text.replace(mutant.old, mutant.new))


def run(mutant: Mutant) -> tuple[str, float]:
    """'killed by <test>' or 'SURVIVED', and the seconds it took."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pchat-mutant-") as tmp:
        root = Path(tmp)
        copy_checkout(root)
        apply(mutant, root)
        env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
        where = subprocess.run(
            [sys.executable, "-c", f"import {' ,'.join(PROBES)}; print({', '.join(p + '.__file__' for p in PROBES)})"],
            cwd=root, env=env, check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        if not all(Path(file).resolve().is_relative_to(root.resolve()) for file in where):
            raise SystemExit(f"the copy imports the checkout's code, not its own: {where}")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *mutant.tests],
            check=False, cwd=root, env=env, capture_output=True, text=True,
        )  # fmt: skip
    failed = [line.split(" ")[1] for line in result.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))]
    verdict = f"killed by {failed[0]}" if result.returncode != 0 and failed else "SURVIVED"
    if result.returncode not in (0, 1):
        verdict = f"pytest exit {result.returncode}: {result.stdout[-300:]}"
    return verdict, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only the mutants whose name contains one of these")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.only or any(word in m.name for word in args.only)]
    killed = 0
    for mutant in chosen:
        verdict, seconds = run(mutant)
        killed += verdict.startswith("killed by ")
        print(f"{mutant.name:<55} {seconds:6.1f}s  {verdict}", flush=True)
    print(f"{killed} of {len(chosen)} killed")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
