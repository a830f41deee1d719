"""``plan.json`` keeps what a reviewer and ``pchat diff`` need: the project's own aliases, not the SDK's
versioned types, which made 93% of an enterprise plan (issue 19)."""

from __future__ import annotations

import re

from lync_pchat import stackfile
from lync_pchat.offline import render
from lync_pchat.offline.synthesis import synthesize_stack

SYNTHESIS = synthesize_stack("single", stackfile.read("single"))
PLAN = render.plan_json(SYNTHESIS)
VERSIONED = re.compile(r"azure-native:[a-z]+/v[0-9]")
"""azure-native's per-API-version modules (``network/v20150501preview``)."""


def test_no_versioned_sdk_alias_is_kept() -> None:
    assert not any(VERSIONED.search(alias) for r in PLAN["resources"] for alias in r["aliases"])


def test_every_other_alias_is_kept() -> None:
    derived = {r.urn: r.aliases for r in SYNTHESIS.resources}
    for resource in PLAN["resources"]:
        expected = [a for a in derived[resource["urn"]] if not VERSIONED.search(a)]
        assert resource["aliases"] == expected, resource["urn"]
    assert any(resource["aliases"] for resource in PLAN["resources"]), "the project's rename aliases stay"


def test_the_plan_is_a_fraction_of_what_it_was() -> None:
    written = len(render.dumps(PLAN))
    every = {r.urn: list(r.aliases) for r in SYNTHESIS.resources}
    before = len(render.dumps({**PLAN, "resources": [{**r, "aliases": every[r["urn"]]} for r in PLAN["resources"]]}))
    assert written * 5 < before, (written, before)
