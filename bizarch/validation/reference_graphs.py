"""Reference data rules read (e.g. the ArchiMate relationship table), kept as graphs of the store.

Some rules compare the model with reference data (``dcterms:requires <https://w3id.org/bizarch/
shapes/archimate-relationships>``). pySHACL gets it mixed into its rdflib copy; the SPARQL engine
queries the store, so the data has to be a named graph there, like the ontology: the graph is named
by the IRI the rule requires and filled from ``shapes/reference/<name>.ttl`` when it is missing or
differs in size (a newer table). Scenario graphs are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from bizarch import resources
from bizarch.errors import BizarchError
from bizarch.namespaces import REFERENCE_BASE
from bizarch.store.base import GraphStore, RdfFormat, RdfSource


def reference_file(graph: str) -> Path:
    """The file of a reference graph (``.../shapes/<name>`` is ``shapes/reference/<name>.ttl``)."""
    if not graph.startswith(REFERENCE_BASE):
        raise ValueError(f"not a reference data graph: {graph}")
    return resources.shapes_dir() / "reference" / f"{graph[len(REFERENCE_BASE) :]}.ttl"


def ensure_reference_graphs(
    store: GraphStore, graphs: Iterable[str]
) -> tuple[list[str], str | None]:
    """Make each reference graph present in ``store``; returns (graphs present, problem).

    ``problem`` says why some graph could not be written (a read-only store, say); those graphs
    are left out of the returned list and the caller checks their rules another way.
    """
    present: list[str] = []
    problem = None
    for graph in sorted(set(graphs)):
        path = reference_file(graph)
        data = path.read_bytes()
        source = RdfSource(path.name, data, RdfFormat.TURTLE)
        try:
            expected = _triples(data)
            if store.count(graph) != expected:
                store.clear(graph)
                store.load([source], graph)
            present.append(graph)
        except BizarchError as exc:
            problem = f"reference data {graph} could not be stored: {exc.message}"
    return present, problem


def _triples(data: bytes) -> int:
    return sum(1 for _ in ox.parse(data, format=ox.RdfFormat.TURTLE))
