"""Patches in waves: one Azure Update Manager maintenance configuration per site and wave, and each server
assigned to the configuration of its wave (``lync_pchat.model.waves``).

The servers run ``patchMode: AutomaticByPlatform`` with ``bypassPlatformSafetyChecksOnUserSchedule`` (see
:func:`scheduled_patching`): Windows Automatic Updates is off (``NoAutoUpdate=1``) and only a maintenance
configuration's schedule patches them [AZ:automatic-vm-guest-patching.md], [UM:prerequsite-for-schedule-patching.md].
Windows Server 2012 R2 Datacenter marketplace images are on the list of images that mode supports, and Update
Manager supports the ``microsoftsqlserver`` images [UM:support-matrix-updates.md].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import compute, maintenance

from lync_pchat import maintenance as steps
from lync_pchat.model import Plan, rules_platform
from lync_pchat.model.config import PatchingConfig
from lync_pchat.model.maintenance import schedule, sessions
from lync_pchat.model.patch_windows import computed, first_start
from lync_pchat.model.waves import wave

from .common import SHARED, Component, child, tags
from .run_command import RunCommand, run_command
from .server_handle import ServerHandle

SCOPE = "InGuestPatch"
"""Guest OS patches of a VM, scheduled by the customer: ``extensionProperties.InGuestPatchMode=User``
[TPL:maintenanceconfigurations]."""
ASSIGNMENT = "pchat-patch-wave"
"""The name of every server's assignment (one per VM)."""
RUN_COMMAND = "pchat-maintenance"
"""The Run Command that installs a mirroring partner's pre-maintenance and witness steps
(``lync_pchat.maintenance``)."""
TIMEOUT = 600
"""Seconds the Run Command may take: it writes a script and registers two tasks."""


def scheduled_patching() -> compute.PatchSettingsArgs:
    """Patch settings under which only a schedule patches the VM: ``AutomaticByPlatform`` with
    ``bypassPlatformSafetyChecksOnUserSchedule`` ("Customer Managed Schedules"); without a schedule it is not
    patched at all [UM:prerequsite-for-schedule-patching.md]. Changing them updates the VM in place."""
    return compute.PatchSettingsArgs(
        patch_mode="AutomaticByPlatform",
        automatic_by_platform_settings=compute.WindowsVMGuestPatchAutomaticByPlatformSettingsArgs(
            bypass_platform_safety_checks_on_user_schedule=True
        ),
    )


@dataclass(frozen=True)
class PatchWavesArgs:
    """Inputs of :class:`PatchWaves`."""

    plan: Plan
    patching: PatchingConfig
    vms: Mapping[str, ServerHandle]
    """Every server of the plan, by key."""
    resource_groups: Mapping[str, pulumi.Input[str]]
    """Site key -> the site's resource group, where its maintenance configurations go."""
    name_prefix: str = "pchat"
    tags: Mapping[str, str] = field(default_factory=dict)


class PatchWaves(Component):
    """Children: a maintenance configuration per site and wave that has servers there (named
    ``mc-<prefix>-<site>-wave<n>``), a configuration assignment per server, and on each SQL Server partner of a
    mirrored store the ``pchat-maintenance`` Run Command, which schedules its pre-maintenance step from the start
    its window's configuration holds (``lync_pchat.model.maintenance``).

    Outputs: ``configuration_ids`` (``<site>-wave<n>`` -> id), ``waves`` (server key -> wave), ``maintenance_steps``
    (server key -> Run Command id).
    """

    configuration_ids: dict[str, pulumi.Output[str]]
    waves: dict[str, int]
    maintenance_steps: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: PatchWavesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("PatchWaves", name, opts, legacy=False)
        self.waves = {key: wave(vm.server) for key, vm in args.vms.items()}
        configurations: dict[tuple[str, int], maintenance.MaintenanceConfiguration] = {}
        for key, vm in args.vms.items():
            site, n = vm.server.site, self.waves[key]
            if (site, n) not in configurations:
                configurations[site, n] = self._configuration(name, args, site, n)
            maintenance.ConfigurationAssignment(
                f"{key}-patch-wave",
                resource_group_name=vm.resource_group_name,
                provider_name="Microsoft.Compute",
                resource_type="virtualMachines",
                resource_name_=vm.vm_name,
                configuration_assignment_name=ASSIGNMENT,
                location=vm.server.region,
                maintenance_configuration_id=configurations[site, n].id,
                opts=child(self, depends_on=[vm.ready]),
            )
        self.configuration_ids = {f"{site}-wave{n}": c.id for (site, n), c in configurations.items()}
        self.maintenance_steps = {
            key: self._steps(args, key, configurations[args.vms[key].server.site, self.waves[key]]).id
            for key in sessions(args.plan)
            if key in args.vms
        }
        self.register_outputs(
            {
                "configurationIds": self.configuration_ids,
                "waves": self.waves,
                "maintenanceSteps": self.maintenance_steps,
            }
        )

    def _steps(self, args: PatchWavesArgs, key: str, configuration: maintenance.MaintenanceConfiguration) -> RunCommand:
        """The partner's steps, triggered from its window's first start as the configuration holds it (a computed
        start is kept once created, so the script does not change with the day of a later run)."""
        vm, n = args.vms[key], self.waves[key]
        window = args.patching.windows[n - 1]
        hours, minutes = (int(part) for part in window.duration.split(":"))

        def script(start: str) -> str:
            return steps.register_script(
                key, args.plan, schedule(window, start, args.patching.time_zone), hours * 60 + minutes
            )

        return run_command(
            self, f"{key}-{RUN_COMMAND}", vm, command=RUN_COMMAND,
            script=configuration.start_date_time.apply(lambda start: script(start or "")), timeout=TIMEOUT, logs=None,
            tags=tags(dict(args.tags), pool=vm.server.pool, site=vm.server.site, role="maintenance"),
            depends_on=[vm.ready],
        )  # fmt: skip

    def _configuration(
        self, name: str, args: PatchWavesArgs, site: str, n: int
    ) -> maintenance.MaintenanceConfiguration:
        """The window of wave ``n`` (``patching.windows[n-1]``) for the servers of ``site``."""
        window, patching = args.patching.windows[n - 1], args.patching
        return maintenance.MaintenanceConfiguration(
            f"{name}-{site}-wave{n}",
            resource_group_name=args.resource_groups[site],
            location=args.plan.site(site).region,
            resource_name_=f"mc-{args.name_prefix}-{site}-wave{n}",
            maintenance_scope=SCOPE,
            extension_properties={"InGuestPatchMode": "User"},
            visibility="Custom",
            start_date_time=first_start(window.start, window.recur_every, rules_platform.today()),
            duration=window.duration,
            time_zone=patching.time_zone,
            recur_every=window.recur_every,
            install_patches=maintenance.InputPatchConfigurationArgs(
                reboot_setting=patching.reboot.value,
                windows_parameters=maintenance.InputWindowsParametersArgs(
                    classifications_to_include=list(patching.classifications),
                    kb_numbers_to_exclude=list(patching.exclude_kbs) or None,
                ),
            ),
            tags=tags(dict(args.tags), pool=SHARED, site=site, role=f"patch-wave{n}"),
            # A computed first start moves with the clock: once created, the window keeps the one it got.
            opts=child(self, ignore_changes=["startDateTime"] if computed(window.start) else None),
        )
