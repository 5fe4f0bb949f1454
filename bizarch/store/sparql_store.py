"""Remote backend: any SPARQL 1.1 endpoint (query + update), plus the Graph Store Protocol.

Why this shape: a team that outgrows one laptop moves its data to a triple-store server and keeps
every bizarch feature. Everything crosses the boundary as standard SPARQL 1.1 Protocol requests:

* queries and updates through SPARQLWrapper (POST, so long queries fit; ``onlyConneg`` so only
  the ``Accept`` header chooses the result format), with the query form set from
  :func:`~bizarch.store.query_form.query_form` rather than SPARQLWrapper's guess;
* the query's default graph through ``default-graph-uri`` parameters. The union of all named
  graphs (``default_graphs=None``) is asked for by listing the named graphs first, which works
  on any server (there is no standard switch for a union default graph);
* bindings through a trailing ``VALUES`` block built from the terms' N-Triples form;
* bulk load and export through the Graph Store Protocol when the server offers it (a single
  N-Quads POST, atomic on servers that load in one transaction), otherwise ``INSERT DATA``;
* results parsed by pyoxigraph's own result parsers, so terms come back as pyoxigraph terms,
  exactly as from the embedded backend.

What it does not do: it cannot see a remote store's own default graph in union queries (bizarch
writes named graphs only), and it does not bind blank nodes.
"""

from __future__ import annotations

import base64
import io
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from email.message import Message
from typing import IO

import pyoxigraph as ox
from SPARQLWrapper import INSERT, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from bizarch.errors import QueryError, StoreError
from bizarch.store.base import (
    GraphInfo,
    GraphStore,
    QueryResult,
    RdfFormat,
    RdfSource,
    SelectResult,
    Term,
)
from bizarch.store.bindings import term_to_sparql, values_clause
from bizarch.store.parsing import ProgressCallback, chain_quads
from bizarch.store.query_form import query_form
from bizarch.store.serialize import write_quads

_EMPTY_GRAPH = "urn:bizarch:no-graph"
"""Default graph used when a union of zero named graphs is asked for (it holds nothing)."""

TRUNCATED_HEADER = "X-Bizarch-Truncated"
"""Sent by ``bizarch serve``'s endpoint when its row cap cut a result (the number of rows kept)."""

_LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
_COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_CONSTRUCT_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_SELECT_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

_RDF_MEDIA = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def derive_endpoints(query_endpoint: str) -> tuple[str, str | None]:
    """Default (update endpoint, Graph Store endpoint) for a query endpoint.

    ``http://h/query`` (Oxigraph, Fuseki-style ``/ds/query``) gives ``http://h/update`` and
    ``http://h/store``; ``.../sparql`` endpoints take updates on the same URL and have no
    known Graph Store endpoint (give ``--gsp-endpoint`` to use one).
    """
    parts = urllib.parse.urlsplit(query_endpoint)
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        base = path[: -len("/query")]
        update = urllib.parse.urlunsplit(parts._replace(path=base + "/update"))
        gsp = urllib.parse.urlunsplit(parts._replace(path=base + "/store"))
        return update, gsp
    return query_endpoint, None


