"""Validation report page: findings grouped by severity and rule, each linked to its element.

A full validation takes seconds (pySHACL over a scenario), so the page is a shell that loads the
report fragment with htmx, and the result is kept in the app's aggregate cache per scenario; the
fragment URLs also work as plain pages without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, render_template, request

from bizarch.browse.terms import to_iri
from bizarch.validation.report import Finding, Severity
from bizarch.validation.rules import Rule
from bizarch.validation.service import ValidationRun, run_validation
from bizarch.web.context import get_cache, get_store
from bizarch.web.views import current_scenario, scenario_list

bp = Blueprint("validation", __name__)


@dataclass
class RuleGroup:
    rule_id: str
    rule: Rule | None
    severity: Severity
    findings: list[Finding]


def _run(scenario: str) -> ValidationRun:
    store = get_store()
    return get_cache().get(("validation", scenario), lambda: run_validation(store, scenario))


def _groups(run: ValidationRun) -> list[RuleGroup]:
    rules = {r.id: r for r in run.rules}
    groups = [
        RuleGroup(rule_id, rules.get(rule_id), findings[0].severity, findings)
        for rule_id, findings in run.report.by_rule().items()
    ]
    return sorted(groups, key=lambda g: (-g.severity.rank, g.rule_id))


@bp.get("/validation")
def index() -> str:
    return render_template(
        "validation/index.html",
        scenario=current_scenario(),
        scenarios=scenario_list(),
    )


@bp.get("/validation/report")
def report() -> str:
    scenario = current_scenario()
    run = _run(scenario)
    fragment = request.headers.get("HX-Request") == "true"
    return render_template(
        "validation/_report.html" if fragment else "validation/report.html",
        run=run,
        groups=_groups(run),
        counts=run.report.counts(),
        severities=list(Severity),
        scenario=scenario,
    )


@bp.get("/validation/summary")
def summary() -> str:
    """Findings per severity for every scenario (the dashboard's validation status)."""
    rows = []
    for info in scenario_list():
        run = _run(info.name)
        rows.append((info, run.report.conforms, run.report.counts()))
    return render_template(
        "validation/summary.html", rows=rows, severities=list(Severity), total=Counter()
    )


@bp.get("/validation/element")
def element() -> str:
    """The findings about one element in one scenario (a fragment of the element page)."""
    scenario = current_scenario()
    iri = to_iri(request.args.get("iri", "")).value
    run = _run(scenario)
    findings = [f for f in run.report.findings if f.focus_node == iri]
    return render_template(
        "validation/element.html", findings=sorted(findings), run=run, scenario=scenario
    )
