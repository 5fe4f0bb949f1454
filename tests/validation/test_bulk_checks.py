"""The set-oriented forms a full validation uses: same findings as the per-node forms, and the
cheap steps really replace the expensive ones (a count before a grouping, the disallowed
predicates before every statement)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bizarch.store.oxigraph_store import OxigraphStore
from tests.validation.conftest import validate_recording

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:OneName a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:maxCount 1 ] .
ex:Closed a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ex:name ) .
"""
EX = "https://example.org/"
GRAPH = "urn:test:data"


def _store(extra: str = "") -> OxigraphStore:
    store = OxigraphStore(None)
    data = "".join(f"<{EX}t{i}> a <{EX}Thing> ; <{EX}name> 'thing {i}' .\n" for i in range(20))
    store.engine.load((data + extra).encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH))
    return store


def _run(store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], set]:
    asked, report = validate_recording(store, monkeypatch, SHAPES, GRAPH)
    return asked, {(f.focus_node, f.path, f.value) for f in report.findings}


def test_a_sound_model_skips_the_grouping(monkeypatch: pytest.MonkeyPatch) -> None:
    asked, found = _run(_store(), monkeypatch)
    assert found == set()
    assert any(q.startswith("ASK") and "COUNT(DISTINCT" in q for q in asked)
    assert not any("HAVING" in q for q in asked)  # the count said no node has two names


def test_two_names_and_an_unknown_property_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = f"<{EX}t3> <{EX}name> 'another' . <{EX}t5> <{EX}colour> 'red' .\n"
    asked, found = _run(_store(extra), monkeypatch)
    assert any("HAVING" in q for q in asked)
    assert found == {
        (f"{EX}t3", f"{EX}name", None),
        (f"{EX}t5", f"{EX}colour", '"red"'),
    }


WIDGET_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Widgets a sh:NodeShape ; sh:targetClass ex:Widget ;
    sh:property [ sh:path ex:size ; sh:minCount 1 ] .
ex:Sized a sh:NodeShape ; sh:targetSubjectsOf ex:size ;
    sh:property [ sh:path ex:size ; sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ] .
"""


def _run_widgets(store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], set]:
    asked, report = validate_recording(store, monkeypatch, WIDGET_SHAPES, GRAPH)
    return asked, {(f.focus_node, f.path, f.value) for f in report.findings}


def test_shapes_without_focus_nodes_run_no_check(monkeypatch: pytest.MonkeyPatch) -> None:
    asked, found = _run_widgets(_store(), monkeypatch)  # things, no widget, no size
    assert found == set()
    assert [q for q in asked if q.startswith("SELECT")] == []  # only the two ASKs
    assert len([q for q in asked if q.startswith("ASK")]) == 2


def test_shapes_with_focus_nodes_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = f"<{EX}w1> a <{EX}Widget> . <{EX}w2> a <{EX}Widget> ; <{EX}size> 'big' .\n"
    asked, found = _run_widgets(_store(extra), monkeypatch)
    assert found == {
        (f"{EX}w1", f"{EX}size", None),
        (f"{EX}w2", f"{EX}size", '"big"'),
    }
    assert len([q for q in asked if q.startswith("SELECT")]) == 2


LANG_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:OneNamePerLanguage a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:uniqueLang true ] .
"""


def _run_lang(store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], set]:
    asked, report = validate_recording(store, monkeypatch, LANG_SHAPES, GRAPH)
    return asked, {(f.focus_node, f.path) for f in report.findings}


def test_one_name_each_skips_the_grouping_by_language(monkeypatch: pytest.MonkeyPatch) -> None:
    asked, found = _run_lang(_store(), monkeypatch)
    assert found == set()
    assert any(q.startswith("ASK") and "COUNT(DISTINCT" in q for q in asked)
    assert not any("HAVING" in q for q in asked)


def test_two_names_in_one_language_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = (
        f"<{EX}t3> <{EX}name> 'ding'@de . <{EX}t4> <{EX}name> 'chose'@fr , 'truc'@FR .\n"
        f"<{EX}t5> <{EX}name> 'one'@en , 'un'@fr .\n"
    )
    asked, found = _run_lang(_store(extra), monkeypatch)
    assert any("HAVING" in q for q in asked)
    assert found == {(f"{EX}t4", f"{EX}name")}