class SparqlStore(GraphStore):
    """A remote SPARQL 1.1 endpoint behind the :class:`GraphStore` interface."""

    def __init__(
        self,
        query_endpoint: str,
        *,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        derived_update, derived_gsp = derive_endpoints(query_endpoint)
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint or derived_update
        self.gsp_endpoint = gsp_endpoint if gsp_endpoint is not None else derived_gsp
        self.address = query_endpoint
        self.timeout = timeout
        self._headers: dict[str, str] = {}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            pair = f"{user}:{password or ''}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        self._closed = False

    # -- HTTP plumbing -------------------------------------------------------------------------

    def _wrapper(self, text: str, accept: str) -> SPARQLWrapper:
        if self._closed:
            raise StoreError(f"The store {self.address} is closed.")
        wrapper = SPARQLWrapper(self.query_endpoint, updateEndpoint=self.update_endpoint)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(max(1, int(self.timeout)))
        wrapper.setQuery(text)
        for name, value in self._headers.items():
            wrapper.addCustomHttpHeader(name, value)
        wrapper.addCustomHttpHeader("Accept", accept)
        return wrapper

    def _run(self, wrapper: SPARQLWrapper, what: str) -> tuple[bytes, str]:
        try:
            response = wrapper.query().response
            body = response.read()
            limit = response.headers.get(TRUNCATED_HEADER)
        except QueryBadFormed as exc:
            raise QueryError(f"The endpoint refused the {what}: {_server_message(exc)}") from None
        except Unauthorized:
            raise StoreError(
                f"The endpoint {self.address} refused the credentials.",
                hint="Set BIZARCH_STORE_USER/BIZARCH_STORE_PASSWORD or BIZARCH_STORE_TOKEN.",
            ) from None
        except EndPointNotFound:
            raise StoreError(f"No SPARQL endpoint at {self.address} (HTTP 404).") from None
        except URITooLong:
            raise QueryError(f"The {what} is too long for the endpoint.") from None
        except EndPointInternalError as exc:
            raise QueryError(f"The endpoint failed on the {what}: {_server_message(exc)}") from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"The endpoint {self.address} failed: {exc}") from None
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, what) from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(
                f"Cannot reach the SPARQL endpoint {self.address}: {exc}",
                hint="Check the address and that the server is running.",
            ) from None
        if limit is not None:  # an answer cut short would look complete: missed rows, wrong counts
            raise QueryError(
                f"The endpoint {self.address} cut the result of a {what} to its first {limit} "
                "rows, so the answer would be incomplete.",
                hint="Raise the server's row limit (bizarch serve --sparql-max-rows), or stop "
                "that server and use its store folder (its endpoint takes no writes either).",
            )
        return body, response.headers.get("Content-Type", "")

    def _http(
        self,
        method: str,
        url: str,
        *,
        data: IO[bytes] | bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes, str]:
        request = urllib.request.Request(url, data=data, method=method)
        for name, value in {**self._headers, **(headers or {})}.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and method == "GET":
                return 404, b"", ""
            raise self._http_error(exc, "request") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"Cannot reach {url}: {exc}") from None

    def get(
        self, url: str, *, accept: str, timeout: float | None = None
    ) -> tuple[int, bytes, Message]:
        """GET ``url`` (beside the endpoint) with this store's credentials.

        HTTP errors come back as a status with their body, not as exceptions: the caller knows
        what its API's answers mean. Refused credentials and an unreachable server are errors.
        """
        request = urllib.request.Request(url, method="GET")
        for name, value in {**self._headers, "Accept": accept}.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise self._http_error(exc, "request") from None
            return exc.code, exc.read(), exc.headers
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(
                f"Cannot reach {url}: {exc}",
                hint="Check the address and that the server is running.",
            ) from None

    def _http_error(self, exc: urllib.error.HTTPError, what: str) -> Exception:
        body = exc.read().decode("utf-8", "replace").strip()[:500]
        if exc.code == 401:
            return StoreError(
                f"The endpoint {self.address} refused the credentials (HTTP 401).",
                hint="Set BIZARCH_STORE_USER/BIZARCH_STORE_PASSWORD or BIZARCH_STORE_TOKEN.",
            )
        if exc.code == 403:  # forbidden: the credentials' rights, or a read-only endpoint
            said = f": {body}" if body else "."
            return StoreError(
                f"The endpoint {self.address} refused the {what} (HTTP 403){said}",
                hint="Check the rights of BIZARCH_STORE_USER or BIZARCH_STORE_TOKEN. A read-only "
                "endpoint (such as 'bizarch serve') takes no writes: stop that server and write "
                "to its store folder.",
            )
        if exc.code == 400:
            return QueryError(f"The endpoint refused the {what}: {body}")
        return StoreError(f"The endpoint {self.address} answered HTTP {exc.code}: {body}")

    # -- reading ---------------------------------------------------------------------------------

    def _named_graphs(self) -> list[str]:
        result = self._select(_LIST_GRAPHS, [])
        return sorted(row[0].value for row in result.rows if row[0] is not None)

    def _select(self, text: str, default_graphs: Sequence[str]) -> SelectResult:
        result = self._query_raw(text, "SELECT", default_graphs)
        assert isinstance(result, SelectResult)
        return result

    def _query_raw(
        self,
        text: str,
        kind: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Send a query of form ``kind`` (see :func:`query_form`); no ``default_graphs`` means
        the server's own dataset, untouched."""
        wrapper = self._wrapper(text, "application/sparql-results+json")
        wrapper.queryType = kind  # parsed, not SPARQLWrapper's guess from the text
        if kind in ("CONSTRUCT", "DESCRIBE"):
            wrapper.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        for g in default_graphs or []:
            wrapper.addDefaultGraph(g)
        for g in named_graphs:
            wrapper.addNamedGraph(g)
        body, content_type = self._run(wrapper, "query")
        if kind in ("CONSTRUCT", "DESCRIBE"):
            fmt = _RDF_MEDIA.get(content_type.split(";")[0].strip(), ox.RdfFormat.TURTLE)
            return [q.triple for q in ox.parse(body, format=fmt)]
        try:
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"The endpoint {self.address} sent unreadable results: {exc}"
            ) from None
        if isinstance(parsed, ox.QueryBoolean):
            return bool(parsed)
        variables = [v.value for v in parsed.variables]
        # A solution iterates over its values in the order of ``variables``.
        return SelectResult(variables, [tuple(solution) for solution in parsed])

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        kind = query_form(sparql)
        text = sparql + values_clause(bindings) if bindings else sparql
        # The protocol drops every named graph from the dataset as soon as a default-graph-uri
        # is sent, so all named graphs are listed again (GRAPH patterns then behave as in the
        # embedded store, e.g. queries comparing two scenarios).
        named = self._named_graphs()
        if default_graphs is None:
            default_graphs = named
        # An empty list names no graph: the default graph is empty (as in the embedded store),
        # whereas sending no default-graph-uri would mean "the server's own default graph".
        return self._query_raw(text, kind, list(default_graphs) or [_EMPTY_GRAPH], named)

    # -- writing ---------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        wrapper = self._wrapper(sparql, "*/*")
        # Any update form: SPARQLWrapper reads it only to send the text as an update (to the
        # update endpoint); its own guess can be misled by a comment naming a query form.
        wrapper.queryType = INSERT
        self._run(wrapper, "update")

    def load(
        self,
        sources: Sequence[RdfSource],
        graph: str | None,
        progress: ProgressCallback | None = None,
        *,
        keep_named_graphs: bool = False,
    ) -> int:
        with tempfile.SpooledTemporaryFile(max_size=64 << 20) as buffer:
            # Parse everything locally first: safety guards run here and a syntax error is
            # reported with file/line/column before anything reaches the server.
            counter = _Counter(
                chain_quads(sources, graph, progress, keep_named_graphs=keep_named_graphs)
            )
            ox.serialize(counter, buffer, format=ox.RdfFormat.N_QUADS)
            if counter.n:
                buffer.seek(0)
                self._send_nquads(buffer)
        return counter.n

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        buffer = io.BytesIO()
        ox.serialize(quads, buffer, format=ox.RdfFormat.N_QUADS)
        if buffer.tell():
            buffer.seek(0)
            self._send_nquads(buffer)

    def _send_nquads(self, buffer: IO[bytes]) -> None:
        if self.gsp_endpoint:
            data = buffer.read()
            self._http(
                "POST",
                self.gsp_endpoint,
                data=data,
                headers={"Content-Type": "application/n-quads"},
            )
            return
        # No Graph Store endpoint: one INSERT DATA request (atomic on the server).
        nquads = buffer.read().decode("utf-8")
        parts = ["INSERT DATA {"]
        for quad in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
            triple = " ".join(str(t) for t in (quad.subject, quad.predicate, quad.object))
            if isinstance(quad.graph_name, ox.DefaultGraph):
                parts.append(triple + " .")
            else:
                parts.append("GRAPH " + term_to_sparql(quad.graph_name) + " { " + triple + " }")
        parts.append("}")
        self.update("\n".join(parts))

    def clear(self, graph: str | None = None) -> None:
        if graph is None:
            self.update("DROP SILENT ALL")
        else:
            self.update("DROP SILENT GRAPH " + term_to_sparql(ox.NamedNode(graph)))

    # -- dataset views ---------------------------------------------------------------------------

    def export(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        write_quads(self._quads(graph), out, fmt, as_graph=graph is not None)

    def _quads(self, graph: str | None) -> list[ox.Quad]:
        if self.gsp_endpoint:
            if graph is None:
                url, accept = self.gsp_endpoint, "application/n-quads"
            else:
                query = urllib.parse.urlencode({"graph": graph})
                url, accept = f"{self.gsp_endpoint}?{query}", "application/n-triples"
            status, body, content_type = self._http("GET", url, headers={"Accept": accept})
            if status == 404:
                return []
            fmt = _RDF_MEDIA.get(content_type.split(";")[0].strip(), ox.RdfFormat.N_QUADS)
            quads = list(ox.parse(body, format=fmt))
            if graph is None:
                return [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
            node = ox.NamedNode(graph)
            return [ox.Quad(q.subject, q.predicate, q.object, node) for q in quads]
        if graph is not None:
            node = ox.NamedNode(graph)
            text = _CONSTRUCT_GRAPH + values_clause({"g": node})
            triples = self._query_raw(text, "CONSTRUCT", None)
            assert isinstance(triples, list)
            return [ox.Quad(t.subject, t.predicate, t.object, node) for t in triples]
        rows = self._select(_SELECT_QUADS, [])
        return [ox.Quad(s, p, o, g) for s, p, o, g in rows.rows]  # type: ignore[arg-type]

    def graphs(self) -> list[GraphInfo]:
        sizes = {
            row[0].value: int(row[1].value)  # type: ignore[union-attr]
            for row in self._select(_COUNT_BY_GRAPH, []).rows
        }
        for name in self._named_graphs():
            sizes.setdefault(name, 0)
        return [GraphInfo(name, sizes[name]) for name in sorted(sizes)]

    def has_graph(self, graph: str) -> bool:
        return graph in self._named_graphs()

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            result = self._select(_COUNT_ALL, [])
            value = result.rows[0][0] if result.rows else None
        else:
            # the group key stays in scope after aggregation, so a trailing VALUES can pick it
            result = self._select(_COUNT_BY_GRAPH + values_clause({"g": ox.NamedNode(graph)}), [])
            value = result.rows[0][1] if result.rows else None
        return int(value.value) if value is not None else 0

    def close(self) -> None:
        self._closed = True


class _Counter:
    """Counts quads flowing from an iterator into a serializer."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._quads = iter(quads)
        self.n = 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> ox.Quad:
        quad = next(self._quads)
        self.n += 1
        return quad


def _server_message(exc: SPARQLWrapperException) -> str:
    text = str(exc)
    marker = "Response:\n"
    if marker in text:
        text = text.split(marker, 1)[1]
    return text.strip().strip("b'\"").replace("\\n", " ")[:500]
