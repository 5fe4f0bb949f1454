"""Every rule has a conforming and a violating case; the violating one names its focus nodes.

A case folder ``cases/<RULE-ID>/`` holds ``valid.ttl`` (the rule finds nothing), ``invalid.ttl``
(the rule finds exactly the focus nodes listed in ``expected.yaml``). Each case is validated with
that one rule only, beside the ontology, with pySHACL, the reference engine.
"""

from __future__ import annotations

import pytest
import rdflib
import yaml

from bizarch.validation.pyshacl_engine import validate_graph
from tests.validation.conftest import CASES_DIR, case_graph, expand

CASE_IDS = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def test_every_rule_has_a_case_and_every_case_a_rule(library):
    assert set(library.rules) - set(CASE_IDS) == set(), "rules without a case folder"
    assert set(CASE_IDS) - set(library.rules) == set(), "case folders without a rule"


@pytest.mark.parametrize("rule_id", CASE_IDS)
def test_valid_case_has_no_finding(rule_id, library, base_graph):
    ruleset = library.select(rule_id)
    with case_graph(base_graph, CASES_DIR / rule_id / "valid.ttl") as graph:
        report, _ = validate_graph(graph, ruleset)
    assert [(f.focus_node, f.path, f.value) for f in report.findings] == []


@pytest.mark.parametrize("rule_id", CASE_IDS)
def test_invalid_case_reports_the_expected_elements(rule_id, library, base_graph):
    ruleset = library.select(rule_id)
    rule = library.rules[rule_id]
    expected = yaml.safe_load((CASES_DIR / rule_id / "expected.yaml").read_text())["focus_nodes"]
    with case_graph(base_graph, CASES_DIR / rule_id / "invalid.ttl") as graph:
        report, _ = validate_graph(graph, ruleset)
        expected_nodes = {expand(graph, e) for e in expected}
        labelled = {str(s) for s in graph.subjects(rdflib.RDFS.label, None)}
    assert {f.focus_node for f in report.findings} == expected_nodes
    for finding in report.findings:
        assert finding.rule_id == rule_id
        assert finding.severity is rule.severity
        assert finding.shape == rule.shape
        assert finding.message and "{?" not in finding.message and "{$" not in finding.message
        # Elements are reported by name wherever they have one.
        assert (finding.focus_label is not None) == (finding.focus_node in labelled)
