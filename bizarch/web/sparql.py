"""SPARQL 1.1 Protocol endpoint at /sparql (read-only).

Maps HTTP onto :mod:`bizarch.endpoint`: query via GET ``query=``, POST form ``query=`` or POST
``application/sparql-query``; dataset via ``default-graph-uri`` / ``named-graph-uri``; result format
by ``Accept`` or by the ``format``/``output``/``results`` parameters some clients send. Unknown
parameters are ignored. A GET without a query returns the service description. Updates are refused
with 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from bizarch.endpoint import formats
from bizarch.endpoint.description import service_description
from bizarch.endpoint.engine import query_engine
from bizarch.endpoint.errors import ReadOnlyEndpointError
from bizarch.errors import UserInputError
from bizarch.namespaces import PREFIXES
from bizarch.web.context import get_store, state

bp = Blueprint("sparql", __name__)

_READ_ONLY = ReadOnlyEndpointError(
    "This SPARQL endpoint is read-only: updates are refused.",
    hint="Change the model with 'bizarch load' or an import; writes will come behind "
    "authentication.",
)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    if request.mimetype == "application/sparql-update" or "update" in request.values:
        raise _READ_ONLY
    query = _query_text()
    if query is None:
        if request.method == "POST":
            raise UserInputError(
                "No query: send it as the 'query' form field or as an application/sparql-query "
                "body."
            )
        return _service_description()
    engine = query_engine(get_store())
    # Protocol parameters travel in the URL for a direct POST, in the form otherwise.
    outcome = state().executor.execute(
        engine,
        query,
        default_graphs=request.values.getlist("default-graph-uri"),
        named_graphs=request.values.getlist("named-graph-uri"),
    )
    fmt = _choose_format(outcome.form)
    response = Response(formats.serialize(outcome, fmt, PREFIXES), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    if outcome.truncated:
        limit = state().settings.sparql_max_rows
        response.headers["X-Bizarch-Truncated"] = str(limit)
        response.headers["Warning"] = f'199 - "result truncated to the first {limit} rows"'
    return response


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Browser-based SPARQL tools on other origins may read this endpoint: it is read-only and
    uses no cookies or credentials, so allowing any origin exposes nothing a plain GET would not."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Expose-Headers"] = "X-Bizarch-Truncated"
    return response


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    if request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    return request.form.get("query")


def _choose_format(form: str) -> formats.Format:
    for name in ("format", "output", "results"):
        chosen = formats.by_parameter(form, request.values.get(name))
        if chosen is not None:
            return chosen
    best = request.accept_mimetypes.best_match(formats.media_types(form))
    return formats.by_media_type(form, best)


def _service_description() -> Response:
    fmt = _choose_format("graph")
    triples = service_description(request.base_url, get_store().graphs())
    return Response(formats.serialize_triples(triples, fmt, PREFIXES), mimetype=fmt.media_type)
