"""Run the SPARQL engine and pySHACL on the same data and compare their finding keys.

The SPARQL engine is only trustworthy while it reports exactly what the reference reports. This
module is that comparison, shared by the parity tests and the benchmark. Both engines read the same
store: pySHACL gets an rdflib copy exported from it (as the pySHACL validation service does), so
both see the store's literal forms. Blank nodes get different ids in rdflib and Oxigraph; they are
compared through a label derived from their outgoing triples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from bizarch.store.base import GraphStore
from bizarch.validation.pyshacl_fallback import load_rdflib, run_pyshacl
from bizarch.validation.report import Finding
from bizarch.validation.shape_model import ShapesGraph
from bizarch.validation.sparql_engine import SparqlEngine
from bizarch.validation.terms import term_key

Key = tuple[str, str, str | None, str | None]


@dataclass
class Comparison:
    """Finding keys of both engines; ``same`` when they agree exactly."""

    sparql: set[Key]
    pyshacl: set[Key]
    engines: dict[str, str]

    @property
    def same(self) -> bool:
        return self.sparql == self.pyshacl

    def describe(self, limit: int = 10) -> str:
        only_sparql = sorted(self.sparql - self.pyshacl)[:limit]
        only_pyshacl = sorted(self.pyshacl - self.sparql)[:limit]
        return f"only SPARQL engine: {only_sparql}\nonly pySHACL: {only_pyshacl}"


def compare_engines(
    store: GraphStore,
    shapes: ShapesGraph,
    graphs: Sequence[str],
    engine: SparqlEngine | None = None,
) -> Comparison:
    """Validate ``graphs`` (their union is the data graph) with both engines."""
    engine = engine or SparqlEngine(shapes)
    report = engine.validate(store, data_graphs=graphs)
    data = load_rdflib(store, graphs)
    for prefix, namespace in shapes.graph.namespaces():
        data.bind(prefix, namespace, replace=True)
    reference = run_pyshacl(shapes, shapes.top_level_shapes(), data)
    oxi = _canonical_labels(lambda b: _ox_edges(store, graphs, b))
    rdf = _canonical_labels(lambda b: _rdflib_edges(data, b))
    return Comparison(
        sparql=_keys(report.findings, oxi),
        pyshacl=_keys(reference, rdf),
        engines=report.engines,
    )


def _keys(findings: Sequence[Finding], label: Callable[[str], str]) -> set[Key]:
    def fix(text: str | None) -> str | None:
        return label(text[2:]) if text and text.startswith("_:") else text

    return {(f.rule_id, fix(f.focus_node) or "", f.path, fix(f.value)) for f in findings}


def _canonical_labels(
    edges: Callable[[str], list[tuple[str, str | None]]],
) -> Callable[[str], str]:
    def label(bnode: str, depth: int = 0) -> str:
        if depth > 4:
            return "_:"
        parts = sorted(
            f"{p} {label(o[2:], depth + 1) if o and o.startswith('_:') else o}"
            for p, o in edges(bnode)
        )
        return "_:[" + "; ".join(parts) + "]"

    return label


def _ox_edges(store: GraphStore, graphs: Sequence[str], bnode: str) -> list[tuple[str, str | None]]:
    engine: ox.Store = store.engine  # type: ignore[attr-defined]
    found = set()
    for graph in graphs:
        for quad in engine.quads_for_pattern(ox.BlankNode(bnode), None, None, ox.NamedNode(graph)):
            found.add((quad.predicate.value, term_key(quad.object)))
    return sorted(found)


def _rdflib_edges(data: rdflib.Graph, bnode: str) -> list[tuple[str, str | None]]:
    return sorted({(str(p), term_key(o)) for p, o in data.predicate_objects(rdflib.BNode(bnode))})
