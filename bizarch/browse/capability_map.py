"""The capability map: tier-1 columns with nested tier-2/3 boxes, coloured by one measure.

The query (``queries/web/capability-map.rq``) gives every capability with its raw measures; this
module builds the tree, picks the measure, and sorts values into five colour classes over the
range found in the scenario, so the legend always matches what the map shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.element import Ref, _ref
from bizarch.errors import UserInputError
from bizarch.store.base import SelectResult

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]
BUCKETS = 5


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    """Shown in the picker and the legend."""
    scale: str
    """``good-high`` (green when high), ``good-low`` (green when low) or ``neutral``."""
    additive: bool
    """A parent without its own value shows the sum of its children's values."""
    unit: str = ""
    value: Callable[[Row], Decimal | None] = field(default=lambda row: None, repr=False)


def _number(term: object) -> Decimal | None:
    if isinstance(term, ox.Literal):
        try:
            return Decimal(term.value)
        except ArithmeticError:
            return None
    return None


def _gap(row: Row) -> Decimal | None:
    current, target = _number(row["currentMaturity"]), _number(row["targetMaturity"])
    return None if current is None or target is None else max(target - current, Decimal(0))


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            "maturity",
            "Current maturity (1-5)",
            "good-high",
            False,
            value=lambda r: _number(r["currentMaturity"]),
        ),
        Measure("gap", "Maturity gap (target - current)", "good-low", False, value=_gap),
        Measure(
            "importance",
            "Strategic importance (1 low - 4 critical)",
            "neutral",
            False,
            value=lambda r: _number(r["importanceRank"]),
        ),
        Measure(
            "applications",
            "Number of supporting applications",
            "neutral",
            True,
            value=lambda r: _number(r["applications"]),
        ),
        Measure(
            "cost",
            "Annual cost of supporting applications",
            "neutral",
            True,
            unit="EUR",
            value=lambda r: _number(r["annualCost"]),
        ),
        Measure(
            "risk",
            "Lifecycle risk (applications phasing out or retired)",
            "good-low",
            True,
            value=lambda r: _number(r["atRiskApplications"]),
        ),
    )
}


@dataclass
class CapabilityBox:
    ref: Ref
    tier: int
    value: Decimal | None = None
    bucket: int | None = None
    rolled_up: bool = False
    children: list[CapabilityBox] = field(default_factory=list)


@dataclass(frozen=True)
class LegendEntry:
    bucket: int
    low: Decimal
    high: Decimal


@dataclass
class CapabilityMap:
    measure: Measure
    columns: list[CapabilityBox]
    legend: list[LegendEntry]
    scenario: str


def measure_named(key: str | None) -> Measure:
    if not key:
        return MEASURES["maturity"]
    if key not in MEASURES:
        raise UserInputError(
            f"Unknown measure '{key}'.", hint="Choose one of: " + ", ".join(MEASURES) + "."
        )
    return MEASURES[key]


def capability_map(store: Store, scenario: str, measure: Measure) -> CapabilityMap:
    result = _run.run(store, "web/capability-map", scenario=scenario)
    assert isinstance(result, SelectResult)
    boxes: dict[str, CapabilityBox] = {}
    parents: dict[str, str] = {}
    for row in result.dicts():
        cap = row["capability"]
        assert isinstance(cap, ox.NamedNode)
        if cap.value in boxes:
            continue
        tier = _number(row["tier"])
        boxes[cap.value] = CapabilityBox(
            _ref(cap, row["label"]), int(tier) if tier else 1, measure.value(row)
        )
        if isinstance(row["parent"], ox.NamedNode):
            parents[cap.value] = row["parent"].value
    roots: list[CapabilityBox] = []
    for iri, box in boxes.items():
        parent = boxes.get(parents.get(iri, ""))
        (parent.children if parent is not None else roots).append(box)
    for box in roots:
        if measure.additive:
            _roll_up(box)
    legend = _bucket(boxes.values())
    return CapabilityMap(measure, roots, legend, scenario)


def _roll_up(box: CapabilityBox) -> Decimal | None:
    values = [v for v in (_roll_up(c) for c in box.children) if v is not None]
    if box.value is None and values:
        box.value = sum(values, Decimal(0))
        box.rolled_up = True
    return box.value


def _bucket(boxes: Iterable[CapabilityBox]) -> list[LegendEntry]:
    boxes = list(boxes)
    values = [b.value for b in boxes if b.value is not None]
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= BUCKETS:  # few values (maturity 1-5, importance 1-4): one colour each
        for box in boxes:
            if box.value is not None:
                box.bucket = distinct.index(box.value)
        return [LegendEntry(i, v, v) for i, v in enumerate(distinct)]
    low, high = distinct[0], distinct[-1]
    width = (high - low) / BUCKETS
    for box in boxes:
        if box.value is not None:
            box.bucket = 0 if width == 0 else min(int((box.value - low) / width), BUCKETS - 1)
    if width == 0:
        return [LegendEntry(0, low, high)]
    return [LegendEntry(i, low + width * i, low + width * (i + 1)) for i in range(BUCKETS)]
