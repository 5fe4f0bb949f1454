"""RDF terms at the validation boundary: pyoxigraph → rdflib, and the string keys findings carry.

Why conversion lives here: pySHACL reads rdflib graphs, the store speaks pyoxigraph. Terms are
converted one by one (never through oxrdflib, which types plain literals as ``xsd:string`` and makes
``sh:in`` fail). Why string keys: findings from different engines (pySHACL, the SPARQL engine) are
compared by :meth:`Finding.key`, so every engine writes focus node, path and value the same way:

- an IRI as the bare IRI (``https://…/id/app-claims``),
- a literal in N-Triples syntax (``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``, ``"x"``,
  ``"x"@en``; plain ``xsd:string`` literals without datatype),
- a blank node as ``_:`` + its label (unstable across engines: rules never report blank nodes),
- a path as the IRI of a predicate, or ``^`` + IRI for an inverse path.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from bizarch.store.base import GraphStore, RdfFormat

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """One pyoxigraph term as the rdflib term a Turtle parser would have produced."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} (RDF-star triples are not validated)")


def add_store_graphs(target: rdflib.Graph, store: GraphStore, graphs: Iterable[str]) -> int:
    """Copy the triples of named graphs of ``store`` into ``target``; returns triples copied.

    Goes through the store's N-Triples export so it works on every backend; terms are converted
    with a cache because the same IRIs recur on most triples.
    """
    cache: dict[object, Node] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_rdflib(term)
        return found

    copied = 0
    for graph in graphs:
        buffer = io.BytesIO()
        store.export(buffer, RdfFormat.NTRIPLES, graph)
        for triple in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES):
            target.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
            copied += 1
    return copied


def term_key(term: Node) -> str:
    """The engine-independent string of a focus node or value (see the module docstring)."""
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, rdflib.Literal):
        if term.language:
            return f"{_quote(str(term))}@{term.language}"
        if term.datatype is None or str(term.datatype) == XSD_STRING:
            return _quote(str(term))
        return f"{_quote(str(term))}^^<{term.datatype}>"
    raise TypeError(f"not an RDF term: {term!r}")


def path_key(graph: rdflib.Graph, path: Node) -> str:
    """A result path as a string: a predicate IRI, or ``^IRI`` for an inverse path."""
    if isinstance(path, rdflib.URIRef):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if isinstance(inverse, rdflib.URIRef):
        return f"^{inverse}"
    return f"_:{path}"


def key_to_rdflib(key: str) -> Node:
    """Inverse of :func:`term_key` (used to write the SHACL report graph from findings)."""
    if key.startswith("_:"):
        return rdflib.BNode(key[2:])
    if key.startswith('"'):
        triple = rdflib.Graph().parse(data=f"<urn:s> <urn:p> {key} .", format="nt")
        return next(iter(triple))[2]
    return rdflib.URIRef(key)


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'
