"""Element page for every resource, with content negotiation to its RDF description."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from bizarch.browse import element as element_service
from bizarch.browse.scenarios import list_scenarios
from bizarch.browse.terms import to_iri
from bizarch.endpoint.formats import GRAPH_FORMATS, serialize_triples
from bizarch.errors import UserInputError
from bizarch.namespaces import PREFIXES
from bizarch.web.context import get_store
from bizarch.web.filters import element_url
from bizarch.web.views import current_scenario

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
    store = get_store()
    description = element_service.describe(store, _iri_param(), scenario)
    nodes, edges = element_service.neighbourhood(description)
    graph = {
        "nodes": [
            {
                "id": n.iri,
                "label": n.label,
                "kind": description.kinds.get(n.iri, "other"),
                "href": element_url(n),
                "focus": n.iri == description.element.value,
            }
            for n in nodes
        ],
        "edges": [{"source": s, "target": t, "label": label} for s, t, label in edges],
    }
    return render_template(
        "element/show.html",
        d=description,
        graph=graph if edges else None,
        scenario=scenario,
        scenarios=list_scenarios(store),
    )


@bp.get("/element.<suffix>")
def show_as(suffix: str) -> Response:
    if suffix not in _SUFFIXES:
        raise UserInputError(
            f"Unknown format '.{suffix}'.", hint="Use .ttl (Turtle) or .jsonld (JSON-LD)."
        )
    return _rdf(_SUFFIXES[suffix])


def _rdf(media_type: str) -> Response:
    fmt = next(f for f in GRAPH_FORMATS if f.media_type == media_type)
    triples = element_service.description_triples(get_store(), _iri_param(), current_scenario())
    body = serialize_triples(triples, fmt, PREFIXES)
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response
