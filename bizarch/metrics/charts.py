"""Geometry of the measure charts, computed once in Python and drawn by templates as SVG.

No markup here (templates draw it): only coordinates and the texts to place, as plain dataclasses,
so a view can hand them to a template and a test can check where each mark lands.

* :func:`lead_time_ladder`: per stage one bar as long as its lead time, split into wait and
  process time (to one scale, in the value stream's lead-time unit);
* :func:`control_chart`: an individuals chart of a KPI series with its centre line, natural process
  limits and the values that signal, plus the limits recomputed after a shift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bizarch.metrics.flow import ValueStreamFlow
from bizarch.metrics.kpi import KpiReport
from bizarch.metrics.units import format_number


@dataclass(frozen=True)
class LadderBar:
    """One stage: a wait segment then a process segment, from x = ``left``."""

    label: str
    y: float
    wait_width: float
    process_width: float
    lead: str
    wait: str
    process: str
    bottleneck: bool = False


@dataclass(frozen=True)
class Ladder:
    """The lead-time ladder of a value stream (SVG user units)."""

    width: float
    height: float
    left: float
    bar_height: float
    bars: list[LadderBar] = field(default_factory=list)
    total_lead: str = ""
    total_process: str = ""
    missing: list[str] = field(default_factory=list)


def longest_stage(flow: ValueStreamFlow) -> Decimal:
    """The longest stage lead time of a value stream, in seconds (0 without any)."""
    leads = [s.lead.seconds for s in flow.stages if s.lead is not None and s.process is not None]
    return max(leads, default=Decimal(0))


def lead_time_ladder(
    flow: ValueStreamFlow,
    *,
    width: float = 640,
    left: float = 180,
    bar_height: float = 18,
    gap: float = 10,
    longest: Decimal | None = None,
) -> Ladder:
    """Bars of wait (lead - process) and process time per stage, to one scale.

    ``longest`` (seconds) fixes the scale, so that ladders shown side by side (current and
    target) compare; by default the stream's longest stage fills the width. Stages without both
    a lead and a process time get no bar and are listed in ``missing``."""
    usable = [s for s in flow.stages if s.lead is not None and s.process is not None]
    if longest is None:
        longest = longest_stage(flow)
    room = width - left
    bars = []
    for index, stage in enumerate(usable):
        lead, process, wait = stage.lead, stage.process, stage.wait
        assert lead is not None and process is not None and wait is not None
        scale = Decimal(room) / longest if longest > 0 else Decimal(0)
        bars.append(
            LadderBar(
                label=stage.label,
                y=gap + index * (bar_height + gap),
                wait_width=float(max(wait.seconds, Decimal(0)) * scale),
                process_width=float(process.seconds * scale),
                lead=str(lead),
                wait=str(wait),
                process=str(process),
                bottleneck=flow.bottleneck is not None and flow.bottleneck.iri == stage.iri,
            )
        )
    height = gap + len(bars) * (bar_height + gap)
    return Ladder(
        width=width,
        height=max(height, bar_height + 2 * gap),
        left=left,
        bar_height=bar_height,
        bars=bars,
        total_lead=str(flow.lead_time) if flow.lead_time else "",
        total_process=str(flow.process_time) if flow.process_time else "",
        missing=[s.label for s in flow.stages if s not in usable],
    )


@dataclass(frozen=True)
class ChartPoint:
    """One value of the series at (x, y); ``signal`` when a rule flags it."""

    x: float
    y: float
    value: str
    date: str
    signal: bool


@dataclass(frozen=True)
class HLine:
    """A horizontal reference line (centre line or limit) with its label."""

    y: float
    label: str
    kind: str
    x1: float
    x2: float


@dataclass(frozen=True)
class ControlChart:
    """An individuals chart in SVG user units; y grows downwards as in SVG."""

    width: float
    height: float
    points: list[ChartPoint] = field(default_factory=list)
    lines: list[HLine] = field(default_factory=list)
    polyline: str = ""
    verdict: str = ""
    note: str = ""


def control_chart(
    report: KpiReport, *, width: float = 640, height: float = 240, margin: float = 36
) -> ControlChart:
    """The XmR individuals chart of one KPI series, scaled to fit values and limits."""
    chart = report.chart
    values = chart.values
    if not values:
        return ControlChart(width, height, verdict=chart.verdict, note=chart.note or "no values")
    limits = [chart.limits, chart.revised]
    levels = list(values)
    for lim in limits:
        if lim is not None:
            levels += [lim.lower, lim.upper, lim.centre]
    low, high = min(levels), max(levels)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def y_of(value: float) -> float:
        return margin + (high - value) / (high - low) * plot_h

    step = plot_w / (len(values) - 1) if len(values) > 1 else 0.0
    xs = [round(margin + i * step, 2) if len(values) > 1 else width / 2 for i in range(len(values))]
    points = [
        ChartPoint(
            x=x,
            y=round(y_of(v), 2),
            value=format_number(Decimal(str(v))),
            date=report.points[i].date.isoformat() if i < len(report.points) else "",
            signal=bool(chart.signal_at(i)),
        )
        for i, (x, v) in enumerate(zip(xs, values, strict=True))
    ]
    lines: list[HLine] = []
    if chart.limits is not None:
        lim = chart.limits
        end = xs[-1]
        if chart.revised is not None:
            end = xs[chart.revised.first]
        lines += [
            HLine(round(y_of(lim.centre), 2), f"CL {lim.centre:.4g}", "centre", xs[0], end),
            HLine(round(y_of(lim.upper), 2), f"UNPL {lim.upper:.4g}", "limit", xs[0], end),
            HLine(round(y_of(lim.lower), 2), f"LNPL {lim.lower:.4g}", "limit", xs[0], end),
        ]
    if chart.revised is not None:
        rev, start = chart.revised, xs[chart.revised.first]
        lines += [
            HLine(
                round(y_of(rev.centre), 2), f"CL {rev.centre:.4g}", "revised-centre", start, xs[-1]
            ),
            HLine(round(y_of(rev.upper), 2), f"{rev.upper:.4g}", "revised-limit", start, xs[-1]),
            HLine(round(y_of(rev.lower), 2), f"{rev.lower:.4g}", "revised-limit", start, xs[-1]),
        ]
    polyline = " ".join(f"{p.x},{p.y}" for p in points)
    return ControlChart(width, height, points, lines, polyline, chart.verdict, chart.note)
