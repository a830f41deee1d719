"""Every need of every automated action of a plan, gathered from the producers beside the code that renders each
script, with targets as server keys (see :mod:`lync_pchat.model.needs`). Pure: no Pulumi."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from . import backup_task, maintenance
from .install import CU_DATABASES, VERIFY, database, regrant, release, shipping, update
from .install import server as server_phase
from .model import Plan
from .model import needs as n
from .model.products import Product
from .report import table
from .runbooks import configure, disaster, migrate, publish, restore
from .runbooks import cu_databases as cu_databases_runbook
from .runbooks import log_shipping as log_shipping_runbook
from .runbooks import verify as verify_runbook


def needs(plan: Plan) -> tuple[n.Need, ...]:
    """Every need, once, in a stable order; a target that names a server of the plan by FQDN is its key, and a
    connection to the server the action runs on is none."""
    keys = {s.fqdn.lower(): s.key for s in plan.servers}
    found = []
    for need in _gather(plan):
        target = keys.get(need.target.lower(), need.target)
        if target != need.runs_on:
            found.append(replace(need, target=target))
    return n.unique(found)


def grants(plan: Plan) -> tuple[n.Grant, ...]:
    """Every grant of the setup account's standing rights after the install (:class:`lync_pchat.model.needs.Grant`),
    before the action that uses them."""
    return n.unique(g for pool in plan.pools if plan.software is not None for g in regrant.grants(pool, plan))


def _gather(plan: Plan) -> Iterator[n.Need]:
    software = plan.software
    for pool in plan.pools:
        if software is not None:
            for server in pool.pool_servers:
                yield from server_phase.needs(server, plan)
                yield from update.needs(server, plan)
            yield from database.needs(pool, plan)
            if software.update_installer is not None:
                # the install's database step runs the cu-databases runbook, as the setup account, in an update wave
                origin = n.Origin(CU_DATABASES.name, pool.install_host.key, n.SETUP, n.CU_WAVE)
                yield from cu_databases_runbook.needs(pool, origin)
            yield from regrant.needs(pool, plan)
            yield from shipping.needs(pool, plan)
            # the install's verify phase runs the verify runbook, from the install host as the setup account
            yield from verify_runbook.needs(pool, n.Origin(VERIFY.name, pool.install_host.key, n.SETUP))
            if not software.keep_setup_rights:
                for server in pool.pool_servers:
                    yield from release.needs(server, plan)
        yield from n.service_needs(pool)
        yield from database.mirroring_needs(pool)
        yield from log_shipping_runbook.job_needs(pool)
        yield from publish.needs(plan, pool)
        yield from configure.needs(pool)
        manual = n.Origin("runbook:log-shipping", n.MANAGEMENT, n.ADMIN, n.INSTALL)
        yield from shipping.needs(pool, plan, manual)
        yield from log_shipping_runbook.from_mirror_needs(pool)
        yield from verify_runbook.needs(pool)
        yield from cu_databases_runbook.needs(pool)
        yield from disaster.failover_needs(pool)
        yield from disaster.failback_needs(pool)
        yield from restore.needs(plan, pool)
        if plan.product is Product.SKYPE2015:
            yield from migrate.needs(pool)
    yield from backup_task.needs(plan)
    yield from maintenance.needs(plan)


FLOW_COLUMNS = ("from", "as", "to", "port", "why", "action", "when", "rights")
"""The columns of the flow table, in order."""


def flows(plan: Plan) -> list[dict[str, str]]:
    """The flow table for the network team: one row per need, its source and target as the network sees them (a
    server's key and address, or the management range), sorted by target, port and source."""
    address = {s.key: s.private_ip for s in plan.servers}
    management = plan.management_cidr or "the Front End ranges (no managementCidr)"

    def where(key: str) -> str:
        if key == n.MANAGEMENT:
            return f"management {management}"
        return f"{key} {address[key]}" if key in address else key

    rows = [
        {"from": where(x.runs_on), "as": x.identity, "to": where(x.target), "port": str(x.port), "why": x.reason,
         "action": x.action, "when": x.when, "rights": "; ".join(n.rights(x)) or "-"}
        for x in needs(plan)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r["to"], r["port"], r["from"], r["action"]))


def flow_table(plan: Plan) -> str:
    """:func:`flows` as aligned text columns."""
    rows = [[r[c] for c in FLOW_COLUMNS] for r in flows(plan)]
    return "\n".join(table([c.upper() for c in FLOW_COLUMNS], rows, ruled=False))
