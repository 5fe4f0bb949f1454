"""Capability map page: tier-1 columns, nested tier-2/3 boxes, coloured by a chosen measure."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bizarch.browse.capability_map import MEASURES, capability_map, measure_named
from bizarch.web.context import get_cache, get_repository
from bizarch.web.views import current_scenario, scenario_list

bp = Blueprint("capabilities", __name__)


@bp.get("/capabilities")
def index() -> str:
    store = get_repository()
    scenario = current_scenario()
    measure = measure_named(request.args.get("measure"))
    # the whole map is an aggregate over every capability: reuse it (see bizarch.web.cache)
    cap_map = get_cache().get(
        ("capability-map", scenario, measure.key),
        lambda: capability_map(store, scenario, measure),
    )
    return render_template(
        "capabilities/index.html",
        map=cap_map,
        measures=MEASURES.values(),
        scenario=scenario,
        scenarios=scenario_list(),
    )
