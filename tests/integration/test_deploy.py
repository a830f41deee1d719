"""A real deployment of the `lab` scenario: up, up again with no changes, destroy.

Needs the Pulumi CLI, Azure credentials and PCHAT_INTEGRATION=1 (it creates billable
resources for about an hour). Uses the Automation API against this project directory with a
throwaway stack whose stateful resources are unprotected, so that destroy can remove them.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest

from lync_pchat import stackfile

ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = ("ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_CLIENT_ID")

pytestmark = [
    pytest.mark.skipif(shutil.which("pulumi") is None, reason="the Pulumi CLI is not installed"),
    pytest.mark.skipif(
        not all(os.environ.get(k) for k in CREDENTIALS),
        reason=f"Azure credentials are not set ({', '.join(CREDENTIALS)})",
    ),
    pytest.mark.skipif(
        os.environ.get("PCHAT_INTEGRATION") != "1", reason="set PCHAT_INTEGRATION=1 to deploy billable Azure resources"
    ),
]


def test_lab_deploys_idempotently_and_destroys() -> None:
    from pulumi import automation as auto

    name = f"it-{uuid.uuid4().hex[:8]}"
    topology = stackfile.topology(stackfile.load_config(stackfile.stack_path("lab")))
    assert isinstance(topology, dict)
    topology = {**topology, "protectStatefulResources": False, "lockStores": False}
    stack = auto.create_stack(name, work_dir=str(ROOT))
    try:
        stack.set_config("pchat:topology", auto.ConfigValue(json.dumps(topology)))
        result = stack.up(on_output=print)
        assert result.outputs["poolFqdns"].value == {"lyncse01": "lyncse01.lab.contoso.com"}
        stack.preview(expect_no_changes=True, on_output=print)
    finally:
        stack.destroy(on_output=print)
        stack.workspace.remove_stack(name)
        stackfile.stack_path(name, ROOT / "stacks").unlink(missing_ok=True)
