"""Scenarios (ArchiMate plateaus): list them, start a future state from one, compare two.

A scenario is one named graph holding a complete model state and its own description
(``ba:scenarioKind``, ``ba:scenarioDate``, ``ba:workStatus``, ``ba:derivedFrom``).

* :func:`list_scenarios` reads the descriptions (and lists graphs that lack one): the one
  listing behind ``bizarch scenario list``, the metrics commands and every page of the web UI;
* :func:`copy_scenario` copies a scenario into a new graph in ONE atomic write, with a new
  description that says where it came from; measurements are not copied (they observe the
  source state);
* :func:`compare_scenarios` says what was added, removed and changed (in words), the metric deltas
  per value stream, the capability maturity changes, and the ArchiMate gap list: what must be
  added, removed or changed to go from the base to the target, with the initiatives that change
  each element.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad, parse
from pyoxigraph import RdfFormat as OxFormat

from bizarch.errors import UserInputError
from bizarch.metrics import _catalogue
from bizarch.metrics.facts import FactSheet, best_label, local_name, to_date, to_decimal
from bizarch.metrics.flow import ValueStreamFlow, value_stream_flows
from bizarch.metrics.units import format_number, signed
from bizarch.namespaces import BA
from bizarch.repository import ALL, Repository, resolve_scenario, short_name
from bizarch.scenario_diff import ElementRef, TripleDiff, diff_graphs
from bizarch.store.base import GraphStore, RdfFormat

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
DCTERMS_DESCRIPTION = "http://purl.org/dc/terms/description"

KINDS = {"baseline": "Baseline", "transition": "Transition", "target": "Target"}
STATUSES = {
    "proposed": "Proposed",
    "approved": "Approved",
    "in-progress": "InProgress",
    "completed": "Completed",
    "cancelled": "Cancelled",
}


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario graph and what its description says about it.

    ``name`` is the short name used on the command line and in URLs (``current``), or the full
    graph IRI for a graph outside ``urn:bizarch:scenario:``."""

    name: str
    graph: str
    triples: int
    label: str | None = None
    kind: str | None = None
    date: dt.date | None = None
    status: str | None = None
    derived_from: str | None = None
    description: str | None = None
    described: bool = True

    @property
    def title(self) -> str:
        """What to show a person: the scenario's label, else its name."""
        return self.label or self.name


def list_scenarios(store: GraphStore | Repository) -> list[ScenarioInfo]:
    """Every scenario graph, with its description where it has one.

    Sorted by scenario date (baseline before target; undated scenarios last), then by name.
    Sizes every graph (the triple counts): callers that list often cache the result."""
    repo = store if isinstance(store, Repository) else Repository(store)
    rows = _catalogue.run_select(repo.store, "scenarios/list", scenario=ALL).rows
    sheets: dict[str, FactSheet] = {}
    for graph, scenario, prop, value, label in rows:
        if graph.value != scenario.value:
            continue  # by convention a graph describes itself; other descriptions are copies
        sheets.setdefault(graph.value, FactSheet(graph.value)).add(prop.value, value, label)
    result = []
    for info in repo.scenarios():
        sheet = sheets.get(info.graph)
        if sheet is None:
            result.append(ScenarioInfo(info.name, info.graph, info.triples, described=False))
            continue

        def word(prop: str, sheet: FactSheet = sheet) -> str | None:
            values = sheet.all(BA + prop)
            return sheet.label_of(values[0]) if values else None

        dates = [d for d in sheet.all(BA + "scenarioDate") if isinstance(d, Literal)]
        try:
            date = to_date(dates[0]) if dates else None
        except ValueError:
            date = None
        derived = [d.value for d in sheet.all(BA + "derivedFrom") if isinstance(d, NamedNode)]
        text = sheet.all(DCTERMS_DESCRIPTION)
        result.append(
            ScenarioInfo(
                info.name,
                info.graph,
                info.triples,
                label=sheet.label if sheet.all(RDFS_LABEL) else None,
                kind=word("scenarioKind"),
                date=date,
                status=word("workStatus"),
                derived_from=short_name(derived[0]) if derived else None,
                description=text[0].value if text and isinstance(text[0], Literal) else None,
            )
        )
    return sorted(result, key=lambda s: (s.date is None, s.date or dt.date.min, s.name))


