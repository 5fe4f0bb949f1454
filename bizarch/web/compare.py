"""Scenario comparison page: what changes from a base to a target scenario, in words.

One service call (:func:`bizarch.scenarios.compare_scenarios`) gives the changed elements and
relationships, the metric deltas per value stream, capability maturity changes and the gap list.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bizarch.scenarios import compare_scenarios
from bizarch.web.context import get_settings, get_store
from bizarch.web.views import checked_scenario, scenario_list

bp = Blueprint("compare", __name__)


@bp.get("/scenarios/compare")
def index() -> str:
    store = get_store()
    scenarios = scenario_list()
    names = [s.name for s in scenarios]
    base = checked_scenario(request.args.get("base") or get_settings().default_scenario)
    target = checked_scenario(
        request.args.get("target") or next((n for n in names if n != base), base)
    )
    comparison = None if base == target else compare_scenarios(store, base, target)
    return render_template(
        "measure/compare.html",
        comparison=comparison,
        base=base,
        target=target,
        scenarios=scenarios,
    )
