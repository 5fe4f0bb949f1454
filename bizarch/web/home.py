"""Home page (dashboard): scenarios, validation status, KPIs whose control chart shows a signal,
KPIs off track, the value streams with the worst flow efficiency, model size by class, graphs."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for

from bizarch.browse.scenarios import model_size
from bizarch.metrics.flow import ValueStreamFlow, value_stream_flows
from bizarch.metrics.kpi import AT_RISK, OFF_TRACK, KpiReport, kpi_reports
from bizarch.store.base import GraphStore
from bizarch.web.context import get_cache, get_repository, get_settings, get_store
from bizarch.web.views import scenario_list

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    store = get_store()
    repo = get_repository()
    cache = get_cache()
    scenarios = scenario_list()
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
        sizes=cache.get(("model-size", *scenarios), lambda: model_size(repo, scenarios)),
        kpis=cache.get(
            ("kpis-off-track", scenario), lambda: _kpis_needing_attention(store, scenario)
        ),
        flows=cache.get(("worst-flow", scenario), lambda: _worst_flow(store, scenario)),
        validation_url=(
            url_for("validation.summary")
            if "validation.summary" in current_app.view_functions
            else None
        ),
    )


def _kpis_needing_attention(store: GraphStore, scenario: str) -> list[KpiReport]:
    """KPIs off track first, then at risk (the metrics service judges them)."""
    reports = [r for r in kpi_reports(store, scenario) if r.status.status in (OFF_TRACK, AT_RISK)]
    return sorted(reports, key=lambda r: (r.status.status != OFF_TRACK, r.label))


def _worst_flow(store: GraphStore, scenario: str, count: int = 5) -> list[ValueStreamFlow]:
    """The value streams with the lowest flow efficiency (value-adding share of lead time)."""
    flows = [f for f in value_stream_flows(store, scenario) if f.flow_efficiency is not None]
    return sorted(flows, key=lambda f: f.flow_efficiency)[:count]  # type: ignore[arg-type,return-value]
