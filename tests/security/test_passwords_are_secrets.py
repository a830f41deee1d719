"""Every password reaches Azure only as a Pulumi secret, even when the caller passes it in plain text.

The stack's own passwords come from secret config, so a component that forgot its ``Output.secret`` would
still pass a test fed from config. Here the deployment is built with PLAIN passwords, as a program that
embeds the component may pass them: every input that holds one (the VMs' ``adminPassword``, the domain
join's ``protectedSettings``, the Run Commands' ``protectedParameters``, the vault's secrets) must carry the
secret marker, and the ``pchat-secrets`` policy, on its offline route that sees the markers, must agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from components import DeploymentArgs, PersistentChatDeployment
from lync_pchat.model import plan_topology
from lync_pchat.offline.graph import Resource, is_secret, reveal, synthesize
from lync_pchat.policies.base import CheckOptions
from lync_pchat.policies.compute import check_secrets
from lync_pchat.policies.offline import evaluate
from lync_pchat.wire import SECRET, SIGNATURE_KEY

from ..components.test_lync_install import FULL
from ..support.lazy import lazy_list

PASSWORDS = {"admin": "Plain-Admin-Pw-1!", "join": "Plain-Join-Pw-1!", "setup": "Plain-Setup-Pw-1!"}
RUN = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
ANY = "azure-native:anything:New"
SECRET_P = {SIGNATURE_KEY: SECRET, "value": "p"}


def program() -> None:
    PersistentChatDeployment(
        "pchat",
        DeploymentArgs(
            plan=plan_topology(FULL),
            name_prefix="pchat-plain",
            admin_password=PASSWORDS["admin"],
            domain_join_password=PASSWORDS["join"],
            setup_password=PASSWORDS["setup"],
        ),
    )


GRAPH = lazy_list(lambda: synthesize(program))


def holders(value: Any, path: str = "", inside: bool = False) -> Iterator[tuple[str, bool, str]]:
    """(path, under a secret marker, which password) for every string holding one of :data:`PASSWORDS`."""
    if is_secret(value):
        yield from holders(value["value"], path, True)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from holders(item, f"{path}.{key}" if path else str(key), inside)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from holders(item, f"{path}.{n}", inside)
    elif isinstance(value, str):
        yield from ((path, inside, name) for name, password in PASSWORDS.items() if password in value)


def found() -> list[tuple[str, str, str, bool]]:
    return [(r.type, r.name, path, inside) for r in GRAPH for path, inside, _ in holders(r.inputs)]


def test_every_input_holding_a_password_is_a_secret() -> None:
    plain = [(t, n, p) for t, n, p, inside in found() if not inside]
    assert plain == []


@pytest.mark.parametrize(
    ("password", "type_", "path"),
    [
        ("admin", "azure-native:compute:VirtualMachine", "osProfile.adminPassword"),
        ("admin", "azure-native:keyvault:Secret", "properties.value"),
        ("join", "azure-native:compute:VirtualMachineExtension", "protectedSettings.Password"),
        ("setup", RUN, "protectedParameters.0.value"),
    ],
)
def test_each_password_reaches_the_inputs_azure_takes_it_in(password: str, type_: str, path: str) -> None:
    """The passwords are found where the check above looks (so it is not vacuous)."""
    places = {(r.type, p) for r in GRAPH for p, inside, name in holders(r.inputs) if name == password and inside}
    assert (type_, path) in places


def test_the_policy_finds_no_plain_password() -> None:
    assert [f for f in evaluate(GRAPH) if f.policy == "pchat-secrets"] == []


def unwrapped(resource: Resource, key: str) -> Resource:
    """``resource`` with the secret marker dropped from one input, as a forgotten ``Output.secret`` would."""
    inputs = {**resource.inputs, key: reveal(resource.inputs[key])}
    return dataclasses.replace(resource, inputs=inputs)


def test_the_policy_fails_a_run_command_whose_password_is_plain() -> None:
    run = next(r for r in GRAPH if r.type == RUN)
    findings = [f for f in evaluate([unwrapped(run, "protectedParameters")]) if f.policy == "pchat-secrets"]
    assert [(f.mandatory, f.message.split(" ", 1)[0]) for f in findings] == [(True, "protectedParameters.0.value")]


@pytest.mark.parametrize(
    ("type_", "inputs", "expected"),
    [
        (RUN, {"runAsPassword": "p"}, ["runAsPassword"]),
        (RUN, {"protectedParameters": [{"name": "a", "value": "b"}]}, ["protectedParameters.0.value"]),
        (RUN, {"protectedParameters": [{"name": "a", "value": SECRET_P}, {"name": "b", "value": "c"}]},
         ["protectedParameters.1.value"]),
        (RUN, {"protectedParameters": [{"name": "a", "value": SECRET_P}]}, []),
        (RUN, {"runAsPassword": SECRET_P, "protectedParameters": {SIGNATURE_KEY: SECRET, "value": []}}, []),
        (ANY, {"settings": {"sqlPassword": "p", "pwd": {"v": 1}}}, ["settings.sqlPassword", "settings.pwd"]),
        (ANY, {"osProfile": {"disablePasswordAuthentication": True}}, []),
        (ANY, {"adminPassword": SECRET_P}, []),
    ],
)  # fmt: skip
def test_any_input_named_like_a_password_must_be_a_secret(
    type_: str, inputs: dict[str, Any], expected: list[str]
) -> None:
    messages = check_secrets(type_, reveal(inputs), CheckOptions(wire_props=inputs))
    assert [m.split(" ", 1)[0] for m in messages] == expected
