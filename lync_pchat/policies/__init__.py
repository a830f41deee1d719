"""Policy-as-code guardrails for Persistent Chat deployments.

Pure checks live in :mod:`.network`, :mod:`.compute`, :mod:`.hardware`, :mod:`.topology` and
:mod:`.placement` and are listed in :mod:`.specs`; the stack checks find servers, pools and regions
from the resources with :mod:`.recognition`, never from the resources' own tags. :mod:`.pack` wraps
them as pulumi_policy objects (``POLICIES``) and :mod:`.offline` runs them over mock-recorded
resources. Importing this package does not import pulumi_policy.
"""

from .base import CheckOptions, StackResource, Violation
from .specs import ADVISORY, MANDATORY, PACK_NAME, SPECS, PolicySpec

__all__ = ["ADVISORY", "MANDATORY", "PACK_NAME", "SPECS", "CheckOptions", "PolicySpec", "StackResource", "Violation"]
