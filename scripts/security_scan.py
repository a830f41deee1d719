"""Security scan of the shipped stacks: Checkov over the ARM view of their mock-recorded resources.

    python scripts/security_scan.py [STACK ...] [--json] [--keep DIR]

Prints the findings per stack and exits 1 when a check on the must-fix list (scripts/security_scan.md)
fails, 3 when Checkov is not available. Checkov is found through ``$CHECKOV`` (an executable),
``checkov`` on PATH, or the ``checkov`` module of this interpreter. Besides Checkov's ARM checks,
three project checks (``PCHAT_ARM_*``) cover what Checkov has no ARM check for: public IPs and
secrets in plain text.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import arm_view  # puts the repository root on sys.path too

from lync_pchat import stackfile
from lync_pchat.policies.compute import PLAIN_KEY
from lync_pchat.wire import walk
from tests.pulumi.stacks import stack_graph

MUST_FIX = {
    "CKV_AZURE_9": "RDP (3389) open to the Internet",
    "CKV_AZURE_10": "SSH (22) open to the Internet",
    "CKV_AZURE_160": "HTTP (80) open to the Internet",
    "CKV_AZURE_97": "VM without encryption at host",
    "CKV_AZURE_151": "Windows VM without encryption at host",
    "CKV_AZURE_92": "VM without managed disks",
    "CKV_AZURE_45": "credentials in VM custom data",
    "CKV_AZURE_42": "key vault not recoverable",
    "CKV_AZURE_110": "key vault without purge protection",
    "CKV_AZURE_111": "key vault without soft delete",
    "CKV_AZURE_109": "key vault network rules do not deny by default",
    "CKV_AZURE_189": "key vault open to public networks",
    "CKV_AZURE_131": "secure parameter with a hard-coded default",
    "PCHAT_ARM_1": "public IP address on a server",
    "PCHAT_ARM_2": "password or protected setting in plain text",
    "PCHAT_ARM_3": "command or credential in plain extension settings or run command parameters",
    "PCHAT_ARM_4": "role assignment of a privileged role, or at subscription scope or above",
}
"""Check id -> what its failure means. Any other failing check is reported but does not fail the scan."""
NOT_MUST_FIX = {
    "CKV_AZURE_2": "no explicit encryption block; managed disks are always encrypted at rest (platform keys)",
    "CKV_AZURE_93": "customer-managed keys (disk encryption set): a compliance choice, not required",
    "CKV_AZURE_50": "by design: CustomScriptExtension bootstraps, JsonADDomainExtension joins the domain",
    "CKV_AZURE_178": "Linux-only check; these are Windows Server VMs",
    "CKV_AZURE_183": "by design: DNS servers are the domain controllers, outside the VNet",
}
"""Why known non-must-fix failures are accepted (see scripts/security_scan.md)."""
SECRET_PATHS = {
    "Microsoft.Compute/virtualMachines": ("osProfile.adminPassword",),
    "Microsoft.Compute/virtualMachines/extensions": ("protectedSettings",),
    "Microsoft.KeyVault/vaults/secrets": ("value",),
    "Microsoft.Compute/virtualMachines/runCommands": ("runAsPassword", "protectedParameters.*.value"),
}
"""Where each type takes a secret (``*``: each element of a list)."""
PARAMETER = re.compile(r"^\[parameters\('([^']+)'\)\]$")


@dataclass(frozen=True)
class Failure:
    check_id: str
    name: str
    resource: str

    @property
    def must_fix(self) -> bool:
        return self.check_id in MUST_FIX


@dataclass
class StackReport:
    stack: str
    passed: int = 0
    """Checkov checks passed."""
    failed: int = 0
    project_passed: int = 0
    project_failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    not_scanned: list[str] = field(default_factory=list)

    @property
    def must_fix(self) -> list[Failure]:
        return [f for f in self.failures if f.must_fix]


def checkov_command() -> list[str] | None:
    """How to run Checkov here, or None."""
    if os.environ.get("CHECKOV"):
        return [os.environ["CHECKOV"]]
    if importlib.util.find_spec("checkov") is not None:
        return [sys.executable, "-m", "checkov.main"]
    found = shutil.which("checkov")
    return [found] if found else None


def _public_ips(resource: dict[str, Any]) -> Iterator[bool]:
    if resource["type"] == "Microsoft.Network/publicIPAddresses":
        yield False
    for config in resource.get("properties", {}).get("ipConfigurations", []) or []:
        yield "publicIPAddress" not in config.get("properties", {})


def _secrets(resource: dict[str, Any], secure: set[str]) -> Iterator[bool]:
    """Each value where the type takes a secret is a reference to a secure parameter."""
    for path in SECRET_PATHS.get(resource["type"], ()):
        for _, value in walk(resource.get("properties", {}), path):
            if value is not None:
                match = PARAMETER.match(value) if isinstance(value, str) else None
                yield bool(match and match.group(1) in secure)


def _settings(resource: dict[str, Any]) -> Iterator[bool]:
    properties = resource.get("properties", {})
    if resource["type"] == "Microsoft.Compute/virtualMachines/extensions":
        yield not PLAIN_KEY.search(json.dumps(list(_keys(properties.get("settings")))))
    if resource["type"] == "Microsoft.Compute/virtualMachines/runCommands":
        names = [str(p.get("name", "")) for p in properties.get("parameters") or [] if isinstance(p, dict)]
        yield not PLAIN_KEY.search(json.dumps(names))


PRIVILEGED_ROLES = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
}
"""Built-in roles (Azure RBAC built-in roles) that can change anything or grant access: a server's identity
never gets one."""
BROAD_SCOPE = re.compile(r"^/$|^/subscriptions/[^/]+/?$|^/providers/Microsoft\.Management/", re.IGNORECASE)


def _role_assignments(resource: dict[str, Any]) -> Iterator[bool]:
    """A role assignment grants no privileged role, and no role at subscription or management-group scope."""
    if resource["type"] == "Microsoft.Authorization/roleAssignments":
        role = str(resource.get("properties", {}).get("roleDefinitionId", "")).rsplit("/", 1)[-1].lower()
        scope = resource.get("scope")
        yield role not in PRIVILEGED_ROLES and not (isinstance(scope, str) and BROAD_SCOPE.match(scope))


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner)


def project_checks(template: dict[str, Any], report: StackReport) -> None:
    """The PCHAT_ARM_* checks: each resource they apply to passes or fails each."""
    secure = {name for name, p in template.get("parameters", {}).items() if p.get("type", "").startswith("secure")}
    checks: dict[str, Callable[[dict[str, Any]], Iterable[bool]]] = {
        "PCHAT_ARM_1": _public_ips,
        "PCHAT_ARM_2": lambda r: _secrets(r, secure),
        "PCHAT_ARM_3": _settings,
        "PCHAT_ARM_4": _role_assignments,
    }
    for resource in template["resources"]:
        for check_id, check in checks.items():
            for ok in check(resource):
                report.project_passed += ok
                report.project_failed += not ok
                if not ok:
                    where = f"{resource['type']}.{resource['name']}"
                    report.failures.append(Failure(check_id, MUST_FIX[check_id], where))


def _checkov_results(output: str, error: str) -> tuple[int, int, list[Failure]]:
    try:
        data = json.loads(output)
    except json.JSONDecodeError:
        raise RuntimeError(f"checkov gave no JSON report: {error[-2000:]}") from None
    reports = data if isinstance(data, list) else [data]
    failures = [
        Failure(c["check_id"], c["check_name"], c["resource"])
        for r in reports
        for c in r.get("results", {}).get("failed_checks", [])
    ]
    summary = [r.get("summary", {}) for r in reports]
    if any(s.get("parsing_errors") for s in summary):
        raise RuntimeError(f"checkov could not parse the template: {summary}")
    return sum(s.get("passed", 0) for s in summary), sum(s.get("failed", 0) for s in summary), failures


def scan_templates(templates: dict[str, dict[str, Any]], workdir: Path, command: list[str]) -> list[StackReport]:
    """Checkov (one process per template, in parallel) and the project checks over ARM templates."""
    processes = {}
    for stack, template in templates.items():
        path = workdir / f"{stack}.json"
        path.write_text(json.dumps(template, indent=2), encoding="utf-8")
        processes[stack] = subprocess.Popen(
            [*command, "-f", str(path), "--framework", "arm", "--output", "json", "--quiet", "--skip-download"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LOG_LEVEL": "ERROR"},
        )
    reports = []
    for stack, process in processes.items():
        output, error = process.communicate(timeout=600)
        passed, failed, failures = _checkov_results(output, error)
        report = StackReport(stack, passed=passed, failed=failed, failures=failures)
        project_checks(templates[stack], report)
        reports.append(report)
    return reports


def scan(
    stacks: Iterable[str], workdir: Path, command: list[str], graph: Callable[[str], Iterable[Any]] = stack_graph
) -> list[StackReport]:
    """Scan shipped stacks: ARM view of their recorded resources, then :func:`scan_templates`."""
    recorded = {stack: list(graph(stack)) for stack in stacks}
    reports = scan_templates({s: arm_view.template(r) for s, r in recorded.items()}, workdir, command)
    for report in reports:
        report.not_scanned = arm_view.unmapped(r.type for r in recorded[report.stack])
    return reports


def render(report: StackReport) -> str:
    """A stack's findings for a human: counts, must-fix failures, other failures by check."""
    lines = [
        f"{report.stack}: checkov {report.passed} passed, {report.failed} failed; project checks "
        f"{report.project_passed} passed, {report.project_failed} failed; {len(report.must_fix)} must-fix"
    ]
    lines += [f"  MUST FIX {f.check_id} ({MUST_FIX[f.check_id]}): {f.resource}" for f in report.must_fix]
    others = Counter(f.check_id for f in report.failures if not f.must_fix)
    lines += [
        f"  other    {check_id} x{count}: {NOT_MUST_FIX.get(check_id, 'not on the must-fix list')}"
        for check_id, count in sorted(others.items())
    ]
    if report.not_scanned:
        lines.append(f"  not scanned (no ARM mapping): {', '.join(report.not_scanned)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stacks", nargs="*", help="shipped stacks (default: all)")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--keep", type=Path, help="write the ARM templates to this folder")
    args = parser.parse_args(argv)
    command = checkov_command()
    if command is None:
        print("checkov not found: pip install checkov, or set CHECKOV to its executable", file=sys.stderr)
        return 3
    stacks = args.stacks or stackfile.stack_names()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        reports = scan(stacks, workdir, command)
    if args.json:
        print(json.dumps([{**asdict(r), "must_fix": [asdict(f) for f in r.must_fix]} for r in reports], indent=2))
    else:
        print("\n".join(render(r) for r in reports))
    return 1 if any(r.must_fix for r in reports) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
