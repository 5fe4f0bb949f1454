"""``bizarch validate --store http://HOST:PORT/sparql``: the running server validates its store.

Against a real ``bizarch serve`` process on loopback (the ``live_server`` fixture: the demo on
disk, an endpoint capped at 500 rows and 0.5 s), with the CLI as a separate process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bizarch.errors import QueryError
from bizarch.store import OxigraphStore
from bizarch.store.sparql_store import SparqlStore
from bizarch.validation.remote import api_address, validate_remotely
from bizarch.validation.service import run_validation
from tests.web.live import LiveServer


def bizarch(store: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bizarch", "--store", store, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _findings(document: dict[str, object]) -> list[tuple[str, str, str | None]]:
    rows = document["findings"]
    assert isinstance(rows, list)
    return sorted((f["rule_id"], f["focus_node"], f["path"]) for f in rows)


def test_the_server_validates_for_the_cli(
    live_server: LiveServer, demo_store: OxigraphStore
) -> None:
    """Same findings as a validation of the demo in this process; the demo's intended warnings
    pass without --strict and fail with it."""
    served = bizarch(live_server.endpoint, "validate", "--format", "json")
    assert served.returncode == 0, served.stderr
    assert served.stderr == f"bizarch: validated by the server at {live_server.base}.\n"
    document = json.loads(served.stdout)
    local = run_validation(demo_store, "current").report.findings
    expected = sorted((f.rule_id, f.focus_node, f.path) for f in local)
    assert len(expected) > 0 and _findings(document) == expected
    assert document["scenario"] == "current" and document["counts"]["violation"] == 0
    assert document["counts"]["warning"] == sum(1 for f in local if f.severity.label == "Warning")
    strict = bizarch(live_server.endpoint, "validate", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.startswith("Validation of scenario 'current' with ")


def test_rule_selection_scenario_and_formats_reach_the_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    report = tmp_path / "report.xml"
    done = bizarch(
        live_server.endpoint,
        "validate",
        "--scenario",
        "target",
        "--rules",
        "VS",
        "--format",
        "junit",
        "-o",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    summary = done.stderr.splitlines()[-1]
    assert summary.startswith("Validation of 'target': ") and str(report) in summary
    suites = ET.fromstring(report.read_text())
    names = {case.get("name", "") for case in suites.iter("testcase")}
    assert names and all(name.startswith("VS-") for name in names)


def test_the_servers_refusal_is_one_clear_line(live_server: LiveServer) -> None:
    unknown_rule = bizarch(live_server.endpoint, "validate", "--rules", "XX-999")
    assert unknown_rule.returncode == 1
    assert "XX-999" in unknown_rule.stderr and "Traceback" not in unknown_rule.stderr
    unknown_scenario = bizarch(live_server.endpoint, "validate", "--scenario", "nowhere")
    assert unknown_scenario.returncode == 1
    assert "nowhere" in unknown_scenario.stderr and "current" in unknown_scenario.stderr
    assert len(unknown_scenario.stderr.strip().splitlines()) == 1


def test_the_api_answers_programs(live_server: LiveServer) -> None:
    url = f"{live_server.base}/api/validation?format=turtle&rules=CAP"
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read().decode()
        assert response.headers["Content-Type"].startswith("text/turtle")
        counts = response.headers["X-Bizarch-Findings"]
    assert counts.startswith("violation=0; warning=")
    assert "sh:ValidationReport" in body or "ValidationReport" in body
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live_server.base}/api/validation?format=pdf", timeout=30)
    assert refused.value.code == 400
    said = json.loads(refused.value.read())
    assert "pdf" in said["message"] and "junit" in said["hint"]


def test_other_endpoints_are_validated_through_sparql(live_server: LiveServer) -> None:
    """Only a bizarch server's ``/sparql`` has the API; elsewhere the CLI validates itself."""
    assert api_address(SparqlStore("http://127.0.0.1:1/query")) is None
    assert api_address(SparqlStore(live_server.endpoint)) == live_server.base + "/api/validation"
    missing = SparqlStore(live_server.base + "/nothing/sparql")  # a 404 where the API would be
    assert validate_remotely(missing, "current", None, "json") is None


def test_a_result_the_endpoint_cut_short_is_an_error(live_server: LiveServer) -> None:
    """The endpoint caps rows (500 here); a client must not take a cut answer for a whole one."""
    store = SparqlStore(live_server.endpoint)
    small = store.query("SELECT ?s WHERE { ?s a <https://w3id.org/bizarch/ontology#Strategy> }")
    assert len(small.rows) == 8  # four strategies in each of the two scenarios
    with pytest.raises(QueryError) as cut:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    assert "first 500 rows" in str(cut.value) and "--sparql-max-rows" in str(cut.value)
