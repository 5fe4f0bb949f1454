"""Validation reports for people and machines: text, JSON, JUnit XML, the SHACL report in Turtle.

All renderers read a :class:`~bizarch.validation.service.ValidationRun` (the report plus the rules
that were checked), so they work the same for every engine:

- ``text``: grouped by rule, most severe first, with the rule's advice once and each element by
  name and CURIE; ends with one line saying whether the model conforms;
- ``json``: the same content as data (counts, every rule checked with its number of findings,
  every finding);
- ``junit``: one test case per rule, one ``<failure>`` per violation (per warning too with
  ``strict``), so CI systems show broken rules as failed tests;
- ``turtle``: a W3C SHACL validation report graph.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from xml.etree import ElementTree

import rdflib
from rdflib.namespace import RDF, SH, XSD

from bizarch.namespaces import PREFIXES
from bizarch.validation.report import Finding, Severity
from bizarch.validation.rules import SHAPES_NS, Rule
from bizarch.validation.service import ValidationRun

FORMATS = ("text", "json", "junit", "turtle")


def counted(n: int, severity: Severity) -> str:
    """``1 violation``, ``3 warnings``, ``0 infos``."""
    word = severity.label.lower()
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render(run: ValidationRun, fmt: str, *, strict: bool = False) -> str:
    """The run in one of :data:`FORMATS`."""
    if fmt == "text":
        return render_text(run, strict=strict)
    if fmt == "json":
        return render_json(run)
    if fmt == "junit":
        return render_junit(run, strict=strict)
    if fmt == "turtle":
        return render_turtle(run)
    raise ValueError(f"unknown format {fmt!r}")


# -- shared helpers -----------------------------------------------------------------------------


def curie(iri: str) -> str:
    """``mm:app-claimsone`` for a demo IRI; IRIs outside the known prefixes stay whole."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if re.fullmatch(r"[A-Za-z0-9_.-]*", local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def show_term(key: str | None) -> str:
    """A focus node, value or path key as people read it (CURIEs, short datatypes)."""
    if key is None:
        return ""
    if key.startswith('"'):
        return re.sub(r"\^\^<([^>]+)>$", lambda m: "^^" + curie(m.group(1)), key)
    if key.startswith("^<") and key.endswith(">"):
        return "^" + curie(key[2:-1])
    if key.startswith("_:"):
        return key
    return curie(key)


def _element(finding: Finding) -> str:
    node = show_term(finding.focus_node)
    return f"{finding.focus_label} ({node})" if finding.focus_label else node


def _counts(run: ValidationRun) -> Counter[Severity]:
    return run.report.counts()


def _summary(run: ValidationRun) -> str:
    counts = _counts(run)
    return ", ".join(counted(counts[s], s) for s in Severity)


def _fails(finding: Finding, strict: bool) -> bool:
    return finding.severity is Severity.VIOLATION or (
        strict and finding.severity is Severity.WARNING
    )


def _ordered_groups(run: ValidationRun) -> list[tuple[Rule | None, list[Finding]]]:
    rules = {rule.id: rule for rule in run.rules}
    groups = run.report.by_rule()
    order = sorted(groups, key=lambda rid: (-groups[rid][0].severity.rank, rid))
    return [(rules.get(rid), groups[rid]) for rid in order]


# -- text -----------------------------------------------------------------------------------------


def render_text(run: ValidationRun, *, strict: bool = False) -> str:
    report = run.report
    lines = [
        f"Validation of scenario '{report.scenario}' with {report.rules_checked} rules "
        f"(engine {run.engine}, {run.seconds:.1f} s): {_summary(run)}."
    ]
    for rule, findings in _ordered_groups(run):
        severity = findings[0].severity
        label = rule.label if rule else ""
        count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
        lines += ["", f"{severity.label:<9} {findings[0].rule_id:<8} {label}  ({count})"]
        messages = {f.message for f in findings}
        shared = len(messages) == 1
        if shared:
            lines.append(f"  {findings[0].message}")
        for finding in findings:
            detail = []
            if finding.path:
                detail.append(show_term(finding.path))
            if finding.value and finding.value != finding.focus_node:
                detail.append(show_term(finding.value))
            line = f"  - {_element(finding)}"
            if detail:
                line += ": " + " ".join(detail)
            if not shared:
                line += f"\n      {finding.message}"
            lines.append(line)
    failing = sum(1 for f in report.findings if _fails(f, strict))
    lines.append("")
    if failing:
        what = "violations and warnings" if strict else "violations"
        lines.append(f"Result: does not conform ({failing} {what} to fix).")
    else:
        lines.append("Result: conforms." if not report.findings else "Result: conforms, see above.")
    return "\n".join(lines) + "\n"


# -- JSON -----------------------------------------------------------------------------------------


