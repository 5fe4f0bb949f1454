"""KPI status against baseline and target, trend, and the control chart of each series.

Status rule (documented in ``docs/metrics.md``): with baseline value B at baseline date tB, target
value T at target date tT, and the series' current level L at the date t of its latest value,

* level L = the mean of the last ``LEVEL_POINTS`` (3) values: one month of a noisy series neither
  earns nor loses a status (the control chart tells a real change from noise; the status should not
  react to noise either);
* progress p = (L - B) / (T - B): the share of the baseline-to-target distance covered (it
  honours the KPI's direction through the sign of T - B; p < 0 means worse than baseline);
* expected e = (t - tB) / (tT - tB), clamped to [0, 1]: where a straight line from baseline to
  target would be by now (1 from the target date on);
* noise n = 3 sigma of a mean of that many values, sigma = median moving range / 0.954 (Wheeler's
  median-range estimate, robust to the odd outlier): a gap smaller than n cannot be told from noise;
* **on track** when p >= 1 (target reached), p >= e (at or ahead of the straight line), or the
  level is behind the straight line's value by no more than n;
* **at risk** when p >= e - 0.20 (behind the line by at most 20 % of the distance; after the
  target date: short of the target by at most 20 % of the distance);
* **off track** otherwise;
* when T = B (hold the level): on track when L is at least as good as T, else off track;
* **unknown** when there is no measurement, no baseline or target, or tT is not after tB.

Trend: the least-squares slope of the last ``trend_points`` values (default 6) against their
dates, per day and per 30 days; "improving" when it moves the better way (``ba:direction``, or
towards the target when no direction is given), "worsening" the other way, "flat" at zero.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import NamedNode

from bizarch.metrics import _catalogue
from bizarch.metrics.facts import FactSheet, MetricIssue, ba, local_name, to_date
from bizarch.metrics.spc import XmRChart, xmr
from bizarch.metrics.units import format_number
from bizarch.store.base import GraphStore

AT_RISK_TOLERANCE = Decimal("0.20")
LEVEL_POINTS = 3
MEDIAN_RANGE_TO_SIGMA = 0.954
DEFAULT_TREND_POINTS = 6

ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"
UNKNOWN = "unknown"

HIGHER = ba("HigherIsBetter")
LOWER = ba("LowerIsBetter")


@dataclass(frozen=True)
class Point:
    """One measurement in a series."""

    iri: str
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class Status:
    """Status of a KPI series against its baseline and target, with the shares it rests on."""

    status: str
    reason: str
    progress: Decimal | None = None
    elapsed: Decimal | None = None
    level: Decimal | None = None


@dataclass(frozen=True)
class Trend:
    """Least-squares slope of the last points of a series."""

    points: int
    slope_per_day: float
    direction: str

    @property
    def per_30_days(self) -> float:
        return self.slope_per_day * 30


@dataclass
class KpiReport:
    """A KPI's series for one measured element (``subject``) in one scenario."""

    iri: str
    label: str
    scenario: str
    unit: str | None = None
    direction: str | None = None
    direction_label: str | None = None
    baseline_value: Decimal | None = None
    baseline_date: dt.date | None = None
    target_value: Decimal | None = None
    target_date: dt.date | None = None
    subject: str | None = None
    subject_label: str | None = None
    measures: list[str] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    status: Status = field(default_factory=lambda: Status(UNKNOWN, "not computed"))
    trend: Trend | None = None
    chart: XmRChart = field(default_factory=lambda: xmr([]))
    skipped: list[MetricIssue] = field(default_factory=list)
    issues: list[MetricIssue] = field(default_factory=list)
    other_scenario_points: int = 0

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def verdict(self) -> str:
        return self.chart.verdict


def _better_sign(report: KpiReport) -> int:
    """+1 when higher values are better, -1 when lower are, 0 when unknown."""
    if report.direction == HIGHER:
        return 1
    if report.direction == LOWER:
        return -1
    if report.baseline_value is not None and report.target_value is not None:
        diff = report.target_value - report.baseline_value
        return (diff > 0) - (diff < 0)
    return 0


