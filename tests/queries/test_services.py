"""trace, impact and gaps services on the demo, and the CLI commands over a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from bizarch.cli import main
from bizarch.errors import NotFoundError
from bizarch.gaps import find_gaps
from bizarch.impact import impact
from bizarch.namespaces import BA, DEMO
from bizarch.repository import Repository
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.trace import trace_down, trace_up

STRATEGY = DEMO + "strat-digital-claims"


def test_trace_down_then_up_returns_to_the_start(demo_repo: Repository) -> None:
    down = trace_down(demo_repo, "Digital-first claims")
    assert down.root.element == STRATEGY
    kinds = {node.cls for node in down.root.walk()}
    for cls in ("Objective", "ValueStream", "ValueStreamStage", "Capability", "Application"):
        assert BA + cls in kinds
    leaves = [n for n in down.root.walk() if n.cls == BA + "Application"]
    assert DEMO + "app-guidewire-claimcenter" in {n.element for n in leaves}
    for leaf in leaves[:5]:
        assert STRATEGY in trace_up(demo_repo, ox.NamedNode(leaf.element)).elements(), leaf.label


def test_impact_of_retiring_claimsone(demo_repo: Repository) -> None:
    report = impact(demo_repo, "ClaimsOne")
    layers = report.by_layer()
    assert list(layers)[:4] == ["strategy", "value", "capability", "operations"]
    assessment = report.get(DEMO + "cap-claims-assessment")
    assert assessment is not None and assessment.path[0].source == DEMO + "app-claimsone"
    assert [e.relation for e in assessment.path] == [BA + "supportsCapability"]
    edw = report.get(DEMO + "app-enterprise-data-warehouse")
    assert edw is not None and edw.severity == "medium" and edw.reason == "loses a data feed"
    kpi = report.get(DEMO + "kpi-claim-lead-time")
    assert kpi is not None and kpi.severity == "high"
    for hit in report.hits:  # every path starts at ClaimsOne and ends at the hit
        assert hit.path[0].source == report.start and hit.path[-1].target == hit.element


def test_stage_whose_only_enabler_loses_support_is_critical(fresh_demo: OxigraphStore) -> None:
    repo = Repository(fresh_demo)
    fresh_demo.update(
        "PREFIX ba: <https://w3id.org/bizarch/ontology#> PREFIX mm: <" + DEMO + "> "
        "INSERT DATA { GRAPH <urn:bizarch:scenario:current> { "
        "mm:app-x a ba:Application ; ba:supportsCapability mm:cap-x . "
        "mm:cap-x a ba:Capability ; ba:strategicImportance ba:High . "
        "mm:stage-x a ba:ValueStreamStage ; ba:enabledBy mm:cap-x . } }"
    )
    report = impact(repo, "mm:app-x")
    assert report.get(DEMO + "cap-x").severity == "critical"
    assert report.get(DEMO + "stage-x").severity == "critical"


def test_gaps_find_a_planted_gap(fresh_demo: OxigraphStore) -> None:
    fresh_demo.update(
        "PREFIX ba: <https://w3id.org/bizarch/ontology#> PREFIX mm: <" + DEMO + "> "
        "INSERT DATA { GRAPH <urn:bizarch:scenario:current> { "
        "mm:vs-lonely a ba:ValueStream . mm:app-unowned a ba:Application ; "
        "ba:supportsCapability mm:cap-claim-triage . } }"
    )
    found = {g.name: g for g in find_gaps(Repository(fresh_demo))}
    assert len(found) == 9
    lonely = [
        r["element"].value for r in found["gaps/value-streams-without-objective"].result.dicts()
    ]
    assert lonely == [DEMO + "vs-lonely"]
    unowned = [r["element"].value for r in found["gaps/applications-without-owner"].result.dicts()]
    assert unowned == [DEMO + "app-unowned"]


def test_unknown_element_is_a_clear_error(demo_repo: Repository) -> None:
    with pytest.raises(NotFoundError, match="not in the scenario"):
        impact(demo_repo, "mm:nothing-here")


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["--store", str(path), "demo"])
    assert result.exit_code == 0, result.output
    return path


def _run(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    return result.exit_code, result.output


def test_cli_commands(cli_store: Path) -> None:
    code, out = _run(cli_store, "queries")
    assert code == 0 and "impact/element" in out and "-p element=<iri>" in out
    code, out = _run(
        cli_store, "query", "lookup/search", "-p", "text=ClaimsOne", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)["results"]["bindings"]
    assert rows[0]["element"]["value"] == DEMO + "app-claimsone" and len(rows) == 4
    code, out = _run(cli_store, "trace", "Digital-first claims", "--down")
    assert code == 0 and out.startswith("Digital-first claims [ba:Strategy]")
    assert "Settle Claim [ba:ValueStream]" in out
    code, out = _run(cli_store, "trace", "ClaimsOne")
    assert code == 0 and "Digital-first claims [ba:Strategy]" in out
    code, out = _run(cli_store, "impact", "ClaimsOne")
    assert code == 0 and "\ncapability (" in out and "[high] Claim settlement lead time" in out
    assert "path: ClaimsOne -ba:supportsCapability- Claims Assessment" in out
    code, out = _run(cli_store, "gaps")
    assert code == 0 and "gaps/redundant-applications: 6" in out and "Quote Generation" in out


def test_cli_errors_are_one_line(cli_store: Path) -> None:
    code, out = _run(cli_store, "impact", "Claim Triage")
    assert code == 1 and "mm:cap-claim-triage" in out and "Traceback" not in out
    code, out = _run(cli_store, "query", "lookup/element", "-p", "element=> } ; DROP ALL ; #")
    assert code == 1 and "No element" in out
    code, out = _run(cli_store, "query", "trace/up")
    assert code == 1 and "needs the parameter 'element'" in out
