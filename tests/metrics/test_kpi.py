"""KPI status, trend and control-chart verdicts on a small hand-made series (fixtures/kpis.ttl)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bizarch.metrics.kpi import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    UNKNOWN,
    KpiReport,
    Point,
    kpi_reports,
    kpi_status,
)
from bizarch.metrics.spc import INSUFFICIENT, NORMAL, SIGNIFICANT

EX = "https://example.org/kpi/"


@pytest.fixture
def reports(store, load) -> dict[tuple[str, str | None], KpiReport]:
    load("kpis.ttl")
    return {(r.label, r.subject_label): r for r in kpi_reports(store)}


def test_shifted_series_is_flagged(reports):
    lead = reports[("Claim lead time", "Settle Claim")]
    assert lead.unit == "days" and lead.direction_label == "lower is better"
    assert lead.measures == ["Settle Claim"]
    assert len(lead.points) == 12 and lead.latest.value == 15
    assert lead.verdict == SIGNIFICANT
    # 20 21 19 20 then 15 14 16 15 14 15 16 15: mean 16.67, 8 in a row below it
    runs = [s for s in lead.chart.signals if s.rule == 2]
    assert [(s.start, s.end, s.side) for s in runs] == [(4, 11, "below")]
    assert lead.chart.revised.centre == pytest.approx(15)


def test_noise_series_is_not_flagged(reports):
    nps = reports[("Net promoter score", None)]
    assert nps.verdict == NORMAL
    assert nps.chart.signals == []


def test_status_rule(reports):
    # lead time: level (15 + 16 + 15) / 3 = 15.33, progress 4.67 / 10 = 0.467 at elapsed
    # 364 / 730 = 0.4986; the straight line's 15.01 is within the noise (median moving range 1:
    # 3 x 1 / 0.954 / sqrt 3 = 1.82): on track
    lead = reports[("Claim lead time", "Settle Claim")].status
    assert lead.status == ON_TRACK and "within the series' noise" in lead.reason
    assert lead.level == Decimal(46) / 3
    assert lead.progress == (Decimal(46) / 3 - 20) / -10
    assert lead.elapsed == Decimal(364) / Decimal(730)
    # NPS: progress (32 - 30) / 10 = 0.2 with 99.7 % of the time used: off track
    assert reports[("Net promoter score", None)].status.status == OFF_TRACK
    # STP: level (125 + 130 + 140) / 3 = 131.67, progress 0.317 at elapsed 181 / 364 = 0.497,
    # within 0.20 behind (and beyond the noise): at risk
    stp = reports[("Straight-through rate", None)].status
    assert stp.status == AT_RISK and stp.progress == (Decimal(395) / 3 - 100) / 100
    complaints = reports[("Complaints", None)].status
    assert complaints.status == UNKNOWN and "no baseline value" in complaints.reason


def test_trend(reports):
    # STP 120 125 130 140 on days 0 10 20 30: least-squares slope 325 / 500 = 0.65 per day
    trend = reports[("Straight-through rate", None)].trend
    assert trend.points == 4 and trend.slope_per_day == pytest.approx(0.65)
    assert trend.per_30_days == pytest.approx(19.5)
    assert trend.direction == "improving"
    assert reports[("Claim lead time", "Settle Claim")].trend.direction == "improving"


def test_bad_measurements_are_skipped_and_reported(reports):
    complaints = reports[("Complaints", None)]
    assert [p.value for p in complaints.points] == [12, 11]
    messages = [s.message for s in complaints.skipped]
    assert len(messages) == 3
    assert "'n/a' is not a number" in messages[0]
    assert "c3> has no date" in messages[1]
    assert "c5> has no measured value" in messages[2]


def test_one_series_per_subject_and_scenario(reports):
    home = reports[("Cost per claim", "Home claims")]
    motor = reports[("Cost per claim", "Motor claims")]
    assert [p.value for p in home.points] == [520]
    assert home.other_scenario_points == 1  # recorded in the target scenario
    assert [p.value for p in motor.points] == [410]
    assert home.verdict == INSUFFICIENT


def test_one_kpi_by_iri(store, load):
    load("kpis.ttl")
    reports = kpi_reports(store, kpi=EX + "Nps")
    assert [r.label for r in reports] == ["Net promoter score"]


def _report(points, **kw) -> KpiReport:
    report = KpiReport(EX + "x", "x", "current", **kw)
    report.points = [
        Point(f"m{i}", dt.date.fromisoformat(d), Decimal(v)) for i, (d, v) in enumerate(points)
    ]
    return report


BASE = {
    "baseline_value": Decimal(100),
    "baseline_date": dt.date(2025, 1, 1),
    "target_value": Decimal(50),
    "target_date": dt.date(2025, 12, 31),
    "direction": "https://w3id.org/bizarch/ontology#LowerIsBetter",
}


@pytest.mark.parametrize(
    ("date", "value", "status"),
    [
        ("2025-07-02", "75", ON_TRACK),  # half the way at half the time
        ("2025-07-02", "80", AT_RISK),  # 0.4 of the way, 0.5 of the time
        ("2025-07-02", "95", OFF_TRACK),  # 0.1 of the way, 0.5 of the time
        ("2025-07-02", "110", OFF_TRACK),  # worse than baseline
        ("2025-03-01", "40", ON_TRACK),  # beyond the target early
        ("2026-02-01", "55", AT_RISK),  # target date passed, 0.9 of the way
        ("2026-02-01", "70", OFF_TRACK),  # target date passed, 0.6 of the way
    ],
)
def test_status_rule_cases(date, value, status):
    assert kpi_status(_report([(date, value)], **BASE)).status == status


def test_status_judges_the_level_not_one_noisy_value():
    # steady at 75 (half the way at half the time), one bad month: still on track
    points = [("2025-05-01", "75"), ("2025-06-01", "74"), ("2025-07-01", "86")]
    status = kpi_status(_report(points, **BASE))
    assert status.level == Decimal(235) / 3 and status.status == ON_TRACK
    assert "mean of the last 3 values" in status.reason
    # only the last three values count: an old good month does not lift a flat series
    flat = [("2025-03-01", "40"), ("2025-05-01", "96"), ("2025-06-01", "95"), ("2025-07-01", "94")]
    assert kpi_status(_report(flat, **BASE)).status == OFF_TRACK


def test_a_gap_within_the_series_noise_is_on_track():
    # level 55.33 just short of the target 50 after the target date; moving ranges 4 and 5
    # (median 4.5): noise 3 x 4.5 / 0.954 / sqrt 3 = 8.17 > 5.33
    noisy = [("2025-11-01", "56"), ("2025-12-01", "52"), ("2026-01-01", "58")]
    status = kpi_status(_report(noisy, **BASE))
    assert (
        status.status == ON_TRACK and "within the series' noise of the target (50)" in status.reason
    )
    # the same level from a quiet series (ranges 0.5): short of the target, at risk
    quiet = [("2025-11-01", "55.5"), ("2025-12-01", "55"), ("2026-01-01", "55.5")]
    assert kpi_status(_report(quiet, **BASE)).status == AT_RISK


def test_hold_the_level_target():
    hold = {**BASE, "target_value": Decimal(100)}
    assert kpi_status(_report([("2025-06-01", "99")], **hold)).status == ON_TRACK
    assert kpi_status(_report([("2025-06-01", "101")], **hold)).status == OFF_TRACK


def test_target_date_before_baseline_is_unknown():
    bad = {**BASE, "target_date": dt.date(2024, 1, 1)}
    status = kpi_status(_report([("2025-06-01", "90")], **bad))
    assert status.status == UNKNOWN and "not after baseline date" in status.reason
