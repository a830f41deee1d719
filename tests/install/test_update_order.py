"""Where the cumulative update goes in the install, per product and Windows Server version, and the proof that the
update installer did its work.

Oracles:
- KB4015888 "How to install Skype for Business Server 2015 on Windows Server 2016"
  (https://support.microsoft.com/help/4015888), linked from the Windows Server 2016 row of the Skype for Business
  Server 2015 server requirements [SRV] (skype2015.md 2: Windows Server 2016 needs CU5 or later, 2019 CU9 or later).
  Its order: the core components first, then the cumulative update's SkypeServerUpdateInstaller.exe, then the
  Deployment Wizard's steps (install the local configuration store; set up or remove components), then the update
  installer again for what those steps installed. The KB text is not in the project's reference (skype2015.md 9,
  item 1): the order is the one the brief of issue 24 item 7 recalls, to be checked against the KB.
- Lync Server 2013 on Windows Server 2012 R2: the update after setup [L:lync-server-2013-upgrade-or-update-a-back-
  end-server-or-standard-edition-server] (lync-install.md 1.6), unchanged.
- The effect of the installer: the core components' installed version (Windows Installer ProductInfo
  VersionString of OCSCore.msi's ProductCode, https://learn.microsoft.com/windows/win32/msi/installer-productinfo)
  above the media's (the MSI's ProductVersion property); the registry and WMI are the methods Microsoft names as
  the ones Get-CsServerPatchVersion replaces [PS:Get-CsServerPatchVersion], and Lync Server 2013 has no such cmdlet.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from lync_pchat import install
from lync_pchat.model import plan_topology

from .. import powershell as ps
from ..model.configs import changed, enterprise
from .support import FULL, SKYPE_UPDATE, assert_guarded, function, installing, settings, step, steps


def _skype(sku: str) -> Any:
    images = {"windows": {"sku": sku}, "sql": {"offer": "SQL2017-WS2016"}}
    raw = changed(enterprise(), product="skype2015", images=images)
    return plan_topology(installing(raw))


def _order(script: str) -> list[str]:
    """The installing actions of phase A in the order they run: the core packages, the update installer, the
    local store (Bootstrapper /BootstrapLocalMgmt) and the components (Bootstrapper /SourceDirectory)."""
    found: list[tuple[int, str]] = []
    for _, block in steps(script):
        for command in ps.commands(block):
            text = ps.text(command.node)
            if command.name == "Install-CorePackage":
                found.append((command.node.start_byte, "core components"))
            elif command.name == "Install-UpdateInstaller":
                found.append((command.node.start_byte, "cumulative update"))
            elif command.name == "Invoke-Native" and "Get-Bootstrapper" in text:
                label = "local store" if "/BootstrapLocalMgmt" in text else "components"
                found.append((command.node.start_byte, label))
    return [label for _, label in sorted(found)]


@pytest.mark.parametrize("sku", ["2016-Datacenter", "2019-Datacenter"])
def test_skype2015_on_2016_and_2019_updates_the_core_components_before_the_deployment_wizard(sku: str) -> None:
    """KB4015888: core components, the update installer, then the local store and the components; the update phase
    runs the installer again after setup for what setup installed."""
    plan = _skype(sku)
    server = plan.pools[0].pool_servers[0]
    script = install.server_script(server, plan)
    assert settings(script)["UpdateBeforeSetup"] == SKYPE_UPDATE
    assert _order(script) == ["core components", "cumulative update", "local store", "components"]
    (update,) = ps.commands(step(script, "Install the core components"), "Install-UpdateInstaller")
    assert ps.text(update.arguments[0]) == "$cfg.UpdateBeforeSetup"
    assert_guarded(update.node, "Get-CoreVersion")
    again = install.update_script(server, plan)
    assert settings(again)["UpdateInstaller"] == SKYPE_UPDATE
    assert ps.commands(function(again, "Install-Update"), "Install-UpdateInstaller")


@pytest.mark.parametrize("plan", [FULL, _skype("2012-R2-Datacenter")], ids=["lync2013-2012r2", "skype2015-2012r2"])
def test_on_2012_r2_the_update_comes_after_setup_only(plan: Any) -> None:
    """Lync Server 2013 (lync-install.md 1.6) and Skype for Business Server 2015 on 2012 R2 (no KB4015888 step):
    phase A names no installer; its update step says it skips."""
    script = install.server_script(plan.pools[0].pool_servers[0], plan)
    assert settings(script)["UpdateBeforeSetup"] is None
    assert "UpdateInstaller" not in settings(script)
    core = step(script, "Install the core components")
    (guard,) = [n for n in ps.of_type(core, "if_statement") if "-not $cfg.UpdateBeforeSetup" in ps.text(n)[:40]]
    first = ps.text(guard).split("}")[0]
    assert "Write-Skip 'the update phase installs the cumulative update after setup'" in first


def test_without_an_update_installer_a_2016_server_has_no_phase_a() -> None:
    """The plan refuses it (rules_product.update); the renderer refuses it too, rather than install RTM setup."""
    plan = _skype("2016-Datacenter")
    server = plan.pools[0].pool_servers[0]
    assert plan.software is not None
    bare = replace(plan, software=replace(plan.software, update_installer=None))
    with pytest.raises(ValueError, match=r"needs software\.updateInstaller before setup \(KB4015888\)"):
        install.server_script(server, bare)


def test_the_update_installer_is_proven_by_the_core_components_version() -> None:
    """/silentmode is not in Microsoft's documentation: after it, the installed core components' version must be
    above the media's, else the phase fails with what to do."""
    body = function(install.update_script(FULL.server("pchat01-a1"), FULL), "Install-UpdateInstaller")
    calls = [c.name for c in ps.commands(body) if c.name in ("Get-MediaVersion", "Get-CoreVersion", "Invoke-Native")]
    assert calls == ["Get-MediaVersion", "Get-CoreVersion", "Invoke-Native", "Get-CoreVersion"]
    (check,) = [n for n in ps.of_type(body, "if_statement") if "-le $media" in ps.text(n).split("{")[0]]
    assert "-not $after" in ps.text(check).split("{")[0]
    branch = ps.text(check).split("{", 1)[1]
    assert branch.lstrip().startswith('throw "$Installer /silentmode ended, but the core components are at $after')
    assert "the update was not installed" in branch.split("}")[0]
    script = install.update_script(FULL.server("pchat01-a1"), FULL)
    version = ps.text(function(script, "Get-CoreVersion"))
    assert "'ProductInfo', 'GetProperty'" in version and "'VersionString'" in version
    assert "'ProductVersion'" in ps.text(function(script, "Get-MediaVersion"))


def test_dotnet48_stops_skype2015_before_anything_is_installed() -> None:
    """SfB 2015 does not support .NET 4.8 (skype2015.md 4.1 [SRV]); 4.8 is Release 528040 or more (Microsoft's
    "determine which .NET Framework versions are installed"): the check comes before the media, the core components
    and setup, and its message says setup has not run and what to do."""
    plan = _skype("2019-Datacenter")
    script = install.server_script(plan.pools[0].pool_servers[0], plan)
    assert settings(script)["Product"]["DotNet48"]["UnsupportedFrom"] == 528040
    names = [name for name, _ in steps(script)]
    assert names.index("Check the prerequisites") < names.index("Copy the installation media")
    assert names.index("Copy the installation media") < names.index("Install the core components")
    rule = ps.text(function(script, "Assert-DotNet"))
    refusal = rule.split("if ($release -ge $Rule.UnsupportedFrom) {")[1].split("}")[0]
    assert "does not support it, so setup has not run" in refusal and "images.windows.version" in refusal
