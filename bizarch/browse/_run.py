"""Runs one named query of ``queries/`` for the browsing services.

Stand-in with the same call shape as the query catalogue's ``Catalogue.run(store, name, params,
scenario=...)`` (issue: query catalogue); replaced by it once the catalogue is on main. Values
reach the query only as bound RDF terms (engine substitutions), never as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from bizarch import resources
from bizarch.errors import NotFoundError
from bizarch.namespaces import ONTOLOGY_GRAPH, scenario_graph
from bizarch.store.base import GraphStore, QueryResult, Term


@cache
def query_text(name: str) -> str:
    """Text of ``queries/<name>.rq`` (its ``#+`` header is a comment to the engine)."""
    path = resources.queries_dir() / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"No query named '{name}' in {resources.queries_dir()}.")
    return path.read_text(encoding="utf-8")


def default_graphs(scenario: str | None) -> list[str] | None:
    """Default graph for a scenario: its graph plus the ontology; ``"*"`` is the union of all."""
    if scenario == "*":
        return None
    return [scenario_graph(scenario or "current"), ONTOLOGY_GRAPH]


def run(
    store: GraphStore,
    name: str,
    params: Mapping[str, Term] | None = None,
    *,
    scenario: str | None = None,
) -> QueryResult:
    return store.query(
        query_text(name), default_graphs=default_graphs(scenario), bindings=dict(params or {})
    )
