"""Run the named queries of the measure services through the query catalogue.

One place for the measure services (metrics, KPIs, scenarios) to reach
:meth:`bizarch.queries.catalogue.Catalogue.run`: scenario ``None`` = ``current``, ``"*"`` = the
union of all graphs, parameters bound as RDF terms. It also checks a scenario's existence with a
one-row query (:func:`require_scenario`): the repository's own check sizes every graph of the
store, which costs a full scan per query on a large store.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import NamedNode

from bizarch.errors import QueryError
from bizarch.queries.catalogue import default_catalogue
from bizarch.repository import ALL, Repository, resolve_scenario, short_name
from bizarch.store.base import GraphStore, SelectResult, Term

DEFAULT_SCENARIO = "current"


class CheckedRepository(Repository):
    """A repository whose scenario existence check is one cheap query, done once per graph."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__(store)
        self._known: set[str] = set()

    def scenario_graph(self, name_or_iri: str | None, *, must_exist: bool = True) -> str:
        graph = resolve_scenario(name_or_iri or DEFAULT_SCENARIO)
        if not must_exist or graph in self._known:
            return graph
        found = default_catalogue().run(
            self, "metrics/graph-exists", {"graph": NamedNode(graph)}, scenario=ALL
        )
        if isinstance(found, SelectResult) and found.rows:
            self._known.add(graph)
            return graph
        return super().scenario_graph(name_or_iri, must_exist=True)  # raises, naming them


def scenario_name(iri: str) -> str:
    """Short name of a scenario graph created under the default base, else the IRI itself."""
    return short_name(iri)


def require_scenario(store: GraphStore, scenario: str | None) -> str:
    """The scenario's graph IRI (default ``current``); a clear error when it does not exist."""
    return CheckedRepository(store).scenario_graph(scenario or DEFAULT_SCENARIO)


def run_select(
    store: GraphStore,
    name: str,
    params: Mapping[str, Term | None] | None = None,
    *,
    scenario: str | None = None,
) -> SelectResult:
    """Run the SELECT query ``name`` with ``params`` bound, the scenario as default graph."""
    bindings = {k: v for k, v in (params or {}).items() if v is not None}
    result = default_catalogue().run(
        CheckedRepository(store), name, bindings, scenario=scenario or DEFAULT_SCENARIO
    )
    if not isinstance(result, SelectResult):
        raise QueryError(f"Query '{name}' is not a SELECT query.")
    return result
