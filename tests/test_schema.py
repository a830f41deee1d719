"""The committed JSON schema of pchat:topology is the one the model generates."""

from __future__ import annotations

import json
from pathlib import Path

from lync_pchat.model.schema import json_schema

SNAPSHOT = Path(__file__).resolve().parents[1] / "schema" / "pchat-topology.schema.json"


def test_schema_snapshot_is_current() -> None:
    """Regenerate with: python -m lync_pchat schema > schema/pchat-topology.schema.json"""
    assert json.loads(SNAPSHOT.read_text()) == json_schema()


def test_schema_names_the_contract_keys() -> None:
    schema = json_schema()
    assert schema["title"] == "pchat:topology"
    assert schema["required"] == ["domain", "sites", "pools"]
    pool = schema["$defs"]["PoolConfig"]["properties"]
    assert {
        "site",
        "users",
        "activeServers",
        "vmSize",
        "hardware",
        "nextHop",
        "port",
        "defaultForSite",
        "dataDisk",
        "store",
        "compliance",
        "highAvailability",
        "disasterRecovery",
    } <= set(pool)
    assert schema["$defs"]["PoolConfig"]["additionalProperties"] is False
    assert pool["users"]["description"].startswith("Concurrent users to serve")
