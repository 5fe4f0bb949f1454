"""Home page: what is in the store (scenarios, graphs) and where to go next."""

from __future__ import annotations

from flask import Blueprint, render_template

from bizarch.browse.scenarios import list_scenarios
from bizarch.web.context import get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    store = get_store()
    return render_template(
        "home/index.html", scenarios=list_scenarios(store), graphs=store.graphs()
    )
