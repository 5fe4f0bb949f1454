"""Embedded backend: pyoxigraph, on disk (RocksDB) or in memory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from bizarch.errors import QueryError, RdfSyntaxError, StoreError, StoreLockedError
from bizarch.store.base import (
    GraphInfo,
    GraphStore,
    QueryResult,
    RdfFormat,
    RdfSource,
    SelectResult,
    Term,
)

_OX_FORMATS: dict[RdfFormat, ox.RdfFormat] = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


def ox_format(fmt: RdfFormat) -> ox.RdfFormat:
    """The pyoxigraph format object for a bizarch format."""
    return _OX_FORMATS[fmt]


def parse_source(source: RdfSource, graph: str | None) -> list[ox.Quad]:
    """Parse one document fully (nothing is written), re-homing triples into ``graph``.

    Raises :class:`RdfSyntaxError` naming the source, line and column.
    """
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        quads = ox.parse(source.data, format=ox_format(source.format))
        if graph is None:
            return list(quads)
        return [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
    except SyntaxError as exc:
        detail = str(exc.msg if hasattr(exc, "msg") else exc)
        detail = detail.split(": ", 1)[1] if detail.startswith("Parser error at line") else detail
        raise RdfSyntaxError(source.name, detail, line=exc.lineno, column=exc.offset) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise RdfSyntaxError(source.name, str(exc)) from None


class OxigraphStore(GraphStore):
    """pyoxigraph ``Store``: ``path=None`` keeps everything in memory (tests, serving copies)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.address = str(path) if path else ":memory:"
        try:
            self._store: ox.Store | None = ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"The store {path} is already open in another process.",
                    hint="Stop that process (e.g. 'bizarch serve'), or query it through its "
                    "SPARQL endpoint with --store http://HOST:PORT/sparql.",
                ) from None
            raise StoreError(f"Cannot open the store {path}: {exc}") from None

    @property
    def engine(self) -> ox.Store:
        """The underlying pyoxigraph store (for services that need engine features)."""
        if self._store is None:
            raise StoreError(f"The store {self.address} is closed.")
        return self._store

    def load(self, sources: Sequence[RdfSource], graph: str | None) -> int:
        quads: list[ox.Quad] = []
        for source in sources:
            quads.extend(parse_source(source, graph))
        self.engine.extend(quads)
        return len(quads)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        options: dict[str, object] = {}
        if default_graphs is None:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if bindings:
            options["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            result = self.engine.query(sparql, **options)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            return SelectResult(variables, [tuple(s[v] for v in variables) for s in result])
        return list(result)

    def update(self, sparql: str) -> None:
        try:
            self.engine.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from None

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self.engine.extend(quads)

    def export(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        if graph is None:
            self.engine.dump(out, format=ox_format(fmt))
        else:
            self.engine.dump(out, format=ox_format(fmt), from_graph=ox.NamedNode(graph))

    def graphs(self) -> list[GraphInfo]:
        counts = self.engine.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        sizes = {s["g"].value: int(s["n"].value) for s in counts}
        for g in self.engine.named_graphs():
            sizes.setdefault(g.value, 0)
        return [GraphInfo(name, sizes[name]) for name in sorted(sizes)]

    def clear(self, graph: str | None = None) -> None:
        if graph is None:
            self.engine.clear()
        else:
            self.engine.remove_graph(ox.NamedNode(graph))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self.engine)
        return sum(1 for _ in self.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def close(self) -> None:
        if self._store is not None:
            self._store.flush() if self.path else None
            self._store = None
