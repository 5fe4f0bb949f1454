"""One textual form for RDF terms and SHACL paths in findings, whichever engine produced them.

Two validation engines must report *the same* finding keys (rule, focus node, path, value): pySHACL
hands out rdflib terms, the SPARQL engine pyoxigraph terms, and the two libraries do not agree on
literal lexical forms (rdflib normalises ``"01"^^xsd:integer`` to ``"1"`` when it parses). So every
term goes through rdflib's :class:`~rdflib.term.Literal` constructor before it is written out:

- IRIs are written bare (``https://example.org/x``): that is what users read and search for;
- blank nodes as ``_:id``;
- literals in N-Triples form (``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``, ``"x"@en``,
  ``"text"``), so a literal never looks like an IRI.

A path is written bare when it is one predicate, otherwise in SPARQL property-path syntax with full
IRIs (``^<p>``, ``(<p>/<q>)``, ``(<p>)*``): the same text both engines derive from the shapes
graph.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

RdfTerm = rdflib.term.Node | ox.NamedNode | ox.BlankNode | ox.Literal


class UnsupportedPath(ValueError):
    """A ``sh:path`` value that is not a well-formed SHACL property path."""


def to_rdflib(term: RdfTerm) -> rdflib.term.Node:
    """Convert a pyoxigraph term to the equal rdflib term (rdflib terms pass through)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(rdflib.XSD.string):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    return term


def to_oxigraph(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def term_key(term: RdfTerm | None, bnode: Callable[[str], str] | None = None) -> str | None:
    """The textual form of a term in a finding (see the module docstring).

    ``bnode`` maps a blank node id to its written form; engines leave it ``None`` (``_:id``),
    comparisons between engines pass a canonical labelling, since each library invents its own ids.
    """
    if term is None:
        return None
    node = to_rdflib(term)
    if isinstance(node, rdflib.URIRef):
        return str(node)
    if isinstance(node, rdflib.BNode):
        return bnode(str(node)) if bnode else f"_:{node}"
    if isinstance(node, rdflib.Literal):
        if node.datatype == rdflib.XSD.string:
            node = rdflib.Literal(str(node))
        elif node.datatype is not None:
            lexical = _canonical_lexical(str(node), str(node.datatype))
            node = rdflib.Literal(lexical, datatype=node.datatype)
        return node.n3()
    return str(node)


_XSD = str(rdflib.XSD)
_INTEGERS = {
    _XSD + name
    for name in [
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}


def _canonical_lexical(lexical: str, datatype: str) -> str:
    """One lexical form per numeric/boolean value: the store rewrites ``4.0`` as ``4``, rdflib
    keeps it, so keys compare values, not spellings. Ill-formed lexical forms stay as written."""
    try:
        if datatype in _INTEGERS:
            return str(int(lexical.strip()))
        if datatype == _XSD + "decimal":
            text = format(Decimal(lexical.strip()).normalize(), "f")
            return text if text != "-0" else "0"
        if datatype in (_XSD + "double", _XSD + "float"):
            return repr(float(lexical.strip()))
        if datatype == _XSD + "boolean":
            return {"1": "true", "0": "false"}.get(lexical.strip(), lexical.strip())
    except (ValueError, ArithmeticError):
        return lexical
    return lexical


def sparql_term(term: rdflib.term.Node) -> str:
    """A constant in SPARQL syntax, from the term's own serialisation (never pasted user text)."""
    if isinstance(term, rdflib.BNode):
        raise UnsupportedPath("a blank node cannot be a constant in a SPARQL query")
    if isinstance(term, rdflib.Literal):
        return to_oxigraph(term).__str__()
    return f"<{term}>" if isinstance(term, rdflib.URIRef) else str(term)


_PATH_UNARY = {
    SH.inversePath: "^",
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
}


def sparql_path(graph: rdflib.Graph, path: rdflib.term.Node, depth: int = 0) -> str:
    """The SPARQL 1.1 property path equal to a SHACL path node (``sh:path`` value)."""
    if depth > 50:
        raise UnsupportedPath("sh:path is nested too deeply (or cyclic)")
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    if not isinstance(path, rdflib.BNode):
        raise UnsupportedPath(f"sh:path must be an IRI or a blank node, not {path!r}")
    if (path, RDF.first, None) in graph:
        items = list(Collection(graph, path))
        if len(items) < 2:
            raise UnsupportedPath("a sequence path needs at least two members")
        return "(" + "/".join(sparql_path(graph, i, depth + 1) for i in items) + ")"
    alternatives = list(graph.objects(path, SH.alternativePath))
    if alternatives:
        items = list(Collection(graph, alternatives[0]))
        if len(items) < 2:
            raise UnsupportedPath("an alternative path needs at least two members")
        return "(" + "|".join(sparql_path(graph, i, depth + 1) for i in items) + ")"
    for predicate, op in _PATH_UNARY.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            text = sparql_path(graph, inner, depth + 1)
            return f"^{text}" if op == "^" else f"({text}){op}"
    raise UnsupportedPath("unknown kind of SHACL path")


def path_key(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    """The textual form of a result path in a finding: a bare IRI, or SPARQL path syntax."""
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return str(path)
    try:
        return sparql_path(graph, path)
    except UnsupportedPath:
        return f"_:{path}"


def path_predicates(graph: rdflib.Graph, path: rdflib.term.Node) -> set[str]:
    """Every predicate IRI a SHACL path mentions (for change analysis)."""
    found: set[str] = set()
    todo = [path]
    seen: set[rdflib.term.Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, rdflib.URIRef):
            found.add(str(node))
            continue
        for p, o in graph.predicate_objects(node):
            if p in (RDF.first, SH.alternativePath, *_PATH_UNARY) or (
                p == RDF.rest and o != RDF.nil
            ):
                todo.append(o)
    return found
