"""Read the value-stream-map data of one scenario out of the store into plain records.

Each figure is read as stored, typed, and checked for a unit; problems become
:class:`~bizarch.metrics.facts.MetricIssue` entries rather than guesses. The arithmetic on these
records lives in :mod:`bizarch.metrics.flow`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from pyoxigraph import NamedNode

from bizarch.metrics import _catalogue
from bizarch.metrics.facts import (
    RDFS_LABEL,
    FactSheet,
    MetricIssue,
    ba,
    best_label,
    local_name,
    to_decimal,
)
from bizarch.metrics.units import TimeUnit
from bizarch.store.base import GraphStore

T = TypeVar("T")


@dataclass
class ActivityRecord:
    """One activity as drawn on a value-stream map (durations already typed, unit resolved)."""

    iri: str
    label: str
    process: str
    position: int | None = None
    next: list[str] = field(default_factory=list)
    cycle: Decimal | None = None
    wait: Decimal | None = None
    unit: TimeUnit | None = None
    classification: str | None = None
    classification_label: str | None = None
    is_handoff: bool | None = None
    is_gate: bool | None = None
    pca: Decimal | None = None
    performers: dict[str, str] = field(default_factory=dict)


@dataclass
class StageRecord:
    """One value-stream stage with its own figures and the activities of its processes."""

    iri: str
    label: str
    position: int | None = None
    next: list[str] = field(default_factory=list)
    lead: Decimal | None = None
    process: Decimal | None = None
    unit: TimeUnit | None = None
    pca: Decimal | None = None
    inventory: Decimal | None = None
    throughput: Decimal | None = None
    cost: Decimal | None = None
    currency: str | None = None
    processes: list[tuple[str, str]] = field(default_factory=list)
    activities: list[ActivityRecord] = field(default_factory=list)


@dataclass
class ValueStreamRecord:
    """A value stream with its ordered stages and stream-level demand data."""

    iri: str
    label: str
    unit: TimeUnit | None = None
    daily_demand: Decimal | None = None
    available_time: Decimal | None = None
    currency: str | None = None
    stages: list[StageRecord] = field(default_factory=list)
    issues: list[MetricIssue] = field(default_factory=list)
    known_units: list[TimeUnit] = field(default_factory=list)
    """Every usable time unit of the scenario (to show a duration in a readable unit)."""


def read_time_units(store: GraphStore, scenario: str | None) -> dict[str, TimeUnit | str]:
    """Units by IRI; a unit without a usable ``ba:secondsPerUnit`` maps to the reason why."""
    found: dict[str, list[tuple[object, object]]] = {}
    for row in _catalogue.run_select(store, "metrics/time-units", scenario=scenario).rows:
        unit, label, seconds = row
        if isinstance(unit, NamedNode):
            found.setdefault(unit.value, []).append((label, seconds))
    units: dict[str, TimeUnit | str] = {}
    for iri, rows in found.items():
        label = best_label([lab for lab, _ in rows if lab is not None], local_name(iri).lower())
        lengths = {s for _, s in rows if s is not None}
        if len(lengths) != 1:
            units[iri] = (
                "has no ba:secondsPerUnit" if not lengths else "has several ba:secondsPerUnit"
            )
            continue
        try:
            seconds = to_decimal(next(iter(lengths)))  # type: ignore[arg-type]
        except ValueError as exc:
            units[iri] = f"ba:secondsPerUnit {exc}"
            continue
        if seconds <= 0:
            units[iri] = "has a ba:secondsPerUnit that is not positive"
            continue
        units[iri] = TimeUnit(iri, label, seconds)
    return units


def _sheets(rows: Sequence[tuple], key: int, prop: int, value: int, label: int) -> dict:
    sheets: dict[str, FactSheet] = {}
    for row in rows:
        subject = row[key]
        if not isinstance(subject, NamedNode):
            continue  # blank-node stages are not addressable; SHACL reports them
        sheet = sheets.setdefault(subject.value, FactSheet(subject.value))
        prop_term = row[prop]
        sheet.add(prop_term.value if prop_term is not None else None, row[value], row[label])
    return sheets


def order_items(
    items: list[T],
    *,
    key: Callable[[T], str],
    position: Callable[[T], int | None],
    following: Callable[[T], list[str]],
    label: Callable[[T], str],
    what: str,
    owner: str,
    issues: list[MetricIssue],
    owner_iri: str,
) -> list[T]:
    """Order stages or activities: by ``ba:position`` when every item has a distinct one,
    else along the ``ba:next...`` chain when it links all items into one path, else by position
    then label with a warning (the order then affects only handoff counting and display)."""
    positions = [position(i) for i in items]
    if all(p is not None for p in positions) and len(set(positions)) == len(items):
        return sorted(items, key=lambda i: position(i) or 0)
    by_key = {key(i): i for i in items}
    targets = {n for i in items for n in following(i) if n in by_key}
    starts = [i for i in items if key(i) not in targets]
    if len(starts) == 1:
        chain, seen, current = [], set(), starts[0]
        while current is not None and key(current) not in seen:
            chain.append(current)
            seen.add(key(current))
            nxt = [n for n in following(current) if n in by_key]
            current = by_key[nxt[0]] if len(nxt) == 1 else None
        if len(chain) == len(items):
            return chain
    if len(items) > 1:
        issues.append(
            MetricIssue(
                "warning",
                owner_iri,
                owner,
                f"The order of the {what} of '{owner}' is not defined (give each a distinct "
                f"ba:position, or link them with one ba:next… chain); ordered by position, then "
                "label.",
            )
        )
    return sorted(items, key=lambda i: (position(i) is None, position(i) or 0, label(i)))


def _unit(
    sheet: FactSheet,
    units: dict[str, TimeUnit | str],
    issues: list[MetricIssue],
    what: str,
    has_durations: bool,
) -> TimeUnit | None:
    unit_iri = sheet.iri_value(ba("timeUnit"), issues, what)
    if unit_iri is None:
        if has_durations:
            issues.append(
                MetricIssue(
                    "error",
                    sheet.iri,
                    sheet.label,
                    f"{what} '{sheet.label}' has durations but no ba:timeUnit; they are not "
                    "used (a unit is never guessed). Add ba:timeUnit (e.g. ba:Day).",
                )
            )
        return None
    unit = units.get(unit_iri)
    if isinstance(unit, TimeUnit):
        return unit
    reason = unit or "is not a known time unit"
    issues.append(
        MetricIssue(
            "error",
            sheet.iri,
            sheet.label,
            f"{what} '{sheet.label}': its time unit <{unit_iri}> {reason}; its durations are "
            "not used.",
        )
    )
    return None


def _int(sheet: FactSheet, prop: str, issues: list[MetricIssue], what: str) -> int | None:
    number = sheet.number(prop, issues, what)
    if number is None:
        return None
    if number != number.to_integral_value():
        issues.append(
            MetricIssue(
                "error",
                sheet.iri,
                sheet.label,
                f"{what} '{sheet.label}': position {number} is not a whole number; it is ignored.",
            )
        )
        return None
    return int(number)


def _non_negative(
    sheet: FactSheet, prop: str, issues: list[MetricIssue], what: str, name: str
) -> Decimal | None:
    number = sheet.number(prop, issues, what)
    if number is not None and number < 0:
        issues.append(
            MetricIssue(
                "error",
                sheet.iri,
                sheet.label,
                f"{what} '{sheet.label}': {name} {number} is negative; it is ignored.",
            )
        )
        return None
    return number


def _percent(sheet: FactSheet, issues: list[MetricIssue], what: str) -> Decimal | None:
    number = sheet.number(ba("percentCompleteAccurate"), issues, what)
    if number is not None and not 0 <= number <= 100:
        issues.append(
            MetricIssue(
                "error",
                sheet.iri,
                sheet.label,
                f"{what} '{sheet.label}': %C&A {number} is outside 0..100 (it is a percentage, "
                "95.5 means 95.5 %); it is ignored.",
            )
        )
        return None
    return number


def _activity(
    sheet: FactSheet, process: str, units: dict, issues: list[MetricIssue]
) -> ActivityRecord:
    what = "Activity"
    cycle = _non_negative(sheet, ba("cycleTime"), issues, what, "cycle time")
    wait = _non_negative(sheet, ba("waitTime"), issues, what, "wait time")
    unit = _unit(sheet, units, issues, what, cycle is not None or wait is not None)
    if unit is None:
        cycle = wait = None
    classification = sheet.one(ba("valueClassification"), issues, what)
    performers = {
        p.value: sheet.label_of(p) for p in sheet.all(ba("performedBy")) if isinstance(p, NamedNode)
    }
    return ActivityRecord(
        iri=sheet.iri,
        label=sheet.label,
        process=process,
        position=_int(sheet, ba("position"), issues, what),
        next=[n.value for n in sheet.all(ba("nextActivity")) if isinstance(n, NamedNode)],
        cycle=cycle,
        wait=wait,
        unit=unit,
        classification=classification.value if isinstance(classification, NamedNode) else None,
        classification_label=sheet.label_of(classification) if classification else None,
        is_handoff=sheet.flag(ba("isHandoff"), issues, what),
        is_gate=sheet.flag(ba("isApprovalGate"), issues, what),
        pca=_percent(sheet, issues, what),
        performers=performers,
    )


def _stage(sheet: FactSheet, units: dict, issues: list[MetricIssue]) -> StageRecord:
    what = "Stage"
    lead = _non_negative(sheet, ba("leadTime"), issues, what, "lead time")
    process = _non_negative(sheet, ba("processTime"), issues, what, "process time")
    unit = _unit(sheet, units, issues, what, lead is not None or process is not None)
    if unit is None:
        lead = process = None
    if lead is not None and process is not None and process > lead:
        issues.append(
            MetricIssue(
                "error",
                sheet.iri,
                sheet.label,
                f"Stage '{sheet.label}': process time {process} exceeds lead time {lead}; "
                "the wait comes out negative. Lead time includes process time.",
            )
        )
    currency = sheet.one(ba("currency"), issues, what)
    return StageRecord(
        iri=sheet.iri,
        label=sheet.label,
        position=_int(sheet, ba("position"), issues, what),
        next=[n.value for n in sheet.all(ba("nextStage")) if isinstance(n, NamedNode)],
        lead=lead,
        process=process,
        unit=unit,
        pca=_percent(sheet, issues, what),
        inventory=_non_negative(sheet, ba("inventoryQuantity"), issues, what, "inventory"),
        throughput=_non_negative(sheet, ba("throughputPerDay"), issues, what, "throughput"),
        cost=_non_negative(sheet, ba("costPerTransaction"), issues, what, "cost"),
        currency=currency.value.strip().upper() if currency is not None else None,
    )


def read_value_streams(
    store: GraphStore, scenario: str | None = None, value_stream: str | None = None
) -> list[ValueStreamRecord]:
    """All value streams of the scenario (or one), each with ordered stages and activities."""
    params = {"valueStream": NamedNode(value_stream) if value_stream else None}
    units = read_time_units(store, scenario)

    vs_rows = _catalogue.run_select(store, "metrics/value-stream-facts", params, scenario=scenario)
    stage_rows = _catalogue.run_select(store, "metrics/stage-facts", params, scenario=scenario)
    proc_rows = _catalogue.run_select(store, "metrics/stage-processes", params, scenario=scenario)
    act_rows = _catalogue.run_select(store, "metrics/activity-facts", params, scenario=scenario)

    vs_sheets = _sheets(vs_rows.rows, 0, 1, 2, 3)
    stage_sheets = _sheets(stage_rows.rows, 1, 2, 3, 4)
    act_sheets = _sheets(act_rows.rows, 3, 4, 5, 6)

    stages_of: dict[str, list[str]] = {}
    for row in stage_rows.rows:
        vs, stage = row[0].value, row[1]
        if isinstance(stage, NamedNode) and stage.value not in stages_of.setdefault(vs, []):
            stages_of[vs].append(stage.value)
    processes_of: dict[str, dict[str, list]] = {}
    for _vs, stage, process, label in proc_rows.rows:
        entry = processes_of.setdefault(stage.value, {}).setdefault(process.value, [])
        if label is not None:
            entry.append(label)
    activities_of: dict[tuple[str, str], list[str]] = {}
    for row in act_rows.rows:
        key = (row[1].value, row[2].value)
        if isinstance(row[3], NamedNode) and row[3].value not in activities_of.setdefault(key, []):
            activities_of[key].append(row[3].value)

    result = []
    for vs_iri, vs_sheet in sorted(vs_sheets.items(), key=lambda kv: kv[1].label):
        issues: list[MetricIssue] = []
        record = _value_stream(vs_sheet, units, issues)
        record.known_units = [u for u in units.values() if isinstance(u, TimeUnit)]
        stages = []
        stage_issues: dict[str, list[MetricIssue]] = {}
        for stage_iri in stages_of.get(vs_iri, []):
            own = stage_issues.setdefault(stage_iri, [])
            stage = _stage(stage_sheets[stage_iri], units, own)
            procs = processes_of.get(stage_iri, {})
            stage.processes = sorted(
                ((p, best_label(labels, local_name(p))) for p, labels in procs.items()),
                key=lambda pl: pl[1],
            )
            for process_iri, process_label in stage.processes:
                acts = [
                    _activity(act_sheets[a], process_iri, units, own)
                    for a in activities_of.get((stage_iri, process_iri), [])
                ]
                stage.activities.extend(
                    order_items(
                        acts,
                        key=lambda a: a.iri,
                        position=lambda a: a.position,
                        following=lambda a: a.next,
                        label=lambda a: a.label,
                        what="activities",
                        owner=process_label,
                        owner_iri=process_iri,
                        issues=own,
                    )
                )
            stages.append(stage)
        record.stages = order_items(
            stages,
            key=lambda s: s.iri,
            position=lambda s: s.position,
            following=lambda s: s.next,
            label=lambda s: s.label,
            what="stages",
            owner=record.label,
            owner_iri=record.iri,
            issues=issues,
        )
        # issues in stage order, whatever order the store returned the stages in
        record.issues = [i for s in record.stages for i in stage_issues[s.iri]] + issues
        result.append(record)
    return result


def _value_stream(sheet: FactSheet, units: dict, issues: list[MetricIssue]) -> ValueStreamRecord:
    what = "Value stream"
    available = _non_negative(sheet, ba("availableTimePerDay"), issues, what, "available time")
    unit = _unit(sheet, units, issues, what, available is not None)
    currency = sheet.one(ba("currency"), issues, what)
    return ValueStreamRecord(
        iri=sheet.iri,
        label=sheet.label,
        unit=unit,
        daily_demand=_non_negative(sheet, ba("dailyDemand"), issues, what, "daily demand"),
        available_time=available if unit is not None else None,
        currency=currency.value.strip().upper() if currency is not None else None,
    )


__all__ = [
    "RDFS_LABEL",
    "ActivityRecord",
    "StageRecord",
    "ValueStreamRecord",
    "order_items",
    "read_time_units",
    "read_value_streams",
]
