"""Fixtures of the validation tests: the rule library and case graphs read with the ontology."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib

from bizarch.store.base import GraphStore, RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.pyshacl_engine import QueryCachingGraph, packaged_ontology
from bizarch.validation.rules import RuleLibrary
from bizarch.validation.sparql_engine import EngineReport, SparqlEngine

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


DATA_DIR = Path(__file__).parent / "data"
SMALL_MODEL = DATA_DIR / "small-model.ttl"
SMALL_RULES = "value-stream,CAP-006"
"""Rules the small-model tests run: enough to meet every severity, quick on pySHACL."""

SMALL_EXPECTED = {
    ("VS-004", "https://example.org/small/vs-renew"),
    ("VS-014", "https://example.org/small/stage-renew-quote"),
    ("VS-005", "https://example.org/small/stage-orphan"),
    ("VS-017", "https://example.org/small/vs-renew"),
    ("CAP-006", "https://example.org/small/cap-manage-leads"),
}
"""(rule, focus node) of every finding of :data:`SMALL_RULES` on the small model."""


def load_small_model(store: GraphStore, scenario: str = "current") -> None:
    """The ontology plus the small model as one scenario."""
    from bizarch.repository import Repository

    repo = Repository(store)
    repo.ensure_ontology()
    source = RdfSource.from_path(SMALL_MODEL, RdfFormat.TURTLE)
    store.load([source], repo.scenario_graph(scenario, must_exist=False))


@pytest.fixture
def small_store(memory_store: OxigraphStore) -> OxigraphStore:
    load_small_model(memory_store)
    return memory_store


def validate_recording(
    store: OxigraphStore,
    monkeypatch: pytest.MonkeyPatch,
    shapes: str,
    graph: str,
    **options: object,
) -> tuple[list[str], EngineReport]:
    """Validate ``graph`` with the SPARQL engine and ``shapes`` (Turtle), recording every query
    the engine asks (to show which forms a run really uses)."""
    asked: list[str] = []
    real_query = store.query

    def recording(text: str, **kw: object):  # type: ignore[no-untyped-def]
        asked.append(text)
        return real_query(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "query", recording)
    report = SparqlEngine.from_turtle(shapes).validate(store, data_graphs=[graph], **options)
    return asked, report
