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
    # lead time: progress (15 - 20) / (10 - 20) = 0.5, elapsed 364 / 730 = 0.4986: on track
    lead = reports[("Claim lead time", "Settle Claim")].status
    assert lead.status == ON_TRACK
    assert lead.progress == Decimal("0.5")
    assert lead.elapsed == Decimal(364) / Decimal(730)
    # NPS: progress (32 - 30) / 10 = 0.2 with 99.7 % of the time used: off track
    assert reports[("Net promoter score", None)].status.status == OFF_TRACK
    # STP: progress 0.4 at elapsed 181 / 364 = 0.497, within 0.20 behind: at risk
    stp = reports[("Straight-through rate", None)].status
    assert stp.status == AT_RISK and stp.progress == Decimal("0.4")
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
        ("2026-02-01", "55", OFF_TRACK),  # target date passed, target missed
    ],
)
def test_status_rule_cases(date, value, status):
    assert kpi_status(_report([(date, value)], **BASE)).status == status


def test_hold_the_level_target():
    hold = {**BASE, "target_value": Decimal(100)}
    assert kpi_status(_report([("2025-06-01", "99")], **hold)).status == ON_TRACK
    assert kpi_status(_report([("2025-06-01", "101")], **hold)).status == OFF_TRACK


def test_target_date_before_baseline_is_unknown():
    bad = {**BASE, "target_date": dt.date(2024, 1, 1)}
    status = kpi_status(_report([("2025-06-01", "90")], **bad))
    assert status.status == UNKNOWN and "not after baseline date" in status.reason
