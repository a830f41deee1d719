"""Monitoring config rules: one destination for alerts (``monitoring.actionGroupId`` or ``monitoring.emails``,
shared/reference/stack-config.md), no alert rule without an action (the issue), SIP test users for
Test-CsPersistentChatMessage [PS:Test-CsPersistentChatMessage]."""

from __future__ import annotations

from typing import Any

import pytest

from lync_pchat.model import TopologyError, plan_topology

from ..model.configs import changed, enterprise

GROUP = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/"
    "microsoft.insights/actionGroups/ag-ops"
)
USERS = {"sender": "sip:probe1@contoso.com", "receiver": "sip:probe2@contoso.com"}
NO_ACTION = (
    "monitoring: neither actionGroupId nor emails is set, so no alert rule is created (an alert nobody receives is "
    "no alert); the agent and the data collection rules are"
)
NO_USERS = (
    "monitoring.testUsers: not set, so there is no synthetic Test-CsPersistentChatMessage; give two users enabled "
    "for Persistent Chat by policy [PS:Test-CsPersistentChatMessage]"
)


def problems(monitoring: dict[str, Any]) -> list[str]:
    with pytest.raises(TopologyError) as error:
        plan_topology(changed(enterprise(), monitoring=monitoring))
    return [str(p) for p in error.value.problems]


@pytest.mark.parametrize(
    ("monitoring", "expected"),
    [
        (
            {"actionGroupId": GROUP, "emails": ["ops@contoso.com"]},
            ["monitoring.emails: give actionGroupId (an existing action group) or emails, not both"],
        ),
        ({"emails": ["ops"]}, ["monitoring.emails.0: 'ops' is not an email address"]),
        ({"emails": ["a@contoso.com", "A@contoso.com"]}, ["monitoring.emails: lists an address twice"]),
        (
            {"actionGroupId": "ag-ops"},
            [
                "monitoring.actionGroupId: 'ag-ops' is not the resource id of an action group: /subscriptions/"
                "<subscription id>/resourceGroups/<group>/providers/Microsoft.Insights/actionGroups/<name>"
            ],
        ),
        (
            {"testUsers": {"sender": "probe1@contoso.com", "receiver": "sip:probe1@contoso.com"}},
            ["monitoring.testUsers.sender: 'probe1@contoso.com' is not a SIP address (sip:user@domain)"],
        ),
        (
            {"testUsers": {"sender": "sip:p@contoso.com", "receiver": "sip:P@contoso.com"}},
            ["monitoring.testUsers.receiver: must be another user than the sender"],
        ),
        ({"heartbeatMinutes": 1}, ["monitoring.heartbeatMinutes: Input should be greater than or equal to 5"]),
    ],
)
def test_malformed_monitoring_is_refused(monitoring: dict[str, Any], expected: list[str]) -> None:
    assert problems(monitoring) == expected


def test_monitoring_without_an_action_or_test_users_warns() -> None:
    plan = plan_topology(enterprise())
    assert plan.monitoring is not None
    assert NO_ACTION in plan.warnings and NO_USERS in plan.warnings


@pytest.mark.parametrize("where", [{"actionGroupId": GROUP}, {"emails": ["ops@contoso.com"]}])
def test_an_action_and_test_users_silence_the_warnings(where: dict[str, Any]) -> None:
    warnings = plan_topology(changed(enterprise(), monitoring={**where, "testUsers": USERS})).warnings
    assert not [w for w in warnings if w.startswith("monitoring")]


def test_monitoring_off_warns_about_nothing_and_plans_nothing() -> None:
    plan = plan_topology(changed(enterprise(), monitoring={"enabled": False}))
    assert plan.monitoring is None
    assert not [w for w in plan.warnings if w.startswith("monitoring")]


def test_a_test_user_with_a_line_break_is_refused() -> None:
    (problem,) = problems({"testUsers": {"sender": "sip:a@contoso.com\nRemove-Item C:\\", "receiver": "sip:b@x.com"}})
    assert problem.startswith("monitoring.testUsers.sender: contains U+000A")


def test_more_emails_than_an_action_group_takes_are_refused() -> None:
    """ "1,000 email actions in an action group" (https://learn.microsoft.com/azure/azure-monitor/service-limits)."""
    emails = [f"ops{n}@contoso.com" for n in range(2000)]
    assert problems({"emails": emails}) == [
        "monitoring.emails: 2,000 addresses: an action group takes at most 1,000 email receivers; send to a "
        "distribution list instead [https://learn.microsoft.com/azure/azure-monitor/service-limits]"
    ]
    assert plan_topology(changed(enterprise(), monitoring={"emails": emails[:1000]})).monitoring is not None
