"""The fast subset: the tests that run neither the mock engine nor a subprocess, for a check in seconds
while editing the model, the scripts or the runbooks (``python -m pytest --fast``).

``--fast`` collects only the files of :data:`FAST` (others are not even imported: some synthesize at import)
and deselects :data:`SLOW`; every other test is marked ``slow`` (``-m slow`` runs only those). A new test
file is slow until it is listed here, so the subset stays fast as the suite grows.
``python benchmarks/suite.py --fast`` measures it.
"""

from __future__ import annotations

FAST = (
    "tests/install/test_backup_scripts.py",
    "tests/install/test_database.py",
    "tests/install/test_products.py",
    "tests/install/test_quoting.py",
    "tests/install/test_release.py",
    "tests/install/test_start.py",
    "tests/install/test_supervisor.py",
    "tests/install/test_update.py",
    "tests/model/test_firewall.py",
    "tests/model/test_parsing.py",
    "tests/model/test_plan.py",
    "tests/model/test_products.py",
    "tests/model/test_rules.py",
    "tests/model/test_rules_backup.py",
    "tests/model/test_rules_estate.py",
    "tests/model/test_rules_security.py",
    "tests/model/test_sources.py",
    "tests/operations/test_operations_rules.py",
    "tests/operations/test_waves.py",
    "tests/policies/test_hardware.py",
    "tests/policies/test_images.py",
    "tests/policies/test_network.py",
    "tests/policies/test_placement.py",
    "tests/runbooks/test_configure.py",
    "tests/runbooks/test_disaster.py",
    "tests/runbooks/test_log_shipping.py",
    "tests/runbooks/test_migrate.py",
    "tests/runbooks/test_restore.py",
    "tests/runbooks/test_syntax.py",
    "tests/runbooks/test_templating.py",
    "tests/runbooks/test_topologies.py",
    "tests/runbooks/test_verify.py",
    "tests/scripting/test_renderer.py",
    "tests/security/test_checkov_in_ci.py",
    "tests/test_docs.py",
    "tests/test_quoting.py",
    "tests/test_report_product.py",
    "tests/test_schema.py",
)
"""Test files and folders (paths from the repository root) of the fast subset."""
SLOW = (
    "tests/model/test_plan.py::test_share_invariants_of_random_topologies",
    "tests/install/test_quoting.py::test_any_setting_stays_one_literal",
)
"""Node id prefixes inside :data:`FAST` that are slow all the same (property tests that plan hundreds of
random topologies)."""


def is_slow(nodeid: str) -> bool:
    """Whether the test of this pytest node id (or test file, a path from the repository root) stays out
    of the fast subset."""
    return nodeid.split("::", 1)[0] not in FAST or nodeid.startswith(SLOW)
