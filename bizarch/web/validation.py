"""Validation report page: findings grouped by severity and rule, each linked to its element.

A full validation takes seconds (1M triples: about 7 s on two cores), so the page is a shell that
loads the report fragment with htmx, and the result is kept in the app's aggregate cache per
scenario and rule selection; the fragment URLs also work as plain pages without JavaScript.

``/api/validation`` gives programs the same run in the formats of ``bizarch validate`` (text,
JSON, JUnit XML, Turtle), with the counts per severity in a header: ``bizarch validate --store
http://HOST:PORT/sparql`` asks the server that holds the store (and its lock) instead of pulling
the model through the SPARQL endpoint, so CI can validate while the repository server runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request

from bizarch.browse.terms import to_iri
from bizarch.errors import UserInputError
from bizarch.validation.engines import AUTO
from bizarch.validation.render import FORMATS, render
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


COUNTS_HEADER = "X-Bizarch-Findings"
"""``violation=N; warning=N; info=N``: what the report holds, for the client's exit status."""

SCENARIO_HEADER = "X-Bizarch-Scenario"

MEDIA_TYPES = {
    "text": "text/plain",
    "json": "application/json",
    "junit": "application/xml",
    "turtle": "text/turtle",
}


def _run(scenario: str, rules: str | None = None, engine: str = AUTO) -> ValidationRun:
    store = get_store()
    selection = tuple(sorted({p.strip() for p in rules.split(",") if p.strip()})) if rules else ()
    return get_cache().get(
        ("validation", scenario, selection, engine),
        lambda: run_validation(store, scenario, list(selection) or None, engine),
    )


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


@bp.get("/api/validation")
def api_report() -> Response:
    """One scenario's validation in a format of ``bizarch validate``.

    Parameters: ``scenario`` (default: the server's), ``rules`` (areas, id prefixes or ids,
    comma-separated), ``format`` (``text``, ``json``, ``junit``, ``turtle``; default ``json``),
    ``strict`` (``1``: warnings fail in JUnit XML too), ``engine``. Counts per severity in the
    ``X-Bizarch-Findings`` header. Unknown scenarios, rules, formats or engines: 400.
    """
    scenario = current_scenario()
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise UserInputError(
            f"'{fmt}' is not a report format.", hint=f"Use one of: {', '.join(FORMATS)}."
        )
    strict = request.args.get("strict", "0").lower() in ("1", "true", "yes")
    run = _run(scenario, request.args.get("rules"), request.args.get("engine") or AUTO)
    response = Response(render(run, fmt, strict=strict), mimetype=MEDIA_TYPES[fmt])
    counts = run.report.counts()
    response.headers[COUNTS_HEADER] = "; ".join(f"{s.name.lower()}={counts[s]}" for s in Severity)
    response.headers[SCENARIO_HEADER] = run.report.scenario or scenario
    return response
