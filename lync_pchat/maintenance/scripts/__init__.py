"""The maintenance steps' script templates, rendered through the one renderer (:mod:`lync_pchat.scripting`)."""

from __future__ import annotations

from ...scripting import Templates

TEMPLATES = Templates(__name__)
