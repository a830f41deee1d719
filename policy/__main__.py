"""The lync-pchat-guardrails policy pack; starts the analyzer server (blocks until the CLI stops it)."""

from pulumi_policy import EnforcementLevel, PolicyPack

from lync_pchat.policies.pack import DESCRIPTION, POLICIES
from lync_pchat.policies.specs import PACK_NAME

PolicyPack(
    name=PACK_NAME,
    policies=POLICIES,
    enforcement_level=EnforcementLevel.ADVISORY,
    description=DESCRIPTION,
    display_name="Lync Persistent Chat guardrails",
    tags=["azure", "lync", "persistent-chat"],
)
