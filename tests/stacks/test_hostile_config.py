"""Hostile config: every shipped stack's ``pchat:topology``, mutated, run through the REAL program.

Whatever an admin (or a merge) puts in the stack file, the program either synthesizes or stops with a
:class:`TopologyConfigError` before registering anything, one problem per line, each naming the config
path it is about. Never another exception: no traceback for a typo.

Invalid configs fail before any resource and cost well under a millisecond. Valid mutations of ``lab``
and ``single`` synthesize in full (a few tenths of a second each); valid mutations of the two large
stacks (2 to 5 s each) are planned but not synthesized, as the components they would build are the ones
the small stacks exercise. ``PCHAT_HOSTILE_EXAMPLES=<n>`` runs more examples, randomly instead of from the
fixed seed CI uses.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from lync_pchat import stackfile
from lync_pchat.errors import TopologyConfigError
from lync_pchat.model import TopologyConfig, TopologyError, plan_topology
from lync_pchat.offline.engine import AzureMocks, RecordingMonitor, run
from lync_pchat.program import run as program

from ..model.strategies import JSON, mutations, paths
from ..pulumi.stacks import stack_config

STACKS = stackfile.stack_names()
SYNTHESIZED = ("lab", "single")
"""Stacks whose valid mutations are synthesized in full."""
EXAMPLES = int(os.environ.get("PCHAT_HOSTILE_EXAMPLES", "0"))
HOSTILE = settings(
    max_examples=EXAMPLES or 60,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADER = re.compile(r"pchat:topology is not a supported Persistent Chat topology \((\d+) problems?\):")


def _aliases(model: type[BaseModel], found: set[str]) -> set[str]:
    for name, field in model.model_fields.items():
        found.add(field.alias or name)
        for inner in _models(field.annotation):
            _aliases(inner, found)
    return found


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


ALIASES = frozenset(_aliases(TopologyConfig, set()))
"""Every key of the config contract, at any depth: a path may name a key that is missing."""

# ----------------------------------------------------------------------------- strategies

WRONG_TYPES = [None, True, 0, -1, 1.5, "", "text", [], [1, "a"], {}, {"x": 1}]
OUT_OF_RANGE = [-1, 0, 1, 5, 99, 65_536, 80_001, 10**6, 10**9, 2**63, -(2**63), 1e308, 1.5]
CIDRS = [
    "10.0.0.0/33",
    "10.0.0.1/24",
    "10.0.0.0/-1",
    "10.0.0.0",
    "10.0.0.0/8/8",
    "256.0.0.0/16",
    "::/0",
    "fd00::/64",
    "0.0.0.0/0",
    "",
    " 10.0.0.0/16",
    "１０.0.0.0/16",
    "10.0.0.0/16\n",
    "8.8.8.0/24",
    "10.10.0.0/16",
    "10.50.0.0/30",
    "192.168.0.0/25",
]
UNICODE = [
    "dublin",
    "dübl",
    "ダブリン",
    "d\u200bublin",
    "DUBLIN",
    "a" * 41,
    "-x",
    "x" * 15,
    "ǅ",
    "é" * 3,
    "pool\n01",
    "dublin\n",
    "pool\u202801",
    "\U0001f600",
    "",
    " ",
    "pchat01",
    "amsterdam",
]
NUMERIC_KEYS = (
    "users",
    "activeServers",
    "standbyServers",
    "addressSlot",
    "port",
    "sizeGb",
    "dataDiskGb",
    "logDiskGb",
    "tempDbDiskGb",
    "backupDiskGb",
    "secretExpiryDays",
)
CIDR_KEYS = ("addressSpace", "managementCidr", "frontEndCidr")
NAME_KEYS = (
    "domain",
    "adminUsername",
    "computerNamePrefix",
    "timeZone",
    "nextHop",
    "sqlServer",
    "sqlInstance",
    "fileStore",
    "region",
    "vmSize",
    "user",
    "ouPath",
    "secretsNotAfter",
    "workspaceResourceId",
)
GUARDRAILS: dict[str, list[Any]] = {
    "secretExpiryDays": [None, 0, 1, 365, 3650, 3651, -5, "365", 36.5],
    "secretsNotAfter": ["2027-06-30", "1999-12-31", "2027-13-01", "30/06/2027", 0, 1_900_000_000, None, True],
    "lockStores": [True, False, "false", "maybe", 2, None],
    "diagnostics": [
        None,
        {},
        {"workspaceResourceId": "law"},
        {"workspaceResourceId": 1},
        [],
        {
            "workspaceResourceId": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
            "rg/providers/Microsoft.OperationalInsights/workspaces/law-ops"
        },
    ],
}


def _locate(raw: dict[str, Any], path: tuple[Any, ...]) -> tuple[Any, Any]:
    *parents, leaf = path
    node = raw
    for part in parents:
        node = node[part]
    return node, leaf


@st.composite
def edits(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to three targeted edits of the kinds admins and merges get wrong."""
    raw = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from([p for p in paths(raw) if p]))
        node, leaf = _locate(raw, path)
        EDITS[draw(st.sampled_from(sorted(EDITS)))](draw, raw, node, leaf)
    return raw


