"""The backup writer's role assignment condition, for a computer name in capitals.

The backup task uploads under ``<pool>/<database>/$env:COMPUTERNAME/`` (Backup-PChatStores.ps1; docs/backups.md
"<pool>/<database>/<computer>/"), and Windows spells ``COMPUTERNAME`` in capitals whatever the configuration said;
blob names are case-sensitive, so the condition compares with ``StringStartsWithIgnoreCase``
[AZ:role-based-access-control/conditions-format.md] against one lower-case prefix per database.
"""

from __future__ import annotations

from components.backup import BLOB_PATH, _own_prefixes, own_prefix_condition
from lync_pchat.model.backup import BackupHost, BackupPlan, Upload

HOST = BackupHost(
    server="pchat01-sql",
    instance=".",
    databases=("mgc", "mgccomp"),
    folder="F:\\Backup",
    uploads=(Upload("F:\\Backup", "mgc"), Upload("F:\\Backup", "mgccomp"), Upload("F:\\Ship", "mgc")),
    express=False,
)
PLAN = BackupPlan(
    pool="pchat01",
    log_interval_minutes=15,
    full_interval_hours=24,
    retention_days=14,
    storage_account_id=None,
    hosts=(HOST,),
    log_shipped=(),
)


def test_a_capitalized_computer_name_gets_one_lower_case_prefix_per_database() -> None:
    assert _own_prefixes(HOST, PLAN, "PCHAT01SQL") == [
        "pchat01/mgc/pchat01sql/",
        "pchat01/mgccomp/pchat01sql/",
        "run-commands/pchat01-sql/",
    ]


def test_the_condition_ignores_case_on_every_prefix() -> None:
    prefixes = ["pchat01/mgc/pchat01sql/", "run-commands/pchat01-sql/"]
    condition = own_prefix_condition(prefixes)
    for prefix in prefixes:
        assert f"{BLOB_PATH} StringStartsWithIgnoreCase '{prefix}'" in condition
    assert "StringStartsWith '" not in condition
