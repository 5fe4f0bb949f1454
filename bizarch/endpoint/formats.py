"""Result formats of the endpoint: which media types it speaks and how results become bytes.

Serialisation is pyoxigraph's own (SPARQL results JSON/XML/CSV/TSV, RDF syntaxes). A result cut at
the row cap is a Python list, not an engine iterator, so it is written once as SPARQL TSV (whose
terms are the engine's own N-Triples forms) and re-read by the engine's parser to be serialised in
the requested format: no hand-written serialiser to get wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from bizarch.endpoint.executor import QueryOutcome


@dataclass(frozen=True)
class Format:
    """One output format: its media type and the engine's format object."""

    key: str
    media_type: str
    engine: ox.QueryResultsFormat | ox.RdfFormat


RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    Format("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    Format("csv", "text/csv", ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ox.RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    Format("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    Format("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
)

# Media types clients send that mean one of the above.
_ALIASES: dict[str, str] = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/json+ld": "jsonld",
}
# Values of the non-standard ``format`` / ``output`` / ``results`` parameters (SPARQLWrapper,
# Virtuoso and Fuseki conventions).
_PARAM_VALUES: dict[str, tuple[str, str]] = {
    # value: (key for SELECT/ASK, key for CONSTRUCT/DESCRIBE)
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", "turtle"),
    "tsv": ("tsv", "turtle"),
    "turtle": ("json", "turtle"),
    "ttl": ("json", "turtle"),
    "n3": ("json", "turtle"),
    "nt": ("json", "ntriples"),
    "ntriples": ("json", "ntriples"),
    "n-triples": ("json", "ntriples"),
    "json-ld": ("json", "jsonld"),
    "jsonld": ("json", "jsonld"),
    "rdf+xml": ("xml", "rdfxml"),
    "rdfxml": ("xml", "rdfxml"),
    "rdf": ("xml", "rdfxml"),
}


def candidates(form: str) -> tuple[Format, ...]:
    """The formats that fit a query form (``select``/``ask`` or ``graph``)."""
    return GRAPH_FORMATS if form == "graph" else RESULT_FORMATS


def media_types(form: str) -> list[str]:
    """Media types to offer in content negotiation, primary types first, then aliases."""
    formats = candidates(form)
    keys = {f.key for f in formats}
    return [f.media_type for f in formats] + [m for m, k in _ALIASES.items() if k in keys]


def by_media_type(form: str, media_type: str | None) -> Format:
    """The format for a negotiated media type; the first (JSON / Turtle) when none fits."""
    formats = candidates(form)
    key = _ALIASES.get(media_type or "")
    for fmt in formats:
        if fmt.media_type == media_type or fmt.key == key:
            return fmt
    return formats[0]


def by_parameter(form: str, value: str | None) -> Format | None:
    """The format named by a ``format``/``output`` parameter, or ``None`` if it names none."""
    if not value:
        return None
    value = value.strip().lower()
    if "/" in value:  # some clients put a media type in the parameter
        formats = candidates(form)
        key = _ALIASES.get(value)
        return next((f for f in formats if f.media_type == value or f.key == key), None)
    keys = _PARAM_VALUES.get(value)
    if keys is None:
        return None
    key = keys[1] if form == "graph" else keys[0]
    return next(f for f in candidates(form) if f.key == key)


def serialize(outcome: QueryOutcome, fmt: Format, prefixes: dict[str, str]) -> bytes:
    """The outcome in ``fmt`` as bytes."""
    if outcome.boolean is not None:
        tsv = b"true" if outcome.boolean else b"false"
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        return parsed.serialize(format=fmt.engine)
    if outcome.solutions is not None:
        parsed = ox.parse_query_results(
            _tsv(outcome.variables, outcome.solutions), format=ox.QueryResultsFormat.TSV
        )
        return parsed.serialize(format=fmt.engine)
    assert outcome.triples is not None
    return serialize_triples(outcome.triples, fmt, prefixes)


def serialize_triples(triples: Iterable[ox.Triple], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Triples in an RDF syntax; Turtle gets the project's prefixes for readability."""
    if fmt.engine == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=fmt.engine, prefixes=prefixes)
    return ox.serialize(triples, format=fmt.engine)


def _tsv(variables: Sequence[str], rows: Iterable[Sequence[object | None]]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")
