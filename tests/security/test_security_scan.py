"""Checkov over the ARM view of every shipped stack finds nothing on the must-fix list.

Runs only where Checkov is available: ``$CHECKOV`` or ``checkov`` on PATH (e.g. a separate virtualenv),
else the ``checkov`` module of this interpreter (``pytest.importorskip``).
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from lync_pchat import stackfile
from tests.pulumi.stacks import stack_graph

from .support import script

if not (os.environ.get("CHECKOV") or shutil.which("checkov")):
    pytest.importorskip("checkov")

security_scan = script("security_scan")
arm_view = script("arm_view")


def broken(template: dict[str, Any]) -> dict[str, Any]:
    """The lab template with RDP from anywhere, a public IP, a plain password and a plain command."""
    template = copy.deepcopy(template)
    for resource in template["resources"]:
        props = resource["properties"]
        if resource["type"] == "Microsoft.Network/networkSecurityGroups":
            props["securityRules"][0]["properties"]["sourceAddressPrefix"] = "*"
        if resource["type"] == "Microsoft.Network/networkInterfaces":
            props["ipConfigurations"][0]["properties"]["publicIPAddress"] = {"id": "/pip"}
        if resource["type"] == "Microsoft.Compute/virtualMachines":
            props["osProfile"]["adminPassword"] = "Plain-Text-1!"
        if resource["type"] == "Microsoft.Compute/virtualMachines/extensions":
            props["settings"] = {"commandToExecute": "powershell -File init.ps1"}
    return template


def test_shipped_stacks_have_no_must_fix_findings_and_a_broken_one_does(tmp_path: Path) -> None:
    stacks = stackfile.stack_names()
    templates = {stack: arm_view.template(stack_graph(stack)) for stack in stacks}
    templates["broken"] = broken(templates["lab"])
    command = security_scan.checkov_command()
    reports = {r.stack: r for r in security_scan.scan_templates(templates, tmp_path, command)}
    for stack in stacks:
        report = reports[stack]
        assert report.passed > 0 and report.project_passed > 0, security_scan.render(report)
        assert report.must_fix == [], security_scan.render(report)
    assert {f.check_id for f in reports["broken"].must_fix} == {
        "CKV_AZURE_9",
        "PCHAT_ARM_1",
        "PCHAT_ARM_2",
        "PCHAT_ARM_3",
    }
