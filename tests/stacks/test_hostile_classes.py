"""Hostile input by class: one hypothesis property per class, each through the reader it attacks.

Classes (issue 19, item 5): non-ASCII digits and look-alike letters in names Windows, DNS and Azure read as
ASCII; strings where the contract wants a number or a boolean; a key given twice; YAML 1.1 forms (``off``,
``1:30``, ``0x1F``); nesting, integers, strings and the whole value past their bounds; alias bombs; secrets
in messages; percent-encoded control characters. Each ends in a one-line problem naming its config path (or
``file:line:column`` for the stack file), never a traceback and never a silently different value.
"""

from __future__ import annotations

import copy
import json
import re
import string
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lync_pchat import stack, stackfile, yamlsafe
from lync_pchat.errors import TopologyConfigError
from lync_pchat.model import TopologyError, bounds, plan_topology
from lync_pchat.model.errors import segment
from lync_pchat.offline.engine import run
from lync_pchat.program import run as program

from ..pulumi.stacks import stack_config

STACKS = stackfile.stack_names()
CLASSES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def topology(name: str) -> dict[str, Any]:
    raw = stackfile.topology(stack_config(name))
    assert isinstance(raw, dict)
    return copy.deepcopy(raw)


def leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) of every scalar in ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from leaves(value, (*path, n))
    else:
        yield path, node


