"""Query library: every catalogued query, a form generated from its parameter declarations, and
its results as a table with CSV and JSON downloads (rendered by ``bizarch.results``)."""

from __future__ import annotations

import io
import re
from itertools import groupby

from flask import Blueprint, Response, render_template, request

from bizarch.queries.catalogue import NamedQuery, default_catalogue
from bizarch.results import render
from bizarch.store.base import QueryResult
from bizarch.web.context import get_repository
from bizarch.web.views import checked_scenario, scenario_list

bp = Blueprint("library", __name__)

ROW_CAP = 1000  # rows shown on the page; downloads carry them all
_DOWNLOADS = {"csv": "text/csv", "json": "application/sparql-results+json"}


@bp.get("/queries")
def index() -> str:
    queries = sorted(default_catalogue(), key=lambda q: q.name)
    folders = [(folder, list(items)) for folder, items in groupby(queries, _folder)]
    return render_template("library/index.html", folders=folders)


def _folder(query: NamedQuery) -> str:
    return query.name.split("/", 1)[0]


def _run(query: NamedQuery) -> tuple[QueryResult, str]:
    """Run ``query`` with the parameters of the request (only its declared ones)."""
    scenario = request.args.get("scenario") or "current"
    if scenario != "*":
        scenario = checked_scenario(scenario)
    params = {p.name: request.args[p.name] for p in query.params if request.args.get(p.name)}
    repo = get_repository()
    return default_catalogue().run(repo, query.name, params, scenario=scenario), scenario


@bp.get("/queries/<path:name>")
def show(name: str) -> Response | str:
    suffix = None
    for key in _DOWNLOADS:
        if name.endswith("." + key):
            name, suffix = name[: -len(key) - 1], key
    query = default_catalogue().get(name)
    ran = "run" in request.args or suffix is not None
    result, scenario = _run(query) if ran else (None, request.args.get("scenario", "current"))
    if suffix is not None:
        out = io.BytesIO()
        render(result, suffix, out)  # type: ignore[arg-type]
        response = Response(out.getvalue(), mimetype=_DOWNLOADS[suffix])
        filename = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{name}-{scenario}") + f".{suffix}"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render_template(
        "library/show.html",
        query=query,
        result=result,
        row_cap=ROW_CAP,
        scenario=scenario,
        scenarios=scenario_list(),
        args=request.args,
        download_args={k: v for k, v in request.args.items() if k != "run"},
    )
