"""The demo enterprise (Meridian Mutual) as a ready-made store.

Layout of ``data/demo`` (see ``resources.demo_dir()``): ``shared/`` holds files loaded into every
scenario; every other sub-folder is a scenario whose graph is ``urn:bizarch:scenario:<folder>``.
Tests and the web app reuse :func:`load_demo` so that everybody works on the same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bizarch import resources
from bizarch.errors import NotFoundError
from bizarch.loading import KNOWN_EXTENSIONS
from bizarch.namespaces import scenario_graph
from bizarch.repository import Repository
from bizarch.store.base import GraphStore, RdfFormat, RdfSource
from bizarch.store.parsing import parse_sources

SHARED = "shared"


@dataclass(frozen=True)
class DemoScenario:
    """One scenario of the demo: its name, graph IRI and the files that make it up."""

    name: str
    graph: str
    files: tuple[Path, ...]


def _rdf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_EXTENSIONS
    )


def demo_scenarios(demo_dir: Path | None = None) -> list[DemoScenario]:
    """Scenarios found under the demo folder, sorted by name, each with shared files first."""
    root = demo_dir or resources.demo_dir()
    if not root.is_dir():
        raise NotFoundError(f"The demo enterprise is missing (no folder {root}).")
    shared = _rdf_files(root / SHARED)
    scenarios = [
        DemoScenario(folder.name, scenario_graph(folder.name), tuple(shared + _rdf_files(folder)))
        for folder in sorted(root.iterdir())
        if folder.is_dir() and folder.name != SHARED and not folder.name.startswith(".")
    ]
    if not scenarios:
        raise NotFoundError(f"No scenario folders in the demo folder {root}.")
    return scenarios


def demo_quads(demo_dir: Path | None = None) -> dict[str, list[ox.Quad]]:
    """Parsed demo content per scenario graph (nothing written)."""
    contents: dict[str, list[ox.Quad]] = {}
    for scenario in demo_scenarios(demo_dir):
        sources = [
            RdfSource.from_path(p, RdfFormat.for_path(p) or RdfFormat.TURTLE)
            for p in scenario.files
        ]
        contents[scenario.graph] = parse_sources(sources, scenario.graph)
    return contents


def load_demo(store: GraphStore, demo_dir: Path | None = None) -> dict[str, int]:
    """Put the ontology and every demo scenario into ``store``; returns triples per graph.

    The scenario graphs are replaced in ONE atomic update, so running it again refreshes the
    demo without duplicating anything and a broken demo file changes nothing.
    """
    contents = demo_quads(demo_dir)
    Repository(store).ensure_ontology()
    store.replace_graphs(contents)
    return {graph: store.count(graph) for graph in contents}
