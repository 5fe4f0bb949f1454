"""SPARQL-based constraints (``sh:sparql``/``sh:select``), run for all focus nodes at once.

SHACL defines a SELECT constraint per focus node, with ``$this`` pre-bound. Running one query per
node is what makes pySHACL slow on large models; here the shape's target pattern is placed at the
start of the query's outer WHERE group instead, so ``$this`` becomes an ordinary variable joined
with the targets and one query returns the violations of every focus node. The two are equal
for the queries SHACL allows (no MINUS, VALUES or SERVICE; nested SELECTs project ``$this``), which
is what pySHACL enforces too; anything else is refused and left to pySHACL.

The query text is never edited in its meaning: we only find *where* the outer group starts (with a
small tokenizer that skips strings, IRIs and comments), add ``?this`` to the projection when it is
missing, and prepend the ``sh:prefixes`` declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import rdflib
from rdflib.namespace import OWL, RDF, SH

from bizarch.validation.shape_model import ShapesGraph, Unsupported
from bizarch.validation.sparql_exists import optimise_exists
from bizarch.validation.sparql_tokens import TOKEN as _TOKEN

DEFAULT_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": str(OWL),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": str(SH),
}
"""Prefixes every constraint may use without declaring them (pySHACL's defaults, plus xsd and sh
which rdflib's query engine also knows)."""

_PATH_VAR = re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M)
_FORBIDDEN = {"MINUS", "VALUES", "SERVICE"}
_PREBOUND_UNSUPPORTED = {"shapesGraph", "currentShape"}


@dataclass(frozen=True)
class SparqlConstraint:
    """A ``sh:sparql`` constraint split where the focus pattern goes: ``head FOCUS tail``."""

    node: rdflib.term.Node
    head: str
    tail: str
    """The query after the focus pattern, rewritten for Oxigraph (see ``sparql_exists``)."""
    original_tail: str
    """The same, as the rule wrote it (standard SPARQL 1.1, for change analysis)."""
    projected: tuple[str, ...] | None
    """Projected variable names; ``None`` for ``SELECT *``."""
    messages: tuple[rdflib.Literal, ...]
    opens: str = ""
    """Braces opened before the focus pattern: the nesting of chained EXISTS filters."""

    def query(self, focus_pattern: str) -> str:
        return f"{self.head}{self.opens}\n{focus_pattern}\n{self.tail}"

    def original_query(self, focus_pattern: str) -> str:
        return f"{self.head}\n{focus_pattern}\n{self.original_tail}"

    @property
    def reports_rows(self) -> bool:
        """pySHACL ignores rows that bind none of this/path/value (unless SELECT *)."""
        if self.projected is None:
            return True
        return bool({"this", "path", "value"} & set(self.projected))


def compile_sparql_constraint(
    shapes: ShapesGraph,
    shape: rdflib.term.Node,
    node: rdflib.term.Node,
    path: str | None,
) -> SparqlConstraint | None:
    """Prepare one ``sh:sparql`` value of ``shape``; ``None`` when it is deactivated."""
    if shapes.is_deactivated(node):
        return None
    selects = shapes.objects(node, SH.select)
    if len(selects) != 1 or not isinstance(selects[0], rdflib.Literal):
        raise Unsupported("sh:sparql needs exactly one sh:select string")
    text = str(selects[0])
    if path is not None:
        text = _PATH_VAR.sub(lambda m: m.group(1) + path, text)
    prologue = "".join(
        f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(collect_prefixes(shapes, node).items())
    )
    head, tail, projected = split_select(text)
    opens, rewritten = optimise_exists(prologue, head, tail)
    return SparqlConstraint(
        node=node,
        head=prologue + head,
        opens=opens,
        tail=rewritten,
        original_tail=tail,
        projected=projected,
        messages=tuple(shapes.messages(node)),
    )


def collect_prefixes(shapes: ShapesGraph, node: rdflib.term.Node) -> dict[str, str]:
    """Prefixes a constraint query may use.

    The ``sh:prefixes`` declarations (and those of the ontologies in the shapes graph) win over the
    defaults, which win over the ``@prefix`` lines of the shapes files (rdflib, pySHACL's query
    engine, also accepts those).
    """
    graph = shapes.graph
    prefixes = {p: str(ns) for p, ns in graph.namespaces() if p}
    prefixes.update(DEFAULT_PREFIXES)
    holders = set(graph.objects(node, SH.prefixes))
    holders.update(graph.subjects(RDF.type, OWL.Ontology))
    for holder in sorted(holders, key=str):
        for declaration in graph.objects(holder, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise Unsupported("sh:declare needs one sh:prefix and one sh:namespace")
            prefixes[str(prefix)] = str(namespace)
    return prefixes


def split_select(text: str) -> tuple[str, str, tuple[str, ...] | None]:
    """Split a SELECT query after the ``{`` that opens its outer WHERE group.

    Returns the head (with ``?this`` added to the projection if missing), the tail, and the
    projected variables (``None`` for ``*``). Raises :class:`Unsupported` for queries SHACL does
    not allow as constraints or that cannot be run for all focus nodes at once.
    """
    tokens = [(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens = [t for t in tokens if t[0] != "comment"]
    words = {value.upper() for kind, value, _, _ in tokens if kind == "word"}
    if words & _FORBIDDEN:
        raise Unsupported("SPARQL constraints must not use MINUS, VALUES or SERVICE")
    variables = {value[1:] for kind, value, _, _ in tokens if kind == "var"}
    if variables & _PREBOUND_UNSUPPORTED:
        raise Unsupported("$shapesGraph/$currentShape are not supported")
    if "failure" in variables:
        raise Unsupported("?failure rows are left to pySHACL")
    select_at = next(
        (i for i, t in enumerate(tokens) if t[0] == "word" and t[1].upper() == "SELECT"), None
    )
    if select_at is None:
        raise Unsupported("sh:select must hold a SELECT query")
    depth = 0
    projection: list[str] = []
    star = False
    brace_at = None
    for i in range(select_at + 1, len(tokens)):
        kind, value, _, _ = tokens[i]
        if kind == "open" and value == "{" and depth == 0:
            brace_at = i
            break
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif depth == 0 and kind == "var":
            projection.append(value[1:])
        elif depth == 0 and value == "*":
            star = True
        elif depth > 0 and kind == "word" and value.upper() == "AS":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt and nxt[0] == "var":
                projection.append(nxt[1][1:])
    if brace_at is None:
        raise Unsupported("no WHERE group found")
    split = tokens[brace_at][3]
    head, tail = text[:split], text[split:]
    if star:
        return head, tail, None
    if "this" not in projection:
        if "GROUP" in {v.upper() for k, v, s, _ in tokens if k == "word" and s > split}:
            raise Unsupported("a grouped constraint query must project $this")
        end = tokens[select_at][3]
        modifier = tokens[select_at + 1]
        if modifier[0] == "word" and modifier[1].upper() in ("DISTINCT", "REDUCED"):
            end = modifier[3]
        head = head[:end] + " ?this" + head[end:]
    return head, tail, tuple(projection)
