"""Azure VM sizes and images this project deploys, with the facts sizing needs.

Sizes: the Dsv5, Dsv6, Fsv2, Esv5 and Esv6 series pages [AZ:sizes/...] (vCPUs, memory, max data disks); all
``s`` sizes take Premium SSD and their vCPUs are hyper-threads, so two vCPUs make one physical core. The v6
sizes run Generation 2 VMs only ("Generation 1 VMs: Not Supported"), so they need a Generation 2 image.
Images are configurable per stack (:class:`~lync_pchat.model.config.ImagesConfig`, with the defaults).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class VmSize:
    """One Azure VM size."""

    name: str
    vcpus: int
    memory_gib: int
    hyperthreaded: bool
    premium_storage: bool
    max_data_disks: int
    generation2_only: bool = False
    """Runs Generation 2 VMs only (a v6 size): the image must be a Generation 2 one."""

    @property
    def physical_cores(self) -> int:
        return self.vcpus // 2 if self.hyperthreaded else self.vcpus

    def describe(self) -> str:
        threads = " (hyper-threaded)" if self.hyperthreaded else ""
        return (
            f"{self.name} has {self.vcpus} vCPUs{threads}, i.e. {self.physical_cores} "
            f"physical cores, and {self.memory_gib} GiB"
        )


def _sizes(*sizes: VmSize) -> MappingProxyType[str, VmSize]:
    return MappingProxyType({size.name: size for size in sizes})


VM_SIZES = _sizes(
    VmSize("Standard_D2s_v5", 2, 8, True, True, 4),
    VmSize("Standard_D4s_v5", 4, 16, True, True, 8),
    VmSize("Standard_D4_v5", 4, 16, True, False, 8),
    VmSize("Standard_D8s_v5", 8, 32, True, True, 16),
    VmSize("Standard_D16s_v5", 16, 64, True, True, 32),
    VmSize("Standard_D32s_v5", 32, 128, True, True, 32),
    VmSize("Standard_D48s_v5", 48, 192, True, True, 32),
    VmSize("Standard_D64s_v5", 64, 256, True, True, 32),
    VmSize("Standard_D2s_v6", 2, 8, True, True, 8, generation2_only=True),
    VmSize("Standard_D4s_v6", 4, 16, True, True, 12, generation2_only=True),
    VmSize("Standard_D8s_v6", 8, 32, True, True, 24, generation2_only=True),
    VmSize("Standard_D16s_v6", 16, 64, True, True, 48, generation2_only=True),
    VmSize("Standard_D32s_v6", 32, 128, True, True, 64, generation2_only=True),
    VmSize("Standard_D48s_v6", 48, 192, True, True, 64, generation2_only=True),
    VmSize("Standard_D64s_v6", 64, 256, True, True, 64, generation2_only=True),
    VmSize("Standard_F4s_v2", 4, 8, True, True, 8),
    VmSize("Standard_F8s_v2", 8, 16, True, True, 16),
    VmSize("Standard_F16s_v2", 16, 32, True, True, 32),
    VmSize("Standard_F32s_v2", 32, 64, True, True, 32),
    VmSize("Standard_E4s_v5", 4, 32, True, True, 8),
    VmSize("Standard_E16s_v5", 16, 128, True, True, 32),
    VmSize("Standard_E20s_v5", 20, 160, True, True, 32),
    VmSize("Standard_E8s_v5", 8, 64, True, True, 16),
    VmSize("Standard_E32s_v5", 32, 256, True, True, 32),
    VmSize("Standard_E48s_v5", 48, 384, True, True, 32),
    VmSize("Standard_E64s_v5", 64, 512, True, True, 32),
    VmSize("Standard_E2s_v6", 2, 16, True, True, 8, generation2_only=True),
    VmSize("Standard_E4s_v6", 4, 32, True, True, 12, generation2_only=True),
    VmSize("Standard_E8s_v6", 8, 64, True, True, 24, generation2_only=True),
    VmSize("Standard_E16s_v6", 16, 128, True, True, 48, generation2_only=True),
    VmSize("Standard_E20s_v6", 20, 160, True, True, 48, generation2_only=True),
    VmSize("Standard_E32s_v6", 32, 256, True, True, 64, generation2_only=True),
    VmSize("Standard_E48s_v6", 48, 384, True, True, 64, generation2_only=True),
    VmSize("Standard_E64s_v6", 64, 512, True, True, 64, generation2_only=True),
)


@dataclass(frozen=True)
class HardwareSpec:
    """A floor a VM size must meet."""

    physical_cores: int
    memory_gib: int

    def met_by(self, size: VmSize) -> bool:
        return size.physical_cores >= self.physical_cores and size.memory_gib >= self.memory_gib

    def describe(self) -> str:
        return f"{self.physical_cores} physical cores and {self.memory_gib} GB"


DOCUMENTED_SPEC = HardwareSpec(physical_cores=12, memory_gib=32)
"""64-bit dual processor, hex-core, 32 GB: Persistent Chat servers and their SQL stores
[L:lync-server-2013-server-hardware-platforms]."""

EVALUATION_SPEC = HardwareSpec(physical_cores=2, memory_gib=8)
"""Floor for ``hardware: evaluation`` (UNCONFIRMED: a project default, not a product rule)."""

WITNESS_SPEC = HardwareSpec(physical_cores=1, memory_gib=8)
"""Floor for a mirroring witness, which holds no database (project default)."""


DEFAULT_SIZES = frozenset(
    {
        "Standard_D2s_v5",
        "Standard_D4s_v5",
        "Standard_D8s_v5",
        "Standard_D16s_v5",
        "Standard_D32s_v5",
        "Standard_F4s_v2",
        "Standard_F8s_v2",
        "Standard_F16s_v2",
        "Standard_F32s_v2",
        "Standard_E4s_v5",
        "Standard_E16s_v5",
        "Standard_E20s_v5",
        "Standard_E32s_v5",
    }
)
"""The sizes a server gets by default (the first catalog's premium sizes): a size added to the catalog never
changes the default size, so never resizes a deployed server."""


def smallest_meeting(spec: HardwareSpec) -> VmSize:
    """The smallest default size meeting ``spec``: fewest vCPUs, then least memory."""
    candidates = [VM_SIZES[name] for name in DEFAULT_SIZES if spec.met_by(VM_SIZES[name])]
    return min(candidates, key=lambda s: (s.vcpus, s.memory_gib, s.name))


GENERATION2_SUFFIXES = ("-gensecond", "-g2", "-gen2")


def is_generation2(image: Image) -> bool:
    """Whether a marketplace image is Generation 2, by the sku suffixes Azure gives them (``-gensecond`` for
    Windows Server, ``-g2`` from 2022 on, ``-gen2`` for SQL Server images) [AZ:generation-2.md]."""
    return image.sku.lower().endswith(GENERATION2_SUFFIXES)


def sizes_meeting(spec: HardwareSpec) -> list[str]:
    """Names of the premium sizes meeting ``spec`` that run any image (not Generation 2 only), smallest first."""
    fits = [s for s in VM_SIZES.values() if s.premium_storage and not s.generation2_only and spec.met_by(s)]
    return [s.name for s in sorted(fits, key=lambda s: (s.vcpus, s.memory_gib, s.name))]


@dataclass(frozen=True)
class Image:
    """A marketplace image reference."""

    publisher: str
    offer: str
    sku: str
    version: str = "latest"


SQL_PUBLISHER = "MicrosoftSQLServer"
"""The marketplace publisher of the SQL Server images."""
WITNESS_SQL_SKU = "Express"
"""The SQL edition of a mirroring witness, which holds no database."""


AZURE_REGIONS = frozenset(
    {
        "australiacentral",
        "australiacentral2",
        "australiaeast",
        "australiasoutheast",
        "austriaeast",
        "belgiumcentral",
        "brazilsouth",
        "brazilsoutheast",
        "canadacentral",
        "canadaeast",
        "centralindia",
        "centralus",
        "chilecentral",
        "eastasia",
        "eastus",
        "eastus2",
        "francecentral",
        "francesouth",
        "germanynorth",
        "germanywestcentral",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "japaneast",
        "japanwest",
        "jioindiacentral",
        "jioindiawest",
        "koreacentral",
        "koreasouth",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "northcentralus",
        "northeurope",
        "norwayeast",
        "norwaywest",
        "polandcentral",
        "qatarcentral",
        "southafricanorth",
        "southafricawest",
        "southcentralus",
        "southindia",
        "southeastasia",
        "spaincentral",
        "swedencentral",
        "swedensouth",
        "switzerlandnorth",
        "switzerlandwest",
        "uaecentral",
        "uaenorth",
        "uksouth",
        "ukwest",
        "westcentralus",
        "westeurope",
        "westindia",
        "westus",
        "westus2",
        "westus3",
    }
)
"""Public Azure regions by their ARM name."""
