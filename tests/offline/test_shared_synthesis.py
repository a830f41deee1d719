"""The session's shared synthesis (tests/support/synthesis.py): one run per distinct config, and a graph a
test mutated is named when the session ends."""

from __future__ import annotations

from lync_pchat.offline.graph import synthesize
from lync_pchat.program import run as program

from ..support.synthesis import mutated, stack_config, stack_graph, synthesis


def test_a_config_is_synthesized_once_and_gives_the_programs_graph() -> None:
    graph = stack_graph("lab")
    assert stack_graph("lab") is graph
    fresh = synthesize(program, stack_config("lab"), stack="lab")
    assert {r.urn: r for r in graph} == {r.urn: r for r in fresh}  # the order of registrations may vary
    assert synthesis("lab", stack_config("lab")).resources is graph


def test_a_mutated_graph_is_named() -> None:
    first = stack_graph("lab")[0]
    assert not [line for line in mutated() if line.startswith("lab: ")]
    first.inputs["mutated-by-a-test"] = True
    try:
        assert [line for line in mutated() if line.startswith("lab: ")]
    finally:
        del first.inputs["mutated-by-a-test"]
    assert not [line for line in mutated() if line.startswith("lab: ")]
