"""KPI pages: every KPI with its status and control-chart verdict, and one KPI's control chart.

The services (:mod:`bizarch.metrics.kpi`, :mod:`bizarch.metrics.charts`) compute everything; the
templates draw the chart as inline SVG from the geometry they return (no script, no CDN).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bizarch.errors import UserInputError
from bizarch.metrics.charts import control_chart
from bizarch.metrics.kpi import kpi_reports
from bizarch.metrics.references import resolve_reference
from bizarch.namespaces import BA
from bizarch.web.context import get_settings, get_store
from bizarch.web.views import checked_scenario, scenario_list

bp = Blueprint("kpis", __name__)


@bp.get("/kpis")
def index() -> str:
    store = get_store()
    scenario = checked_scenario(request.args.get("scenario") or get_settings().default_scenario)
    reports = kpi_reports(store, scenario)
    sparks = [control_chart(r, width=120, height=28, margin=3) for r in reports]
    return render_template(
        "measure/kpis.html",
        rows=list(zip(reports, sparks, strict=True)),
        scenario=scenario,
        scenarios=scenario_list(),
    )


@bp.get("/kpis/kpi")
def show() -> str:
    store = get_store()
    scenario = checked_scenario(request.args.get("scenario") or get_settings().default_scenario)
    reference = request.args.get("iri", "")
    if not reference.strip():
        raise UserInputError("Which KPI? Give ?iri= an IRI, a CURIE or the KPI's exact label.")
    iri = resolve_reference(store, reference, BA + "KPI", scenario=scenario, what="KPI")
    reports = kpi_reports(store, scenario, iri)
    return render_template(
        "measure/kpi.html",
        series=[(r, control_chart(r)) for r in reports],
        kpi=reports[0] if reports else None,
        iri=iri,
        scenario=scenario,
        scenarios=scenario_list(),
    )
