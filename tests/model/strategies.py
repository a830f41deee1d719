"""Hypothesis strategies: random topologies and random mutations of real ones."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from lync_pchat.model.catalog import VM_SIZES

GOOD_SPACES = {"dublin": "10.10.0.0/16", "amsterdam": "172.16.0.0/20", "zurich": "192.168.4.0/24"}
BAD_SPACES = ["10.10.0.0/24", "192.168.0.0/23", "10.30.0.0/25", "8.8.0.0/16", "10.0.0.0/8", "bogus"]
REGIONS = {"dublin": "northeurope", "amsterdam": "westeurope", "zurich": "switzerlandnorth"}
SIZES = [*VM_SIZES, "Standard_Unknown", None, None, None, None, None]
USERS = st.one_of(st.integers(1, 80_000), st.sampled_from([1, 20_000, 20_001, 40_000, 60_000, 60_001, 80_000]))
"""Concurrent users up to the documented limits, and often exactly at them (20,000 per active server)."""


def mostly(good: Any, *bad: Any) -> st.SearchStrategy[Any]:
    """``good`` nine times in ten, else one of ``bad``."""
    return st.integers(0, 9).flatmap(lambda n: st.sampled_from(bad) if n == 0 else st.just(good))


@st.composite
def pools(draw: st.DrawFn, sites: list[str]) -> dict[str, Any]:
    """A pool that is valid in most of its settings and wrong in a few."""
    site = draw(st.sampled_from(sites))
    others = [s for s in sites if s != site]
    pool: dict[str, Any] = {
        "site": draw(mostly(site, "nowhere")),
        "users": draw(mostly(draw(USERS), 0, 80_001, 100_000)),
        "nextHop": draw(mostly("fe01.corp.contoso.com", "fe01")),
        "hardware": draw(st.sampled_from(["documented", "evaluation"])),
    }
    if draw(st.booleans()):
        pool["activeServers"] = draw(mostly(draw(st.integers(1, 4)), 0, 5, 6))
    if (size := draw(mostly(None, *VM_SIZES, "Standard_Unknown"))) is not None:
        pool["vmSize"] = size
    placement = draw(mostly("dedicated", "collocated", "express"))
    pool["store"] = {"placement": placement}
    if placement == "collocated":
        pool["store"]["sqlServer"] = draw(mostly("be01.corp.contoso.com", "be02.corp.contoso.com", "be"))
    enabled = draw(st.booleans())
    pool["compliance"] = {"enabled": enabled}
    if enabled or draw(mostly(False, True)):
        pool["compliance"]["placement"] = draw(st.sampled_from(["separate", "shared"]))
    mirroring = placement == "dedicated" and draw(st.booleans())
    pool["highAvailability"] = {
        "mirroring": draw(mostly(mirroring, not mirroring)),
        "witness": draw(mostly(mirroring and draw(st.booleans()), True)),
    }
    if others and draw(st.booleans()):
        pool["disasterRecovery"] = {"standbySite": draw(mostly(others[0], site, "nowhere"))}
        if draw(st.booleans()):
            pool["disasterRecovery"]["layout"] = "highBandwidth"
        elif draw(st.booleans()):
            pool["disasterRecovery"]["standbyServers"] = draw(mostly(draw(st.integers(1, 4)), 0, 5))
    if draw(st.booleans()):
        pool["dataDisk"] = {
            "fileSystem": draw(mostly("NTFS", "ntfs", "FAT32", "ReFS", "exFAT")),
            "sizeGb": draw(mostly(256, 0, 71, 40_000)),
        }
    return pool


STANDARD_POOL = st.fixed_dictionaries(
    {"site": st.just("dublin"), "users": st.one_of(st.integers(1, 20_001), st.sampled_from([2_500, 2_501, 20_000]))},
    optional={
        "hardware": st.sampled_from(["documented", "evaluation"]),
        "compliance": st.fixed_dictionaries(
            {"enabled": st.booleans()}, optional={"placement": st.sampled_from(["separate", "shared"])}
        ),
        "store": st.fixed_dictionaries({"placement": st.sampled_from(["express", "dedicated"])}),
        "activeServers": st.integers(0, 2),
        "highAvailability": st.fixed_dictionaries({"mirroring": st.booleans()}),
    },
)


@st.composite
def topologies(draw: st.DrawFn) -> dict[str, Any]:
    """Random Enterprise topologies (mostly) and Standard Edition ones."""
    if draw(mostly(False, True)):
        return {
            "edition": "standard",
            "acceptUnsupported": {"reason": "random topologies of Lync Server 2013"},
            "domain": "lab.contoso.com",
            "sites": {"dublin": {"region": "northeurope", "addressSpace": "10.10.0.0/24"}},
            "pools": {draw(st.sampled_from(["lyncse01", "se"])): draw(STANDARD_POOL)},
        }
    return draw(enterprise_topologies())


@st.composite
def enterprise_topologies(draw: st.DrawFn) -> dict[str, Any]:
    """Random topologies, many valid, many not."""
    site_keys = draw(st.lists(st.sampled_from(["dublin", "amsterdam", "zurich"]), min_size=1, max_size=3, unique=True))
    sites = {
        k: {
            "region": draw(mostly(REGIONS[k], "northeurope", "mars")),
            "addressSpace": draw(mostly(GOOD_SPACES[k], *BAD_SPACES)),
        }
        for k in site_keys
    }
    if draw(st.booleans()):
        for key in site_keys:
            sites[key]["lyncSite"] = draw(mostly("EMEA", key.upper(), "E;MEA"))
    pool_keys = draw(st.lists(st.sampled_from(["pchat01", "pchat02", "pc"]), min_size=1, max_size=3, unique=True))
    pool_keys[0] = draw(mostly(pool_keys[0], "averylongpool"))
    return {
        "edition": "enterprise",
        "acceptUnsupported": {"reason": "random topologies of Lync Server 2013"},
        "domain": draw(mostly("corp.contoso.com", "contoso")),
        "adminUsername": draw(mostly("lyncadmin", "admin")),
        "sites": sites,
        "pools": {
            k: {**draw(pools(site_keys)), "addressSlot": draw(mostly(n, 0, 99))} for n, k in enumerate(pool_keys)
        },
    }


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON-like value."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def mutations(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to three random edits: a replaced value, a deleted or an unknown key."""
    result = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(result)))
        if not path:
            continue
        *parents, leaf = path
        node = result
        for part in parents:
            node = node[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(node, dict):
            del node[leaf]
        elif action == "add" and isinstance(node, dict):
            node[draw(st.text(min_size=1, max_size=12))] = draw(JSON)
        else:
            node[leaf] = draw(JSON)
    return result
