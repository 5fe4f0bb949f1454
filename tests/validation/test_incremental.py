"""Incremental validation reports exactly what a full validation reports, after any edit.

The demo enterprise is edited at random (seeded): a triple deleted, a literal changed, an element
retyped, a bogus link added, plus a SPARQL update and a load. After each edit the incremental
report must equal a full validation of the edited store, finding key for finding key.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from bizarch.demo import load_demo
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.incremental import IncrementalValidator
from bizarch.validation.sparql_engine import ENGINE

SCENARIO = "urn:bizarch:scenario:current"
BA = "https://w3id.org/bizarch/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
CLASSES = ["Capability", "Application", "ValueStream", "ValueStreamStage", "Activity", "KPI"]
LINKS = ["ownedBy", "enabledBy", "supportedBy", "hasStage", "nextStage", "parentCapability"]


@pytest.fixture(scope="module")
def validator(library) -> Iterator[IncrementalValidator]:
    with OxigraphStore() as store:
        load_demo(store)
        validator = IncrementalValidator(store, SCENARIO, library.select(None))
        validator.full()
        yield validator


def _quads(store: OxigraphStore) -> list[ox.Quad]:
    return sorted(store.engine.quads_for_pattern(None, None, None, ox.NamedNode(SCENARIO)), key=str)


def _edit(rng: random.Random, store: OxigraphStore, kind: str) -> tuple[list, list]:
    graph = ox.NamedNode(SCENARIO)
    quads = _quads(store)
    subjects = sorted({q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}, key=str)
    if kind == "delete":
        return [], [rng.choice(quads)]
    if kind == "literal":
        old = rng.choice([q for q in quads if isinstance(q.object, ox.Literal)])
        if rng.random() < 0.5:
            new = ox.Literal(str(rng.choice([-5, 0, 3, 150, 7.5])), datatype=DECIMAL)
        else:
            new = ox.Literal("Manage " + old.object.value)
        return [ox.Quad(old.subject, old.predicate, new, graph)], [old]
    if kind == "retype":
        element = rng.choice(subjects)
        old = list(store.engine.quads_for_pattern(element, RDF_TYPE, None, graph))
        new = ox.Quad(element, RDF_TYPE, ox.NamedNode(BA + rng.choice(CLASSES)), graph)
        return [new], old
    link = ox.NamedNode(BA + rng.choice(LINKS))
    return [ox.Quad(rng.choice(subjects), link, rng.choice(subjects), graph)], []


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_match_a_full_validation(validator, seed) -> None:
    rng = random.Random(seed)
    store = validator.store
    for kind in (
        "delete",
        "literal",
        "retype",
        "link",
        *rng.choices(["delete", "literal", "retype", "link"], k=3),
    ):
        added, removed = _edit(rng, store, kind)
        incremental = validator.apply(added=added, removed=removed)
        full = ENGINE.validate(store, SCENARIO, validator.ruleset)
        assert incremental.keys() == full.keys(), (kind, added, removed)


def test_an_edit_rechecks_only_what_it_can_affect(validator) -> None:
    store = validator.store
    capability = next(
        q.subject
        for q in _quads(store)
        if q.predicate == RDF_TYPE and q.object == ox.NamedNode(BA + "Capability")
    )
    graph = ox.NamedNode(SCENARIO)
    maturity = ox.NamedNode(BA + "currentMaturity")
    old = list(store.engine.quads_for_pattern(capability, maturity, None, graph))
    new = ox.Quad(capability, maturity, ox.Literal("9", datatype=DECIMAL), graph)
    report = validator.apply(added=[new], removed=old)
    value = '"9"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    found = report.keys()
    assert ("STR-003", capability.value, BA + "currentMaturity", value) in found
    rechecked = validator.last.nodes
    assert rechecked and all(nodes is not None for nodes in rechecked.values())
    assert {node for nodes in rechecked.values() for node in nodes} == {capability.value}
    assert report.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()
    validator.apply(added=old, removed=[new])


def test_updates_and_loads_are_rechecked_too(validator) -> None:
    store = validator.store
    stage = next(
        q.subject
        for q in _quads(store)
        if q.predicate == RDF_TYPE and q.object == ox.NamedNode(BA + "ValueStreamStage")
    )
    update = f"DELETE WHERE {{ GRAPH <{SCENARIO}> {{ {stage} <{BA}entranceCriterion> ?c }} }}"
    report = validator.apply_update(update)
    assert report.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()
    assert any(f.focus_node == stage.value for f in report.findings)
    document = f'{stage} <{BA}entranceCriterion> "Claim form received"@en .'.encode()
    report = validator.apply_load([RdfSource("fix.nt", document, RdfFormat.NTRIPLES)])
    assert report.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()


def test_the_first_and_last_focus_node_of_a_shape_are_rechecked(validator) -> None:
    """A shape with no focus node in the model is skipped by one ASK over the old and new state
    together: adding its first focus node, and removing it again, still change its findings."""
    store = validator.store
    graph = ox.NamedNode(SCENARIO)
    assert not any(f.rule_id == "AM-001" for f in validator.report().findings)
    role = next(
        q.subject
        for q in _quads(store)
        if q.predicate == RDF_TYPE and q.object == ox.NamedNode(BA + "Role")
    )
    unit = next(
        q.subject
        for q in _quads(store)
        if q.predicate == RDF_TYPE and q.object == ox.NamedNode(BA + "OrganizationUnit")
    )
    relationship = ox.NamedNode("https://example.org/case/r-assignment")
    kind = ox.Literal("Assignment")
    added = [
        ox.Quad(relationship, RDF_TYPE, ox.NamedNode(BA + "ArchimateRelationship"), graph),
        ox.Quad(relationship, ox.NamedNode(BA + "relationshipType"), kind, graph),
        ox.Quad(relationship, ox.NamedNode(BA + "source"), role, graph),
        ox.Quad(relationship, ox.NamedNode(BA + "target"), unit, graph),
    ]
    report = validator.apply(added=added)
    assert report.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()
    assert {f.focus_node for f in report.findings if f.rule_id == "AM-001"} == {relationship.value}
    report = validator.apply(removed=added)
    assert not any(f.rule_id == "AM-001" for f in report.findings)
    assert report.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()


def test_the_full_run_is_shared_with_a_forked_process(library, monkeypatch) -> None:
    """On a large in-memory store the first, full run shares its shapes with a forked process
    and keeps every shape's findings apart, so later edits replace the right ones."""
    import contextlib

    from bizarch.validation import parallel, sparql_engine

    monkeypatch.setattr(sparql_engine, "PARALLEL_MIN_QUADS", 0)
    with OxigraphStore() as store:
        load_demo(store)
        validator = IncrementalValidator(store, SCENARIO, library.select(None))
        report = validator.full(fork_guard=contextlib.nullcontext())
        assert parallel.last_share.forked and parallel.last_share.child_returned
        assert parallel.last_share.child_tasks > 0
        assert report.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()
        assert report.findings  # the demo's intended warnings
        rng = random.Random(11)
        for kind in ("retype", "delete", "literal", "link"):
            added, removed = _edit(rng, store, kind)
            edited = validator.apply(added=added, removed=removed)
            assert edited.keys() == ENGINE.validate(store, SCENARIO, validator.ruleset).keys()
