"""The guardrails as data: name, level, severity, description and the pure check of each policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model.ports import RDP
from ..model.sources import DATABASE_SOFTWARE, ESU_FAQ, SKYPE_SERVER, url
from .base import (
    BACKUP,
    CAPACITY,
    EXTENSIONS,
    HARDWARE,
    PORTS,
    REQUIRED_RESOURCES,
    SYSTEM_PLATFORMS,
    ResourceCheck,
    StackCheck,
)
from .compute import check_protected, check_secrets
from .hardware import EVALUATION_CONFIG, check_vm_size
from .images import PRODUCT_CONFIG, advise_sql2014, check_versions
from .network import check_admin_sources, check_internet_inbound, check_public_ip, check_rdp_source
from .placement import check_site_placement
from .support import advise_support
from .topology import advise_dedicated_sql, advise_separate_compliance, check_pool_size

PACK_NAME = "lync-pchat-guardrails"


@dataclass(frozen=True)
class PolicySpec:
    """One policy: exactly one of ``resource_check`` and ``stack_check`` is set."""

    name: str
    description: str
    mandatory: bool
    severity: str
    """low, medium, high or critical."""
    source: str
    """The source key of the rule (``L:<slug>`` or ``AZ:<path>``)."""
    resource_check: ResourceCheck | None = None
    stack_check: StackCheck | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    """JSON schema of each config property."""

    @property
    def url(self) -> str:
        """Where the rule is documented."""
        return url(self.source)


MANAGEMENT_CIDR = {
    "managementCidr": {
        "type": "string",
        "description": f"The only range RDP ({RDP.number}) may come from, e.g. 10.0.0.0/24; unset: any RFC 1918 range.",
    }
}

SPECS: tuple[PolicySpec, ...] = (
    PolicySpec(
        "pchat-pool-size",
        "At most 8 Persistent Chat servers per pool and 4 per data center (region); at most 4 tagged active.",
        mandatory=True,
        severity="high",
        source=CAPACITY,
        stack_check=check_pool_size,
    ),
    PolicySpec(
        "pchat-vm-size",
        "Every VM of a Persistent Chat deployment meets the documented hardware (2 x hex-core, 32 GB) with a "
        "catalog size; witnesses and the evaluation pools and VMs of the policy config need only a catalog size.",
        mandatory=True,
        severity="medium",
        source=HARDWARE,
        stack_check=check_vm_size,
        config=EVALUATION_CONFIG,
    ),
    PolicySpec(
        "pchat-no-public-ip",
        "No public IP address on any server.",
        mandatory=True,
        severity="critical",
        source=PORTS,
        resource_check=check_public_ip,
    ),
    PolicySpec(
        "pchat-no-internet-inbound",
        "No inbound NSG rule allows traffic from the Internet.",
        mandatory=True,
        severity="critical",
        source=PORTS,
        resource_check=check_internet_inbound,
    ),
    PolicySpec(
        "pchat-rdp-management-only",
        f"RDP ({RDP.number}) is allowed only from the management range.",
        mandatory=True,
        severity="high",
        source=PORTS,
        resource_check=check_rdp_source,
        config=MANAGEMENT_CIDR,
    ),
    PolicySpec(
        "pchat-admin-ports-private",
        "Admin and data ports (RDP, RPC, SMB, SQL, WinRM, mirroring, 8011) only from RFC 1918 ranges or the "
        "VirtualNetwork tag.",
        mandatory=True,
        severity="high",
        source=PORTS,
        resource_check=check_admin_sources,
    ),
    PolicySpec(
        "pchat-secrets",
        "Passwords and extension commands never travel in plain-text settings.",
        mandatory=True,
        severity="critical",
        source=EXTENSIONS,
        resource_check=check_secrets,
    ),
    PolicySpec(
        "pchat-stateful-protected",
        "Disks, the key vault, SQL registrations and SQL Server VMs are protected against deletion.",
        mandatory=True,
        severity="high",
        source=BACKUP,
        resource_check=check_protected,
    ),
    PolicySpec(
        "pchat-site-placement",
        "A pool spans at most two regions, with witnesses beside their SQL Servers and as many SQL Servers "
        "on each side; standby servers and backup stores are in another region than the active servers, "
        "mirrors and witnesses beside their store.",
        mandatory=True,
        severity="high",
        source=REQUIRED_RESOURCES,
        stack_check=check_site_placement,
    ),
    PolicySpec(
        "pchat-supported-versions",
        "Pool servers run a Windows Server version, and stores a SQL Server version, that the product (policy config "
        "product: lync2013 or skype2015) documents; SQL Server 2014 under Lync Server 2013 is the advisory's.",
        mandatory=True,
        severity="high",
        source=SKYPE_SERVER,
        stack_check=check_versions,
        config=PRODUCT_CONFIG,
    ),
    PolicySpec(
        "pchat-sql-outside-lync2013",
        "Lync Server 2013 stores on SQL Server 2014: outside its documented SQL versions (2008 R2, 2012).",
        mandatory=False,
        severity="medium",
        source=DATABASE_SOFTWARE,
        stack_check=advise_sql2014,
        config=PRODUCT_CONFIG,
    ),
    PolicySpec(
        "pchat-support-ended",
        "What the servers run (Windows Server, SQL Server, and the policy config's product) is past the end of "
        "Microsoft's support, by the dates the plan uses.",
        mandatory=False,
        severity="medium",
        source=ESU_FAQ,
        stack_check=advise_support,
        config=PRODUCT_CONFIG,
    ),
    PolicySpec(
        "pchat-dedicated-sql",
        "The PersistentChatStore has a dedicated SQL Server.",
        mandatory=False,
        severity="low",
        source=SYSTEM_PLATFORMS,
        stack_check=advise_dedicated_sql,
    ),
    PolicySpec(
        "pchat-separate-compliance",
        "With compliance on, mgccomp has its own SQL instance.",
        mandatory=False,
        severity="low",
        source=REQUIRED_RESOURCES,
        stack_check=advise_separate_compliance,
    ),
)
MANDATORY = tuple(spec.name for spec in SPECS if spec.mandatory)
ADVISORY = tuple(spec.name for spec in SPECS if not spec.mandatory)
