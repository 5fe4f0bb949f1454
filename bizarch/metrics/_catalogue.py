"""Run the named queries this area needs, with bound parameters, against one scenario.

The query-catalogue contract (``bizarch.queries.catalogue.Catalogue.run``) is built in another area;
until it is on main, this thin function reads ``queries/<name>.rq`` and runs it with the same
semantics (scenario ``None`` = ``current``; ``"*"`` = union of all graphs; parameters reach the
query only as bound RDF terms). It is the one place to switch over once the catalogue exists.
Scenario names are resolved by :mod:`bizarch.repository`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from pyoxigraph import NamedNode

from bizarch import resources
from bizarch.errors import NotFoundError, QueryError
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.repository import ALL, Repository, resolve_scenario, short_name
from bizarch.store.base import GraphStore, SelectResult, Term

DEFAULT_SCENARIO = "current"


@cache
def _query_text(name: str) -> str:
    path = resources.queries_dir() / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"No query named '{name}' ({path.name} is missing).")
    return path.read_text(encoding="utf-8")


def scenario_name(iri: str) -> str:
    """Short name of a scenario graph created under the default base, else the IRI itself."""
    return short_name(iri)


def require_scenario(store: GraphStore, scenario: str | None) -> str:
    """The scenario's graph IRI (default ``current``); a clear error when it does not exist.

    Checked with a one-row query: listing the graphs counts every triple of the store."""
    graph = resolve_scenario(scenario or DEFAULT_SCENARIO)
    params = {"graph": NamedNode(graph)}
    if run_select(store, "metrics/graph-exists", params, scenario=ALL).rows:
        return graph
    return Repository(store).scenario_graph(scenario or DEFAULT_SCENARIO)  # raises, listing them


def run_select(
    store: GraphStore,
    name: str,
    params: Mapping[str, Term | None] | None = None,
    *,
    scenario: str | None = None,
) -> SelectResult:
    """Run the SELECT query ``name`` with ``params`` bound, the scenario as default graph."""
    if scenario == ALL:
        default_graphs = None
    else:
        default_graphs = [resolve_scenario(scenario or DEFAULT_SCENARIO), ONTOLOGY_GRAPH]
    bindings = {k: v for k, v in (params or {}).items() if v is not None}
    result = store.query(_query_text(name), default_graphs=default_graphs, bindings=bindings)
    if not isinstance(result, SelectResult):
        raise QueryError(f"Query '{name}' is not a SELECT query.")
    return result