def render_json(run: ValidationRun) -> str:
    report = run.report
    per_rule = Counter(f.rule_id for f in report.findings)
    counts = _counts(run)
    document = {
        "scenario": report.scenario,
        "engine": run.engine,
        "seconds": round(run.seconds, 3),
        "conforms": report.conforms,
        "rules_checked": report.rules_checked,
        "counts": {s.name.lower(): counts[s] for s in Severity},
        "rules": [
            {
                "id": rule.id,
                "area": rule.area,
                "severity": rule.severity.label,
                "label": rule.label,
                "source": rule.source,
                "shape": rule.shape,
                "findings": per_rule[rule.id],
            }
            for rule in run.rules
        ],
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity.label,
                "focus_node": f.focus_node,
                "focus_label": f.focus_label,
                "path": f.path,
                "value": f.value,
                "message": f.message,
                "shape": f.shape,
                "constraint_component": f.constraint_component,
            }
            for f in sorted(report.findings, key=lambda f: (-f.severity.rank, f))
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- JUnit XML ------------------------------------------------------------------------------------


def render_junit(run: ValidationRun, *, strict: bool = False) -> str:
    report = run.report
    grouped = report.by_rule()
    areas: dict[str, list[Rule]] = {}
    for rule in run.rules:
        areas.setdefault(rule.area, []).append(rule)
    failed_total = 0
    suites = ElementTree.Element(
        "testsuites", name=f"bizarch validate {report.scenario}", time=f"{run.seconds:.3f}"
    )
    for area, rules in areas.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=f"{area}", time="0")
        failed = 0
        for rule in rules:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=f"bizarch.validate.{report.scenario}.{area}",
                name=f"{rule.id} {rule.label}",
                time="0",
            )
            findings = grouped.get(rule.id, [])
            failing = [f for f in findings if _fails(f, strict)]
            for finding in failing:
                failure = ElementTree.SubElement(
                    case,
                    "failure",
                    type=finding.severity.label,
                    message=f"{_element(finding)}: {finding.message}",
                )
                failure.text = _finding_detail(finding)
            others = [f for f in findings if not _fails(f, strict)]
            if others:
                out = ElementTree.SubElement(case, "system-out")
                out.text = "\n".join(
                    f"{f.severity.label}: {_element(f)}: {f.message}" for f in others
                )
            failed += bool(failing)
        suite.set("tests", str(len(rules)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        failed_total += failed
    suites.set("tests", str(len(run.rules)))
    suites.set("failures", str(failed_total))
    suites.set("errors", "0")
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _finding_detail(finding: Finding) -> str:
    lines = [f"rule: {finding.rule_id}", f"element: {_element(finding)}"]
    if finding.path:
        lines.append(f"property: {show_term(finding.path)}")
    if finding.value is not None:
        lines.append(f"value: {show_term(finding.value)}")
    return "\n".join(lines)


# -- the SHACL report graph ------------------------------------------------------------------------


def report_graph(run: ValidationRun) -> rdflib.Graph:
    """The findings as a W3C SHACL validation report (``sh:ValidationReport``)."""
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("bas", SHAPES_NS)
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(run.report.conforms, datatype=XSD.boolean)))
    for finding in sorted(run.report.findings):
        result = rdflib.BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, _term(finding.focus_node)))
        graph.add((result, SH.resultSeverity, rdflib.URIRef(finding.severity.iri)))
        graph.add((result, SH.resultMessage, rdflib.Literal(finding.message)))
        graph.add(
            (result, SH.sourceShape, rdflib.URIRef(finding.shape or SHAPES_NS + finding.rule_id))
        )
        if finding.constraint_component:
            component = rdflib.URIRef(finding.constraint_component)
            graph.add((result, SH.sourceConstraintComponent, component))
        if finding.value is not None:
            graph.add((result, SH.value, _term(finding.value)))
        path = _path(graph, finding.path)
        if path is not None:
            graph.add((result, SH.resultPath, path))
    return graph


def render_turtle(run: ValidationRun) -> str:
    return report_graph(run).serialize(format="turtle")


def _term(key: str) -> rdflib.term.Node:
    """The RDF term written as ``key`` (see :mod:`bizarch.validation.terms`)."""
    if key.startswith("_:"):
        return rdflib.BNode(key[2:])
    if key.startswith('"'):
        parsed = rdflib.Graph().parse(data=f"<urn:s> <urn:p> {key} .", format="nt")
        return next(iter(parsed))[2]
    return rdflib.URIRef(key)


def _path(graph: rdflib.Graph, key: str | None) -> rdflib.term.Node | None:
    if not key:
        return None
    if key.startswith("^<") and key.endswith(">"):
        node = rdflib.BNode()
        graph.add((node, SH.inversePath, rdflib.URIRef(key[2:-1])))
        return node
    if key.startswith(("(", "<", "_:")):
        return None  # longer SPARQL paths are kept in the findings, not in the graph
    return rdflib.URIRef(key)
