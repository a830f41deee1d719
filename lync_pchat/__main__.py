"""``python -m lync_pchat``: the ``pchat`` command."""

import sys

from .cli import console

sys.exit(console())
