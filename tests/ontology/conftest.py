"""Fixtures for the ontology and demo-enterprise tests: the ontology and each demo scenario as
rdflib graphs (for traversal) and as one pyoxigraph dataset (the engine the product uses)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace

from bizarch import resources
from bizarch.namespaces import BA as BA_IRI
from bizarch.namespaces import DEMO, ONTOLOGY_GRAPH, scenario_graph

BA = Namespace(BA_IRI)
MM = Namespace(DEMO)
SCENARIOS = ("current", "target")
REPO_ROOT = Path(__file__).resolve().parents[2]


def demo_files(scenario: str) -> list[Path]:
    """The Turtle files making up one scenario graph: ``shared/`` plus the scenario's own folder."""
    demo = resources.demo_dir()
    return sorted((demo / "shared").glob("*.ttl")) + sorted((demo / scenario).glob("*.ttl"))


def load_graph(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def ontology_graph() -> Graph:
    return load_graph([resources.ontology_file()])


@pytest.fixture(scope="session")
def demo_graphs() -> dict[str, Graph]:
    """Each scenario of the demo as its own rdflib graph (shared files included)."""
    return {name: load_graph(demo_files(name)) for name in SCENARIOS}


@pytest.fixture(scope="session")
def demo_store() -> ox.Store:
    """An in-memory pyoxigraph dataset laid out as bizarch stores it: the ontology in its named
    graph and each scenario in ``urn:bizarch:scenario:<name>``."""
    store = ox.Store()
    store.load(
        path=str(resources.ontology_file()),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
    )
    for name in SCENARIOS:
        graph = ox.NamedNode(scenario_graph(name))
        for path in demo_files(name):
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store
