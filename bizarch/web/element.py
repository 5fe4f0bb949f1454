"""Element page for every resource, with content negotiation to its RDF description."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for

from bizarch.browse import element as element_service
from bizarch.browse.terms import to_iri
from bizarch.endpoint.formats import GRAPH_FORMATS, serialize_triples
from bizarch.errors import NotFoundError, UserInputError
from bizarch.namespaces import BA, PREFIXES
from bizarch.trace import trace_up
from bizarch.web.context import get_repository
from bizarch.web.graphs import GraphNode, graph_data
from bizarch.web.views import current_scenario, scenario_list

bp = Blueprint("element", __name__)

_SUFFIXES = {"ttl": "text/turtle", "jsonld": "application/ld+json"}
_RDF_TYPES = [f.media_type for f in GRAPH_FORMATS]


def _iri_param() -> ox.NamedNode:
    reference = request.args.get("iri", "")
    if not reference:
        raise UserInputError("Which element? Give it as ?iri=<IRI or CURIE>.")
    return to_iri(reference)


@bp.get("/element")
def show() -> Response | str:
    best = request.accept_mimetypes.best_match(["text/html", *_RDF_TYPES], default="text/html")
    if (
        best != "text/html"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    ):
        return _rdf(best)
    scenario = current_scenario()
    store = get_repository()
    description = element_service.describe(store, _iri_param(), scenario)
    nodes, edges = element_service.neighbourhood(description)
    graph = graph_data(
        [
            GraphNode(
                n.iri,
                n.label,
                description.kinds.get(n.iri, "other"),
                n.iri == description.element.value,
            )
            for n in nodes
        ],
        edges,
    )
    return render_template(
        "element/show.html",
        d=description,
        serves=_serves(description, scenario),
        is_strategy=any(t.iri == BA + "Strategy" for t in description.types),
        graph=graph if edges else None,
        scenario=scenario,
        scenarios=scenario_list(),
        validation_url=(
            url_for("validation.element", iri=description.element.value, scenario=scenario)
            if "validation.element" in current_app.view_functions
            else None
        ),
    )


def _serves(description: element_service.ElementDescription, scenario: str) -> list | None:
    """The strategies and objectives the element serves (trace up); ``None`` for vocabulary
    terms, strategies (they are traced down) and anything the scenario does not hold."""
    element = description.element
    if element.value.startswith(BA) or any(t.iri == BA + "Strategy" for t in description.types):
        return None
    try:
        tree = trace_up(get_repository(), element, scenario=scenario)
    except NotFoundError:
        return None
    return [n for n in tree.root.walk() if n is not tree.root and n.layer == "strategy"]


@bp.get("/element.<suffix>")
def show_as(suffix: str) -> Response:
    if suffix not in _SUFFIXES:
        raise UserInputError(
            f"Unknown format '.{suffix}'.", hint="Use .ttl (Turtle) or .jsonld (JSON-LD)."
        )
    return _rdf(_SUFFIXES[suffix])


def _rdf(media_type: str) -> Response:
    fmt = next(f for f in GRAPH_FORMATS if f.media_type == media_type)
    triples = element_service.description_triples(
        get_repository(), _iri_param(), current_scenario()
    )
    body = serialize_triples(triples, fmt, PREFIXES)
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response
