"""Fixtures of the validation tests: the rule library and case graphs read with the ontology."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib

from bizarch.validation.pyshacl_engine import QueryCachingGraph, packaged_ontology
from bizarch.validation.rules import RuleLibrary

CASES_DIR = Path(__file__).parent / "cases"


@pytest.fixture(scope="session")
def library() -> RuleLibrary:
    return RuleLibrary()


@pytest.fixture(scope="session")
def base_graph(library: RuleLibrary) -> rdflib.Graph:
    """The ontology and all reference data: what every case is read beside.

    Built once: copying 15k triples into a fresh rdflib graph per case cost most of the test time.
    """
    graph = QueryCachingGraph()
    graph += packaged_ontology()
    graph += library.select(None).reference
    return graph


@contextmanager
def case_graph(base: rdflib.Graph, path: Path) -> Iterator[rdflib.Graph]:
    """``base`` with the triples of one case file added, removed again afterwards."""
    case = rdflib.Graph().parse(path, format="turtle")
    added = [triple for triple in case if triple not in base]
    for prefix, namespace in case.namespaces():
        base.bind(prefix, namespace, replace=True)
    for triple in added:
        base.add(triple)
    try:
        yield base
    finally:
        for triple in added:
            base.remove(triple)


def expand(graph: rdflib.Graph, reference: str) -> str:
    """A CURIE of the case file (``ex:vs``) or a full IRI, as the IRI string findings carry."""
    if "://" in reference or reference.startswith("urn:"):
        return reference
    return str(graph.namespace_manager.expand_curie(reference))
