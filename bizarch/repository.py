"""The repository façade: a store plus the dataset convention (ontology graph + scenarios).

Why a façade: commands, web views and services talk about *scenarios* ("current", "target"),
not graph IRIs, and must never forget the ontology. This class owns that mapping:

* the ontology lives in its own graph (:data:`~bizarch.namespaces.ONTOLOGY_GRAPH`) and is
  (re)loaded automatically whenever the packaged ``ontology/bizarch.ttl`` differs from the copy
  in the store (compared as canonicalised RDF, so a version bump, an edit or a reformat that
  changes content all trigger a reload, and nothing else does);
* each scenario is one named graph ``urn:bizarch:scenario:<name>`` (or any IRI given in full);
* a query runs against ONE scenario plus the ontology by default (the scenario in the settings,
  ``current`` unless changed); ``scenario=ALL`` runs it against the union of every graph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from bizarch import resources
from bizarch.config import Settings
from bizarch.errors import NotFoundError, UserInputError
from bizarch.loading import collect_sources
from bizarch.namespaces import ONTOLOGY_GRAPH, SCENARIO_BASE, graph_kind, scenario_graph
from bizarch.store.base import GraphStore, QueryResult, RdfFormat, Term
from bizarch.store.parsing import ProgressCallback, parse_sources

ALL = "*"
"""Scenario value meaning "the union of every graph" (all scenarios and the ontology)."""

_SHORT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


@dataclass(frozen=True)
class ScenarioGraph:
    """A scenario graph: its short name (or full IRI when outside the base), IRI, size.

    The bare graph; :func:`bizarch.scenarios.list_scenarios` adds what the scenario's own
    description says (label, kind, date, status)."""

    name: str
    graph: str
    triples: int


@dataclass(frozen=True)
class LoadReport:
    """What a load did: documents read, quads added, target graph."""

    documents: int
    quads: int
    graph: str


def resolve_scenario(name_or_iri: str) -> str:
    """Graph IRI of a scenario given by short name (``current``) or full IRI; validated."""
    text = name_or_iri.strip()
    if ":" not in text and not _SHORT_NAME.match(text):
        raise UserInputError(
            f"'{name_or_iri}' is not a scenario name.",
            hint="Use letters, digits, '-', '_' or '.', or give a full graph IRI.",
        )
    graph = scenario_graph(text)
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise UserInputError(f"'{name_or_iri}' is not a valid graph IRI: {exc}") from None
    return graph


def short_name(graph: str) -> str:
    """``current`` for ``urn:bizarch:scenario:current``; other IRIs unchanged."""
    return graph[len(SCENARIO_BASE) :] if graph.startswith(SCENARIO_BASE) else graph


def packaged_ontology() -> list[ox.Quad]:
    """The packaged ontology as quads in the ontology graph (empty if not shipped yet)."""
    path = resources.ontology_file()
    if not path.is_file():
        return []
    from bizarch.store.base import RdfSource

    return parse_sources([RdfSource.from_path(path, RdfFormat.TURTLE)], ONTOLOGY_GRAPH)


def same_graph(left: Sequence[ox.Quad], right: Sequence[ox.Quad]) -> bool:
    """Whether two sets of quads are the same RDF (blank nodes compared canonically)."""
    if len(left) != len(right):
        return False
    a, b = ox.Dataset(left), ox.Dataset(right)
    a.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    b.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return a == b


class Repository:
    """A :class:`GraphStore` seen through the dataset convention."""

    def __init__(self, store: GraphStore, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()

    # -- ontology ------------------------------------------------------------------------------

    def ensure_ontology(self) -> bool:
        """Load or upgrade the ontology graph; ``True`` when it was (re)written."""
        packaged = packaged_ontology()
        if not packaged:
            return False
        if self.store.count(ONTOLOGY_GRAPH) == len(packaged):
            stored = self._graph_quads(ONTOLOGY_GRAPH)
            if same_graph(stored, packaged):
                return False
        self.store.replace_graphs({ONTOLOGY_GRAPH: packaged})
        return True

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        from io import BytesIO

        buffer = BytesIO()
        self.store.export(buffer, RdfFormat.NTRIPLES, graph)
        node = ox.NamedNode(graph)
        return [
            ox.Quad(t.subject, t.predicate, t.object, node)
            for t in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES)
        ]

    # -- scenarios -------------------------------------------------------------------------------

    def scenarios(self) -> list[ScenarioGraph]:
        """Every named graph that holds a model state (not the ontology, reference data or
        inferences), sorted by IRI. Sizes every graph: use :meth:`scenario_exists` to check one."""
        return [
            ScenarioGraph(short_name(g.name), g.name, g.triples)
            for g in self.store.graphs()
            if graph_kind(g.name) == "scenario"
        ]

    def scenario_exists(self, name_or_iri: str) -> bool:
        """Whether the scenario's graph holds any triple (one ASK; no graph is sized)."""
        return self.store.has_graph(resolve_scenario(name_or_iri))

    def scenario_graph(self, name_or_iri: str | None, *, must_exist: bool = True) -> str:
        """Resolve a scenario (default: the settings' scenario) to its graph IRI.

        With ``must_exist``, an unknown scenario raises :class:`NotFoundError` naming the
        scenarios the store holds (only that error path lists and sizes the graphs)."""
        graph = resolve_scenario(name_or_iri or self.settings.scenario)
        if must_exist and not (graph_kind(graph) == "scenario" and self.store.has_graph(graph)):
            known = ", ".join(s.name for s in self.scenarios()) or "none yet"
            raise NotFoundError(
                f"No scenario '{short_name(graph)}' in this store.",
                hint=f"Known scenarios: {known}. Load one with 'bizarch load --scenario NAME'.",
            )
        return graph

    def default_graphs(
        self, scenario: str | None = None, *, ontology: bool = True
    ) -> list[str] | None:
        """The query dataset for a scenario: [scenario graph, ontology graph]; ``None`` = union.

        ``ontology=False`` leaves the vocabulary out, for queries that read only the model: the
        engine looks every triple pattern up once per graph of the default graph, so a
        lookup-bound query (a trace) costs about twice as much over two graphs as over one.
        """
        if scenario == ALL:
            return None
        graph = self.scenario_graph(scenario)
        return [graph, ONTOLOGY_GRAPH] if ontology else [graph]

    # -- operations -------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        scenario: str | None = None,
        bindings: Mapping[str, Term] | None = None,
        ontology: bool = True,
    ) -> QueryResult:
        """Run a query against one scenario (+ ontology), or every graph with ``ALL``."""
        graphs = self.default_graphs(scenario, ontology=ontology)
        return self.store.query(sparql, default_graphs=graphs, bindings=bindings)

    def load_files(
        self,
        paths: Sequence[str | Path],
        scenario: str | None = None,
        fmt: RdfFormat | None = None,
        *,
        stdin: IO[bytes] | None = None,
        progress: ProgressCallback | None = None,
        keep_named_graphs: bool = False,
    ) -> LoadReport:
        """Load files/folders/stdin into one scenario as ONE atomic change.

        With ``keep_named_graphs``, named graphs in TriG/N-Quads/JSON-LD keep their names (e.g. a
        generated file holding both scenarios) and only default-graph triples go to ``scenario``.
        """
        graph = self.scenario_graph(scenario, must_exist=False)
        sources = collect_sources(
            paths, fmt, stdin=stdin, max_bytes=self.settings.limits.max_upload_bytes
        )
        quads = self.store.load(sources, graph, progress, keep_named_graphs=keep_named_graphs)
        return LoadReport(len(sources), quads, graph)

    def export(self, out: IO[bytes], fmt: RdfFormat, scenario: str | None = None) -> None:
        """Export one scenario (stable output), or the whole dataset with ``ALL``."""
        graph = None if scenario == ALL else self.scenario_graph(scenario)
        self.store.export(out, fmt, graph)
