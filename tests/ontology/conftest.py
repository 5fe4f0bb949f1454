"""Fixtures for the ontology and demo-enterprise tests: the ontology and each demo scenario as
rdflib graphs (for traversal), and the demo loaded by the product's own loader into the embedded
store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from bizarch import resources
from bizarch.demo import load_demo
from bizarch.store.oxigraph_store import OxigraphStore

SCENARIOS = ("current", "target")


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
def demo_store() -> Iterator[OxigraphStore]:
    """The demo as ``bizarch demo`` stores it (in memory): the ontology in its named graph and
    each scenario in ``urn:bizarch:scenario:<name>``."""
    store = OxigraphStore(None)
    load_demo(store)
    yield store
    store.close()
