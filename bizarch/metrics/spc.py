"""Individuals control chart (XmR) and its signals: is a change in a KPI a signal or noise?

Definitions (Donald J. Wheeler, "Understanding Variation: The Key to Managing Chaos", 2nd ed.,
SPC Press 2000; run rule from the Western Electric "Statistical Quality Control Handbook", 1956):

* moving range mR_i = |x_i - x_(i-1)| for i >= 2; mean moving range mR̄ = their average;
* centre line CL = mean of the values;
* natural process limits UNPL/LNPL = CL ± 2.66 x mR̄ (2.66 = 3 / d2, d2 = 1.128 for n = 2);
* upper range limit URL = 3.268 x mR̄ (D4 for n = 2).

Signals of a significant change ("significant change"; otherwise "normal variation"):

* rule 1: a value strictly above UNPL or strictly below LNPL;
* rule 2: a run of 8 or more consecutive values strictly on the same side of the centre line
  (a value exactly on the centre line ends a run and starts none).

A moving range above URL is reported (``large_ranges``) but is not by itself a verdict signal.

Edge cases: fewer than 2 values give no limits ("insufficient data"); a constant series has
mR̄ = 0, so the limits collapse onto the centre line: no value lies beyond them or beside the
line, and the verdict is "normal variation" with a note (any later different value would be a
rule-1 signal). When a rule-2 run starts after the first value, ``revised`` holds limits
recomputed from the first value of the latest such run on (the process after the shift), as
Wheeler advises once a shift is confirmed; the verdict is always judged on the limits of the
whole series.

Floats are used (measurements are observations, not money); limits are shown rounded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

NATURAL_LIMIT_FACTOR = 2.66
RANGE_LIMIT_FACTOR = 3.268
RUN_LENGTH = 8

SIGNIFICANT = "significant change"
NORMAL = "normal variation"
INSUFFICIENT = "insufficient data"


@dataclass(frozen=True)
class Limits:
    """Centre line and limits of an XmR chart over a span of values."""

    centre: float
    mean_moving_range: float
    lower: float
    upper: float
    range_upper: float
    first: int = 0
    """Index of the first value the limits were computed from."""


@dataclass(frozen=True)
class Signal:
    """A detected signal: ``rule`` 1 (beyond limits) or 2 (run), over values start..end."""

    rule: int
    start: int
    end: int
    side: str
    description: str


@dataclass
class XmRChart:
    """An individuals and moving-range chart of one series, with its verdict."""

    values: list[float]
    moving_ranges: list[float | None] = field(default_factory=list)
    limits: Limits | None = None
    signals: list[Signal] = field(default_factory=list)
    large_ranges: list[int] = field(default_factory=list)
    revised: Limits | None = None
    verdict: str = INSUFFICIENT
    note: str = ""

    @property
    def significant(self) -> bool:
        return self.verdict == SIGNIFICANT

    def signal_at(self, index: int) -> list[Signal]:
        return [s for s in self.signals if s.start <= index <= s.end]


def limits_of(values: Sequence[float], first: int = 0) -> Limits | None:
    """XmR limits of ``values`` (``None`` for fewer than two)."""
    if len(values) < 2:
        return None
    ranges = [abs(b - a) for a, b in pairwise(values)]
    centre = math.fsum(values) / len(values)
    mr_bar = math.fsum(ranges) / len(ranges)
    spread = NATURAL_LIMIT_FACTOR * mr_bar
    return Limits(
        centre, mr_bar, centre - spread, centre + spread, RANGE_LIMIT_FACTOR * mr_bar, first
    )


def _runs(values: list[float], centre: float) -> list[tuple[int, int, str]]:
    runs, start, side = [], 0, None
    for i, value in enumerate([*values, centre]):  # the sentinel closes the last run
        here = "above" if value > centre else ("below" if value < centre else None)
        if here != side or here is None:
            if side is not None and i - start >= RUN_LENGTH:
                runs.append((start, i - 1, side))
            start, side = i, here
    return runs


def xmr(values: Sequence[float | Decimal]) -> XmRChart:
    """The XmR chart of a series in time order, with rule-1 and rule-2 signals and verdict."""
    xs = [float(v) for v in values]
    chart = XmRChart(xs, [None] + [abs(b - a) for a, b in pairwise(xs)])
    limits = limits_of(xs)
    if limits is None:
        chart.note = (
            f"{len(xs)} value{'s' if len(xs) != 1 else ''}: at least 2 are needed for "
            "natural process limits."
        )
        return chart
    chart.limits = limits
    for i, x in enumerate(xs):
        if x > limits.upper or x < limits.lower:
            side = "above" if x > limits.upper else "below"
            bound = limits.upper if side == "above" else limits.lower
            chart.signals.append(
                Signal(1, i, i, side, f"value {i + 1} ({x:g}) is {side} the limit {bound:.4g}")
            )
    for start, end, side in _runs(xs, limits.centre):
        chart.signals.append(
            Signal(
                2,
                start,
                end,
                side,
                f"values {start + 1} to {end + 1}: {end - start + 1} in a row {side} the "
                f"centre line {limits.centre:.4g}",
            )
        )
    chart.signals.sort(key=lambda s: (s.start, s.rule))
    chart.large_ranges = [
        i for i, r in enumerate(chart.moving_ranges) if r is not None and r > limits.range_upper
    ]
    chart.verdict = SIGNIFICANT if chart.signals else NORMAL
    if limits.mean_moving_range == 0:
        chart.note = (
            "All values are equal: the moving range is zero and the limits collapse onto the "
            "centre line; any different value would be a signal."
        )
    shifts = [s for s in chart.signals if s.rule == 2 and s.start > 0]
    if shifts:
        chart.revised = limits_of(xs[shifts[-1].start :], first=shifts[-1].start)
    return chart