def copy_scenario(
    store: GraphStore,
    source: str,
    target: str,
    *,
    label: str | None = None,
    kind: str = "target",
    date: dt.date | None = None,
    status: str = "proposed",
) -> ScenarioInfo:
    """Copy scenario ``source`` into a new scenario ``target`` (one atomic write).

    The copy holds every triple of the source except its description and its measurements,
    plus a new description: ``ba:derivedFrom`` the source, the given kind, date (default today)
    and work status. An existing target is never overwritten."""
    source_graph = _catalogue.require_scenario(store, source)
    target_graph = resolve_scenario(target)
    if target_graph == source_graph or store.has_graph(target_graph):
        raise UserInputError(
            f"Scenario '{short_name(target_graph)}' already exists; nothing was copied.",
            hint="Choose a new name, or remove that scenario first.",
        )
    kind_term = _code(kind, KINDS, "kind")
    status_term = _code(status, STATUSES, "status")
    graph = NamedNode(target_graph)
    quads = [Quad(s, p, o, graph) for s, p, o in _copied_triples(store, source_graph)]
    when = date or dt.date.today()
    name = label or f"{short_name(target_graph)} (from {short_name(source_graph)})"
    quads += [
        Quad(graph, NamedNode(RDF_TYPE), NamedNode(BA + "Scenario"), graph),
        Quad(graph, NamedNode(RDFS_LABEL), Literal(name), graph),
        Quad(graph, NamedNode(BA + "scenarioKind"), kind_term, graph),
        Quad(
            graph,
            NamedNode(BA + "scenarioDate"),
            Literal(when.isoformat(), datatype=NamedNode(XSD_DATE)),
            graph,
        ),
        Quad(graph, NamedNode(BA + "workStatus"), status_term, graph),
        Quad(graph, NamedNode(BA + "derivedFrom"), NamedNode(source_graph), graph),
    ]
    store.add_quads(quads)
    return next(s for s in list_scenarios(store) if s.graph == target_graph)


def _copied_triples(store: GraphStore, graph: str) -> list[tuple]:
    """The source graph's triples without its own description and its measurements.

    Read with the store's export (one pass, every backend) rather than through a query: a copy
    takes the whole graph, and the measurements to leave out come from a named query."""
    buffer = io.BytesIO()
    store.export(buffer, RdfFormat.NTRIPLES, graph)
    skip = {graph} | {
        m.value
        for _g, m in _catalogue.run_select(
            store, "scenarios/measurements-in", {"graph": NamedNode(graph)}, scenario=ALL
        ).rows
    }
    return [
        (q.subject, q.predicate, q.object)
        for q in parse(buffer.getvalue(), format=OxFormat.N_TRIPLES)
        if not (isinstance(q.subject, NamedNode) and q.subject.value in skip)
    ]


def _code(value: str, table: dict[str, str], what: str) -> NamedNode:
    key = value.strip().lower().replace(" ", "-").replace("_", "-")
    if key not in table:
        raise UserInputError(
            f"'{value}' is not a scenario {what}.", hint=f"Use one of: {', '.join(table)}."
        )
    return NamedNode(BA + table[key])


# ------------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A before/after pair of one figure, with its change in words."""

    name: str
    before: str
    after: str
    delta: str

    def __str__(self) -> str:
        return f"{self.name} {self.before} → {self.after}" + (
            f" ({self.delta})" if self.delta else ""
        )


@dataclass
class ValueStreamDelta:
    """How one value stream's flow metrics moved between the scenarios."""

    iri: str
    label: str
    status: str
    before: ValueStreamFlow | None
    after: ValueStreamFlow | None
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class MaturityChange:
    """A capability whose current (or target) maturity differs between the scenarios."""

    iri: str
    label: str
    before: int | None
    after: int | None
    target_before: int | None
    target_after: int | None

    def __str__(self) -> str:
        was = "none" if self.before is None else str(self.before)
        now = "none" if self.after is None else str(self.after)
        text = f"Capability '{self.label}' maturity {was} → {now}"
        if self.target_after is not None and self.target_after != self.target_before:
            text += f" (target maturity now {self.target_after})"
        return text


@dataclass
class Gap:
    """One item of the ArchiMate gap list: what to add, remove or change to reach the target."""

    action: str
    element: ElementRef
    details: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        """Whether some initiative (in either scenario) changes this element."""
        return bool(self.initiatives)


@dataclass
class ScenarioComparison:
    """Everything that differs between a base and a target scenario."""

    base: str
    target: str
    diff: TripleDiff
    value_streams: list[ValueStreamDelta] = field(default_factory=list)
    maturity: list[MaturityChange] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def _pct_change(before: Decimal, after: Decimal) -> str:
    if before == 0:
        return ""
    return f"{signed((after - before) / before * 100, 1)} %"


def _points(before: Decimal, after: Decimal) -> str:
    return f"{signed(after - before)} points"


def _flow_changes(a: ValueStreamFlow, b: ValueStreamFlow) -> list[Change]:
    changes: list[Change] = []
    for name, x, y in (
        ("lead time", a.lead_time, b.lead_time),
        ("process time", a.process_time, b.process_time),
        ("takt time", a.takt_time, b.takt_time),
    ):
        if x is not None and y is not None and x.seconds != y.seconds:
            shown_y = y.to(x.unit)
            changes.append(Change(name, str(x), str(shown_y), _pct_change(x.seconds, y.seconds)))
    for name, x, y in (
        ("activity ratio", a.activity_ratio, b.activity_ratio),
        ("flow efficiency", a.flow_efficiency, b.flow_efficiency),
        ("rolled %C&A", a.rolled_pca, b.rolled_pca),
        ("waste share", a.waste_share, b.waste_share),
    ):
        if x is not None and y is not None and x != y:
            changes.append(
                Change(name, f"{format_number(x)} %", f"{format_number(y)} %", _points(x, y))
            )
    for name, x, y in (
        ("handoffs", len(a.handoffs), len(b.handoffs)),
        ("approval gates", len(a.approval_gates), len(b.approval_gates)),
        ("stages", len(a.stages), len(b.stages)),
    ):
        if x != y:
            changes.append(Change(name, str(x), str(y), f"{y - x:+d}"))
    return changes


