"""pySHACL for the shapes the SPARQL compiler leaves alone, and its results as findings.

pySHACL is the reference engine: when a shape uses a construct the SPARQL compiler does not
translate, that shape (and only that one) is validated by pySHACL over an rdflib copy of the data.
The copy is made only when some shape needs it, since copying a million triples into rdflib takes
tens of seconds.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence

import rdflib
from rdflib.namespace import RDF, SH

from bizarch.store.base import GraphStore, RdfFormat
from bizarch.validation.report import Finding, Severity
from bizarch.validation.shape_model import TARGET_PREDICATES, ShapesGraph
from bizarch.validation.terms import path_key, term_key


def load_rdflib(store: GraphStore, graphs: Sequence[str]) -> rdflib.Graph:
    """The union of ``graphs`` as one rdflib graph (pySHACL's input)."""
    data = rdflib.Graph()
    for graph in graphs:
        buffer = io.BytesIO()
        store.export(buffer, RdfFormat.NTRIPLES, graph)
        data.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    return data


def shapes_subset(shapes: ShapesGraph, keep: Iterable[rdflib.term.Node]) -> rdflib.Graph:
    """A copy of the shapes graph in which only the ``keep`` shapes select focus nodes.

    Other shapes stay (they may be referenced through sh:node, sh:or, ...) but lose their target
    declarations, and their implicit class targets, so pySHACL does not run them.
    """
    keep = set(keep)
    drop = set(shapes.top_level_shapes()) - keep
    subset = rdflib.Graph()
    for prefix, namespace in shapes.graph.namespaces():
        subset.bind(prefix, namespace)
    for triple in shapes.graph:
        s, p, _ = triple
        if s in drop and (p in TARGET_PREDICATES or p == RDF.type):
            continue
        subset.add(triple)
    for shape in drop:  # keep the shape recognisable as a shape without its class typing
        if (shape, RDF.type, SH.PropertyShape) in shapes.graph:
            subset.add((shape, RDF.type, SH.PropertyShape))
        elif (shape, SH.path, None) not in shapes.graph:
            subset.add((shape, RDF.type, SH.NodeShape))
    return subset


def run_pyshacl(
    shapes: ShapesGraph,
    keep: Iterable[rdflib.term.Node],
    data: rdflib.Graph,
    focus_nodes: Iterable[rdflib.term.Node] | None = None,
) -> list[Finding]:
    """Validate ``data`` against the ``keep`` shapes with pySHACL; findings in our terms."""
    options: dict[str, object] = {}
    if focus_nodes is not None:
        nodes = [n for n in focus_nodes if isinstance(n, rdflib.URIRef)]
        if not nodes:
            return []
        options["focus_nodes"] = nodes
    import pyshacl  # only when some shape needs it: importing it costs 0.2 s per process

    logging.getLogger("pyshacl").setLevel(logging.ERROR)
    _conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_subset(shapes, keep),
        inference="none",
        advanced=False,
        do_owl_imports=False,
        allow_warnings=True,
        **options,
    )
    return findings_from_results(results, shapes)


def findings_from_results(results: rdflib.Graph, shapes: ShapesGraph) -> list[Finding]:
    """Turn a pySHACL results graph into findings (rule id from the source shape)."""
    findings = []
    # Only top-level results: pySHACL also types nested sh:detail results as ValidationResult.
    for result in results.objects(None, SH.result):
        shape = results.value(result, SH.sourceShape)
        severity_iri = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        path = results.value(result, SH.resultPath)
        component = results.value(result, SH.sourceConstraintComponent)
        findings.append(
            Finding(
                rule_id=shapes.rule_id(shape),
                focus_node=term_key(results.value(result, SH.focusNode)) or "",
                severity=_severity(severity_iri),
                message=messages[0] if messages else "",
                path=path_key(shapes.graph, path) if path is not None else None,
                value=term_key(results.value(result, SH.value)),
                shape=term_key(shape),
                constraint_component=str(component) if component else None,
            )
        )
    return findings


def _severity(iri: rdflib.term.Node | None) -> Severity:
    """Custom severities (allowed by SHACL) count as violations, as in the SPARQL engine."""
    try:
        return Severity.from_iri(str(iri))
    except ValueError:
        return Severity.VIOLATION
