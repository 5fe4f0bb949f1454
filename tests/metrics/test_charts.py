"""Chart geometry: where the bars and points of the measure charts land."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bizarch.metrics.charts import control_chart, lead_time_ladder
from bizarch.metrics.flow import value_stream_flows
from bizarch.metrics.kpi import KpiReport, Point
from bizarch.metrics.spc import xmr


def test_ladder_bars_share_one_scale(store, load):
    load("claims.ttl")
    (flow,) = value_stream_flows(store)
    ladder = lead_time_ladder(flow, width=640, left=140)
    # the longest lead time (Assess, 10 days) fills the 500 units right of the labels
    assert [b.label for b in ladder.bars] == ["Register Claim", "Assess Claim", "Pay Claim"]
    assess = ladder.bars[1]
    assert assess.wait_width + assess.process_width == pytest.approx(500)
    assert assess.process_width == pytest.approx(50)  # 1 of 10 days
    register = ladder.bars[0]
    assert register.wait_width + register.process_width == pytest.approx(100)  # 2 days
    assert (register.lead, register.process) == ("2 days", "0.167 days")
    assert [b.bottleneck for b in ladder.bars] == [False, True, False]
    assert ladder.total_lead == "15 days" and ladder.missing == []
    assert ladder.bars[1].y > ladder.bars[0].y and ladder.height > ladder.bars[-1].y


def test_ladder_lists_stages_without_times(store, load):
    load("onboarding.ttl")
    (flow,) = value_stream_flows(store)
    ladder = lead_time_ladder(flow)
    assert [b.label for b in ladder.bars] == ["Open Account", "Verify Identity"]
    assert ladder.missing == ["Activate Services"]


def report(values: list[float]) -> KpiReport:
    start = dt.date(2025, 1, 31)
    r = KpiReport("https://example.org/k", "k", "current")
    r.points = [
        Point(f"m{i}", start + dt.timedelta(days=30 * i), Decimal(str(v)))
        for i, v in enumerate(values)
    ]
    r.chart = xmr(values)
    return r


def test_control_chart_points_and_lines():
    values = [11, 9, 11, 9, 11, 9, 11, 9, *[10.5] * 8]
    chart = control_chart(report(values), width=640, height=240, margin=40)
    assert len(chart.points) == 16
    assert chart.points[0].x == 40 and chart.points[-1].x == 600
    # higher values are drawn higher (smaller y); signalled values are those of the run
    assert chart.points[0].y < chart.points[1].y
    assert [p.signal for p in chart.points] == [False] * 8 + [True] * 8
    kinds = [line.kind for line in chart.lines]
    assert kinds == ["centre", "limit", "limit", "revised-centre", "revised-limit", "revised-limit"]
    centre, upper, lower = chart.lines[:3]
    assert upper.y < centre.y < lower.y
    assert centre.label == "CL 10.25"
    # the whole-series lines stop where the revised limits start
    assert centre.x2 == chart.points[8].x == chart.lines[3].x1
    assert chart.polyline.startswith("40.0,") and chart.verdict == "significant change"


def test_control_chart_edge_cases():
    assert control_chart(report([])).points == []
    single = control_chart(report([5]))
    assert len(single.points) == 1 and single.lines == [] and single.verdict == "insufficient data"
    flat = control_chart(report([3, 3, 3]))
    assert len({p.y for p in flat.points}) == 1 and "collapse" in flat.note


def test_ladders_side_by_side_share_a_scale(store, load):
    load("claims.ttl")
    (flow,) = value_stream_flows(store)
    # a scale of 20 days: the 10-day stage fills half of the 500 units
    ladder = lead_time_ladder(flow, width=640, left=140, longest=Decimal(20 * 86400))
    assess = ladder.bars[1]
    assert assess.wait_width + assess.process_width == pytest.approx(250)
