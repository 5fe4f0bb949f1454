"""The SPARQL engine reports exactly what pySHACL reports on every rule case, all by itself.

Both engines see the same data: the ontology and reference data beside the case file. pySHACL (the
reference) reads an rdflib graph, the SPARQL engine the store; their finding keys (rule, focus node,
path, value) must be equal, and no rule of the library may need the pySHACL fallback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bizarch import resources
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.pyshacl_engine import validate_graph
from bizarch.validation.sparql_engine import ENGINE, SPARQL
from tests.validation.conftest import CASES_DIR, case_graph

CASE_IDS = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
SCENARIO = "urn:bizarch:scenario:case"


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    with OxigraphStore() as store:
        ontology = resources.ontology_file()
        source = RdfSource(ontology.name, ontology.read_bytes(), RdfFormat.TURTLE)
        store.load([source], ONTOLOGY_GRAPH)
        yield store


def _load_case(store: OxigraphStore, path: Path) -> None:
    store.clear(SCENARIO)
    store.load([RdfSource(path.name, path.read_bytes(), RdfFormat.TURTLE)], SCENARIO)


@pytest.mark.parametrize("kind", ["valid", "invalid"])
@pytest.mark.parametrize("rule_id", CASE_IDS)
def test_same_findings_as_pyshacl(rule_id, kind, library, base_graph, store) -> None:
    ruleset = library.select(rule_id)
    path = CASES_DIR / rule_id / f"{kind}.ttl"
    _load_case(store, path)
    report = ENGINE.validate(store, SCENARIO, ruleset)
    with case_graph(base_graph, path) as graph:
        reference, _ = validate_graph(graph, ruleset)
    assert report.keys() == reference.keys()
    assert set(report.engines.values()) == {SPARQL}, report.fallback_reasons
    if kind == "invalid":
        assert report.findings, "an invalid case must produce findings"
    pairs = zip(sorted(report.findings), sorted(reference.findings), strict=True)
    for finding, expected in pairs:
        assert (finding.severity, finding.shape) == (expected.severity, expected.shape)
        # Named alike (which of two English labels is shown is not specified).
        assert (finding.focus_label is None) == (expected.focus_label is None)


@pytest.mark.parametrize("scenario", ["current", "target"])
def test_same_findings_as_pyshacl_on_the_demo(scenario, library) -> None:
    from bizarch.demo import load_demo
    from bizarch.validation.pyshacl_engine import ENGINE as REFERENCE

    graph = f"urn:bizarch:scenario:{scenario}"
    ruleset = library.select(None)
    with OxigraphStore() as store:
        load_demo(store)
        report = ENGINE.validate(store, graph, ruleset)
        reference = REFERENCE.validate(store, graph, ruleset)
    assert report.keys() == reference.keys()
    assert set(report.engines.values()) == {SPARQL}
    assert {f.rule_id for f in report.findings} >= {"CAP-006"}  # the demo's documented warnings
