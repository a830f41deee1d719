"""Plans for the needs tests: every shipped stack with the install on, the full HA/DR pool, and both with the Front
End ranges set (``frontEndCidrs``), as issue 22 checks them."""

from __future__ import annotations

from lync_pchat.model import Plan, plan_topology

from ..install.support import FULL, PLANS, installing
from ..model.configs import changed, enterprise

FRONT_ENDS = plan_topology(
    installing(
        changed(
            enterprise(),
            managementCidr="10.0.0.0/24",
            centralManagementCidr="10.0.20.0/24",
            pools__pchat01__frontEndCidrs=["10.0.20.0/24", "10.0.21.0/24"],
            pools__pchat01__compliance={"enabled": True},
            pools__pchat01__highAvailability={"mirroring": True, "witness": True},
            pools__pchat01__disasterRecovery={"standbySite": "amsterdam"},
        )
    )
)
"""The HA/DR pool (mirroring, witness, compliance, standby site) with managementCidr and frontEndCidrs."""
EVERY_PLAN: list[Plan] = [*PLANS, FRONT_ENDS]
assert FULL in EVERY_PLAN
