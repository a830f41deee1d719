"""Offline synthesis: the real program under a mock engine, and what it registered."""

from .engine import AzureMocks, RecordingMonitor, run
from .graph import Resource, flatten, synthesize

__all__ = ["AzureMocks", "RecordingMonitor", "Resource", "flatten", "run", "synthesize"]
