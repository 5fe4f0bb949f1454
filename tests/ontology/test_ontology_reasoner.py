"""HermiT (through owlready2) finds the ontology, and the ontology with each demo scenario,
consistent; an element typed with two disjoint classes makes it inconsistent.

owlready2 reads N-Triples, not Turtle, so the graphs are converted with rdflib first.
``xsd:date`` is outside OWL 2's datatype map, hence ``ignore_unsupported_datatypes=True``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import owlready2
import pytest
from rdflib import OWL, RDF, Graph, Namespace

from bizarch import namespaces

BA = Namespace(namespaces.BA)
MM = Namespace(namespaces.DEMO)

pytestmark = [
    pytest.mark.java,
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="HermiT needs a Java runtime: install the Debian package default-jre-headless",
    ),
]


def run_hermit(graph: Graph, workdir: Path) -> float:
    """Run HermiT over ``graph``; return the seconds it took. Raises
    ``owlready2.OwlReadyInconsistentOntologyError`` when the graph is inconsistent."""
    data = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:  # owlready2 would follow imports over the network
            data.add(triple)
    path = workdir / "model.nt"
    data.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    try:
        world.get_ontology(path.as_uri()).load()
        started = time.perf_counter()
        owlready2.sync_reasoner_hermit(world, ignore_unsupported_datatypes=True, debug=0)
        elapsed = time.perf_counter() - started
        assert not list(world.inconsistent_classes()), "unsatisfiable classes found"
        return elapsed
    finally:
        world.close()


def test_ontology_alone_is_consistent(ontology_graph: Graph, tmp_path: Path) -> None:
    run_hermit(ontology_graph, tmp_path)


@pytest.fixture(scope="module")
def demo_runs(
    ontology_graph: Graph, demo_graphs: dict[str, Graph], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[float]]]:
    """HermiT over ontology + each scenario, the scenarios side by side (each run is a separate
    single-threaded Java process, about a minute each on the demo)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {
            name: pool.submit(
                run_hermit, ontology_graph + graph, tmp_path_factory.mktemp(f"hermit-{name}")
            )
            for name, graph in demo_graphs.items()
        }


@pytest.mark.parametrize("scenario", ["current", "target"])
def test_ontology_with_demo_scenario_is_consistent(
    scenario: str, demo_runs: dict[str, Future[float]]
) -> None:
    seconds = demo_runs[scenario].result()
    print(f"HermiT, ontology + demo {scenario}: {seconds:.1f} s")


DISJOINT_FIXTURES = {
    "capability-and-process": [
        (MM["cap-or-process"], RDF.type, BA.Capability),
        (MM["cap-or-process"], RDF.type, BA.BusinessProcess),
    ],
    # ba:realizedBy's range makes the application a business process, and those are disjoint
    "application-realizing-a-capability": [
        (MM["app-x"], RDF.type, BA.Application),
        (MM["cap-x"], BA.realizedBy, MM["app-x"]),
    ],
}


@pytest.mark.parametrize("name", sorted(DISJOINT_FIXTURES))
def test_disjoint_classes_make_the_model_inconsistent(
    name: str, ontology_graph: Graph, tmp_path: Path
) -> None:
    graph = ontology_graph + Graph()
    for triple in DISJOINT_FIXTURES[name]:
        graph.add(triple)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        run_hermit(graph, tmp_path)
