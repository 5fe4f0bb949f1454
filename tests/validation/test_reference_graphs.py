"""Reference data the SPARQL engine stores for its rules is system data, not a model scenario."""

from __future__ import annotations

from bizarch.namespaces import REFERENCE_BASE, graph_kind
from bizarch.repository import Repository
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.service import validate


def test_validation_stores_reference_data_outside_the_scenarios(
    small_store: OxigraphStore,
) -> None:
    repo = Repository(small_store)
    before = [s.graph for s in repo.scenarios()]
    validate(small_store, "current", rules="archimate", engine="sparql")
    graphs = [g.name for g in small_store.graphs()]
    reference = [g for g in graphs if g.startswith(REFERENCE_BASE)]
    assert reference, "the ArchiMate relationship table should be stored for the SPARQL engine"
    assert all(graph_kind(g) == "reference" for g in reference)
    assert [s.graph for s in repo.scenarios()] == before
