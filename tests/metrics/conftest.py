"""Fixtures of the metrics tests: a fresh in-memory store holding the ontology, and a loader
that puts small Turtle fixtures into a scenario graph."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bizarch import resources
from bizarch.namespaces import ONTOLOGY_GRAPH, scenario_graph
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore

FIXTURES = Path(__file__).parent / "fixtures"

Loader = Callable[..., None]


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    st = OxigraphStore()
    ontology = resources.ontology_file()
    st.load([RdfSource(ontology.name, ontology.read_bytes(), RdfFormat.TURTLE)], ONTOLOGY_GRAPH)
    yield st
    st.close()


@pytest.fixture
def load(store: OxigraphStore) -> Loader:
    """``load("claims.ttl", scenario="current")``: fixture files into one scenario graph."""

    def _load(*names: str, scenario: str = "current", text: str | None = None) -> None:
        sources = [
            RdfSource(name, (FIXTURES / name).read_bytes(), RdfFormat.TURTLE) for name in names
        ]
        if text is not None:
            sources.append(RdfSource("inline.ttl", text.encode(), RdfFormat.TURTLE))
        store.load(sources, scenario_graph(scenario))

    return _load