def kpi_status(report: KpiReport, as_of: dt.date | None = None) -> Status:
    """Judge the latest value against baseline and target (the rule in the module docstring)."""
    latest = report.latest
    b, t = report.baseline_value, report.target_value
    tb, tt = report.baseline_date, report.target_date
    if latest is None:
        return Status(UNKNOWN, "no measurements")
    missing = [
        name
        for name, v in (
            ("baseline value", b),
            ("baseline date", tb),
            ("target value", t),
            ("target date", tt),
        )
        if v is None
    ]
    if missing:
        return Status(UNKNOWN, f"no {', '.join(missing)}")
    assert b is not None and t is not None and tb is not None and tt is not None
    if tt <= tb:
        return Status(UNKNOWN, f"target date {tt} is not after baseline date {tb}")
    when = as_of or latest.date
    elapsed = Decimal((when - tb).days) / Decimal((tt - tb).days)
    elapsed = min(max(elapsed, Decimal(0)), Decimal(1))
    window = report.points[-LEVEL_POINTS:]
    level = sum((p.value for p in window), Decimal(0)) / len(window)
    shown = format_number(level)
    about = f"level {shown} (mean of the last {len(window)} values)"
    if len(window) == 1:
        about = f"latest value {shown}"
    if t == b:
        sign = _better_sign(report)
        good = level == t or (sign != 0 and (level - t) * sign > 0)
        return Status(
            ON_TRACK if good else OFF_TRACK,
            f"target is to hold {t}; {about} is {'' if good else 'not '}at least as good",
            None,
            elapsed,
            level,
        )
    progress = (level - b) / (t - b)
    shares = f"{about}: {progress:.0%} of the way from baseline to target"
    if when >= tt:
        shares += f"; target date {tt} passed"
    else:
        shares += f", {elapsed:.0%} of the time used"
    if progress >= 1:
        return Status(ON_TRACK, f"target reached; {shares}", progress, elapsed, level)
    if progress >= elapsed:
        return Status(ON_TRACK, shares, progress, elapsed, level)
    expected = b + elapsed * (t - b)
    if abs(expected - level) <= _noise(report.points, len(window)):
        line = "the target" if when >= tt else "the straight line"
        shares += f"; within the series' noise of {line} ({format_number(expected)})"
        return Status(ON_TRACK, shares, progress, elapsed, level)
    if progress >= elapsed - AT_RISK_TOLERANCE:
        return Status(AT_RISK, shares, progress, elapsed, level)
    return Status(OFF_TRACK, shares, progress, elapsed, level)


def _noise(points: list[Point], n: int) -> Decimal:
    """3 sigma of a mean of ``n`` values; sigma from the median moving range of the series."""
    ranges = [abs(b.value - a.value) for a, b in itertools.pairwise(points)]
    if not ranges:
        return Decimal(0)
    sigma = float(statistics.median(ranges)) / MEDIAN_RANGE_TO_SIGMA
    return Decimal(str(3 * sigma / math.sqrt(n)))


def kpi_trend(report: KpiReport, points: int = DEFAULT_TREND_POINTS) -> Trend | None:
    """Least-squares slope over the last ``points`` values; ``None`` for fewer than 2 dates."""
    window = report.points[-points:]
    if len({p.date for p in window}) < 2:
        return None
    origin = window[0].date
    xs = [float((p.date - origin).days) for p in window]
    ys = [float(p.value) for p in window]
    slope = statistics.linear_regression(xs, ys).slope
    sign = _better_sign(report)
    if slope == 0:
        direction = "flat"
    elif sign == 0:
        direction = "rising" if slope > 0 else "falling"
    else:
        direction = "improving" if slope * sign > 0 else "worsening"
    return Trend(len(window), slope, direction)


def _kpi_sheets(store: GraphStore, scenario: str | None, kpi: str | None):
    params = {"kpi": NamedNode(kpi) if kpi else None}
    rows = _catalogue.run_select(store, "metrics/kpi-facts", params, scenario=scenario).rows
    sheets: dict[str, FactSheet] = {}
    for k, prop, value, label in rows:
        sheets.setdefault(k.value, FactSheet(k.value)).add(prop.value, value, label)
    rows = _catalogue.run_select(store, "metrics/measurements", params, scenario=scenario).rows
    measurements: dict[str, dict[str, FactSheet]] = {}
    for k, m, prop, value, label in rows:
        key = m.value if isinstance(m, NamedNode) else str(m)
        sheet = measurements.setdefault(k.value, {}).setdefault(key, FactSheet(key))
        sheet.add(prop.value if prop is not None else None, value, label)
    return sheets, measurements


