"""Home page (dashboard): scenarios, model size by class per scenario, graphs.

Validation status, KPIs off track and flow efficiency join it when those services are on main."""

from __future__ import annotations

from flask import Blueprint, render_template

from bizarch.browse.scenarios import list_scenarios, model_size
from bizarch.web.context import get_cache, get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    store = get_store()
    cache = get_cache()
    scenarios = list_scenarios(store)
    return render_template(
        "home/index.html",
        scenarios=scenarios,
        graphs=cache.get("graphs", store.graphs),
        sizes=cache.get(("model-size", *scenarios), lambda: model_size(store, scenarios)),
    )
