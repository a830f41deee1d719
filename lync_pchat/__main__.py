"""``python -m lync_pchat``: the ``pchat`` command."""

import sys

from .interrupt import console

sys.exit(console())
