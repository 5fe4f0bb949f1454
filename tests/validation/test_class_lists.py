"""``sh:class`` in full runs: the class and its subclasses read once, tested as a list.

The findings must equal those of the hierarchy walk (what an incremental run and pySHACL do),
including subclasses declared in the model itself and the cases the list cannot express.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bizarch.store.oxigraph_store import OxigraphStore
from tests.validation.conftest import validate_recording

EX = "https://example.org/"
GRAPH = "urn:test:data"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .
ex:Refs a sh:NodeShape ; sh:targetSubjectsOf ex:ref ;
    sh:property [ sh:path ex:ref ; sh:class ex:Super ] .
"""

DATA = f"""
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Sub rdfs:subClassOf ex:Super .
ex:Deep rdfs:subClassOf ex:Sub .
ex:a ex:ref ex:direct . ex:direct a ex:Super .
ex:b ex:ref ex:deep . ex:deep a ex:Deep .
ex:c ex:ref ex:other . ex:other a ex:Other .
ex:d ex:ref ex:untyped .
ex:e ex:ref ex:anonymous . ex:anonymous a _:kind . _:kind rdfs:subClassOf ex:Super .
"""


def _store(data: str) -> OxigraphStore:
    store = OxigraphStore(None)
    store.engine.load(data.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH))
    return store


def _validate(store: OxigraphStore, monkeypatch: pytest.MonkeyPatch, shapes: str, **kw: object):
    asked, report = validate_recording(store, monkeypatch, shapes, GRAPH, **kw)
    return asked, {(f.focus_node, f.value) for f in report.findings}


def test_full_run_lists_the_classes_and_finds_what_the_walk_finds(monkeypatch) -> None:
    data = DATA.replace("ex:e ex:ref ex:anonymous . ex:anonymous a _:kind . _:kind", "#")
    asked, full = _validate(_store(data), monkeypatch, SHAPES)
    checks = [q for q in asked if q.startswith("SELECT DISTINCT") and f"<{EX}ref>" in q]
    assert len(checks) == 1 and SUBCLASS not in checks[0]
    assert f"IN (<{EX}Deep>, <{EX}Sub>, <{EX}Super>)" in checks[0]
    nodes = [ox.NamedNode(f"{EX}{n}") for n in "abcd"]
    _, incremental = _validate(_store(data), monkeypatch, SHAPES, focus_nodes=nodes)
    expected = {(f"{EX}c", f"{EX}other"), (f"{EX}d", f"{EX}untyped")}
    assert full == incremental == expected


def test_a_blank_node_below_the_class_keeps_the_walk(monkeypatch) -> None:
    asked, found = _validate(_store(DATA), monkeypatch, SHAPES)
    checks = [q for q in asked if q.startswith("SELECT DISTINCT") and f"<{EX}ref>" in q]
    assert len(checks) == 1 and SUBCLASS in checks[0] and " IN (" not in checks[0]
    assert found == {(f"{EX}c", f"{EX}other"), (f"{EX}d", f"{EX}untyped")}


def test_sparql_constraints_are_run_as_written(monkeypatch) -> None:
    # Here ?t is unbound: EXISTS holds (some class reaches ex:Super), a list test would fail.
    shapes = f"""
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    @prefix ex: <{EX}> .
    ex:Any a sh:NodeShape ; sh:targetSubjectsOf ex:ref ;
        sh:sparql [ sh:select \"\"\"
            SELECT $this WHERE {{ $this <{EX}ref> ?v .
                FILTER EXISTS {{ ?t {SUBCLASS} <{EX}Super> }} }}\"\"\" ] .
    """
    asked, found = _validate(_store(DATA), monkeypatch, shapes)
    assert {focus for focus, _ in found} == {f"{EX}{n}" for n in "abcde"}
    assert any(SUBCLASS in q for q in asked)


def test_a_class_without_subclasses_is_one_lookup(monkeypatch) -> None:
    shapes = SHAPES.replace("sh:class ex:Super", "sh:class ex:Deep")
    data = DATA + f"ex:f <{EX}ref> ex:deep2 . ex:deep2 a ex:Sub .\n"
    asked, found = _validate(_store(data), monkeypatch, shapes)
    checks = [q for q in asked if q.startswith("SELECT DISTINCT") and f"<{EX}ref>" in q]
    assert len(checks) == 1 and SUBCLASS not in checks[0]
    assert f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Deep> }}" in checks[0]
    assert {focus for focus, _ in found} == {f"{EX}{n}" for n in "acdef"}
