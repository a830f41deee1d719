"""The backup settings, the vault's readers and the capacity warning of a disaster-recovery site.

Expected defaults come from shared/reference/stack-config.md ("Keys for the next capabilities"); the capacity
from the documented 20,000 users per active server [L:lync-server-2013-capacity-planning-for-persistent-chat-server].
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology

from .configs import changed, enterprise, standard

E = enterprise()
ACCOUNT = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/"
    "Microsoft.Storage/storageAccounts/contosobackup"
)


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(TopologyError) as failed:
        plan_topology(raw)
    return [str(p) for p in failed.value.problems]


def test_the_documented_defaults() -> None:
    backup = plan_topology(E).pools[0].backup
    assert backup is not None
    assert (backup.log_interval_minutes, backup.full_interval_hours, backup.retention_days) == (15, 24, 14)
    assert backup.storage_account_id is None


def test_a_pool_overrides_only_the_keys_it_sets() -> None:
    raw = changed(
        E,
        backup={"logIntervalMinutes": 30, "retentionDays": 60},
        pools__pchat01__backup={"retentionDays": 7, "storageAccountId": ACCOUNT},
    )
    backup = plan_topology(raw).pools[0].backup
    assert backup is not None
    assert (backup.log_interval_minutes, backup.full_interval_hours, backup.retention_days) == (30, 24, 7)
    assert backup.storage_account_id == ACCOUNT


def test_disabled_at_the_top_and_enabled_in_a_pool() -> None:
    assert plan_topology(changed(E, backup={"enabled": False})).pools[0].backup is None
    raw = changed(E, backup={"enabled": False}, pools__pchat01__backup={"enabled": True})
    assert plan_topology(raw).pools[0].backup is not None


@pytest.mark.parametrize(
    ("backup", "problem"),
    [
        ({"logIntervalMinutes": 4}, "backup.logIntervalMinutes: 4 is outside 5 to 720"),
        ({"logIntervalMinutes": 721}, "backup.logIntervalMinutes: 721 is outside 5 to 720"),
        ({"fullIntervalHours": 0}, "backup.fullIntervalHours: 0 is outside 1 to 168"),
        ({"fullIntervalHours": 169}, "backup.fullIntervalHours: 169 is outside 1 to 168"),
        ({"retentionDays": 0}, "backup.retentionDays: 0 is outside 1 to 3650"),
        (
            {"fullIntervalHours": 72, "retentionDays": 2},
            "backup.retentionDays: 2 days keep no full backup taken every 72 hours: retention must cover the full "
            "interval",
        ),
    ],
)
def test_each_setting_in_its_range(backup: dict[str, Any], problem: str) -> None:
    assert problem in problems(changed(E, backup=backup))


def test_a_pool_setting_is_checked_with_the_pools_path() -> None:
    found = problems(changed(E, backup={"fullIntervalHours": 48}, pools__pchat01__backup={"retentionDays": 1}))
    assert found == [
        "pools.pchat01.backup.retentionDays: 1 days keep no full backup taken every 48 hours: retention must cover "
        "the full interval"
    ]


def test_your_account_is_named_by_its_arm_id() -> None:
    found = problems(changed(E, pools__pchat01__backup={"storageAccountId": "contosobackup"}))
    assert len(found) == 1 and found[0].startswith("pools.pchat01.backup.storageAccountId: ")


def test_a_standby_site_smaller_than_the_active_servers_is_a_warning_naming_the_capacity() -> None:
    raw = changed(
        E,
        pools__pchat01__users=80000,
        pools__pchat01__disasterRecovery={"standbySite": "amsterdam", "standbyServers": 1},
    )
    assert (
        "pools.pchat01.disasterRecovery.standbyServers: 1 standby for 4 active servers: after a failover the pool "
        "serves at most 20,000 of its 80,000 users (20,000 per active server) "
        "[L:lync-server-2013-capacity-planning-for-persistent-chat-server]"
    ) in plan_topology(raw).warnings


@pytest.mark.parametrize("standby", [None, 4])
def test_a_standby_site_as_large_as_the_active_servers_gets_no_warning(standby: int | None) -> None:
    dr: dict[str, Any] = {"standbySite": "amsterdam"} | ({"standbyServers": standby} if standby else {})
    raw = changed(E, pools__pchat01__users=80000, pools__pchat01__disasterRecovery=dr)
    assert not [w for w in plan_topology(raw).warnings if "standbyServers" in w]


def test_standard_edition_backs_up_its_sql_express() -> None:
    backup = plan_topology(standard()).pools[0].backup
    assert backup is not None
    ((host,),) = [backup.hosts]
    assert (host.server, host.instance, host.express) == ("lyncse01", ".\\RTC", True)


LOG_GROWS = (
    "every run would take a full backup and no log backup, so the FULL-recovery log of mgc and mgccomp only grows; "
    "make it shorter than fullIntervalHours"
)


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ({"backup": {"fullIntervalHours": 1, "logIntervalMinutes": 720}},
         [f"backup.logIntervalMinutes: 720 minutes between log backups is not less than the 1 hour(s) between full "
          f"backups: {LOG_GROWS}"]),
        ({"backup": {"fullIntervalHours": 2, "logIntervalMinutes": 120}},
         [f"backup.logIntervalMinutes: 120 minutes between log backups is not less than the 2 hour(s) between full "
          f"backups: {LOG_GROWS}"]),
        ({"backup": {"logIntervalMinutes": 120}, "pools__pchat01__backup": {"fullIntervalHours": 1}},
         [f"pools.pchat01.backup.logIntervalMinutes: 120 minutes between log backups is not less than the 1 hour(s) "
          f"between full backups: {LOG_GROWS}"]),
    ],
)  # fmt: skip
def test_a_log_interval_not_below_the_full_interval_is_refused(paths: dict[str, Any], expected: list[str]) -> None:
    """The task runs every logIntervalMinutes and takes a full backup once the last is fullIntervalHours old
    (docs/backups.md); under FULL recovery only a log backup truncates the log (operations.md §1.2)."""
    assert problems(changed(E, **paths)) == expected


def test_a_log_interval_below_the_full_interval_or_backups_off_is_fine() -> None:
    plan_topology(changed(E, backup={"fullIntervalHours": 2, "logIntervalMinutes": 119}))
    plan_topology(changed(E, backup={"enabled": False, "fullIntervalHours": 1, "logIntervalMinutes": 720}))


SHIPPED_OFF = (
    ".enabled: false on pools.pchat01, whose stores are log-shipped to amsterdam: log shipping keeps a standby copy, "
    "not a backup; a deleted room or a corruption ships to the standby too, and nothing is kept to restore from "
    "(a full SQL backup every night is the documented practice) "
    "[L:lync-server-2013-best-practices-for-backup-and-restoration]"
)


@pytest.mark.parametrize(
    ("paths", "where"),
    [
        ({"backup": {"enabled": False}}, "backup"),
        ({"pools__pchat01__backup": {"enabled": False}}, "pools.pchat01.backup"),
    ],
)
def test_backups_off_on_a_log_shipped_pool_is_a_warning(paths: dict[str, Any], where: str) -> None:
    """Hh202184 (best practices): a full backup every night; log shipping (operations.md §1.3) is a copy."""
    plan = plan_topology(changed(E, pools__pchat01__disasterRecovery={"standbySite": "amsterdam"}, **paths))
    assert all(store.log_shipping is not None for store in plan.pools[0].stores)
    assert [w for w in plan.warnings if "log-shipped" in w] == [where + SHIPPED_OFF]
    assert not [w for w in plan_topology(changed(E, **paths)).warnings if "log-shipped" in w]


def test_more_secret_readers_than_a_subscription_has_role_assignments_are_refused() -> None:
    """4,000 role assignments per subscription
    (https://learn.microsoft.com/azure/role-based-access-control/troubleshoot-limits)."""
    readers = [f"00000000-0000-0000-0000-{n:012d}" for n in range(5000)]
    assert problems(changed(E, secretReaders=readers)) == [
        "secretReaders: 5,000 readers, one role assignment each: a subscription holds at most 4,000 role assignments; "
        "name an Entra group instead of its members "
        "[https://learn.microsoft.com/azure/role-based-access-control/troubleshoot-limits]"
    ]
    assert len(plan_topology(changed(E, secretReaders=readers[:4000])).secret_readers) == 4000
