"""Rules on the Azure and Windows side: domain, names, networks, sizes, disks, tags."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import UTC, date, datetime
from ipaddress import IPv4Network
from itertools import combinations

from . import arm
from . import sources as src
from .addressing import MAX_PREFIX, MIN_PREFIX, is_private, parse_network
from .catalog import (
    AZURE_REGIONS,
    DOCUMENTED_SPEC,
    EVALUATION_SPEC,
    WITNESS_SPEC,
    HardwareSpec,
    VmSize,
    sizes_meeting,
)
from .config import Hardware, TopologyConfig
from .errors import Problem
from .exposure import RESERVED_FOR_SIP, admin_port
from .layout import name_prefix, seats
from .sizes import known_sizes, size_hint
from .tags import AZURE_MAX_TAGS, PROJECT_TAGS
from .text import (
    admin_name_problem,
    did_you_mean,
    is_computer_name,
    is_fqdn,
    is_ipv4,
    is_time_zone_id,
    time_zone_problem,
)

MAX_USER_TAGS = AZURE_MAX_TAGS - len(PROJECT_TAGS)
MIN_DISK_GB, MAX_DISK_GB = 72, 32_767
"""72 GB free per disk [L:lync-server-2013-server-hardware-platforms]; Azure's largest disk."""
MAX_SECRET_DAYS = 3650
"""Ten years: a secret that lives longer is no longer a rotation reminder."""


def domain(cfg: TopologyConfig) -> Iterator[Problem]:
    if not is_fqdn(cfg.domain):
        yield Problem(
            "domain",
            f"{cfg.domain!r} is not a multi-label DNS domain such as corp.contoso.com; "
            "single-label domains are not supported",
            src.AD_DS,
        )


def admin_username(cfg: TopologyConfig) -> Iterator[Problem]:
    reason = admin_name_problem(cfg.admin_username)
    if reason:
        yield Problem("adminUsername", reason)


def source_ranges(cfg: TopologyConfig) -> Iterator[Problem]:
    """The ranges NSG rules admit traffic from. The servers have no public address, so traffic reaches
    them only over private networks: every source range is inside RFC 1918."""
    for path, text in _ranges(cfg):
        try:
            network = parse_network(text)
        except ValueError as error:
            yield Problem(path, f"{text!r} is not a network: {error}")
            continue
        if not is_private(network):
            yield Problem(
                path,
                f"{network} is not inside a private (RFC 1918) range: the servers have no public address, so "
                "only your private networks reach them; give the range of those hosts",
            )
    for key, pool in cfg.pools.items():
        if pool.front_end_cidr is not None and pool.front_end_cidrs:
            yield Problem(f"pools.{key}.frontEndCidr", "set frontEndCidrs (a list) or frontEndCidr, not both")


def _ranges(cfg: TopologyConfig) -> Iterator[tuple[str, str]]:
    for path, value in (
        ("managementCidr", cfg.management_cidr),
        ("centralManagementCidr", cfg.central_management_cidr),
    ):
        if value is not None:
            yield path, value
    for key, pool in cfg.pools.items():
        if pool.front_end_cidr is not None:
            yield f"pools.{key}.frontEndCidr", pool.front_end_cidr
        yield from ((f"pools.{key}.frontEndCidrs.{n}", text) for n, text in enumerate(pool.front_end_cidrs))


def tags(cfg: TopologyConfig) -> Iterator[Problem]:
    """Azure's limits on tags, counting the project's own; tag names are case-insensitive in Azure."""
    if len(cfg.tags) > MAX_USER_TAGS:
        yield Problem(
            "tags",
            f"{len(cfg.tags)} tags: at most {MAX_USER_TAGS}, because Azure allows {AZURE_MAX_TAGS} per resource "
            f"and this project sets {', '.join(PROJECT_TAGS)}",
        )
    seen: dict[str, str] = {}
    for name, value in cfg.tags.items():
        path = f"tags.{name}"
        if name.lower() in PROJECT_TAGS:
            yield Problem(path, "this tag is set by the project to record the topology; rename yours")
        elif seen.setdefault(name.lower(), name) != name:
            yield Problem(path, f"Azure tag names ignore case, so this is the tag {seen[name.lower()]!r} again")
        if not 1 <= len(name) <= 512 or set(name) & set("<>%&\\?/"):
            yield Problem(path, "Azure tag names are 1 to 512 characters without < > % & \\ ? /")
        if len(value) > 256:
            yield Problem(path, "Azure tag values are at most 256 characters")


