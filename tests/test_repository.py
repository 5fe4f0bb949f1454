"""Repository façade: ontology graph kept current, scenario resolution, query datasets, export."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch import resources
from bizarch.errors import NotFoundError, UserInputError
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.repository import ALL, Repository, packaged_ontology, resolve_scenario
from bizarch.store.base import RdfFormat, SelectResult
from bizarch.store.oxigraph_store import OxigraphStore

MODEL = """@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix mm: <https://data.meridian-mutual.example/id/> .
mm:claims a ba:Capability ; rdfs:label "Claims" .
mm:policy a ba:Capability ; rdfs:label "Policy" ; ba:parentCapability mm:claims .
"""


@pytest.fixture
def repo() -> Repository:
    return Repository(OxigraphStore(None))


def test_ontology_is_loaded_once_and_reloaded_when_it_differs(repo: Repository) -> None:
    packaged = packaged_ontology()
    assert len(packaged) > 500
    assert repo.ensure_ontology() is True
    assert repo.store.count(ONTOLOGY_GRAPH) == len(packaged)
    version = repo.store.query(
        "SELECT ?v WHERE { ?o <http://www.w3.org/2002/07/owl#versionInfo> ?v }",
        default_graphs=[ONTOLOGY_GRAPH],
    )
    assert isinstance(version, SelectResult) and version.rows[0][0].value  # type: ignore[union-attr]
    assert repo.ensure_ontology() is False
    # a stale copy (an older release with a different version and one term less) is replaced
    repo.store.update(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "DELETE WHERE { GRAPH <https://w3id.org/bizarch/ontology> { ?o owl:versionInfo ?v } } ; "
        "INSERT DATA { GRAPH <https://w3id.org/bizarch/ontology> { "
        "<https://w3id.org/bizarch/ontology> owl:versionInfo '0.0.1' } }"
    )
    assert repo.ensure_ontology() is True
    assert repo.ensure_ontology() is False
    assert repo.store.count(ONTOLOGY_GRAPH) == len(packaged)


def test_ontology_file_is_found_through_resources() -> None:
    assert resources.ontology_file().name == "bizarch.ttl"
    assert resources.ontology_file().is_file()


def test_scenarios_resolve_by_short_name_or_iri(repo: Repository, tmp_path: Path) -> None:
    model = tmp_path / "m.ttl"
    model.write_text(MODEL)
    report = repo.load_files([model], "current")
    assert (report.documents, report.quads, report.graph) == (1, 5, "urn:bizarch:scenario:current")
    repo.load_files([model], "urn:example:plateau-2027")
    repo.ensure_ontology()
    assert [(s.name, s.triples) for s in repo.scenarios()] == [
        ("current", 5),
        ("urn:example:plateau-2027", 5),
    ]
    assert repo.scenario_graph("current") == "urn:bizarch:scenario:current"
    assert repo.scenario_graph(None) == "urn:bizarch:scenario:current"
    with pytest.raises(NotFoundError, match="Known scenarios: current"):
        repo.scenario_graph("target")
    # The ontology graph exists but is not a scenario.
    with pytest.raises(NotFoundError, match="No scenario"):
        repo.scenario_graph("https://w3id.org/bizarch/ontology")
    with pytest.raises(UserInputError):
        resolve_scenario("two words")


class _SizingCounter(OxigraphStore):
    """A real in-memory store that counts how often every graph is sized."""

    sized = 0

    def graphs(self):  # type: ignore[no-untyped-def]
        self.sized += 1
        return super().graphs()


def test_scenario_existence_is_checked_without_sizing_graphs(tmp_path: Path) -> None:
    store = _SizingCounter(None)
    repo = Repository(store)
    model = tmp_path / "m.ttl"
    model.write_text(MODEL)
    repo.load_files([model], "current")
    assert repo.scenario_exists("current") and not repo.scenario_exists("target")
    assert repo.scenario_graph("current") == "urn:bizarch:scenario:current"
    repo.query("ASK { ?s ?p ?o }", scenario="current")
    assert store.sized == 0
    with pytest.raises(NotFoundError) as error:  # only the error lists (and sizes) the graphs
        repo.scenario_graph("target")
    assert error.value.message == "No scenario 'target' in this store."
    assert error.value.hint is not None and error.value.hint.startswith("Known scenarios: current.")


def test_inferred_graphs_are_not_scenarios(repo: Repository, tmp_path: Path) -> None:
    model = tmp_path / "m.ttl"
    model.write_text(MODEL)
    repo.load_files([model], "current")
    repo.load_files([model], "urn:bizarch:inferred:current")
    assert [s.name for s in repo.scenarios()] == ["current"]


def test_queries_default_to_one_scenario_plus_ontology(repo: Repository, tmp_path: Path) -> None:
    model = tmp_path / "m.ttl"
    model.write_text(MODEL)
    repo.ensure_ontology()
    repo.load_files([model], "current")
    target = tmp_path / "t.ttl"
    target.write_text(MODEL.replace('"Claims"', '"Claims v2"'))
    repo.load_files([target], "target")
    q = (
        "SELECT ?label ?classLabel WHERE { <https://data.meridian-mutual.example/id/claims> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label ; a ?class . "
        "?class <http://www.w3.org/2000/01/rdf-schema#label> ?classLabel }"
    )
    current = repo.query(q)
    assert isinstance(current, SelectResult)
    assert {r[0].value for r in current.rows} == {"Claims"}  # type: ignore[union-attr]
    assert current.rows[0][1] is not None  # the class label comes from the ontology graph
    target_rows = repo.query(q, scenario="target")
    assert {r[0].value for r in target_rows.rows} == {"Claims v2"}  # type: ignore[union-attr]
    union = repo.query(q, scenario=ALL)
    assert {r[0].value for r in union.rows} == {"Claims", "Claims v2"}  # type: ignore[union-attr]


def test_export_twice_is_identical_and_round_trips(repo: Repository, tmp_path: Path) -> None:
    model = tmp_path / "m.ttl"
    model.write_text(MODEL + "mm:claims ba:note [ rdfs:label 'anonymous' ] .\n")
    repo.load_files([model], "current")
    first, second = io.BytesIO(), io.BytesIO()
    repo.export(first, RdfFormat.TURTLE, "current")
    repo.export(second, RdfFormat.TURTLE, "current")
    assert first.getvalue() == second.getvalue()
    text = first.getvalue().decode()
    assert text.startswith("@prefix ba: <https://w3id.org/bizarch/ontology#> .\n")
    assert "mm:claims a ba:Capability" in text
    again = Repository(OxigraphStore(None))
    reloaded = tmp_path / "export.ttl"
    reloaded.write_bytes(first.getvalue())
    again.load_files([reloaded], "current")
    third = io.BytesIO()
    again.export(third, RdfFormat.TURTLE, "current")
    assert third.getvalue() == first.getvalue()  # canonical blank nodes: same bytes after reload
    original = {q.triple for q in ox.parse(model.read_bytes(), format=ox.RdfFormat.TURTLE)}
    assert len({q.triple for q in again.store.quads("urn:bizarch:scenario:current")}) == len(
        original
    )


def test_whole_dataset_export_needs_a_dataset_syntax(repo: Repository) -> None:
    repo.ensure_ontology()
    with pytest.raises(UserInputError, match="several graphs"):
        repo.export(io.BytesIO(), RdfFormat.TURTLE, ALL)
    out = io.BytesIO()
    repo.export(out, RdfFormat.TRIG, ALL)
    assert f"<{ONTOLOGY_GRAPH}> {{".encode() in out.getvalue()