def _wrong_type(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    node[leaf] = draw(st.sampled_from(WRONG_TYPES))


def _delete(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    if isinstance(node, dict):
        del node[leaf]


def _unknown(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    if isinstance(node, dict):
        node[draw(st.sampled_from([*UNICODE, "edtion", "Users", "site "]))] = draw(JSON)


def _number(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    if str(leaf) in NUMERIC_KEYS:
        node[leaf] = draw(st.sampled_from(OUT_OF_RANGE))


def _cidr(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    if str(leaf) in CIDR_KEYS:
        node[leaf] = draw(st.sampled_from(CIDRS))


def _empty(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    raw[draw(st.sampled_from(["sites", "pools", "tags"]))] = draw(st.sampled_from([{}, [], None]))


def _guardrail(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    name = draw(st.sampled_from(sorted(GUARDRAILS)))
    raw[name] = draw(st.sampled_from(GUARDRAILS[name]))


def _site(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    """A pool in, or on standby to, a site that is not defined."""
    pools = raw.get("pools")
    if isinstance(pools, dict) and pools:
        pool = pools[draw(st.sampled_from(sorted(pools)))]
        if isinstance(pool, dict):
            where = draw(st.sampled_from(UNICODE))
            if draw(st.booleans()):
                pool["site"] = where
            else:
                pool["disasterRecovery"] = {"standbySite": where}


def _huge(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    """Hundreds of copies of a site, a pool or a tag."""
    name = draw(st.sampled_from(["sites", "pools", "tags"]))
    entries = raw.get(name)
    if not isinstance(entries, dict) or not entries:
        return
    template = entries[sorted(entries)[0]]
    for n in range(draw(st.sampled_from([60, 300]))):
        entries[f"x{n}"] = copy.deepcopy(template)


def _unicode(draw: st.DrawFn, raw: dict[str, Any], node: Any, leaf: Any) -> None:
    """Unicode in a name: a value, or a site or pool key."""
    text = draw(st.sampled_from(UNICODE))
    if str(leaf) in NAME_KEYS:
        node[leaf] = text
        return
    collection = raw.get(draw(st.sampled_from(["sites", "pools"])))
    if isinstance(collection, dict) and collection:
        old = sorted(collection)[0]
        collection[text] = collection.pop(old)


EDITS = {
    "type": _wrong_type,
    "delete": _delete,
    "unknown": _unknown,
    "number": _number,
    "cidr": _cidr,
    "site": _site,
    "huge": _huge,
    "empty": _empty,
    "unicode": _unicode,
    "guardrail": _guardrail,
}


def hostile(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(mutations(base), edits(base))


# ----------------------------------------------------------------------------- oracle


def names_a_config_path(text: str, node: Any) -> bool:
    """``text`` starts with a dotted path into ``node`` (keys, indexes or contract keys), then ``": "``.

    Keys may hold dots and colons themselves, so every prefix ending at a ``.`` or a ``": "`` is tried.
    """
    for end, char in enumerate(text):
        if char != "." and not text.startswith(": ", end):
            continue
        found, child = _child(node, text[:end])
        if found and (char == ":" or names_a_config_path(text[end + 1 :], child)):
            return True
    return False


def _child(node: Any, key: str) -> tuple[bool, Any]:
    """Whether ``key`` names a member of ``node`` (or a key of the contract, maybe missing), and that member.

    The model JSON-quotes keys that are not plain names (spaces, dots, line breaks).
    """
    if len(key) >= 2 and key[0] == key[-1] == '"':
        with contextlib.suppress(ValueError):
            key = json.loads(key)
    if isinstance(node, dict):
        keys = _KEYS.get(id(node))
        if keys is None or keys[0] is not node:
            keys = _KEYS[id(node)] = (node, {str(k): v for k, v in node.items()})
        if key in keys[1]:
            return True, keys[1][key]
    if isinstance(node, list) and key.isdigit() and int(key) < len(node):
        return True, node[int(key)]
    return key in ALIASES or key == "[key]", None


_KEYS: dict[int, tuple[Any, dict[str, Any]]] = {}


def outcome(stack: str, raw: Any) -> str:
    """Run the program on ``raw``; "error" or "valid", after checking the contract of each."""
    _KEYS.clear()
    valid = _plans(raw)
    if valid and stack not in SYNTHESIZED:
        return "valid, planned"
    config = {**stack_config(stack), "pchat:topology": raw}
    monitor = RecordingMonitor(AzureMocks())
    try:
        run(program, config, monitor, stack=stack)
    except TopologyConfigError as error:
        message = str(error)
        header, *problems = message.split("\n  - ")
        counted = HEADER.fullmatch(header)
        assert counted is not None, header
        assert len(problems) == int(counted.group(1)), message
        for problem in problems:
            assert names_a_config_path(problem, raw) or problem.startswith("pchat:topology: "), problem
        assert message.splitlines() == [header, *(f"  - {p}" for p in problems)]
        assert monitor.registered == []
        assert not valid
        return "error"
    assert valid
    assert monitor.registered[0].type == "lync-pchat:index:PersistentChatDeployment"
    assert any(r.type == "azure-native:compute:VirtualMachine" for r in monitor.registered)
    return "valid, synthesized"


def _plans(raw: Any) -> bool:
    try:
        plan_topology(raw)
    except TopologyError:
        return False
    return True


@pytest.mark.parametrize("stack", STACKS)
@HOSTILE
@given(data=st.data())
def test_hostile_config_ends_in_a_config_error_or_a_synthesis(stack: str, data: st.DataObject) -> None:
    base = stackfile.topology(stack_config(stack))
    assert isinstance(base, dict)
    event(outcome(stack, data.draw(hostile(base), label="topology")))


def test_the_oracle_reads_paths() -> None:
    raw = {"pools": {"pchat.01": {"site": "x"}}, "tags": {"a: b": "c"}}
    assert names_a_config_path("pools.pchat.01.site: unknown site", raw)
    assert names_a_config_path("pools.pchat.01.users: required key is missing", raw)
    assert names_a_config_path("tags.a: b: at most", raw)
    assert names_a_config_path("pchat:topology: expected a map", {"pchat:topology": 1})
    assert names_a_config_path("pools.pchat.01.[key]: names are lowercase", raw)
    assert not names_a_config_path("something went wrong: pools", raw)
    assert not names_a_config_path("pools.pchat02: no such pool", raw)


@pytest.mark.parametrize(
    ("key", "shown"),
    [("pool\n01", '"pool\\n01"'), ("dublin\n", '"dublin\\n"'), ("pool\u202801", '"pool\\u202801"'),
     ("dublin\r", '"dublin\\r"')],
)  # fmt: skip
def test_a_key_with_a_line_break_stays_on_one_line(key: str, shown: str) -> None:
    raw = copy.deepcopy(stackfile.topology(stack_config("single")))
    assert isinstance(raw, dict)
    raw["sites"][key] = raw["sites"].pop("dublin")
    with pytest.raises(TopologyError) as caught:
        plan_topology(raw)
    assert str(caught.value).splitlines()[1:] == [
        f"  - sites.{shown}.[key]: names are lowercase letters, digits and hyphens, starting with a letter"
    ]