def sites(cfg: TopologyConfig) -> Iterator[Problem]:
    networks: dict[str, IPv4Network] = {}
    for key, site in cfg.sites.items():
        path = f"sites.{key}"
        if site.region not in AZURE_REGIONS:
            yield Problem(f"{path}.region", region_problem(site.region))
        network = yield from _address_space(f"{path}.addressSpace", site.address_space)
        if network is not None:
            networks[key] = network
        for index, server in enumerate(site.dns_servers):
            if not is_ipv4(server):
                yield Problem(f"{path}.dnsServers.{index}", f"{server!r} is not an IPv4 address")
    reported: set[str] = set()
    for (a, net_a), (b, net_b) in combinations(networks.items(), 2):
        if net_a.overlaps(net_b) and b not in reported:
            reported.add(b)
            yield Problem(
                f"sites.{b}.addressSpace", f"{net_b} overlaps {net_a} of site {a!r}; peered sites need distinct ranges"
            )


def region_problem(text: str) -> str:
    """Why ``text`` is not an Azure region name, with the names it resembles (``West Europe`` is ``westeurope``)."""
    hint = did_you_mean(text, AZURE_REGIONS, n=3, cutoff=0.75, fold=lambda t: "".join(t.split()).lower())
    hint = hint or "lowercase, e.g. westeurope"
    return f"{text!r} is not an Azure region name ({hint})"


def _address_space(path: str, text: str) -> Generator[Problem, None, IPv4Network | None]:
    """Problems of one site address space; returns the network when it is usable."""
    try:
        network = parse_network(text)
    except ValueError as error:
        yield Problem(path, f"{text!r} is not a network: {error}")
        return None
    if not is_private(network):
        yield Problem(path, f"{network} is not a private (RFC 1918) range")
        return None
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        yield Problem(
            path,
            f"{network} must be a /{MIN_PREFIX} to /{MAX_PREFIX} network to hold the Persistent Chat and SQL subnets",
        )
        return None
    return network


def computer_names(cfg: TopologyConfig) -> Iterator[Problem]:
    owners: dict[str, str] = {}
    for key, pool in cfg.pools.items():
        prefix = name_prefix(key, pool)
        path = f"pools.{key}" + (".computerNamePrefix" if pool.computer_name_prefix else "")
        for seat in seats(pool, cfg.edition):
            name = seat.computer_name(prefix)
            if not is_computer_name(name):
                hint = "" if pool.computer_name_prefix else "; set computerNamePrefix to a shorter prefix"
                yield Problem(
                    path,
                    f"the computer name {name!r} ({len(name)} characters) is not a "
                    f"valid Windows computer name of at most 15 characters{hint}",
                )
                break
            if owners.setdefault(name.lower(), key) != key:
                yield Problem(
                    path,
                    f"the computer name {name!r} is also planned for pool "
                    f"{owners[name.lower()]!r}; set a distinct computerNamePrefix",
                )
                break


def pool_settings(cfg: TopologyConfig) -> Iterator[Problem]:
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        if not 1 <= pool.port <= 65_535:
            yield Problem(f"{path}.port", f"{pool.port} is not a TCP port (1 to 65535)")
        elif pool.port in (8011, 881):
            yield Problem(
                f"{path}.port",
                f"{pool.port} is used by Persistent Chat itself "
                "(8011 inter-server, 881 WCF); the default SIP port is 5041",
                src.PORTS,
            )
        elif (taken := admin_port(pool.port, pool.port, RESERVED_FOR_SIP)) is not None:
            yield Problem(
                f"{path}.port",
                f"{pool.port} is reserved ({taken}): the SIP rule would open it to the Front Ends; "
                "the default SIP port is 5041",
                src.PORTS,
            )
        if not is_time_zone_id(pool.time_zone):
            yield Problem(f"{path}.timeZone", time_zone_problem(pool.time_zone))
        disk = pool.data_disk
        if disk.file_system.upper() != "NTFS":
            yield Problem(
                f"{path}.dataDisk.fileSystem",
                f"{disk.file_system} is not supported: Persistent Chat must be installed "
                "on NTFS (FAT32 is explicitly unsupported)",
                src.DEPLOYING,
            )
        yield from _disk_size(f"{path}.dataDisk.sizeGb", disk.size_gb)
        store = pool.store
        for name in ("data_disk_gb", "log_disk_gb", "temp_db_disk_gb", "backup_disk_gb"):
            camel = "".join(w.capitalize() if i else w for i, w in enumerate(name.split("_")))
            yield from _disk_size(f"{path}.store.{camel}", getattr(store, name))


