"""``bizarch validate`` and ``bizarch load --validate`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from bizarch.cli import main
from tests.validation.conftest import SMALL_MODEL

GOOD_EXTRA = """
@prefix ba:   <https://w3id.org/bizarch/ontology#> .
@prefix ex:   <https://example.org/small/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:cap-fraud a ba:Capability ; rdfs:label "Fraud Screening"@en ; ba:tier 2 ;
    ba:parentCapability ex:cap-claims .
"""

BAD_EXTRA = """
@prefix ba:   <https://w3id.org/bizarch/ontology#> .
@prefix ex:   <https://example.org/small/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:vs-complaint a ba:ValueStream ; rdfs:label "Resolve Complaint"@en .
"""


@pytest.fixture
def loaded(runner: CliRunner) -> CliRunner:
    result = runner.invoke(main, ["load", str(SMALL_MODEL)])
    assert result.exit_code == 0, result.output
    return runner


def _run(runner: CliRunner, *args: str):
    return runner.invoke(main, ["validate", "--engine", "pyshacl", *args])


def test_violations_exit_1_with_the_report(loaded: CliRunner) -> None:
    result = _run(loaded, "--rules", "VS-004,VS-005")
    assert result.exit_code == 1
    assert "Renew Policy (https://example.org/small/vs-renew)" in result.output
    assert "2 violations" in result.output.splitlines()[0]
    assert "Traceback" not in result.output


def test_warnings_pass_unless_strict(loaded: CliRunner) -> None:
    relaxed = _run(loaded, "--rules", "CAP-006")
    assert relaxed.exit_code == 0 and "Manage Leads" in relaxed.output
    strict = _run(loaded, "--rules", "CAP-006", "--strict")
    assert strict.exit_code == 1
    infos_only = _run(loaded, "--rules", "VS-017", "--strict")
    assert infos_only.exit_code == 0 and "1 info" in infos_only.output


def test_json_to_a_file_with_a_summary_on_stderr(loaded: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = _run(loaded, "--rules", "value-stream", "-f", "json", "-o", str(out))
    assert result.exit_code == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["counts"]["violation"] == 3 and len(document["rules"]) == 17
    assert "report in" in result.output and "3 violations, 0 warnings" in result.output


def test_junit_and_turtle_formats(loaded: CliRunner) -> None:
    junit = _run(loaded, "--rules", "VS-004,CAP-006", "-f", "junit")
    root = ElementTree.fromstring(junit.output)
    assert len(root.findall(".//testcase")) == 2 and root.get("failures") == "1"
    turtle = _run(loaded, "--rules", "VS-004", "-f", "turtle")
    assert "sh:ValidationReport" in turtle.output and "sh:conforms false" in turtle.output


def test_bad_input_gets_one_line(loaded: CliRunner) -> None:
    for args, words in (
        (["--rules", "VS-999"], "No rule or area 'VS-999'"),
        (["--scenario", "future"], "No scenario 'future'"),
        (["--engine", "jena"], "Validation engine 'jena'"),
    ):
        result = loaded.invoke(main, ["validate", *args])
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: ") and words in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_validate_on_a_missing_store_says_so(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1 and result.output.startswith("Error: ")


def test_load_validate_writes_a_conforming_addition(loaded: CliRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(GOOD_EXTRA, encoding="utf-8")
    result = loaded.invoke(main, ["load", "--validate", str(extra)])
    assert result.exit_code == 0, result.output
    assert "Validated: no new violations" in result.output
    count = loaded.invoke(
        main,
        ["sparql", 'ASK { ?c <http://www.w3.org/2000/01/rdf-schema#label> "Fraud Screening"@en }'],
    )
    assert "true" in count.output.lower()


def test_load_validate_refuses_a_new_violation_and_writes_nothing(
    loaded: CliRunner, tmp_path: Path
) -> None:
    before = loaded.invoke(main, ["graphs"]).output
    extra = tmp_path / "bad.ttl"
    extra.write_text(BAD_EXTRA, encoding="utf-8")
    result = loaded.invoke(main, ["load", "--validate", str(extra)])
    assert result.exit_code == 1
    assert "New violations the load would add" in result.output
    assert "Resolve Complaint" in result.output and "VS-004" in result.output
    assert "Load refused" in result.output and "nothing was written" in result.output
    assert loaded.invoke(main, ["graphs"]).output == before
