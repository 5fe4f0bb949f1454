"""XmR control chart: limits, rule 1 (beyond limits), rule 2 (run of 8), edge cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bizarch.metrics.spc import INSUFFICIENT, NORMAL, SIGNIFICANT, limits_of, xmr

ALTERNATING = [11, 9, 11, 9, 11, 9, 11, 9]


def test_limits_known_answer():
    # values 5 7 6 8 4: mean 6; moving ranges 2 1 2 4, mean 2.25;
    # limits 6 +/- 2.66 * 2.25 = 6 +/- 5.985; range limit 3.268 * 2.25 = 7.353
    limits = limits_of([5, 7, 6, 8, 4])
    assert limits.centre == pytest.approx(6)
    assert limits.mean_moving_range == pytest.approx(2.25)
    assert limits.upper == pytest.approx(11.985)
    assert limits.lower == pytest.approx(0.015)
    assert limits.range_upper == pytest.approx(7.353)
    chart = xmr([Decimal(5), Decimal(7), Decimal(6), Decimal(8), Decimal(4)])
    assert chart.moving_ranges == [None, 2, 1, 2, 4]
    assert chart.verdict == NORMAL and chart.signals == []


@pytest.mark.parametrize("values", [[], [42]])
def test_fewer_than_two_points_have_no_limits(values):
    chart = xmr(values)
    assert chart.limits is None
    assert chart.verdict == INSUFFICIENT
    assert "at least 2 are needed" in chart.note


def test_constant_series_collapses_limits_without_signal():
    chart = xmr([7, 7, 7, 7, 7, 7, 7, 7, 7, 7])
    assert chart.limits.lower == chart.limits.upper == chart.limits.centre == 7
    assert chart.verdict == NORMAL
    assert chart.signals == []  # points on the centre line are in no run
    assert "limits collapse" in chart.note


def test_constant_series_then_a_change_is_a_signal():
    chart = xmr([7, 7, 7, 7, 7, 7, 7, 8])
    assert chart.verdict == SIGNIFICANT
    assert [(s.rule, s.start) for s in chart.signals] == [(1, 7)]


def test_rule_1_point_beyond_the_limits():
    # mean 110 / 9 = 12.22; moving ranges 1 2 1 20 20 1 2 1, mean 6;
    # upper limit 12.22 + 15.96 = 28.18 < 30; range limit 19.608 < 20
    chart = xmr([10, 11, 9, 10, 30, 10, 11, 9, 10])
    assert chart.limits.upper == pytest.approx(110 / 9 + 2.66 * 6)
    assert chart.verdict == SIGNIFICANT
    assert [(s.rule, s.start, s.side) for s in chart.signals] == [(1, 4, "above")]
    assert chart.signal_at(4) and not chart.signal_at(3)
    assert chart.large_ranges == [4, 5]  # the jumps to and from 30


def test_rule_2_exactly_eight_on_one_side():
    # centre (80 + 84) / 16 = 10.25; limits 10.25 +/- 2.66 * 15.5 / 15: no point beyond
    chart = xmr(ALTERNATING + [10.5] * 8)
    assert chart.limits.centre == pytest.approx(10.25)
    assert [(s.rule, s.start, s.end, s.side) for s in chart.signals] == [(2, 8, 15, "above")]
    assert chart.verdict == SIGNIFICANT
    # limits recomputed from the start of the run: the process after the shift
    assert chart.revised.first == 8 and chart.revised.centre == pytest.approx(10.5)


def test_rule_2_seven_in_a_row_is_not_a_signal():
    chart = xmr([*ALTERNATING, *[10.5] * 7, 9])
    assert chart.signals == []
    assert chart.verdict == NORMAL
    assert chart.revised is None


def test_a_point_on_the_centre_line_breaks_a_run():
    values = [12, 12, 12, 12, 10, 12, 12, 12, 12, 8, 8, 8, 8, 8, 8, 8, 8, 10]
    chart = xmr(values)
    assert chart.limits.centre == pytest.approx(10)
    # 4 above, 1 on the line, 4 above: no run of 8 above; then 8 below: one run
    assert [(s.rule, s.start, s.end) for s in chart.signals if s.rule == 2] == [(2, 9, 16)]
