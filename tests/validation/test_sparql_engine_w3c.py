"""The SPARQL engine reports what pySHACL reports on the W3C SHACL core and SPARQL test cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.parity import compare_engines
from bizarch.validation.shape_model import ShapesGraph
from bizarch.validation.sparql_engine import PYSHACL, SPARQL

W3C = Path(__file__).parent / "w3c"
CASES = sorted(W3C.rglob("*.test.ttl"))
GRAPH = "urn:bizarch:scenario:w3c"


def test_the_test_suite_is_there() -> None:
    assert len(CASES) >= 90
    assert {p.parent.name for p in CASES} >= {"node", "property", "path", "targets", "misc"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(W3C)))
def test_same_findings_as_pyshacl(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    shapes = ShapesGraph(rdflib.Graph().parse(data=text, format="turtle"))
    with OxigraphStore() as store:
        store.load([RdfSource(case.name, text.encode(), RdfFormat.TURTLE)], GRAPH)
        comparison = compare_engines(store, shapes, [GRAPH])
    assert comparison.same, comparison.describe()
    custom = case.parent.name == "component"
    expected = PYSHACL if custom else SPARQL
    assert set(comparison.engines.values()) <= {expected}, comparison.engines


def test_findings_carry_the_reference_content() -> None:
    """One case spelled out, so the comparison above cannot pass on two empty reports."""
    case = W3C / "core" / "property" / "minCount-001.test.ttl"
    text = case.read_text(encoding="utf-8")
    shapes = ShapesGraph(rdflib.Graph().parse(data=text, format="turtle"))
    with OxigraphStore() as store:
        store.load([RdfSource(case.name, text.encode(), RdfFormat.TURTLE)], GRAPH)
        comparison = compare_engines(store, shapes, [GRAPH])
    ns = "http://datashapes.org/sh/tests/core/property/minCount-001.test#"
    shape = ns + "PersonShape-firstName"
    assert comparison.sparql == {(shape, ns + "InvalidPerson", ns + "firstName", None)}
