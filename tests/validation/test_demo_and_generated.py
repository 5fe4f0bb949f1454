"""The demo enterprise and the generated model follow the rules; the demo's warnings are its
documented weaknesses (data/demo/README.md), no more and no fewer. Checked with pySHACL, the
reference engine."""

from __future__ import annotations

import re

import pytest

from bizarch import resources
from bizarch.demo import load_demo
from bizarch.generator import generate_quads
from bizarch.namespaces import DEMO
from bizarch.repository import Repository
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.report import Severity, ValidationReport
from bizarch.validation.service import validate

SCENARIOS = ("current", "target")

#: How the demo README words each expected finding, and the rule that finds it.
FINDING_RULES = {
    "phase-out application under a high-importance capability": "TEC-002",
    "capability named as a verb": "CAP-006",
}


@pytest.fixture(scope="module")
def demo_reports() -> dict[str, ValidationReport]:
    store = OxigraphStore(None)
    try:
        load_demo(store)
        return {name: validate(store, name, engine="pyshacl") for name in SCENARIOS}
    finally:
        store.close()


def documented_weaknesses() -> set[tuple[str, str, str]]:
    """(scenario, rule, element) of every row of the README's weakness table."""
    text = (resources.demo_dir() / "README.md").read_text(encoding="utf-8")
    heading = "## Deliberate modelling weaknesses (expected validation warnings)"
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| W")
    ]
    assert rows, "no weakness table in data/demo/README.md"
    expected = set()
    for _, scenarios, element, _, finding in rows:
        curie = re.match(r"`mm:([\w-]+)`", element).group(1)
        for scenario in re.split(r",\s*", scenarios):
            expected.add((scenario, FINDING_RULES[finding], DEMO + curie))
    return expected


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_demo_has_no_violation(scenario: str, demo_reports: dict[str, ValidationReport]) -> None:
    report = demo_reports[scenario]
    violations = [
        (f.rule_id, f.focus_node, f.message)
        for f in report.findings
        if f.severity is Severity.VIOLATION
    ]
    assert violations == []
    assert report.rules_checked >= 80


def test_demo_warnings_are_the_documented_weaknesses(
    demo_reports: dict[str, ValidationReport],
) -> None:
    found = {
        (scenario, f.rule_id, f.focus_node)
        for scenario, report in demo_reports.items()
        for f in report.findings
        if f.severity is Severity.WARNING
    }
    assert found == documented_weaknesses()


def test_generated_model_has_no_violation() -> None:
    store = OxigraphStore(None)
    try:
        Repository(store).ensure_ontology()
        store.add_quads(generate_quads(6_000, 7))
        for scenario in SCENARIOS:
            report = validate(store, scenario, engine="pyshacl")
            violations = [f for f in report.findings if f.severity is Severity.VIOLATION]
            assert violations == [], violations[:5]
            assert len(report.findings) > 0  # its processes without activities are warnings
    finally:
        store.close()