def _base_report(sheet: FactSheet, scenario: str, issues: list[MetricIssue]) -> KpiReport:
    what = "KPI"
    report = KpiReport(sheet.iri, sheet.label, scenario)
    unit = sheet.one(ba("unitOfMeasure"), issues, what)
    report.unit = unit.value if unit is not None else None
    direction = sheet.one(ba("direction"), issues, what)
    if isinstance(direction, NamedNode):
        report.direction, report.direction_label = direction.value, sheet.label_of(direction)
    report.baseline_value = sheet.number(ba("baselineValue"), issues, what)
    report.target_value = sheet.number(ba("targetValue"), issues, what)
    for attr, prop in (("baseline_date", "baselineDate"), ("target_date", "targetDate")):
        term = sheet.one(ba(prop), issues, what)
        if term is not None:
            try:
                setattr(report, attr, to_date(term))
            except ValueError as exc:
                issues.append(
                    MetricIssue("error", sheet.iri, sheet.label, f"KPI '{sheet.label}': {exc}.")
                )
    report.measures = sorted(sheet.label_of(m) for m in sheet.all(ba("measuredBy")))
    sign = _better_sign(report)
    if (
        report.direction in (HIGHER, LOWER)
        and report.baseline_value is not None
        and report.target_value is not None
        and (report.target_value - report.baseline_value) * sign < 0
    ):
        issues.append(
            MetricIssue(
                "warning",
                sheet.iri,
                sheet.label,
                f"KPI '{sheet.label}': the target {report.target_value} is worse than the "
                f"baseline {report.baseline_value} for '{report.direction_label}'.",
            )
        )
    return report


def _point(sheet: FactSheet, kpi_label: str) -> tuple[Point | None, MetricIssue | None]:
    issues: list[MetricIssue] = []
    what = f"Measurement of '{kpi_label}'"
    value = sheet.number(ba("measuredValue"), issues, what)
    date_term = sheet.one(ba("measurementDate"), issues, what) or sheet.one(
        ba("periodEnd"), issues, what
    )
    date = None
    if date_term is not None:
        try:
            date = to_date(date_term)
        except ValueError as exc:
            issues.append(MetricIssue("error", sheet.iri, None, f"{what} <{sheet.iri}>: {exc}."))
    if value is None and not issues:
        issues.append(
            MetricIssue("error", sheet.iri, None, f"{what} <{sheet.iri}> has no measured value.")
        )
    if date is None and not issues:
        issues.append(MetricIssue("error", sheet.iri, None, f"{what} <{sheet.iri}> has no date."))
    if issues:
        issue = issues[0]
        return None, MetricIssue("warning", issue.subject, issue.subject_label, issue.message)
    return Point(sheet.iri, date, value), None  # type: ignore[arg-type]


def kpi_reports(
    store: GraphStore,
    scenario: str | None = None,
    kpi: str | None = None,
    *,
    as_of: dt.date | None = None,
    trend_points: int = DEFAULT_TREND_POINTS,
) -> list[KpiReport]:
    """One report per KPI and measured element (subject), sorted by KPI label and subject.

    Measurements that name another scenario (``ba:inScenario``) are left out of the series and
    counted in ``other_scenario_points``; measurements whose value or date is missing or
    ill-typed are left out and listed in ``skipped``."""
    graph = _catalogue.require_scenario(store, scenario)
    name = _catalogue.scenario_name(graph)
    sheets, measurements = _kpi_sheets(store, scenario, kpi)
    reports = []
    for kpi_iri, sheet in sheets.items():
        issues: list[MetricIssue] = []
        base = _base_report(sheet, name, issues)
        series: dict[str | None, list[Point]] = {}
        subject_labels: dict[str | None, str | None] = {None: None}
        skipped: dict[str | None, list[MetricIssue]] = {}
        other: dict[str | None, int] = {}
        for _key, m_sheet in sorted(measurements.get(kpi_iri, {}).items()):
            subject_term = m_sheet.one(ba("measurementSubject"), [], "Measurement")
            subject = subject_term.value if isinstance(subject_term, NamedNode) else None
            if subject is not None:
                subject_labels[subject] = m_sheet.label_of(subject_term)
            scenarios = [s.value for s in m_sheet.all(ba("inScenario"))]
            if scenarios and graph not in scenarios:
                other[subject] = other.get(subject, 0) + 1
                continue
            point, problem = _point(m_sheet, base.label)
            if point is None:
                skipped.setdefault(subject, []).append(problem)  # type: ignore[arg-type]
                series.setdefault(subject, [])
            else:
                series.setdefault(subject, []).append(point)
        subjects = set(series) | set(other) or {None}
        for subject in sorted(subjects, key=lambda s: subject_labels.get(s) or ""):
            report = KpiReport(**{**base.__dict__})
            report.subject = subject
            report.subject_label = subject_labels.get(subject) or (
                local_name(subject) if subject else None
            )
            report.points = sorted(series.get(subject, []), key=lambda p: (p.date, p.iri))
            report.skipped = skipped.get(subject, [])
            report.other_scenario_points = other.get(subject, 0)
            report.issues = list(issues)
            report.chart = xmr([p.value for p in report.points])
            report.status = kpi_status(report, as_of)
            report.trend = kpi_trend(report, trend_points)
            reports.append(report)
    reports.sort(key=lambda r: (r.label, r.subject_label or ""))
    return reports
