"""Azure Monitor on every server: a Log Analytics workspace (given or created), the Azure Monitor Agent, one data
collection rule associated with every VM, an action group (given or created) and the alert rules of
``lync_pchat.model.monitoring``.

The Azure Monitor Agent is the documented agent for Windows Server 2012 R2 (with ESU, which Azure VMs get at no
cost); the Log Analytics agent is retired and the Diagnostics extension retires on 2026-03-31, so neither is a
path forward (operations.md §2.1) [AM:agents/azure-monitor-agent-supported-operating-systems.md].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import compute, monitor, operationalinsights

from lync_pchat.model import Plan
from lync_pchat.model.config import MonitoringConfig
from lync_pchat.model.monitoring import SAMPLE_SECONDS, AlertRule, alert_rules, counters, xpath_queries

from .common import SHARED, Component, child, tags
from .server_handle import ServerHandle

AGENT_PUBLISHER, AGENT_TYPE = "Microsoft.Azure.Monitor", "AzureMonitorWindowsAgent"
"""The Azure Monitor Agent extension for Windows [AM:agents/azure-monitor-agent-requirements.md]."""
AGENT_VERSION = "1.0"
ASSOCIATION = "pchat-dcr"
"""The name of every VM's association with the rule (one per VM)."""
WORKSPACE = "log"
"""The destination name of the workspace inside the rule."""
RETENTION_DAYS = 30
SHORT_NAME = 12
"""An action group's short name has at most 12 characters (operations.md §2.4)."""


@dataclass(frozen=True)
class MonitoringArgs:
    """Inputs of :class:`Monitoring`."""

    plan: Plan
    monitoring: MonitoringConfig
    vms: Mapping[str, ServerHandle]
    """Every server of the plan, by key."""
    site: str
    """The first site: workspace, rule, action group and alert rules go there."""
    resource_group_name: pulumi.Input[str]
    """The first site's group."""
    location: str
    """The first site's region; a data collection rule is in the region of its workspace."""
    workspace_id: pulumi.Input[str] | None = None
    """An existing workspace (``diagnostics.workspaceResourceId``); None: the component creates one."""
    name_prefix: str = "pchat"
    tags: Mapping[str, str] = field(default_factory=dict)
    action_group_id: pulumi.Input[str] | None = None
    """The existing action group (``monitoring.actionGroupId``, may be an Output); default: the config's."""


