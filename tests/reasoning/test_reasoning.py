"""``bizarch reason``: HermiT's verdict on a scenario, explained in plain words; OWL RL too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch import reasoning
from bizarch.cli import main
from bizarch.demo import load_demo
from bizarch.repository import Repository
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore

CURRENT = "urn:bizarch:scenario:current"
BA = "https://w3id.org/bizarch/ontology#"
MM = "https://data.meridian-mutual.example/id/"

CONTRADICTIONS = b"""
@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix mm: <https://data.meridian-mutual.example/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/extra> owl:imports <http://example.invalid/must-never-be-fetched> .
mm:app-claimsone a ba:Capability .
mm:cap-claim-triage ba:tier 2 .
mm:app-claimsone ba:lifecycleStatus ba:Retyred .
"""

java = pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime")


def _store(extra: bytes = b"") -> OxigraphStore:
    store = OxigraphStore(None)
    load_demo(store)
    if extra:
        store.load([RdfSource("extra.ttl", extra, RdfFormat.TURTLE)], CURRENT)
    return store


@pytest.mark.java
@java
def test_the_demo_enterprise_is_consistent() -> None:
    with _store() as store:
        report = reasoning.check_consistency(store, CURRENT)
    assert report.consistent and report.explanations == []
    assert report.triples > 9000


@pytest.mark.java
@java
def test_an_inconsistency_is_explained_in_plain_words() -> None:
    with _store(CONTRADICTIONS) as store:
        report = reasoning.check_consistency(store, CURRENT)
    assert not report.consistent and report.explained
    by_kind = {e.kind: e for e in report.explanations}
    disjoint = by_kind["disjoint classes"]
    assert disjoint.element == MM + "app-claimsone" and disjoint.certain
    assert {BA + "Application", BA + "Capability"} <= set(disjoint.terms)
    assert "'ClaimsOne'" in disjoint.sentence and "disjoint" in disjoint.sentence
    implied = by_kind["property implies another kind"]
    assert BA + "supportedBy" in implied.terms and "'supported by'" in implied.sentence
    twice = by_kind["two values where one is allowed"]
    assert twice.element == MM + "cap-claim-triage" and "'tier'" in twice.sentence
    suspect = by_kind["value outside the code list"]
    assert not suspect.certain and BA + "Retyred" in suspect.terms


@pytest.mark.java
@java
def test_an_unexplained_inconsistency_is_reported_honestly(runner, tmp_path: Path) -> None:
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    nothing = f"<{MM}app-claimsone> {rdf_type} <http://www.w3.org/2002/07/owl#Nothing> .\n"
    extra = tmp_path / "nothing.nt"
    extra.write_text(nothing, encoding="utf-8")
    assert runner.invoke(main, ["demo"]).exit_code == 0
    assert runner.invoke(main, ["load", "-s", "current", str(extra)]).exit_code == 0
    result = runner.invoke(main, ["reason", "-f", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["consistent"] is False and data["explained"] is False
    result = runner.invoke(main, ["reason"])
    assert "INCONSISTENT" in result.output and "none of bizarch's explanations" in result.output


def test_without_java_the_message_names_the_debian_package(runner, monkeypatch, tmp_path) -> None:
    assert runner.invoke(main, ["demo"]).exit_code == 0
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no java on it
    result = runner.invoke(main, ["reason"])
    assert result.exit_code == 1
    assert "default-jre-headless" in result.output and "Traceback" not in result.output


def test_owl_rl_inferences_go_to_their_own_graph() -> None:
    model = b"""
@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix ex: <https://example.org/m/> .
ex:vs a ba:ValueStream ; ba:hasStage ex:stage ; ba:ownedBy ex:unit .
ex:stage a ba:ValueStreamStage .
ex:unit a ba:OrganizationUnit .
"""
    with OxigraphStore(None) as store:
        Repository(store).ensure_ontology()
        store.load([RdfSource("m.ttl", model, RdfFormat.TURTLE)], CURRENT)
        before = store.count(CURRENT)
        first = reasoning.materialise(store, CURRENT)
        second = reasoning.materialise(store, CURRENT)
        inferred = set(store.engine.quads_for_pattern(None, None, None, ox.NamedNode(first.graph)))
        assert store.count(CURRENT) == before  # asserted data untouched
        scenarios = [info.graph for info in Repository(store).scenarios()]
    assert scenarios == [CURRENT]  # the inferred graph is not a scenario
    assert first.graph == "urn:bizarch:inferred:current"
    assert first.triples == second.triples == len(inferred) > 0  # replaced, not piled up
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in inferred}
    ex = "https://example.org/m/"
    assert (ex + "stage", BA + "stageOf", ex + "vs") in triples  # inverse property
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert (ex + "vs", rdf_type, BA + "ArchitectureElement") in triples  # superclass
    assert (ex + "unit", BA + "owns", ex + "vs") in triples
