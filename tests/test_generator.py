"""The model generator: deterministic, realistic, and speaking only the ontology's terms."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections import Counter

import pyoxigraph as ox
import pytest

from bizarch.errors import UserInputError
from bizarch.generator import CURRENT, TARGET, generate_quads, write_model
from bizarch.namespaces import BA
from bizarch.repository import packaged_ontology


@pytest.fixture(scope="module")
def store() -> ox.Store:
    engine = ox.Store()
    engine.extend(generate_quads(40_000, 3))
    return engine


def ask(store: ox.Store, query: str, graph: str = CURRENT) -> list[ox.QuerySolution]:
    prefixes = (
        "PREFIX ba: <https://w3id.org/bizarch/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    )
    return list(store.query(prefixes + query, default_graph=ox.NamedNode(graph)))


def test_same_seed_same_bytes_even_in_another_process() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write_model(first, 5_000, 11)
    write_model(second, 5_000, 11)
    assert first.getvalue() == second.getvalue()
    script = (
        "import sys; from bizarch.generator import write_model; "
        "write_model(sys.stdout.buffer, 5000, 11)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, env=env, timeout=60, check=True
    )
    assert other.stdout == first.getvalue()
    different = io.BytesIO()
    write_model(different, 5_000, 12)
    assert different.getvalue() != first.getvalue()


def test_size_follows_the_request() -> None:
    for wanted in (10_000, 40_000):
        got = sum(1 for _ in generate_quads(wanted, 1))
        assert 0.85 * wanted <= got <= 1.5 * wanted
    with pytest.raises(UserInputError, match="--triples"):
        next(generate_quads(10, 1))


def test_only_terms_declared_in_the_ontology(store: ox.Store) -> None:
    declared = {q.subject.value for q in packaged_ontology() if isinstance(q.subject, ox.NamedNode)}
    used = {
        term.value
        for quad in store
        for term in (quad.predicate, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(BA)
    }
    assert len(used) > 60
    assert used - declared == set()


def test_realistic_shape_in_both_scenarios(store: ox.Store) -> None:
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == [CURRENT, TARGET]
    types = Counter(
        s["t"].value.removeprefix(BA) for s in ask(store, "SELECT ?t WHERE { ?x a ?t }")
    )
    assert types["Capability"] == 80 and types["Application"] == 200
    assert types["BusinessProcess"] == 800 and types["ValueStream"] == 12
    assert types["Activity"] > 400 and types["Measurement"] > 100
    tiers = Counter(s["tier"].value for s in ask(store, "SELECT ?tier WHERE { ?c ba:tier ?tier }"))
    assert set(tiers) == {"1", "2", "3"} and tiers["3"] > tiers["2"] > tiers["1"]
    stages = ask(
        store,
        "SELECT ?vs (COUNT(?s) AS ?n) WHERE { ?vs ba:hasStage ?s } GROUP BY ?vs",
    )
    assert all(4 <= int(s["n"].value) <= 7 for s in stages)


def test_every_strategy_traces_down_to_applications(store: ox.Store) -> None:
    untraced = ask(
        store,
        "SELECT ?strategy WHERE { ?strategy a ba:Strategy . FILTER NOT EXISTS { "
        "?strategy ba:hasObjective ?o . ?vs ba:contributesTo ?o ; ba:hasStage ?stage . "
        "?stage ba:enabledBy ?cap . ?cap ba:realizedBy ?p . ?p ba:supportedBy ?app } }",
    )
    assert untraced == []
    no_owner = ask(
        store, "SELECT ?c WHERE { ?c a ba:Capability FILTER NOT EXISTS { ?c ba:ownedBy ?u } }"
    )
    assert no_owner == []
    bad_times = ask(
        store,
        "SELECT ?s WHERE { ?s ba:leadTime ?l ; ba:processTime ?p FILTER(?l < ?p) }",
        TARGET,
    )
    assert bad_times == []


def test_target_differs_from_current_where_it_should(store: ox.Store) -> None:
    def retired(graph: str) -> int:
        return len(ask(store, "SELECT ?a WHERE { ?a ba:lifecycleStatus ba:Retired }", graph))

    assert retired(CURRENT) == 0 < retired(TARGET)
    waste = "SELECT ?a WHERE { ?a ba:valueClassification ba:Waste }"
    assert len(ask(store, waste, CURRENT)) > 0
    assert ask(store, waste, TARGET) == []
    described = [
        (s["g"].value, s["k"].value)
        for g in (CURRENT, TARGET)
        for s in ask(store, "SELECT ?g ?k WHERE { ?g a ba:Scenario ; ba:scenarioKind ?k }", g)
    ]
    assert described == [(CURRENT, BA + "Baseline"), (TARGET, BA + "Target")]
