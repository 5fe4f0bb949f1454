"""Run the named queries this area needs, with bound parameters, against one scenario.

The query-catalogue contract (``bizarch.queries.catalogue.Catalogue.run``) is built in another area;
until it is on main, this thin function reads ``queries/<name>.rq`` and runs it with the same
semantics (scenario ``None`` = ``current``; ``"*"`` = union of all graphs; parameters reach the
query only as bound RDF terms). It is the one place to switch over once the catalogue exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from pyoxigraph import NamedNode

from bizarch import resources
from bizarch.errors import NotFoundError, QueryError
from bizarch.namespaces import ONTOLOGY_GRAPH, SCENARIO_BASE, scenario_graph
from bizarch.store.base import GraphStore, SelectResult, Term

DEFAULT_SCENARIO = "current"


@cache
def _query_text(name: str) -> str:
    path = resources.queries_dir() / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"No query named '{name}' ({path.name} is missing).")
    return path.read_text(encoding="utf-8")


def scenario_iri(scenario: str | None) -> str:
    """Graph IRI of a scenario given by short name or IRI; ``None`` is the default scenario."""
    return scenario_graph(scenario or DEFAULT_SCENARIO)


def scenario_name(iri: str) -> str:
    """Short name of a scenario graph created under the default base, else the IRI itself."""
    return iri[len(SCENARIO_BASE) :] if iri.startswith(SCENARIO_BASE) else iri


def require_scenario(store: GraphStore, scenario: str | None) -> str:
    """The scenario's graph IRI; a clear error if the store holds no such graph."""
    iri = scenario_iri(scenario)
    names = {g.name for g in store.graphs()}
    if iri not in names:
        known = sorted(scenario_name(n) for n in names if n != ONTOLOGY_GRAPH)
        raise NotFoundError(
            f"Scenario '{scenario or DEFAULT_SCENARIO}' does not exist in the store.",
            hint=f"Known graphs: {', '.join(known) or 'none'}.",
        )
    return iri


def run_select(
    store: GraphStore,
    name: str,
    params: Mapping[str, Term | None] | None = None,
    *,
    scenario: str | None = None,
) -> SelectResult:
    """Run the SELECT query ``name`` with ``params`` bound, the scenario as default graph."""
    default_graphs = None if scenario == "*" else [scenario_iri(scenario), ONTOLOGY_GRAPH]
    bindings = {k: v for k, v in (params or {}).items() if v is not None}
    result = store.query(_query_text(name), default_graphs=default_graphs, bindings=bindings)
    if not isinstance(result, SelectResult):
        raise QueryError(f"Query '{name}' is not a SELECT query.")
    return result


def iri(value: str) -> NamedNode:
    """An IRI term for binding (a ValueError on a malformed IRI is the caller's to report)."""
    return NamedNode(value)
