"""Scenario comparison page: what changes from a base to a target scenario, in words.

One service call (:func:`bizarch.scenarios.compare_scenarios`) gives the changed elements and
relationships, the metric deltas per value stream, capability maturity changes and the gap list.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from bizarch.scenarios import compare_scenarios
from bizarch.web.context import get_store
from bizarch.web.views import scenario_list, scenario_pair

bp = Blueprint("compare", __name__)


@bp.get("/scenarios/compare")
def index() -> str:
    store = get_store()
    base, target = scenario_pair("base", "target")
    comparison = None if base == target else compare_scenarios(store, base, target)
    return render_template(
        "measure/compare.html",
        comparison=comparison,
        base=base,
        target=target,
        scenarios=scenario_list(),
    )
