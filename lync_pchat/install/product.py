"""What the install scripts take from the product (:mod:`lync_pchat.model.products`): the Deployment folder with
Bootstrapper.exe, the Management Shell module, and the .NET Framework releases the product does not support.

Every script gets the same ``Product`` setting; ``common.ps1`` reads its paths from it.
"""

from __future__ import annotations

from ..model import Plan, ServerPlan
from ..model.products import DOTNET48_RELEASE, facts, windows_of
from ..scripting import Value

DOTNET_KEY = "HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full"
"""Where Windows records the installed .NET Framework 4.x ``Release`` (skype2015.md 4.1)."""
DOTNET48_BLOCKER = "HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\WU"
DOTNET48_BLOCKER_VALUE = "BlockNetFramework48"
"""The registry value (DWORD 1) that keeps Windows Update from offering .NET Framework 4.8: Microsoft's blocker for
that release, not in the project's reference (UNCONFIRMED here); the patching waves must not add 4.8 either."""


def update_before_setup(server: ServerPlan, plan: Plan) -> bool:
    """Whether ``server``'s Windows Server version needs the cumulative update on the core components before the
    Deployment Wizard's steps (Skype for Business Server 2015 on Windows Server 2016 and 2019, KB4015888)."""
    version = windows_of(server.image)
    required = facts(plan.product).windows.get(version) if version is not None else None
    return required is not None and required.update_before_setup


def settings(plan: Plan) -> dict[str, Value]:
    """The ``Product`` setting of every install script."""
    product = facts(plan.product)
    dotnet: dict[str, Value] | None = None
    if product.blocks_dotnet48:
        dotnet = {
            "Key": DOTNET_KEY,
            "UnsupportedFrom": DOTNET48_RELEASE,
            "BlockerKey": DOTNET48_BLOCKER,
            "BlockerValue": DOTNET48_BLOCKER_VALUE,
        }
    return {
        "Name": product.name,
        "Bootstrapper": product.bootstrapper,
        "Module": product.module,
        "ModulePath": product.module_path,
        "DotNet48": dotnet,
    }
