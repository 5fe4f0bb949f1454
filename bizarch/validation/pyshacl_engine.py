"""The reference engine: pySHACL over an rdflib copy of one scenario.

Why pySHACL is the reference: it implements SHACL Core and SHACL-SPARQL as the W3C test suite
states them, so the faster SPARQL engine is judged by matching its findings. It is run the way
every engine must read the rules: no inference (``inference='none'``), no SHACL Advanced Features,
no ``owl:imports`` following; warnings and infos are reported but do not fail conformance.

The data graph is the scenario's triples plus the ontology (so ``sh:targetClass`` and
``sh:class`` see ``rdfs:subClassOf``, and generic rules read domains and ranges) plus the reference
data the selected rules require.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache, lru_cache

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from bizarch import resources
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.store.base import GraphStore, RdfFormat
from bizarch.validation.report import Finding, Severity, ValidationReport
from bizarch.validation.rules import RuleSet
from bizarch.validation.terms import path_key, term_key, to_rdflib


class PyshaclEngine:
    """The reference engine, as registered in :mod:`bizarch.validation.engines`."""

    name = "pyshacl"

    def validate(
        self, store: GraphStore, scenario_graph: str, ruleset: RuleSet
    ) -> ValidationReport:
        data = data_graph(store, scenario_graph, ruleset)
        report, _ = validate_graph(data, ruleset)
        report.scenario = scenario_graph
        return report


ENGINE = PyshaclEngine()


class QueryCachingGraph(rdflib.Graph):
    """An rdflib graph that parses each distinct SPARQL text once.

    Why: pySHACL runs a SPARQL-based constraint once per focus node and hands rdflib the query
    text every time; rdflib's parser is slow (tens of milliseconds per parse), so on a model of a
    few hundred elements parsing dominated validation (7 min instead of seconds on the demo).
    The prepared query is evaluated with the same ``initBindings``, so results are unchanged;
    prepared queries are shared by all graphs of the process (the rule texts are few and fixed).
    """

    def query(self, query_object: object, *args: object, **kwargs: object):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def data_graph(store: GraphStore, scenario_graph: str, ruleset: RuleSet) -> rdflib.Graph:
    """Scenario + ontology + reference data as one rdflib graph (terms converted one by one)."""
    graph = QueryCachingGraph()
    add_store_graphs(graph, store, [scenario_graph])
    if any(info.name == ONTOLOGY_GRAPH and info.triples for info in store.graphs()):
        add_store_graphs(graph, store, [ONTOLOGY_GRAPH])
    else:  # a store without the ontology graph is validated against the packaged ontology
        graph += packaged_ontology()
    graph += ruleset.reference
    return graph


def add_store_graphs(target: rdflib.Graph, store: GraphStore, graphs: Iterable[str]) -> int:
    """Copy named graphs of ``store`` into ``target``; returns the number of triples copied.

    Goes through the store's N-Triples export (every backend has it) and pyoxigraph's parser, then
    converts term by term (never through oxrdflib, which types plain literals as ``xsd:string``
    and makes ``sh:in`` fail); a cache helps because the same IRIs recur on most triples.
    """
    cache: dict[object, rdflib.term.Node] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
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


@cache
def packaged_ontology() -> rdflib.Graph:
    """The ontology shipped with bizarch, parsed once per process."""
    return rdflib.Graph().parse(resources.ontology_file(), format="turtle")


def validate_graph(
    data: rdflib.Graph, ruleset: RuleSet, *, focus_nodes: list[rdflib.term.Node] | None = None
) -> tuple[ValidationReport, rdflib.Graph]:
    """Run pySHACL on an rdflib data graph; returns the typed report and pySHACL's report graph.

    ``data`` must already contain the ontology (and reference data) it is to be read with.
    """
    options: dict[str, object] = {}
    if focus_nodes is not None:
        options["focus_nodes"] = focus_nodes
    _conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=ruleset.shapes,
        inference="none",
        advanced=False,
        do_owl_imports=False,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        abort_on_first=False,
        **options,
    )
    findings: dict[tuple[str, str, str | None, str | None], Finding] = {}
    # Top-level results only: pySHACL also types nested sh:detail results as results.
    for result in results.objects(None, SH.result):
        finding = _finding(results, data, ruleset, result)
        # Two constraints of one rule failing on the same value are one thing to fix.
        findings.setdefault(finding.key(), finding)
    report = ValidationReport(findings=sorted(findings.values()), rules_checked=len(ruleset.rules))
    return report, results


def _finding(
    results: rdflib.Graph, data: rdflib.Graph, ruleset: RuleSet, result: rdflib.term.Node
) -> Finding:
    shape = results.value(result, SH.sourceShape)
    rule_id = ruleset.shape_rule.get(shape)
    if rule_id is None:  # a shape outside the rule library's conventions: a packaging bug
        raise ValueError(f"validation result from a shape that is not a rule: {shape}")
    rule = ruleset.rule(rule_id)
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    # Nested property shapes carry no message of their own: pySHACL then writes a generic one
    # ("Value is not >= 1"); the rule's message says it in the architect's words.
    own_message = (shape, SH.message, None) in ruleset.shapes
    messages = (
        sorted(str(m) for m in results.objects(result, SH.resultMessage)) if own_message else []
    )
    component = results.value(result, SH.sourceConstraintComponent)
    return Finding(
        rule_id=rule_id,
        focus_node=term_key(focus) or "",
        severity=Severity.from_iri(str(results.value(result, SH.resultSeverity))),
        message=" ".join(messages) or rule.message,
        path=path_key(results, path),
        value=term_key(value),
        shape=rule.shape,
        constraint_component=str(component) if component is not None else None,
        focus_label=label_of(data, focus),
    )


def label_of(graph: rdflib.Graph, node: rdflib.term.Node) -> str | None:
    """The element's name for reports: English or untagged label first, else any label."""
    labels = list(graph.objects(node, RDFS.label))
    for label in labels:
        if isinstance(label, rdflib.Literal) and label.language in (None, "en"):
            return str(label)
    return str(labels[0]) if labels else None