class Monitoring(Component):
    """Children: a Log Analytics workspace unless one is given, a data collection rule, per VM the Azure Monitor
    Agent extension and the rule's association, an action group when ``monitoring.emails`` are given, and a log
    alert rule per :class:`AlertRule` when alerts have somewhere to go (else none, and the plan warns).

    Outputs: ``workspace_id``, ``rule_id``, ``action_group_id`` (None without one), ``alert_rules`` (keys).
    """

    workspace_id: pulumi.Output[str]
    rule_id: pulumi.Output[str]
    action_group_id: pulumi.Output[str] | None
    alert_rules: list[str]

    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("Monitoring", name, opts, legacy=False)
        self._tags = tags(dict(args.tags), pool=SHARED, site=args.site, role="monitoring")
        self.workspace_id = pulumi.Output.from_input(args.workspace_id or self._workspace(name, args).id)
        rule = self._rule(name, args)
        self.rule_id = rule.id
        for key, vm in args.vms.items():
            agent = compute.VirtualMachineExtension(
                f"{key}-monitor-agent",
                resource_group_name=vm.resource_group_name,
                location=vm.server.region,
                vm_name=vm.vm_name,
                vm_extension_name=AGENT_TYPE,
                publisher=AGENT_PUBLISHER,
                type=AGENT_TYPE,
                type_handler_version=AGENT_VERSION,
                auto_upgrade_minor_version=True,
                enable_automatic_upgrade=True,
                tags=tags(dict(args.tags), pool=vm.server.pool, site=vm.server.site, role=vm.server.role),
                opts=child(self, depends_on=[vm.ready]),  # extensions of a VM run one at a time
            )
            monitor.DataCollectionRuleAssociation(
                f"{key}-dcr",
                resource_uri=vm.vm_id,
                association_name=ASSOCIATION,
                data_collection_rule_id=rule.id,
                description=f"{vm.server.computer_name} sends its events and counters to the workspace",
                opts=child(self, depends_on=[agent]),
            )
        self.action_group_id = self._action_group(name, args)
        self.alert_rules = []
        if self.action_group_id is not None:
            for alert in alert_rules(args.plan, args.monitoring):
                self._alert(name, args, alert, self.action_group_id)
                self.alert_rules.append(alert.key)
        self.register_outputs(
            {"workspaceId": self.workspace_id, "ruleId": self.rule_id, "alertRules": self.alert_rules}
        )

    def _workspace(self, name: str, args: MonitoringArgs) -> operationalinsights.Workspace:
        return operationalinsights.Workspace(
            f"{name}-workspace",
            resource_group_name=args.resource_group_name,
            location=args.location,
            workspace_name=f"log-{args.name_prefix}",
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=RETENTION_DAYS,
            tags=self._tags,
            opts=child(self),
        )

    def _rule(self, name: str, args: MonitoringArgs) -> monitor.DataCollectionRule:
        """Events (``Microsoft-Event``) and counters (``Microsoft-Perf``) of every server to the workspace."""
        return monitor.DataCollectionRule(
            f"{name}-rule",
            resource_group_name=args.resource_group_name,
            location=args.location,
            data_collection_rule_name=f"dcr-{args.name_prefix}-windows",
            kind="Windows",
            description="Lync Server, Application, System and SQL Server events and performance counters",
            data_sources=monitor.DataCollectionRuleDataSourcesArgs(
                windows_event_logs=[
                    monitor.WindowsEventLogDataSourceArgs(name=key, streams=["Microsoft-Event"], x_path_queries=list(q))
                    for key, q in xpath_queries().items()
                ],
                performance_counters=[
                    monitor.PerfCounterDataSourceArgs(
                        name="counters",
                        streams=["Microsoft-Perf"],
                        sampling_frequency_in_seconds=SAMPLE_SECONDS,
                        counter_specifiers=list(counters(args.plan)),
                    )
                ],
            ),
            destinations=monitor.DataCollectionRuleDestinationsArgs(
                log_analytics=[
                    monitor.LogAnalyticsDestinationArgs(name=WORKSPACE, workspace_resource_id=self.workspace_id)
                ]
            ),
            data_flows=[monitor.DataFlowArgs(streams=["Microsoft-Event", "Microsoft-Perf"], destinations=[WORKSPACE])],
            tags=self._tags,
            opts=child(self),
        )

    def _action_group(self, name: str, args: MonitoringArgs) -> pulumi.Output[str] | None:
        mon = args.monitoring
        given = args.action_group_id if args.action_group_id is not None else mon.action_group_id
        if given is not None:
            return pulumi.Output.from_input(given)
        if not mon.emails:
            return None
        group = monitor.ActionGroup(
            f"{name}-actions",
            resource_group_name=args.resource_group_name,
            location="Global",
            action_group_name=f"ag-{args.name_prefix}",
            group_short_name=args.name_prefix[:SHORT_NAME],
            enabled=True,
            email_receivers=[
                monitor.MicrosoftCommonEmailReceiverArgs(
                    name=f"email-{n}", email_address=address, use_common_alert_schema=True
                )
                for n, address in enumerate(mon.emails, 1)
            ],
            tags=self._tags,
            opts=child(self),
        )
        return pulumi.Output.from_input(group.id)

    def _alert(self, name: str, args: MonitoringArgs, alert: AlertRule, action_group: pulumi.Input[str]) -> None:
        monitor.ScheduledQueryRule(
            f"{name}-alert-{alert.key}",
            resource_group_name=args.resource_group_name,
            location=args.location,
            rule_name=f"alert-{args.name_prefix}-{alert.key}",
            kind="LogAlert",
            display_name=alert.title,
            description=alert.reason,
            severity=alert.severity,
            enabled=True,
            scopes=[self.workspace_id],
            evaluation_frequency=f"PT{alert.frequency_minutes}M",
            window_size=f"PT{alert.window_minutes}M",
            criteria=monitor.ScheduledQueryRuleCriteriaArgs(
                all_of=[
                    monitor.ConditionArgs(
                        query=alert.query,
                        time_aggregation="Count",
                        operator="GreaterThan",
                        threshold=0,
                        failing_periods=monitor.ConditionFailingPeriodsArgs(
                            min_failing_periods_to_alert=1, number_of_evaluation_periods=1
                        ),
                    )
                ]
            ),
            actions=monitor.ActionsArgs(action_groups=[action_group]),
            auto_mitigate=True,
            tags=self._tags,
            opts=child(self),
        )