def vm_sizes(cfg: TopologyConfig) -> Iterator[Problem]:
    sizes = known_sizes(cfg)
    for key, pool in cfg.pools.items():
        path = f"pools.{key}"
        spec = DOCUMENTED_SPEC if pool.hardware is Hardware.DOCUMENTED else EVALUATION_SPEC
        yield from _size(f"{path}.vmSize", pool.vm_size, spec, pool.hardware, sizes)
        yield from _size(f"{path}.store.vmSize", pool.store.vm_size, spec, pool.hardware, sizes)
        witness = pool.high_availability.witness_vm_size
        yield from _size(f"{path}.highAvailability.witnessVmSize", witness, WITNESS_SPEC, None, sizes)


def _size(
    path: str, name: str | None, spec: HardwareSpec, hardware: Hardware | None, sizes: dict[str, VmSize]
) -> Iterator[Problem]:
    if name is None:
        return
    size = sizes.get(name)
    if size is None:
        yield Problem(
            path,
            f"{name!r} is not in the catalog; {size_hint(name, sizes)}choose one of {_suggest(spec)}, or state its "
            "vCPUs and memory in customVmSizes",
            src.AZURE_SIZES,
        )
    elif not size.premium_storage:
        yield Problem(
            path,
            f"{name} cannot use Premium SSD, which the data volumes need; choose one of {_suggest(spec)}",
            src.AZURE_SIZES,
        )
    elif not spec.met_by(size):
        if hardware is Hardware.DOCUMENTED:
            message = (
                f"{size.describe()}; the documented hardware is 2 x hex-core "
                f"({spec.describe()}). Choose one of {_suggest(spec)}, "
                "or set hardware: evaluation for a smaller, unsupported lab"
            )
            yield Problem(path, message, src.HARDWARE)
        else:
            yield Problem(path, f"{size.describe()}; below the floor of {spec.describe()}")


def _suggest(spec: HardwareSpec) -> str:
    """The three smallest catalog sizes that meet ``spec``."""
    return ", ".join(sizes_meeting(spec)[:3])


def _disk_size(path: str, size_gb: int) -> Iterator[Problem]:
    if not MIN_DISK_GB <= size_gb <= MAX_DISK_GB:
        yield Problem(
            path,
            f"{size_gb} GB is outside {MIN_DISK_GB} to {MAX_DISK_GB} GB "
            f"(the documented hardware has at least {MIN_DISK_GB} GB free per disk)",
            src.HARDWARE,
        )


def guardrails(cfg: TopologyConfig) -> Iterator[Problem]:
    """Secret expiry and the diagnostics workspace."""
    days = cfg.secret_expiry_days
    if days is not None and not 1 <= days <= MAX_SECRET_DAYS:
        yield Problem(
            "secretExpiryDays", f"{days} is outside 1 to {MAX_SECRET_DAYS} days; use null for secrets that never expire"
        )
    not_after = cfg.secrets_not_after
    if not_after is not None:
        if days is None:
            yield Problem("secretsNotAfter", "secretExpiryDays is null (secrets never expire): remove one of the two")
        if not_after <= today():
            yield Problem(
                "secretsNotAfter",
                f"{not_after.isoformat()} is not in the future (today is {today().isoformat()}, UTC): the secrets "
                "would be created expired; give the date (YYYY-MM-DD) they must be rotated by",
            )
    workspace = cfg.diagnostics.workspace_resource_id if cfg.diagnostics else None
    if workspace is not None and not arm.WORKSPACE.matches(workspace):
        yield Problem("diagnostics.workspaceResourceId", arm.WORKSPACE.problem(workspace))


def today() -> date:
    """Today's date in UTC, the clock of :func:`guardrails` (tests replace it)."""
    return datetime.now(UTC).date()


RULES = (domain, admin_username, source_ranges, tags, sites, computer_names, pool_settings, vm_sizes, guardrails)