def put(raw: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def dotted(path: tuple[Any, ...]) -> str:
    return ".".join(segment(p) for p in path)


def problems(raw: object) -> list[str]:
    """The problems the model reports for ``raw``, each checked to be one line; [] when it plans."""
    try:
        plan_topology(raw)
    except TopologyError as error:
        lines = str(error).splitlines()
        assert len(lines) == len(error.problems) + 1
        return [str(p) for p in error.problems]
    return []


@st.composite
def a_leaf(draw: st.DrawFn, kind: type | tuple[type, ...]) -> tuple[str, tuple[Any, ...], Any]:
    """A shipped stack, and the path and value of one of its scalars of ``kind`` (bool is not an int here)."""
    name = draw(st.sampled_from(STACKS))
    found = [
        (p, v)
        for p, v in leaves(topology(name))
        if isinstance(v, kind) and (isinstance(v, bool) == (kind is bool or (isinstance(kind, tuple) and bool in kind)))
    ]
    path, value = draw(st.sampled_from(found))
    return name, path, value


# ------------------------------------------------------------------------------------------ ASCII only

LOOKALIKES = sorted(
    {
        chr(code)
        for code in range(0x80, 0x10000)
        if (
            unicodedata.category(chr(code))[0] in "LN"
            and any(
                len(form) == 1 and form.isascii() and form.isalnum()
                for form in (chr(code).lower(), chr(code).upper(), unicodedata.normalize("NFKC", chr(code)))
            )
        )
        or (unicodedata.category(chr(code)) == "Nd" and chr(code).isdigit())
        or chr(code) in "²³¹"
    }
)
"""Every BMP letter or digit that is not ASCII but lowercases, uppercases or NFKC-normalizes into an ASCII
letter or digit (the Kelvin sign, the long s, fullwidth forms, dotless i's partner) or is a decimal digit of
another script (``'٣'.isdigit()``), and the superscripts ``'²'.isdigit()`` is true for."""
HOST_NAMES = (
    ("domain",),
    ("pools", "pchat01", "nextHop"),
    ("pools", "pchat01", "computerNamePrefix"),
)


def test_the_look_alike_table_holds_the_known_offenders() -> None:
    # the Kelvin sign, the long s, the dotless i, a superscript, a fullwidth a and an Arabic-Indic digit
    assert {"\u212a", "\u017f", "\u0131", "²", "\uff41", "\u0663"} <= set(LOOKALIKES)
    assert not any(c.isascii() for c in LOOKALIKES)


@CLASSES
@given(
    name=st.sampled_from(["single", "enterprise"]),
    where=st.sampled_from(HOST_NAMES),
    char=st.sampled_from(LOOKALIKES),
    at=st.integers(0, 30),
)
def test_a_look_alike_in_a_host_name_is_refused_with_its_path(
    name: str, where: tuple[str, ...], char: str, at: int
) -> None:
    raw = topology(name)
    value = "pchat01" if where[-1] == "computerNamePrefix" else raw["domain"] if where == ("domain",) else None
    value = value or raw["pools"]["pchat01"].get(where[-1]) or f"fe01.{raw['domain']}"
    at = at % len(value)
    put(raw, where, value[:at] + char + value[at + 1 :])
    found = problems(raw)
    assert any(p.startswith(f"{dotted(where)}: ") for p in found), found


CASE_FOLDS = ("\u212a", "\u017f", "\u0131", "\u0130")
"""The letters that ``re.IGNORECASE`` alone matches against ``[a-z]`` (Kelvin sign, long s, dotless i, dotted
capital I): the look-alikes that slipped through before the patterns were ASCII-only."""


@pytest.mark.parametrize("char", CASE_FOLDS)
@pytest.mark.parametrize("where", HOST_NAMES)
def test_a_case_fold_look_alike_is_refused(where: tuple[str, ...], char: str) -> None:
    raw = topology("single")
    value = {"domain": "corp.contoso.com", "nextHop": "fe01.corp.contoso.com", "computerNamePrefix": "pchat01"}
    put(raw, where, value[where[-1]].replace("c", char, 1))
    assert any(p.startswith(f"{dotted(where)}: ") for p in problems(raw))


@CLASSES
@given(name=st.sampled_from(["single", "enterprise"]), digit=st.sampled_from([c for c in LOOKALIKES if c.isdigit()]))
def test_a_non_ascii_digit_in_an_address_is_refused_not_a_crash(name: str, digit: str) -> None:
    raw = topology(name)
    raw["sites"]["dublin"]["dnsServers"] = [f"10.0.0.{digit}"]
    raw["managementCidr"] = f"10.{digit}.0.0/24"
    found = problems(raw)
    assert any(p.startswith("sites.dublin.dnsServers.0: ") for p in found), found
    assert any(p.startswith("managementCidr: ") for p in found), found


# ------------------------------------------------------------------------------------------ strict types


@CLASSES
@given(leaf=a_leaf(bool), text=st.sampled_from(["true", "false", "off", "on", "yes", "no", "1", "0", "True"]))
def test_a_string_is_never_read_as_a_boolean(leaf: tuple[str, tuple[Any, ...], Any], text: str) -> None:
    name, path, _ = leaf
    raw = topology(name)
    put(raw, path, text)
    assert f"{dotted(path)}: expected true or false, got the string {text!r}" in problems(raw)


@CLASSES
@given(leaf=a_leaf(int), form=st.sampled_from(["{}", " {}", "{}.0x", "+{}", "{:_}"]))
def test_a_string_is_never_read_as_a_number(leaf: tuple[str, tuple[Any, ...], Any], form: str) -> None:
    name, path, value = leaf
    raw = topology(name)
    text = form.format(value)
    put(raw, path, text)
    assert f"{dotted(path)}: expected a whole number, got the string {text[:40]!r}" in problems(raw)


@CLASSES
@given(leaf=a_leaf(int), swap=st.sampled_from([True, False, 0.5, 1.25]))
def test_a_boolean_or_a_fraction_is_never_a_number(leaf: tuple[str, tuple[Any, ...], Any], swap: Any) -> None:
    name, path, _ = leaf
    raw = topology(name)
    put(raw, path, swap)
    assert any(p.startswith(f"{dotted(path)}: expected a whole number, got ") for p in problems(raw))


def test_a_whole_float_from_a_multi_language_caller_is_still_the_number() -> None:
    raw = topology("single")
    raw["pools"]["pchat01"]["users"] = 15000.0
    assert plan_topology(raw).pools[0].users == 15000


# ------------------------------------------------------------------------------------------ the stack file


def stack_text(name: str) -> str:
    return stackfile.stack_path(name).read_text(encoding="utf-8")


def with_scalar(name: str, path: tuple[Any, ...], scalar: str) -> str:
    """The stack file of ``name`` with the value at ``path`` written as the plain YAML scalar ``scalar``."""
    document = yamlsafe.load(stack_text(name))
    put(document["config"]["pchat:topology"], path, "@@marker@@")
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    assert text.count("'@@marker@@'") == 1
    return text.replace("'@@marker@@'", scalar)


def refusal(text: str) -> list[str]:
    raw = stackfile.topology(stackfile.parse_config(text, "Pulumi.x.yaml"))
    return problems(raw)


@CLASSES
@given(leaf=a_leaf(int), scalar=st.sampled_from(["1:30", "190:20:30", "0x1F", "0o17", "010", "1_000", "0b101"]))
def test_yaml_1_1_numbers_are_strings_the_model_refuses(leaf: tuple[str, tuple[Any, ...], Any], scalar: str) -> None:
    name, path, _ = leaf
    assert f"{dotted(path)}: expected a whole number, got the string {scalar!r}" in refusal(
        with_scalar(name, path, scalar)
    )


@CLASSES
@given(leaf=a_leaf(bool), scalar=st.sampled_from(["off", "on", "yes", "no", "y", "n", "Off", "YES"]))
def test_yaml_1_1_booleans_are_strings_the_model_refuses(leaf: tuple[str, tuple[Any, ...], Any], scalar: str) -> None:
    name, path, _ = leaf
    assert f"{dotted(path)}: expected true or false, got the string {scalar!r}" in refusal(
        with_scalar(name, path, scalar)
    )


def test_a_date_stays_the_string_pulumi_passes() -> None:
    text = with_scalar("single", ("secretsNotAfter",), "2027-06-30")
    assert stackfile.topology(stackfile.parse_config(text, "f"))["secretsNotAfter"] == "2027-06-30"  # type: ignore[index]
    assert refusal(text) == []


MAPPING_LINE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z:]+): ?\S*$")


