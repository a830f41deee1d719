"""The pulumi_policy objects of the guardrails; ``policy/__main__.py`` serves them as a pack.

Secretness is not visible here: the SDK's Analyze and AnalyzeStack deserialize props without
their secret markers, so ``pchat-secrets`` can check only what is in plain-text ``settings``.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidation,
    StackValidationArgs,
    StackValidationPolicy,
)

from .base import CheckOptions, ResourceCheck, StackCheck, StackResource
from .specs import SPECS, PolicySpec

DESCRIPTION = "Guardrails for Lync Server 2013 Persistent Chat on Azure: product limits and security baseline."


def resource_validation(check: ResourceCheck) -> ResourceValidation:
    """Runs a pure resource check on the SDK's args and reports each message."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        options = CheckOptions(protect=bool(args.opts and args.opts.protect), config=dict(args.get_config()))
        for message in check(args.resource_type, args.props, options):
            report(message, None)

    return validate


def stack_validation(check: StackCheck) -> StackValidation:
    """Runs a pure stack check on the SDK's resources and reports each violation on its URN."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        resources = [
            StackResource(
                r.resource_type,
                r.name,
                r.props,
                bool(r.opts and r.opts.protect),
                r.urn,
                r.parent.urn if r.parent is not None else "",
            )
            for r in args.resources
        ]
        for violation in check(resources, dict(args.get_config())):
            report(violation.message, violation.urn or None)

    return validate


def build(spec: PolicySpec) -> Policy:
    """The SDK policy of a spec, at its enforcement level and severity."""
    level = EnforcementLevel.MANDATORY if spec.mandatory else EnforcementLevel.ADVISORY
    severity = Severity(spec.severity)
    schema = PolicyConfigSchema(dict(spec.config)) if spec.config else None
    if spec.resource_check is not None:
        return ResourceValidationPolicy(
            spec.name,
            spec.description,
            resource_validation(spec.resource_check),
            level,
            schema,
            severity=severity,
            url=spec.url,
        )
    assert spec.stack_check is not None
    return StackValidationPolicy(
        spec.name, spec.description, stack_validation(spec.stack_check), level, schema, severity=severity, url=spec.url
    )


POLICIES: list[Policy] = [build(spec) for spec in SPECS]
