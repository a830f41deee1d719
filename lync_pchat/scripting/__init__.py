"""The scripting layer, between the model and the script producers (install, backup, runbooks, bootstrap).

- :mod:`.quoting`: the one quoting path of each language (PowerShell and T-SQL literals);
- :mod:`.literal`: the PowerShell data literal (``Value``), the one way settings reach a script;
- :mod:`.templates`: the ``{{ name }}`` placeholder engine and the product's values;
- :mod:`.renderer`: the one renderer (:class:`Templates`), with the shared helpers (``scripts/common.ps1``,
  ``media.ps1``, ``protect.ps1``, ``sql.ps1``) and the 64 KB limit;
- :mod:`.packing`: a script packed (gzip, base64) into a one-line command;
- :mod:`.tsql`: T-SQL every producer shares.

Imports only the model; imports no Pulumi.
"""

from __future__ import annotations

from .literal import Value, powershell
from .renderer import MAX_SCRIPT, Templates
from .templates import for_product

__all__ = ["MAX_SCRIPT", "Templates", "Value", "for_product", "powershell"]
