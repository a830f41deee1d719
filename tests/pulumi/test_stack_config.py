"""The Pulumi edge: the stack's topology is validated before any resource is registered."""

from __future__ import annotations

import pulumi
import pytest

from lync_pchat.errors import TopologyConfigError
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.program import run as program
from lync_pchat.stack import load_plan

from ..model.configs import changed, enterprise


def test_error_is_a_run_error_so_the_cli_prints_no_traceback() -> None:
    assert issubclass(TopologyConfigError, pulumi.RunError)


def test_invalid_topology_registers_nothing() -> None:
    config = {"pchat:topology": changed(enterprise(), pools__pchat01__users=90000, domain="contoso")}
    monitor = RecordingMonitor(AzureMocks())
    with pytest.raises(TopologyConfigError) as caught:
        run(program, config, monitor)
    assert str(caught.value).splitlines() == [
        "pchat:topology is not a supported Persistent Chat topology (2 problems):",
        "  - pools.pchat01.users: 90,000 concurrent users: a pool serves 1 to 80,000 (4 active "
        "servers of 20,000) [L:lync-server-2013-capacity-planning-for-persistent-chat-server]",
        "  - domain: 'contoso' is not a multi-label DNS domain such as corp.contoso.com; "
        "single-label domains are not supported [L:lync-server-2013-active-directory-domain-services-support]",
    ]
    assert monitor.registered == []
    assert caught.value.__cause__ is None


def test_missing_topology_says_where_to_start() -> None:
    with pytest.raises(TopologyConfigError, match=r"^pchat:topology is not set: copy a scenario"):
        run(load_plan, {})


def test_valid_topology_yields_its_plan() -> None:
    plan, monitor = run(load_plan, {"pchat:topology": enterprise()})
    assert [s.key for s in plan.servers] == ["pchat01-a1", "pchat01-a2", "pchat01-sql"]
    assert monitor.registered == []
