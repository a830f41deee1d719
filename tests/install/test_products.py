"""The install scripts for both products: the same phases, steps and checks; the product's Deployment folder,
Management Shell module, update installer and .NET rule.

Oracles: skype2015.md 5 (media, paths, module, updater), 4.1 (.NET 4.8 not supported by Skype for Business Server
2015); lync-install.md 1.3 (Lync Server 2013 paths).
"""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat import install

from .. import powershell as ps
from .support import FULL, SKYPE, STANDARD, function, settings, step, steps

LYNC2013: dict[str, Any] = {
    "Name": "Lync Server 2013",
    "Bootstrapper": "Microsoft Lync Server 2013\\Deployment\\Bootstrapper.exe",
    "Module": "Lync",
    "ModulePath": "Microsoft Lync Server 2013\\Modules\\Lync\\Lync.psd1",
    "DotNet48": None,
}
"""lync-install.md 1.3: C:\\Program Files\\Microsoft Lync Server 2013\\Deployment\\Bootstrapper.exe and
C:\\Program Files\\Common Files\\Microsoft Lync Server 2013\\Modules\\Lync\\Lync.psd1; no .NET 4.8 rule
(UNCONFIRMED for Lync 2013, lync-install.md 1.2)."""
SKYPE2015: dict[str, Any] = {
    "Name": "Skype for Business Server 2015",
    "Bootstrapper": "Skype for Business Server 2015\\Deployment\\Bootstrapper.exe",
    "Module": "SkypeForBusiness",
    "ModulePath": "Skype for Business Server 2015\\Modules\\SkypeForBusiness\\SkypeForBusiness.psd1",
    "DotNet48": {
        "Key": "HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full",
        "UnsupportedFrom": 528040,
        "BlockerKey": "HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\WU",
        "BlockerValue": "BlockNetFramework48",
    },
}
"""skype2015.md 5: C:\\Program Files\\Skype for Business Server 2015\\Deployment\\Bootstrapper.exe and
C:\\Program Files\\Common Files\\Skype for Business Server 2015\\Modules\\SkypeForBusiness\\SkypeForBusiness.psd1;
4.1: .NET 4.8 not supported, checked at NDP\\v4\\Full Release (528040 is .NET 4.8's lowest Release value in
Microsoft's .NET version table)."""


def _scripts(plan: Any) -> dict[str, str]:
    pool = plan.pools[0]
    server = pool.pool_servers[0]
    return {
        "A": install.server_script(server, plan),
        "U": install.update_script(server, plan),
        "B": install.database_script(pool, plan),
        "C": install.start_script(server, plan),
    }


@pytest.mark.parametrize(("plan", "expected"), [(FULL, LYNC2013), (STANDARD, LYNC2013), (SKYPE, SKYPE2015)])
def test_every_phase_gets_the_products_paths_and_module(plan: Any, expected: dict[str, Any]) -> None:
    for phase, script in _scripts(plan).items():
        assert ps.errors(script) == [], phase
        assert settings(script)["Product"] == expected, phase


def test_both_products_run_the_same_steps() -> None:
    lync, skype = _scripts(FULL), _scripts(SKYPE)
    for phase in lync:
        assert [n for n, _ in steps(lync[phase])] == [n for n, _ in steps(skype[phase])], phase


def test_the_paths_come_from_the_product_setting_only() -> None:
    """No Lync Server 2013 path is left in the helpers: both come from $cfg.Product."""
    script = _scripts(SKYPE)["A"]
    bootstrapper = ps.text(function(script, "Get-Bootstrapper"))
    module = ps.text(function(script, "Get-LyncModulePath"))
    assert "Join-Path $env:ProgramFiles $cfg.Product.Bootstrapper" in bootstrapper
    assert "Join-Path $env:CommonProgramFiles $cfg.Product.ModulePath" in module
    assert "Get-Module -Name $cfg.Product.Module" in ps.text(function(script, "Import-LyncModule"))
    assert "Lync Server 2013" not in bootstrapper + module


def test_the_skype_update_is_its_own_installer() -> None:
    """SkypeServerUpdateInstaller.exe (skype2015.md 5)."""
    assert settings(_scripts(SKYPE)["U"])["UpdateInstaller"] == "SkypeServerUpdateInstaller.exe"


def test_the_prerequisites_step_checks_dotnet_48_for_the_product() -> None:
    """SfB 2015 does not support .NET 4.8 (skype2015.md 4.1): refuse it, block it from Windows Update."""
    for plan in (FULL, SKYPE):
        prerequisites = step(_scripts(plan)["A"], "Check the prerequisites")
        (call,) = ps.commands(prerequisites, "Assert-DotNet")
        assert ps.text(call.node).endswith("$cfg.Product.DotNet48")
    rule = ps.text(function(_scripts(SKYPE)["A"], "Assert-DotNet"))
    assert "if ($release -ge $Rule.UnsupportedFrom)" in rule
    assert "throw" in rule.split("if ($release -ge $Rule.UnsupportedFrom)")[1].split("}")[0]
    assert "Set-ItemProperty -Path $Rule.BlockerKey -Name $Rule.BlockerValue -Value 1 -Type DWord" in rule
    assert "if (-not $Rule) {\n        return" in rule
