"""Home page (dashboard): scenarios, the KPIs whose control chart shows a signal, model size by
class per scenario, graphs.

Validation status and flow efficiency join it when those services are on main."""

from __future__ import annotations

from flask import Blueprint, render_template

from bizarch.browse.scenarios import list_scenarios, model_size
from bizarch.metrics.kpi import kpi_reports
from bizarch.web.context import get_cache, get_settings, get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    store = get_store()
    cache = get_cache()
    scenarios = list_scenarios(store)
    scenario = get_settings().default_scenario
    signals = []
    if any(s.name == scenario for s in scenarios):
        reports = cache.get(("kpi-reports", scenario), lambda: kpi_reports(store, scenario))
        signals = [r for r in reports if r.chart.significant]
    return render_template(
        "home/index.html",
        scenarios=scenarios,
        scenario=scenario,
        kpi_signals=signals,
        graphs=cache.get("graphs", store.graphs),
        sizes=cache.get(("model-size", *scenarios), lambda: model_size(store, scenarios)),
    )