def _value_stream_deltas(store: GraphStore, base: str, target: str) -> list[ValueStreamDelta]:
    before = {f.iri: f for f in value_stream_flows(store, base)}
    after = {f.iri: f for f in value_stream_flows(store, target)}
    deltas = []
    for iri in sorted(set(before) | set(after)):
        a, b = before.get(iri), after.get(iri)
        label = (b or a).label  # type: ignore[union-attr]
        if a is None or b is None:
            deltas.append(ValueStreamDelta(iri, label, "added" if a is None else "removed", a, b))
            continue
        changes = _flow_changes(a, b)
        deltas.append(ValueStreamDelta(iri, label, "changed" if changes else "same", a, b, changes))
    deltas.sort(key=lambda d: d.label)
    return deltas


def _maturities(store: GraphStore, scenario: str) -> dict[str, tuple[str, int | None, int | None]]:
    found: dict[str, tuple[str, int | None, int | None]] = {}
    for cap, label, _tier, current, target in _catalogue.run_select(
        store, "scenarios/capability-maturity", scenario=scenario
    ).rows:

        def whole(term) -> int | None:
            try:
                return int(to_decimal(term)) if term is not None else None
            except ValueError:
                return None

        name = best_label([label] if label is not None else [], local_name(cap.value))
        found[cap.value] = (name, whole(current), whole(target))
    return found


def _maturity_changes(store: GraphStore, base: str, target: str) -> list[MaturityChange]:
    before, after = _maturities(store, base), _maturities(store, target)
    changes = []
    for iri in set(before) | set(after):
        label_a, cur_a, tgt_a = before.get(iri, (None, None, None))
        label_b, cur_b, tgt_b = after.get(iri, (None, None, None))
        if cur_a != cur_b or tgt_a != tgt_b:
            label = label_b or label_a or local_name(iri)
            changes.append(MaturityChange(iri, label, cur_a, cur_b, tgt_a, tgt_b))
    return sorted(changes, key=lambda c: c.label)


def _initiatives(store: GraphStore, scenarios: tuple[str, str]) -> dict[str, set[str]]:
    """Initiative names per element, "Name (via 'Process')" when it changes the container."""
    found: dict[str, set[str]] = {}
    for scenario in scenarios:
        for element, initiative, label, via, via_label in _catalogue.run_select(
            store, "scenarios/initiative-changes", scenario=scenario
        ).rows:
            name = best_label([label] if label is not None else [], local_name(initiative.value))
            if via is not None:
                through = best_label(
                    [via_label] if via_label is not None else [], local_name(via.value)
                )
                name += f" (via '{through}')"
            found.setdefault(element.value, set()).add(name)
    return found


def _gaps(diff: TripleDiff, initiatives: dict[str, set[str]]) -> list[Gap]:
    gaps: dict[str, Gap] = {}
    for change in diff.added:
        gaps[change.element.iri] = Gap("add", change.element)
    for change in diff.removed:
        gaps[change.element.iri] = Gap("remove", change.element)
    for change in diff.changed:
        gap = gaps.setdefault(change.element.iri, Gap("change", change.element))
        gap.details.extend(a.sentence for a in change.attributes)
    for rel in diff.relationships_added + diff.relationships_removed:
        for end in (rel.source, rel.target):
            if end.iri in gaps and rel.sentence not in gaps[end.iri].details:
                gaps[end.iri].details.append(rel.sentence)
    for iri, gap in gaps.items():
        gap.initiatives = sorted(initiatives.get(iri, ()))
    order = {"add": 0, "change": 1, "remove": 2}
    return sorted(gaps.values(), key=lambda g: (order[g.action], g.element.kind, g.element.label))


def compare_scenarios(store: GraphStore, base: str, target: str) -> ScenarioComparison:
    """Compare scenario ``base`` with scenario ``target`` (short names or graph IRIs)."""
    base_graph = _catalogue.require_scenario(store, base)
    target_graph = _catalogue.require_scenario(store, target)
    if base_graph == target_graph:
        raise UserInputError("Both sides of the comparison are the same scenario.")
    diff = diff_graphs(store, base_graph, target_graph)
    comparison = ScenarioComparison(short_name(base_graph), short_name(target_graph), diff)
    comparison.value_streams = _value_stream_deltas(store, base_graph, target_graph)
    comparison.maturity = _maturity_changes(store, base_graph, target_graph)
    comparison.gaps = _gaps(diff, _initiatives(store, (base_graph, target_graph)))
    return comparison
