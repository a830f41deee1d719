"""Every scheduled task any script registers, for each product and each Windows Server version it supports, checked
against Task Scheduler's documented limits.

Oracles:
- repetitionType (learn.microsoft.com/windows/win32/taskschd/taskschedulerschema-repetitiontype-complextype):
  ``Interval`` from PT1M to P31D; ``Duration`` optional (absent: repeated indefinitely), at least PT1M.
- operations.md 9.4: ``[TimeSpan]::MaxValue`` as a repetition duration is rejected from Windows Server 2016
  (0x80041318), so no script may use it, whatever the OS.
- schtasks create (learn.microsoft.com/windows-server/administration/windows-commands/schtasks-create): with
  ``/sc minute``, ``/mo`` is 1 to 1439 minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import tree_sitter

from components.lync_install import runbook_scripts
from lync_pchat import backup_task as backup
from lync_pchat import install, maintenance
from lync_pchat.model import Plan, plan_topology
from lync_pchat.model.maintenance import schedule, sessions
from lync_pchat.model.waves import wave
from lync_pchat.runbooks import RUNBOOKS, RunbookNotApplicable, render

from .. import powershell as ps
from ..model.configs import changed, enterprise, standard
from .support import installing, lync_servers, settings

MIN_INTERVAL, MAX_INTERVAL = timedelta(minutes=1), timedelta(days=31)
MIN_DURATION = timedelta(minutes=1)
SCHTASKS_MINUTES = range(1, 1440)
URL = "https://stpchatexample.blob.core.windows.net/pchat-backups"
USERS = {"sender": "sip:pchat-probe1@contoso.com", "receiver": "sip:pchat-probe2@contoso.com"}
OS_BY_PRODUCT = {
    # products.py: the Windows Server versions each product supports on Azure marketplace images.
    "lync2013": ("2012-R2-Datacenter",),
    "skype2015": ("2012-R2-Datacenter", "2016-Datacenter", "2019-Datacenter"),
}


def _plan(product: str, sku: str, base: dict[str, object]) -> Plan:
    raw = changed(
        base,
        product=product,
        images={"windows": {"sku": sku}},
        monitoring={"testUsers": USERS},
    )
    return plan_topology(installing(raw))


CASES = [
    (f"{product}-{sku}-{edition}", _plan(product, sku, base))
    for product, skus in OS_BY_PRODUCT.items()
    for sku in skus
    for edition, base in (
        (
            "ee",
            changed(
                enterprise(),
                pools__pchat01__highAvailability={"mirroring": True, "witness": True},
                pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
            ),
        ),
        ("se", standard()),
    )
]


def scripts(plan: Plan) -> Iterator[tuple[str, str]]:
    """(name, text) of every script of the plan: install phases and their supervisors, runbooks, backup tasks, the
    mirroring partners' maintenance steps."""
    for pool in plan.pools:
        yield "databases", install.database_script(pool, plan)
        yield "verify", install.verify_script(pool, plan, runbook_scripts(plan, pool))
        for server in lync_servers(plan):
            if server.pool == pool.key:
                phase = install.server_script(server, plan)
                yield f"{server.key}-install", phase
                yield (
                    f"{server.key}-supervisor",
                    install.supervisor_script(install.INSTALL, phase, setup_user="CORP\\svc-lyncsetup", token=None),
                )
                yield f"{server.key}-update", install.update_script(server, plan)
                yield f"{server.key}-start", install.start_script(server, plan)
                yield (
                    f"{server.key}-release",
                    install.release_script(server, plan, runbook_scripts(plan, plan.pool(server.pool))),
                )
        if pool.backup is not None:
            for host in pool.backup.hosts:
                yield f"{host.server}-backup", backup.register_script(host, pool.backup, URL)
    for key in sessions(plan):
        assert plan.patching is not None
        window = plan.patching.windows[wave(plan.server(key)) - 1]
        trigger = schedule(window, "2027-01-02 01:00", plan.patching.time_zone)
        yield f"{key}-maintenance", maintenance.register_script(key, plan, trigger, 180)
    for name in RUNBOOKS:
        try:
            files = render(plan, name)
        except RunbookNotApplicable:
            continue
        yield from files.items()


def timespan(node: tree_sitter.Node | None) -> timedelta:
    """The value of ``(New-TimeSpan -Days/-Hours/-Minutes n)``; AssertionError for anything else (MaxValue)."""
    assert node is not None, "a repetition parameter without a value"
    (call,) = ps.commands(node, "New-TimeSpan")
    units = {"-days": "days", "-hours": "hours", "-minutes": "minutes"}
    assert call.parameters and set(call.parameters) <= set(units), ps.text(node)
    return timedelta(**{units[k]: int(ps.text(v)) for k, v in call.parameters.items() if v is not None})


@pytest.mark.parametrize(("case", "plan"), CASES, ids=[c for c, _ in CASES])
def test_every_trigger_is_within_task_schedulers_documented_limits(case: str, plan: Plan) -> None:
    triggers = 0
    for name, text in scripts(plan):
        assert not re.search(r"(?i)timespan\]::maxvalue", text), f"{case} {name}: an unbounded duration"
        root = ps.parse(text)
        for trigger in ps.commands(root, "New-ScheduledTaskTrigger"):
            triggers += 1
            if "-repetitioninterval" not in trigger.parameters:
                assert "-repetitionduration" not in trigger.parameters, f"{name}: a duration needs an interval"
                continue
            interval = timespan(trigger.parameters["-repetitioninterval"])
            assert MIN_INTERVAL <= interval <= MAX_INTERVAL, f"{case} {name}: interval {interval}"
            if "-repetitionduration" in trigger.parameters:
                duration = timespan(trigger.parameters["-repetitionduration"])
                assert duration >= MIN_DURATION, f"{case} {name}: duration {duration}"
                assert interval <= duration, f"{case} {name}: the task would never repeat"
        for call in ps.commands(root, "schtasks.exe"):
            triggers += 1
            args = [ps.text(a) for a in call.arguments]
            if args[args.index("/SC") + 1].upper() == "MINUTE":
                assert args[args.index("/MO") + 1] == "$cfg.IntervalMinutes"
                assert settings(text)["IntervalMinutes"] in SCHTASKS_MINUTES, f"{case} {name}"
    assert triggers >= 3, "the supervisor's, the probe's and a backup task's triggers were all read"


@pytest.mark.parametrize(("case", "plan"), CASES[:1], ids=[c for c, _ in CASES[:1]])
def test_the_probe_repeats_every_day_for_a_day(case: str, plan: Plan) -> None:
    """The probe: a daily trigger whose repetition (every few minutes for one day) comes from a one-time trigger,
    so it runs indefinitely without an unbounded duration."""
    (pool,) = plan.pools
    text = render(plan, "verify")[f"verify-{pool.key}.ps1"]
    root = ps.parse(text)
    daily, once = ps.commands(root, "New-ScheduledTaskTrigger")
    assert "-daily" in daily.parameters and "-once" in once.parameters
    assert timespan(once.parameters["-repetitionduration"]) == timedelta(days=1)
    assert "$trigger.Repetition = (New-ScheduledTaskTrigger -Once" in text
    (register,) = ps.commands(root, "Register-ScheduledTask")
    assert ps.text(register.parameters["-trigger"]) == "$trigger"  # type: ignore[arg-type]
