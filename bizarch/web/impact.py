"""Impact analysis: everything that depends on an element, by layer, with path and severity."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bizarch.browse.pickers import elements_of
from bizarch.browse.terms import curie
from bizarch.impact import SEVERITIES, impact
from bizarch.web.context import get_cache, get_repository
from bizarch.web.graphs import GraphNode, graph_data
from bizarch.web.views import current_scenario, scenario_list

bp = Blueprint("impact", __name__)


@bp.get("/impact")
def index() -> str:
    scenario = current_scenario()
    repo = get_repository()
    cache = get_cache()
    reference = request.args.get("element")
    if not reference:  # start somewhere: the first application
        applications = cache.get(
            ("applications", scenario), lambda: elements_of(repo, "Application", scenario)
        )
        reference = applications[0].iri if applications else None
    report = (
        cache.get(
            ("impact", reference, scenario), lambda: impact(repo, reference, scenario=scenario)
        )
        if reference
        else None
    )
    graph = None
    if report is not None:
        nodes = [GraphNode(report.start, report.start_label, "changed element", True)]
        nodes += [GraphNode(h.element, h.label, h.severity) for h in report.hits]
        edges = {
            (e.source, e.target, curie(e.relation).removeprefix("ba:"))
            for h in report.hits
            for e in h.path
        }
        graph = graph_data(nodes, sorted(edges), rank_dir="LR", scenario=scenario)
    return render_template(
        "impact/index.html",
        report=report,
        groups=report.by_layer() if report else {},
        severities=SEVERITIES,
        reference=request.args.get("element", ""),
        graph=graph,
        scenario=scenario,
        scenarios=scenario_list(),
    )
