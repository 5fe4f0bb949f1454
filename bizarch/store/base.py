"""The one store interface every backend implements.

Terms crossing this interface are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``):
pyoxigraph is the engine of the default backend, so the embedded path converts nothing and the
remote backend converts at its boundary.

Dataset convention: the ontology lives in the named graph :data:`bizarch.namespaces.ONTOLOGY_GRAPH`;
each model scenario is one named graph. Queries are written against the *default graph* and the
caller chooses what the default graph is (``default_graphs``): one scenario plus the ontology,
or the union of all graphs (``default_graphs=None``, the default, see ``docs/architecture.md``).
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from bizarch.errors import UserInputError

Term = NamedNode | BlankNode | Literal | Triple
"""An RDF term as returned in query results."""

ProgressCallback = Callable[[int], None]
"""Called with a number of bytes just read, so callers can draw a progress bar."""


class RdfFormat(Enum):
    """RDF syntaxes bizarch reads and writes, with their file extensions and media types."""

    TURTLE = ("turtle", (".ttl",), "text/turtle")
    TRIG = ("trig", (".trig",), "application/trig")
    NTRIPLES = ("ntriples", (".nt",), "application/n-triples")
    NQUADS = ("nquads", (".nq",), "application/n-quads")
    JSONLD = ("jsonld", (".jsonld", ".json"), "application/ld+json")
    RDFXML = ("rdfxml", (".rdf", ".owl", ".xml"), "application/rdf+xml")

    def __init__(self, key: str, extensions: tuple[str, ...], media_type: str) -> None:
        self.key = key
        self.extensions = extensions
        self.media_type = media_type

    @classmethod
    def from_name(cls, name: str) -> RdfFormat:
        """Format from a key (``turtle``, ``ttl``, ``nq``, ...) or a file extension."""
        wanted = name.lower().lstrip(".")
        for fmt in cls:
            if wanted == fmt.key or f".{wanted}" in fmt.extensions or wanted == fmt.media_type:
                return fmt
        aliases = {
            "nt": cls.NTRIPLES,
            "n-triples": cls.NTRIPLES,
            "n-quads": cls.NQUADS,
            "json-ld": cls.JSONLD,
            "xml": cls.RDFXML,
            "rdf/xml": cls.RDFXML,
        }
        if wanted in aliases:
            return aliases[wanted]
        known = ", ".join(f.key for f in cls)
        raise UserInputError(f"Unknown RDF format '{name}'.", hint=f"Use one of: {known}.")

    @classmethod
    def for_path(cls, path: Path | str) -> RdfFormat | None:
        """Format guessed from a file name's extension, or ``None``."""
        suffix = Path(path).suffix.lower()
        for fmt in cls:
            if suffix in fmt.extensions:
                return fmt
        return None

    @property
    def has_graphs(self) -> bool:
        """Whether the syntax can carry named graphs (a dataset), not only triples."""
        return self in (RdfFormat.TRIG, RdfFormat.NQUADS, RdfFormat.JSONLD)


@dataclass(frozen=True)
class GraphInfo:
    """A named graph and its size."""

    name: str
    triples: int


@dataclass(frozen=True)
class RdfSource:
    """One RDF document to load: its bytes (or a file), syntax, and a name for error messages.

    Give ``path`` (and empty ``data``) for large files: parsers then stream from disk instead of
    holding the whole document in memory.
    """

    name: str
    data: bytes
    format: RdfFormat
    path: Path | None = None

    @classmethod
    def from_path(cls, path: Path, fmt: RdfFormat) -> RdfSource:
        """A source read lazily from ``path``."""
        return cls(str(path), b"", fmt, path)

    def open(self) -> IO[bytes]:
        """A fresh binary stream over the document (callers close it)."""
        if self.path is not None:
            return self.path.open("rb")
        return io.BytesIO(self.data)

    @property
    def size(self) -> int:
        """Size in bytes (for progress bars and limits)."""
        return self.path.stat().st_size if self.path is not None else len(self.data)


@dataclass
class SelectResult:
    """Rows of a SELECT query; ``None`` marks an unbound variable."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)

    def dicts(self) -> Iterator[dict[str, Term | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)


QueryResult = SelectResult | bool | list[Triple]
"""SELECT gives rows, ASK a boolean, CONSTRUCT/DESCRIBE a list of triples."""


class GraphStore(ABC):
    """A quad store bizarch reads and writes. Never mocked: tests run every backend for real."""

    #: Human-readable address (path or URL) used in messages.
    address: str

    @abstractmethod
    def load(
        self,
        sources: Sequence[RdfSource],
        graph: str | None,
        progress: ProgressCallback | None = None,
        *,
        keep_named_graphs: bool = False,
    ) -> int:
        """Parse and add all ``sources`` as ONE atomic change; returns the number of quads added.

        Triples go into ``graph`` (a named graph IRI; ``None`` means the default graph). Quads of
        dataset syntaxes keep their own graph unless ``graph`` is given (with
        ``keep_named_graphs``, only their default-graph triples go to ``graph``). A syntax
        error in any source raises :class:`bizarch.errors.RdfSyntaxError` and leaves the
        store unchanged.
        ``progress`` is called with byte counts as documents are read.
        """

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query.

        ``default_graphs``: graph IRIs whose union is the query's default graph; ``None`` makes
        the default graph the union of all named graphs. ``bindings`` binds variables (name
        without ``?``) to RDF terms; values are never pasted into the query text.
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update atomically (all of it or nothing)."""

    @abstractmethod
    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads as one atomic change."""

    @abstractmethod
    def export(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        """Write one named graph (``graph``) or the whole dataset (``None``) to ``out``.

        Exporting the whole dataset needs a dataset syntax (TriG, N-Quads, JSON-LD)."""

    @abstractmethod
    def graphs(self) -> list[GraphInfo]:
        """Named graphs with their triple counts, sorted by name."""

    def has_graph(self, graph: str) -> bool:
        """Whether ``graph`` is a named graph of the store (as :meth:`graphs` would list it).

        Backends answer without counting: a query names its scenario, and sizing every graph to
        check it exists cost a full scan of the store per query (0.5 s on disk at 1M triples).
        """
        return any(info.name == graph for info in self.graphs())

    @abstractmethod
    def clear(self, graph: str | None = None) -> None:
        """Remove one named graph, or everything when ``graph`` is ``None``."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in one named graph, or in the whole store."""

    def replace_graphs(self, contents: Mapping[str, Iterable[Quad]]) -> None:
        """Replace the content of each given named graph, all in one atomic change."""
        self.update(replace_graphs_update(contents))

    @abstractmethod
    def close(self) -> None:
        """Release the store (file locks, connections). Idempotent."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def replace_graphs_update(contents: Mapping[str, Iterable[Quad]]) -> str:
    """ONE SPARQL update that replaces each named graph's content (atomic on every backend).

    Built from the terms' own N-Triples serialisation (pyoxigraph validated IRIs and escaped
    literals when the terms were made); meant for small graphs (ontology, demo scenarios).
    """
    parts: list[str] = []
    inserts: list[str] = []
    for graph, quads in contents.items():
        name = str(NamedNode(graph))
        parts.append("DROP SILENT GRAPH " + name + " ;")
        body = "\n".join(
            " ".join((str(q.subject), str(q.predicate), str(q.object))) + " ." for q in quads
        )
        inserts.append("GRAPH " + name + " {\n" + body + "\n}")
    return "\n".join([*parts, "INSERT DATA {", *inserts, "}"])
