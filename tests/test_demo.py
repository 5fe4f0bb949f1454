"""The demo loader: scenario folders become scenario graphs, shared files go into each."""

from __future__ import annotations

from pathlib import Path

import pytest

from bizarch import resources
from bizarch.demo import demo_scenarios, load_demo
from bizarch.errors import NotFoundError, RdfSyntaxError
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.store.oxigraph_store import OxigraphStore

PREFIXES = (
    "@prefix ba: <https://w3id.org/bizarch/ontology#> .\n"
    "@prefix mm: <https://data.meridian-mutual.example/id/> .\n"
)


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    for folder in ("shared", "current", "target", "transition-2026"):
        (root / folder).mkdir(parents=True)
    (root / "shared" / "org.ttl").write_text(PREFIXES + "mm:finance a ba:OrganizationUnit .\n")
    (root / "current" / "model.ttl").write_text(
        PREFIXES + "<urn:bizarch:scenario:current> a ba:Scenario ; ba:scenarioKind ba:Baseline .\n"
    )
    (root / "target" / "model.ttl").write_text(
        PREFIXES + "<urn:bizarch:scenario:target> a ba:Scenario ; ba:scenarioKind ba:Target .\n"
        "mm:claims a ba:Capability .\n"
    )
    (root / "transition-2026" / "model.ttl").write_text(PREFIXES + "mm:x a ba:Capability .\n")
    return root


def test_every_scenario_folder_gets_its_graph_with_shared_files(demo_dir: Path) -> None:
    scenarios = demo_scenarios(demo_dir)
    assert [s.name for s in scenarios] == ["current", "target", "transition-2026"]
    assert [p.name for p in scenarios[0].files] == ["org.ttl", "model.ttl"]
    store = OxigraphStore(None)
    counts = load_demo(store, demo_dir)
    assert counts == {
        "urn:bizarch:scenario:current": 3,
        "urn:bizarch:scenario:target": 4,
        "urn:bizarch:scenario:transition-2026": 2,
    }
    assert store.count(ONTOLOGY_GRAPH) > 500
    assert load_demo(store, demo_dir) == counts  # running again refreshes, never duplicates


def test_a_broken_demo_file_changes_nothing(demo_dir: Path) -> None:
    store = OxigraphStore(None)
    load_demo(store, demo_dir)
    before = store.count()
    (demo_dir / "target" / "broken.ttl").write_text("mm:oops a .\n")
    with pytest.raises(RdfSyntaxError, match="broken"):
        load_demo(store, demo_dir)
    assert store.count() == before


def test_missing_demo_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="demo"):
        demo_scenarios(tmp_path / "nothing")


def test_the_shipped_demo_loads() -> None:
    if not resources.demo_dir().is_dir():
        pytest.skip("the demo enterprise (data/demo) has not landed on this branch yet")
    store = OxigraphStore(None)
    counts = load_demo(store)
    assert {"urn:bizarch:scenario:current", "urn:bizarch:scenario:target"} <= set(counts)
    assert all(n > 50 for n in counts.values())