@CLASSES
@given(name=st.sampled_from(STACKS), pick=st.integers(0, 10_000))
def test_a_key_given_twice_is_refused_with_both_lines(name: str, pick: int) -> None:
    lines = stack_text(name).splitlines()
    candidates = [n for n, line in enumerate(lines) if MAPPING_LINE.match(line) and not line.strip().startswith("#")]
    n = candidates[pick % len(candidates)]
    key = MAPPING_LINE.match(lines[n])["key"]  # type: ignore[index]
    # the duplicate goes right after the key's own block, at the same indentation
    indent = len(lines[n]) - len(lines[n].lstrip())
    end = next(
        (m for m in range(n + 1, len(lines)) if lines[m].strip() and len(lines[m]) - len(lines[m].lstrip()) <= indent),
        len(lines),
    )
    text = "\n".join([*lines[:end], " " * indent + f"{key}: 1", *lines[end:]]) + "\n"
    with pytest.raises(stackfile.StackFileError) as caught:
        stackfile.parse_config(text, "Pulumi.x.yaml")
    message = str(caught.value)
    assert message == f"Pulumi.x.yaml:{end + 1}:{indent + 1}: the key {key!r} is given twice in this map " + (
        f"(first on line {n + 1}); keep one"
    )


def test_a_key_given_twice_in_the_engine_s_json_is_refused() -> None:
    with pytest.raises(
        TopologyConfigError, match=r"^pchat:topology is not a readable value: the key 'domain' is given twice"
    ):
        stack._topology('{"domain": "a.b", "domain": "c.d"}')


# ------------------------------------------------------------------------------------------ bounds


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for n in range(depth):
        value = [value] if n % 2 else {"k": value}
    return value


