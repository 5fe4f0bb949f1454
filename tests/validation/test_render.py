"""Reports read by people (text) and machines (JSON, JUnit XML, the SHACL report in Turtle)."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.render import curie, render, show_term
from bizarch.validation.service import ValidationRun, run_validation
from tests.validation.conftest import SMALL_EXPECTED, SMALL_RULES


@pytest.fixture(scope="module")
def run() -> ValidationRun:
    from tests.validation.conftest import load_small_model

    store = OxigraphStore(None)
    load_small_model(store)
    try:
        return run_validation(store, "current", SMALL_RULES, engine="pyshacl")
    finally:
        store.close()


def test_text_groups_findings_by_rule_most_severe_first(run: ValidationRun) -> None:
    text = render(run, "text")
    first_line = text.splitlines()[0]
    assert "scenario 'current'" in first_line and "18 rules" in first_line
    assert "3 violations, 1 warning, 1 info" in first_line
    positions = [text.index(rule) for rule in ("VS-004", "VS-005", "VS-014", "CAP-006", "VS-017")]
    assert positions == sorted(positions)  # violations by id, then the warning, then the info
    assert "A value stream has at least two stages  (1 finding)" in text
    assert "  - Renew Policy (https://example.org/small/vs-renew): ba:hasStage" in text
    assert "  - Close Claim (https://example.org/small/stage-orphan): ^ba:hasStage" in text
    assert text.count("Decompose it into the stages") == 1  # advice once per rule
    assert text.rstrip().endswith("Result: does not conform (3 violations to fix).")


def test_text_of_a_clean_run_says_it_conforms(run: ValidationRun) -> None:
    clean = ValidationRun(type(run.report)(scenario="current", rules_checked=1), run.rules, "x", 0)
    assert render(clean, "text").rstrip().endswith("Result: conforms.")


def test_json_carries_counts_rules_and_findings(run: ValidationRun) -> None:
    document = json.loads(render(run, "json"))
    assert document["scenario"] == "current" and document["conforms"] is False
    assert document["counts"] == {"violation": 3, "warning": 1, "info": 1}
    assert document["rules_checked"] == len(document["rules"]) == 18
    by_id = {rule["id"]: rule for rule in document["rules"]}
    assert by_id["VS-004"]["findings"] == 1 and by_id["VS-001"]["findings"] == 0
    assert by_id["CAP-006"]["severity"] == "Warning" and by_id["CAP-006"]["source"]
    findings = document["findings"]
    assert {(f["rule_id"], f["focus_node"]) for f in findings} == SMALL_EXPECTED
    assert [f["severity"] for f in findings][:3] == ["Violation"] * 3
    keys = {"rule_id", "severity", "focus_node", "focus_label", "path", "value", "message"}
    assert all(keys <= set(f) for f in findings)


def test_junit_has_one_testcase_per_rule_and_a_failure_per_violation(run: ValidationRun) -> None:
    root = ElementTree.fromstring(render(run, "junit"))
    cases = root.findall(".//testcase")
    assert len(cases) == 18 == int(root.get("tests"))
    failures = root.findall(".//failure")
    assert len(failures) == 3
    failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
    assert failed == {"VS-004", "VS-005", "VS-014"} and root.get("failures") == "3"
    assert all(f.get("type") == "Violation" for f in failures)
    warning_case = next(c for c in cases if c.get("name").startswith("CAP-006"))
    assert warning_case.find("failure") is None
    assert "Manage Leads" in warning_case.find("system-out").text
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"value-stream", "capability"}
    assert suites["value-stream"].get("failures") == "3"


def test_junit_strict_fails_warnings_too(run: ValidationRun) -> None:
    root = ElementTree.fromstring(render(run, "junit", strict=True))
    cases = root.iter("testcase")
    failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
    assert failed == {"VS-004", "VS-005", "VS-014", "CAP-006"}


def test_turtle_is_a_shacl_validation_report(run: ValidationRun) -> None:
    graph = rdflib.Graph().parse(data=render(run, "turtle"), format="turtle")
    report = graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(run.report.findings) == 5
    focus = {str(graph.value(r, SH.focusNode)) for r in results}
    assert focus == {node for _, node in SMALL_EXPECTED}
    orphan = next(r for r in results if str(graph.value(r, SH.focusNode)).endswith("stage-orphan"))
    path = graph.value(orphan, SH.resultPath)
    assert str(graph.value(path, SH.inversePath)) == "https://w3id.org/bizarch/ontology#hasStage"
    assert graph.value(orphan, SH.sourceShape) == rdflib.URIRef(
        "https://w3id.org/bizarch/shapes#VS-005"
    )
    assert graph.value(orphan, SH.resultSeverity) == SH.Violation


def test_terms_are_shown_as_curies() -> None:
    assert curie("https://data.meridian-mutual.example/id/app-claimsone") == "mm:app-claimsone"
    assert curie("https://example.org/x") == "https://example.org/x"
    assert show_term('"3"^^<http://www.w3.org/2001/XMLSchema#integer>') == '"3"^^xsd:integer'
    assert show_term("^<https://w3id.org/bizarch/ontology#hasStage>") == "^ba:hasStage"
