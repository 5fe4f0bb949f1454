"""SPARQL console: the vendored YASGUI, pointed at this app's own /sparql endpoint."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from bizarch.namespaces import PREFIXES

bp = Blueprint("console", __name__)


@bp.get("/console")
def index() -> str:
    console_config = {"endpoint": url_for("sparql.endpoint", _external=True), "prefixes": PREFIXES}
    return render_template("console/index.html", console_config=console_config)
