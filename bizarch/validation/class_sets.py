"""``sh:class`` tests against a list of classes, for full validation runs.

The compiler writes a value's class test as SHACL defines it: one of the value's types reaches
the class by ``rdfs:subClassOf*`` (``EXISTS { ?v rdf:type ?t FILTER EXISTS { ?t
rdfs:subClassOf* C } }``). Oxigraph walks the hierarchy again for every value (85k performers
of activities at 1M triples, 60k supporting applications, ...). In a full run the hierarchy does
not change between values: the class and its subclasses are read once
(``queries/validation/subclasses.rq``) and the walk becomes ``FILTER(?t IN (...))``, or the
lookup ``?v rdf:type C`` when the class has no subclass: the same test (STR-016's 25 checks
at 1M: 2.05 s -> 1.19 s, ``bench/validate_checks.py``).

Only the compiler's own pattern is rewritten (in a SPARQL-based constraint, ``?t`` may be
unbound, and then ``IN`` fails where ``EXISTS`` holds). A class with a blank node below it keeps
the walk: a blank node cannot be listed in a query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS

from bizarch.resources import query_text
from bizarch.store.base import GraphStore, SelectResult

CLASS_TEST = re.compile(
    r"EXISTS \{ (\?\w+) <" + re.escape(str(RDF.type)) + r"> (\?\w+) "
    r"FILTER EXISTS \{ \2 <" + re.escape(str(RDFS.subClassOf)) + r">\* <([^<>\s]+)> \} \}"
)
"""The compiler's class test (``sparql_components._class``): value, type variable, class."""


class ClassLists:
    """The subclass lists of one validation run: one store, one default graph."""

    def __init__(self, store: GraphStore, graphs: Sequence[str]) -> None:
        self.store = store
        self.graphs = list(graphs)
        self._lists: dict[str, str | None] = {}

    def rewrite(self, query: str) -> str:
        """``query`` with each class test of the compiler as a test against a list."""
        return CLASS_TEST.sub(self._listed, query)

    def _listed(self, match: re.Match[str]) -> str:
        value, kind, cls = match.groups()
        listed = self.members(cls)
        if listed is None:
            return match.group(0)
        if listed == f"<{cls}>":
            return f"EXISTS {{ {value} <{RDF.type}> {listed} }}"
        return f"EXISTS {{ {value} <{RDF.type}> {kind} FILTER({kind} IN ({listed})) }}"

    def members(self, cls: str) -> str | None:
        """``cls`` and its subclasses as an ``IN`` list (None when one is a blank node)."""
        if cls not in self._lists:
            self._lists[cls] = self._read(cls)
        return self._lists[cls]

    def _read(self, cls: str) -> str | None:
        result = self.store.query(
            query_text("validation/subclasses"),
            default_graphs=self.graphs,
            bindings={"of": ox.NamedNode(cls)},
        )
        if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT query
            return None
        classes = {ox.NamedNode(cls)}  # the class itself, even where nothing mentions it
        for _of, member in result.rows:
            if isinstance(member, ox.BlankNode):
                return None
            if isinstance(member, ox.NamedNode):
                classes.add(member)
        return ", ".join(sorted(str(c) for c in classes))
