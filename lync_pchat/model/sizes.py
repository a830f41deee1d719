"""The VM sizes a topology may use: the catalog's and the ones it states itself (``customVmSizes``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import sources as src
from .catalog import VM_SIZES, Image, VmSize, is_generation2
from .config import TopologyConfig
from .errors import Problem, segment
from .roles import Role
from .server_specs import disks, image, vm_size
from .text import did_you_mean

SIZE_NAME = re.compile(r"Standard_[A-Za-z0-9_]{2,60}")
"""An Azure VM size name: ``Standard_`` then letters, digits and underscores (``Standard_D32s_v5``)."""


def known_sizes(cfg: TopologyConfig) -> dict[str, VmSize]:
    """The catalog's sizes and the stack's ``customVmSizes``, by name."""
    custom = {name: VmSize(name, **size.model_dump()) for name, size in cfg.custom_vm_sizes.items()}
    return {**VM_SIZES, **custom}


def size_hint(name: str, sizes: dict[str, VmSize]) -> str:
    """``did you mean ...? `` for a size name that resembles known ones (any case), else nothing."""
    return did_you_mean(name, sizes, n=2, cutoff=0.8, fold=str.lower, after=" ")


def custom_sizes(cfg: TopologyConfig) -> Iterator[Problem]:
    """A custom size is an Azure size name the catalog does not already state."""
    for name in cfg.custom_vm_sizes:
        path = f"customVmSizes.{segment(name)}"
        if name in VM_SIZES:
            yield Problem(path, f"{name} is in the catalog already ({VM_SIZES[name].describe()}); remove it here")
        elif not SIZE_NAME.fullmatch(name):
            yield Problem(path, f"{name!r} is not an Azure VM size name such as Standard_D48s_v5", src.AZURE_SIZES)


def generation2_sizes(cfg: TopologyConfig) -> Iterator[Problem]:
    """A size that runs Generation 2 VMs only (every v6 size) needs a Generation 2 image [AZ:sizes/...:
    "Generation 1 VMs: Not Supported"]. Checked per role, where the size and the image meet."""
    sizes = known_sizes(cfg)
    for key, pool in cfg.pools.items():
        for role, path in _size_paths(key):
            size = sizes.get(vm_size(role, pool))
            picked = image(role, pool, cfg.images, cfg.product)
            if size is not None and size.generation2_only and not is_generation2(picked):
                yield Problem(path, _generation_message(size, picked, role), src.AZURE_SIZES)


def data_disks(cfg: TopologyConfig) -> Iterator[Problem]:
    """A size attaches at most its size page's "max data disks": a SQL Server VM needs 4, a witness 2."""
    sizes = known_sizes(cfg)
    for key, pool in cfg.pools.items():
        for role, path in _size_paths(key):
            size = sizes.get(vm_size(role, pool))
            needed = len(disks(role, pool))
            if size is not None and size.max_data_disks < needed:
                yield Problem(
                    path,
                    f"{size.name} attaches at most {size.max_data_disks} data disks; the {role.value} needs {needed}",
                    src.AZURE_SIZES,
                )


def _size_paths(key: str) -> Iterator[tuple[Role, str]]:
    """One role per size setting of a pool, with the setting's path."""
    yield Role.ACTIVE, f"pools.{key}.vmSize"
    yield Role.STORE, f"pools.{key}.store.vmSize"
    yield Role.WITNESS, f"pools.{key}.highAvailability.witnessVmSize"


def _generation_message(size: VmSize, picked: Image, role: Role) -> str:
    first = f"{size.name} runs Generation 2 VMs only, and the image {picked.offer}/{picked.sku} is Generation 1; "
    if role.is_sql:
        return first + "the SQL Server images' sku is the edition (a Generation 1 image): choose a v5 size"
    return first + "choose a Generation 2 image in images.windows (a sku ending in -gensecond or -g2) or a v5 size"


RULES = (custom_sizes, generation2_sizes, data_disks)
