"""Run the named queries of the measure services through the query catalogue.

One place for the measure services (metrics, KPIs, scenarios) to reach
:meth:`bizarch.queries.catalogue.Catalogue.run`: scenario ``None`` = ``current``, ``"*"`` = the
union of all graphs, parameters bound as RDF terms. :func:`require_scenario` is the repository's
existence check (one ASK, no graph sized) with the measure services' default scenario.
"""

from __future__ import annotations

from collections.abc import Mapping

from bizarch.errors import QueryError
from bizarch.queries.catalogue import default_catalogue
from bizarch.repository import Repository, short_name
from bizarch.store.base import GraphStore, SelectResult, Term

DEFAULT_SCENARIO = "current"


def scenario_name(iri: str) -> str:
    """Short name of a scenario graph created under the default base, else the IRI itself."""
    return short_name(iri)


def require_scenario(store: GraphStore, scenario: str | None) -> str:
    """The scenario's graph IRI (default ``current``); a clear error when it does not exist."""
    return Repository(store).scenario_graph(scenario or DEFAULT_SCENARIO)


def run_select(
    store: GraphStore,
    name: str,
    params: Mapping[str, Term | None] | None = None,
    *,
    scenario: str | None = None,
) -> SelectResult:
    """Run the SELECT query ``name`` with ``params`` bound, the scenario as default graph."""
    bindings = {k: v for k, v in (params or {}).items() if v is not None}
    result = default_catalogue().run(store, name, bindings, scenario=scenario or DEFAULT_SCENARIO)
    if not isinstance(result, SelectResult):
        raise QueryError(f"Query '{name}' is not a SELECT query.")
    return result
