"""Offline synthesis (the real program under a mock engine, and what it registered), the plan and its diff.

Nothing is imported here, so the light modules (the diff's git, revision and gate) load without Pulumi: import
what you need from its module (``lync_pchat.offline.engine``, ``.graph``, ``.render``).
"""
