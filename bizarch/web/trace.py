"""Strategy traceability: a strategy down to the technology (or any element up to its strategies),
as a layered graph, a collapsible table and a CSV download."""

from __future__ import annotations

import re

from flask import Blueprint, Response, render_template, request

from bizarch.browse import traces
from bizarch.browse.pickers import elements_of
from bizarch.browse.terms import curie
from bizarch.errors import NotFoundError
from bizarch.trace import LAYER_ORDER, TraceTree, trace_down, trace_up
from bizarch.web.context import get_cache, get_repository
from bizarch.web.graphs import GraphNode, graph_data
from bizarch.web.views import current_scenario, scenario_list

bp = Blueprint("trace", __name__)

SHOWN_NODES = 400
"""Elements drawn and listed on the page (nearest layers first); the CSV has the whole trace."""


def _trace(scenario: str) -> tuple[TraceTree | None, str, list]:
    """The requested trace: ``?element=X`` traces X up, ``?strategy=S`` (or the first strategy)
    traces S down. Returns the tree, the direction and the strategies for the picker."""
    repo = get_repository()
    cache = get_cache()
    strategies = cache.get(
        ("strategies", scenario), lambda: elements_of(repo, "Strategy", scenario)
    )
    element = request.args.get("element")
    if element:
        tree = cache.get(
            ("trace-up", element, scenario), lambda: trace_up(repo, element, scenario=scenario)
        )
        return tree, "up", strategies
    strategy = request.args.get("strategy") or (strategies[0].iri if strategies else None)
    if strategy is None:
        return None, "down", strategies
    tree = cache.get(
        ("trace-down", strategy, scenario), lambda: trace_down(repo, strategy, scenario=scenario)
    )
    return tree, "down", strategies


@bp.get("/trace")
def index() -> str:
    scenario = current_scenario()
    tree, direction, strategies = _trace(scenario)
    graph = shown = None
    total = 0
    if tree is not None:
        shown, total = traces.prune(tree.root, SHOWN_NODES)
        graph = graph_data(
            [GraphNode(n.element, n.label, n.layer, n is shown) for n in shown.walk()],
            [(e.source, e.target, curie(e.relation).removeprefix("ba:")) for e in tree.edges],
            rank_dir="TB" if direction == "down" else "BT",
            scenario=scenario,
        )
    return render_template(
        "trace/index.html",
        tree=tree,
        shown=shown,
        total=total,
        shown_count=sum(1 for _ in shown.walk()) if shown else 0,
        direction=direction,
        strategies=strategies,
        graph=graph,
        layers=LAYER_ORDER,
        scenario=scenario,
        scenarios=scenario_list(),
        csv_args={**request.args.to_dict(), "scenario": scenario},
    )


@bp.get("/trace.csv")
def csv_export() -> Response:
    scenario = current_scenario()
    tree, direction, _ = _trace(scenario)
    if tree is None:
        raise NotFoundError(f"There is no strategy in scenario '{scenario}' to trace.")
    local = tree.root.element.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{local}-{scenario}")
    response = Response(traces.to_csv(tree), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="trace-{direction}-{name}.csv"'
    return response
