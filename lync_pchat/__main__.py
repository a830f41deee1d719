"""``python -m lync_pchat``: the ``pchat`` command."""

import sys

from .cli import main

sys.exit(main())
