"""Every named query against its reviewed golden result on the demo, on every store backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from bizarch.demo import demo_quads, load_demo
from bizarch.queries.catalogue import Catalogue
from bizarch.queries.golden import DEMO_PARAMS, as_tsv, golden_dir, results
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.sparql_store import SparqlStore


def test_every_query_has_a_golden_file(catalogue: Catalogue) -> None:
    files = {
        p.relative_to(golden_dir()).with_suffix("").as_posix() for p in golden_dir().rglob("*.tsv")
    }
    assert files == set(catalogue.names())
    assert set(DEMO_PARAMS) <= set(catalogue.names())


def test_results_match_golden_on_memory_store(
    demo_store: OxigraphStore, catalogue: Catalogue
) -> None:
    for name, text in results(demo_store, catalogue).items():
        expected = (golden_dir() / f"{name}.tsv").read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file"


def test_golden_content_is_right_for_meridian_mutual(demo_store, catalogue: Catalogue) -> None:
    redundant = as_tsv(catalogue.run(demo_store, "gaps/redundant-applications"))
    assert '"Quote Generation"@en' in redundant and '"First Notice of Loss"@en' in redundant
    ending = as_tsv(catalogue.run(demo_store, "gaps/capabilities-on-ending-applications"))
    assert (
        '"Claims Assessment"@en\t<https://data.meridian-mutual.example/id/app-claimsone>' in ending
    )
    triage = catalogue.run(demo_store, "impact/capability", DEMO_PARAMS["impact/capability"])
    assert {row["enabler"].value.rsplit("/", 1)[1] for row in triage.dicts()} == {
        "cap-claim-triage",
        "cap-coverage-verification",
    }


@pytest.mark.parametrize("backend", ["disk", "remote"])
def test_same_results_on_every_backend(
    backend: str, demo_store: OxigraphStore, catalogue: Catalogue, tmp_path: Path, request
) -> None:
    if backend == "disk":
        store = OxigraphStore(tmp_path / "store")
        load_demo(store)
    else:
        store = request.getfixturevalue("remote_store")
        assert isinstance(store, SparqlStore)
        load_demo(store)
        assert set(demo_quads()) <= {g.name for g in store.graphs()}
    try:
        assert results(store, catalogue) == results(demo_store, catalogue)
    finally:
        if backend == "disk":
            store.close()
