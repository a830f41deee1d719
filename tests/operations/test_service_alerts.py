"""The service alert names the product's services and keeps quiet while a server patches.

Oracles: operations.md 9.3 (Skype for Business Server 2015 services display as "Skype for Business Server ...",
Lync Server 2013's as "Lync Server ..."; the event log name stays "Lync Server"); a maintenance window lasts at most
3 h 55 min [UM:scheduled-patching.md] (operations.md 3.2).
"""

from __future__ import annotations

import pytest

from lync_pchat.model import plan_topology
from lync_pchat.model.config import MonitoringConfig
from lync_pchat.model.monitoring import LYNC_LOG, alert_rules, xpath_queries

from ..model.configs import changed, enterprise

DISPLAY = {"lync2013": "Lync Server", "skype2015": "Skype for Business Server"}
OTHER = {"lync2013": "Skype for Business Server", "skype2015": "Lync Server"}


def service_query(product: str, patching: bool = True) -> str:
    raw = changed(enterprise(), product=product, patching={"enabled": patching})
    plan = plan_topology(raw)
    (rule,) = [r for r in alert_rules(plan, MonitoringConfig()) if r.key == "service-stopped"]
    return rule.query


@pytest.mark.parametrize("product", sorted(DISPLAY))
def test_the_service_alert_matches_the_products_display_names(product: str) -> None:
    query = service_query(product)
    assert f'has_any ("{DISPLAY[product]}", "SQL Server")' in query
    assert f'"{OTHER[product]}"' not in query
    assert LYNC_LOG == "Lync Server", "the event log keeps its name in both products"


@pytest.mark.parametrize("product", sorted(DISPLAY))
def test_the_service_alert_is_quiet_while_the_server_installs_updates(product: str) -> None:
    query = service_query(product)
    assert 'Source == "Microsoft-Windows-WindowsUpdateClient" and EventID == 43' in query
    assert "between (Patching .. Patching + 235m)" in query, "the longest window, 3 h 55 min"
    assert query.rstrip().endswith("| where Quiet == 0")
    plain = service_query(product, patching=False)
    assert "WindowsUpdateClient" not in plain and "ago(15m)" in plain


def test_the_update_clients_installation_events_are_collected() -> None:
    assert (
        "System!*[System[Provider[@Name='Microsoft-Windows-WindowsUpdateClient'] and (EventID=43)]]"
        in xpath_queries()["services"]
    )