@CLASSES
@given(leaf=a_leaf((str, int, bool)), depth=st.integers(bounds.MAX_DEPTH, 5_000))
def test_deep_nesting_is_one_line(leaf: tuple[str, tuple[Any, ...], Any], depth: int) -> None:
    name, path, _ = leaf
    raw = topology(name)
    put(raw, path, nested(depth))
    found = problems(raw)
    assert len(found) == 1
    assert found[0].startswith(dotted(path)) and found[0].endswith(
        f"nests maps and lists more than {bounds.MAX_DEPTH} deep"
    )


@CLASSES
@given(depth=st.integers(yamlsafe.MAX_DEPTH - 1, 20_000))
def test_deep_nesting_in_the_stack_file_or_the_engine_s_json_is_one_line(depth: int) -> None:
    text = "config:\n  pchat:other: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(
        stackfile.StackFileError,
        match=rf"^Pulumi.x.yaml:2:\d+: maps and lists nest more than {yamlsafe.MAX_DEPTH} deep$",
    ):
        stackfile.parse_config(text, "Pulumi.x.yaml")
    with pytest.raises(TopologyConfigError) as caught:
        stack.load_plan(_Config("[" * depth + "]" * depth))
    assert len(str(caught.value).splitlines()) in (1, 2)


class _Config:
    """What ``stack.load_plan`` reads of ``pulumi.Config``: the engine's JSON text of the topology."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get(self, key: str) -> str:
        assert key == "topology"
        return self.text


@CLASSES
@given(leaf=a_leaf(int), bits=st.integers(31, 100_000), sign=st.sampled_from([1, -1]))
def test_an_integer_past_32_bits_is_one_line(leaf: tuple[str, tuple[Any, ...], Any], bits: int, sign: int) -> None:
    name, path, _ = leaf
    raw = topology(name)
    value = sign * (2**bits)
    put(raw, path, value)
    assert problems(raw) == [
        f"{dotted(path)}: a number beyond {bounds.MAX_INT:,} ({value.bit_length()} bits); no setting is that large"
    ]


@CLASSES
@given(digits=st.integers(yamlsafe.MAX_DIGITS + 1, 50_000))
def test_a_long_integer_in_the_stack_file_or_the_engine_s_json_is_one_line(digits: int) -> None:
    with pytest.raises(
        stackfile.StackFileError, match=rf"^f:2:\d+: a number of {digits:,} digits; no setting has more than 20$"
    ):
        stackfile.parse_config("config:\n  pchat:other: " + "7" * digits + "\n", "f")
    if digits > 4300:  # Python's own limit on int(str)
        with pytest.raises(TopologyConfigError, match=r"^pchat:topology is not a readable value: "):
            stack.load_plan(_Config('{"domain": ' + "7" * digits + "}"))


@CLASSES
@given(leaf=a_leaf(str), length=st.integers(bounds.MAX_TEXT + 1, 300_000))
def test_a_string_past_the_limit_is_one_line(leaf: tuple[str, tuple[Any, ...], Any], length: int) -> None:
    name, path, _ = leaf
    raw = topology(name)
    put(raw, path, "x" * length)
    assert problems(raw) == [f"{dotted(path)}: a string of {length:,} characters; at most {bounds.MAX_TEXT:,}"]


@CLASSES
@given(name=st.sampled_from(STACKS), copies=st.integers(300, 3_000))
def test_a_topology_past_the_total_size_is_one_line(name: str, copies: int) -> None:
    raw = topology(name)
    raw["tags"] = {f"t{n}": "v" * 200 for n in range(copies)}
    if len(json.dumps(raw)) > bounds.MAX_BYTES:
        assert problems(raw) == [f"pchat:topology: is larger than {bounds.MAX_BYTES // 1024} KB"]


@CLASSES
@given(width=st.integers(2, 12), levels=st.integers(2, 30))
def test_an_alias_bomb_in_a_key_nobody_reads_is_refused_at_once(width: int, levels: int) -> None:
    text = stack_text("single") + "  pchat:unused: &l0 [" + ",".join(["x"] * width) + "]\n"
    text += "".join(f"  pchat:u{n}: &l{n} [{','.join([f'*l{n - 1}'] * width)}]\n" for n in range(1, levels))
    if width**levels <= yamlsafe.MAX_NODES // 2:
        stackfile.parse_config(text, "f")
        return
    with pytest.raises(stackfile.StackFileError, match=r"^f:\d+:\d+: aliases expand to more than 100,000 values"):
        stackfile.parse_config(text, "f")


def test_the_bounds_leave_every_shipped_stack_far_inside() -> None:
    for name in STACKS:
        raw = topology(name)
        assert bounds.problems(raw) == []
        assert len(bounds.to_json(raw)) < bounds.MAX_BYTES // 16
        assert len(stack_text(name)) < yamlsafe.MAX_FILE // 64


# ------------------------------------------------------------------------------------------ long values render


LONG = st.text(string.ascii_letters + string.digits, min_size=bounds.MAX_TEXT - 8, max_size=bounds.MAX_TEXT)


@settings(max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_longest_accepted_strings_render_within_azure_s_limits(data: st.DataObject) -> None:
    """Every string of ``spoke`` (which installs Lync Server) made as long as the bounds allow: the real
    program either synthesizes (every script under its limit: 8,191 characters for the bootstrap command,
    64 KB for an install script) or stops with a config error; never a ValueError from a renderer."""
    raw = topology("spoke")
    paths = [p for p, v in leaves(raw) if isinstance(v, str)]
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4, unique=True)):
        put(raw, path, data.draw(LONG))
    config = {**stack_config("spoke"), "pchat:topology": raw}
    try:
        run(program, config, stack="spoke")
    except TopologyConfigError as error:
        assert all(line.startswith(("pchat:topology is not", "  - ")) for line in str(error).splitlines())


# ------------------------------------------------------------------------------------------ secrets


SAS = st.builds(
    lambda sig, tail: f"?sv=2022-11-02&ss=b&sp=r&se=2030-01-01&sig={sig}{tail}",
    st.text(string.ascii_letters + string.digits + "%+/=", min_size=8, max_size=60),
    st.sampled_from(["", "&spr=https"]),
)


@CLASSES
@given(
    sas=SAS,
    where=st.sampled_from(
        [
            ("software", "mediaUri"),
            ("software", "storageAccountId"),
            ("pools", "pchat01", "fileStore"),
            ("domain",),
            ("tags", "owner"),
        ]
    ),
    base=st.sampled_from(["https://media01.blob.core.windows.net/lync/2013/", "https://x.example.com/a", "ftp://h/p"]),
)
def test_no_sas_token_in_any_message(sas: str, where: tuple[str, ...], base: str) -> None:
    raw = topology("spoke")
    put(raw, where, base + sas)
    signature = sas.split("sig=", 1)[1].split("&", 1)[0]
    found = problems(raw)
    assert found or where[0] == "tags"
    for line in found:
        assert "sig=" + signature not in line and "?sv=" not in line, line
    try:
        run(program, {**stack_config("spoke"), "pchat:topology": raw}, stack="spoke")
    except TopologyConfigError as error:
        assert signature not in str(error) or len(signature) < 8


@CLASSES
@given(char=st.sampled_from([0, 9, 10, 13, 27, 0x7F, 0x85, 0x2028, 0x200B, 0x202E]), upper=st.booleans())
def test_a_percent_encoded_control_character_is_refused(char: int, upper: bool) -> None:
    escaped = "".join(f"%{b:02X}" if upper else f"%{b:02x}" for b in chr(char).encode("utf-8"))
    raw = topology("spoke")
    raw["software"]["mediaUri"] = f"https://media01.blob.core.windows.net/lync/2013{escaped}x/"
    assert (
        f"software.mediaUri: a percent escape decodes to U+{char:04X}, a control or invisible character: "
        "every config value is one line of plain text"
    ) in problems(raw)
