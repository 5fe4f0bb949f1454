"""Measure commands: ``metrics`` (value-stream flow), ``kpi`` (status and control chart) and
``scenario list|copy|diff``.

Thin by design: each command resolves its arguments, calls one service and renders the plain
dataclasses it returns (as text, or as JSON with ``--format json``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import click

from bizarch.cli.common import SCENARIO_HELP, open_repository
from bizarch.metrics.facts import MetricIssue
from bizarch.metrics.flow import ValueStreamFlow, value_stream_flows
from bizarch.metrics.kpi import KpiReport, kpi_reports
from bizarch.metrics.references import resolve_reference
from bizarch.metrics.spc import XmRChart
from bizarch.metrics.units import Duration, format_number
from bizarch.namespaces import BA
from bizarch.results import table
from bizarch.scenarios import (
    KINDS,
    STATUSES,
    ScenarioComparison,
    compare_scenarios,
    copy_scenario,
    list_scenarios,
)

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Text for people, or JSON for programs.",
)
SPARK = "▁▂▃▄▅▆▇█"


# --------------------------------------------------------------------------------------------
# Rendering helpers
# --------------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def _echo_json(items: Any) -> None:
    data = [dataclasses.asdict(i) for i in items] if isinstance(items, list) else items
    if dataclasses.is_dataclass(data):
        data = dataclasses.asdict(data)
    click.echo(json.dumps(data, default=_json_default, indent=2, ensure_ascii=False))


def _d(value: Duration | None) -> str:
    return "" if value is None else str(value)


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{format_number(value)} %"


def _issues(issues: Iterable[MetricIssue]) -> list[str]:
    return [f"  {i.severity}: {i.message}" for i in issues]


def sparkline(values: Sequence[float], marks: Iterable[int] = ()) -> tuple[str, str]:
    """A one-line chart of the values and a line with '^' under the marked positions."""
    if not values:
        return "", ""
    low, high = min(values), max(values)
    span = high - low
    line = "".join(
        SPARK[0 if span == 0 else min(len(SPARK) - 1, int((v - low) / span * len(SPARK)))]
        for v in values
    )
    marked = set(marks)
    under = "".join("^" if i in marked else " " for i in range(len(values))).rstrip()
    return line, under


# --------------------------------------------------------------------------------------------
# bizarch metrics
# --------------------------------------------------------------------------------------------


def render_flow(flow: ValueStreamFlow) -> str:
    """The value-stream map of one stream as text: a stage table, the totals, the data issues."""
    rows = []
    for i, s in enumerate(flow.stages, 1):
        rows.append(
            [
                str(s.position if s.position is not None else i),
                s.label,
                _d(s.lead),
                _d(s.process),
                _d(s.wait),
                _pct(s.pca),
                "" if s.inventory_days is None else f"{format_number(s.inventory_days)} days",
                str(s.activities or ""),
                s.lead_source or "",
            ]
        )
    header = ["#", "stage", "lead", "process", "wait", "%C&A", "inventory", "activities", "from"]
    lines = [f"{flow.label}  (scenario {flow.scenario})", table(header, rows), ""]
    summary: list[tuple[str, str]] = [
        ("total lead time", _d(flow.lead_time)),
        ("total process time", _d(flow.process_time)),
        ("activity ratio", _pct(flow.activity_ratio)),
    ]
    if flow.flow_efficiency is not None:
        summary.append(
            (
                "flow efficiency",
                f"{_pct(flow.flow_efficiency)}  (value-adding {_d(flow.value_adding_time)})",
            )
        )
    summary.append(("rolled %C&A", _pct(flow.rolled_pca)))
    if flow.activity_count:
        summary += [
            ("handoffs", str(len(flow.handoffs))),
            ("approval gates", str(len(flow.approval_gates))),
        ]
        if flow.waste_share is not None:
            summary.append(("time in waste", f"{_pct(flow.waste_share)}  ({_d(flow.waste_time)})"))
    if flow.bottleneck is not None:
        summary.append(
            ("bottleneck (wait)", f"{flow.bottleneck.label} ({_d(flow.bottleneck.wait)})")
        )
    if flow.takt_time is not None:
        summary.append(("takt time", _d(flow.takt_time)))
    if flow.inventory_days is not None:
        summary.append(("inventory", f"{format_number(flow.inventory_days)} days of demand"))
    if flow.throughput is not None:
        summary.append(
            ("throughput", f"{format_number(flow.throughput)} per day ({flow.throughput_stage})")
        )
    if flow.cost_per_transaction:
        costs = " + ".join(str(m) for m in flow.cost_per_transaction)
        summary.append(("cost per transaction", costs))
    width = max(len(name) for name, _ in summary)
    lines += [f"  {name.ljust(width)}  {value}" for name, value in summary if value]
    if flow.issues:
        lines += ["", *_issues(flow.issues)]
    return "\n".join(lines)


@click.command("metrics")
@click.argument("value_stream", required=False)
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@FORMAT
def metrics_command(value_stream: str | None, scenario: str | None, fmt: str) -> None:
    """Lean flow metrics of value streams: lead and process time, ratios, %C&A, handoffs.

    VALUE_STREAM is an IRI, CURIE or exact label; all value streams when omitted. Units are shown
    with every figure; definitions are in docs/metrics.md.
    """
    with open_repository(create=False) as repo:
        iri = None
        if value_stream:
            iri = resolve_reference(
                repo.store, value_stream, BA + "ValueStream", scenario=scenario, what="value stream"
            )
        flows = value_stream_flows(repo.store, scenario, iri)
    if fmt == "json":
        _echo_json(flows)
        return
    if not flows:
        click.echo("No value streams in this scenario.")
        return
    click.echo("\n\n".join(render_flow(f) for f in flows))


# --------------------------------------------------------------------------------------------
# bizarch kpi
# --------------------------------------------------------------------------------------------


def _latest(report: KpiReport) -> str:
    latest = report.latest
    if latest is None:
        return ""
    unit = f" {report.unit}" if report.unit else ""
    return f"{format_number(latest.value)}{unit} ({latest.date.isoformat()})"


def _signal_marks(chart: XmRChart) -> list[int]:
    return [i for i in range(len(chart.values)) if chart.signal_at(i)]


def render_kpi_list(reports: list[KpiReport]) -> str:
    rows = []
    for r in reports:
        line, _ = sparkline(r.chart.values)
        trend = r.trend.direction if r.trend else ""
        rows.append(
            [r.label, r.subject_label or "", _latest(r), r.status.status, trend, r.verdict, line]
        )
    header = ["KPI", "of", "latest", "status", "trend", "control chart", "series"]
    return table(header, rows)


def render_kpi(report: KpiReport) -> str:
    """One KPI series in detail: baseline and target, status, trend, control chart, sparkline."""
    unit = report.unit or ""
    title = report.label + (f" of {report.subject_label}" if report.subject_label else "")
    lines = [f"{title}  (scenario {report.scenario})"]
    facts = [f"unit {unit}" if unit else "no unit"]
    if report.direction_label:
        facts.append(report.direction_label)
    if report.baseline_value is not None:
        facts.append(f"baseline {format_number(report.baseline_value)} ({report.baseline_date})")
    if report.target_value is not None:
        facts.append(f"target {format_number(report.target_value)} ({report.target_date})")
    lines.append("  " + "; ".join(facts))
    lines.append(f"  latest: {_latest(report) or 'none'}")
    lines.append(f"  status: {report.status.status} ({report.status.reason})")
    if report.trend is not None:
        per = format_number(Decimal(str(report.trend.per_30_days)))
        lines.append(
            f"  trend: {report.trend.direction}, {per} {unit} per 30 days "
            f"(last {report.trend.points} values)"
        )
    chart = report.chart
    lines.append(f"  control chart (XmR): {chart.verdict}, {len(chart.values)} values")
    if chart.limits is not None:
        lim = chart.limits
        lines.append(
            f"    centre line {lim.centre:.4g}; natural process limits {lim.lower:.4g} to "
            f"{lim.upper:.4g}; moving-range limit {lim.range_upper:.4g}"
        )
    for side in ("above", "below"):
        beyond = [s for s in chart.signals if s.rule == 1 and s.side == side]
        if beyond and chart.limits is not None:
            limit = chart.limits.upper if side == "above" else chart.limits.lower
            where = ", ".join(str(s.start + 1) for s in beyond)
            lines.append(f"    rule 1: value {where} {side} the limit {limit:.4g}")
    for signal in chart.signals:
        if signal.rule == 2:
            lines.append(f"    rule 2: {signal.description}")
    if chart.large_ranges:
        jumps = ", ".join(str(i + 1) for i in chart.large_ranges)
        lines.append(f"    moving range above its limit at value {jumps}")
    if chart.revised is not None:
        rev = chart.revised
        lines.append(
            f"    after the shift (from value {rev.first + 1}): centre line {rev.centre:.4g}, "
            f"limits {rev.lower:.4g} to {rev.upper:.4g}"
        )
    if chart.note:
        lines.append(f"    {chart.note}")
    spark, under = sparkline(chart.values, _signal_marks(chart))
    if spark:
        lines += [f"    {spark}", f"    {under}" if under else ""]
        lines = [line for line in lines if line]
    if report.other_scenario_points:
        lines.append(
            f"  {report.other_scenario_points} values recorded in other scenarios left out"
        )
    lines += _issues(report.issues) + _issues(report.skipped)
    return "\n".join(lines)


@click.command("kpi")
@click.argument("kpi", required=False)
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge the status on this date [default: the date of the latest value].",
)
@FORMAT
def kpi_command(kpi: str | None, scenario: str | None, as_of: dt.datetime | None, fmt: str) -> None:
    """KPI status against baseline and target, trend, and the control-chart verdict.

    Without KPI: one line per KPI and measured element. With KPI (IRI, CURIE or exact label):
    the series in detail, with limits, signals and a sparkline ('^' marks signals).
    """
    with open_repository(create=False) as repo:
        iri = None
        if kpi:
            iri = resolve_reference(repo.store, kpi, BA + "KPI", scenario=scenario, what="KPI")
        reports = kpi_reports(repo.store, scenario, iri, as_of=as_of.date() if as_of else None)
    if fmt == "json":
        _echo_json(reports)
        return
    if not reports:
        click.echo("No KPIs in this scenario.")
        return
    if iri is None:
        click.echo(render_kpi_list(reports))
    else:
        click.echo("\n\n".join(render_kpi(r) for r in reports))


# --------------------------------------------------------------------------------------------
# bizarch scenario list|copy|diff
# --------------------------------------------------------------------------------------------


@click.group("scenario")
def scenario_group() -> None:
    """Scenarios (plateaus): list them, start a future state from one, compare two."""


@scenario_group.command("list")
@FORMAT
def scenario_list(fmt: str) -> None:
    """List the scenarios with their kind, date, status and origin."""
    with open_repository(create=False) as repo:
        scenarios = list_scenarios(repo.store)
    if fmt == "json":
        _echo_json(scenarios)
        return
    rows = [
        [
            s.name,
            s.kind or ("(no description)" if not s.described else ""),
            s.date.isoformat() if s.date else "",
            s.status or "",
            s.derived_from or "",
            str(s.triples),
            s.label or "",
        ]
        for s in scenarios
    ]
    header = ["scenario", "kind", "date", "status", "derived from", "triples", "label"]
    click.echo(table(header, rows))


@scenario_group.command("copy")
@click.argument("source")
@click.argument("target")
@click.option("--label", default=None, help="Label of the new scenario.")
@click.option("--kind", type=click.Choice(list(KINDS)), default="target", show_default=True)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Scenario date (the state it describes) [default: today].",
)
@click.option("--status", type=click.Choice(list(STATUSES)), default="proposed", show_default=True)
def scenario_copy(
    source: str,
    target: str,
    label: str | None,
    kind: str,
    date: dt.datetime | None,
    status: str,
) -> None:
    """Copy scenario SOURCE into a new scenario TARGET, the start of a future-state design.

    One atomic write; measurements are not copied; an existing TARGET is never overwritten.
    """
    with open_repository(create=False) as repo:
        info = copy_scenario(
            repo.store,
            source,
            target,
            label=label,
            kind=kind,
            date=date.date() if date else None,
            status=status,
        )
    click.echo(
        f"Created scenario '{info.name}' ({info.kind}, {info.status}, {info.date}) from "
        f"'{info.derived_from}': {info.triples} triples."
    )


def _section(title: str, items: Sequence[str], limit: int | None) -> list[str]:
    if not items:
        return []
    shown = items if limit is None else items[:limit]
    lines = [f"{title} ({len(items)})", *[f"  {item}" for item in shown]]
    if len(shown) < len(items):
        lines.append(f"  ... and {len(items) - len(shown)} more (use --all)")
    return [*lines, ""]


def render_comparison(c: ScenarioComparison, limit: int | None) -> str:
    d = c.diff
    lines = [f"Scenario '{c.base}' → '{c.target}'", ""]
    moved = [d for d in c.value_streams if d.status != "same"]
    if moved:
        lines.append(f"Value streams ({len(moved)} of {len(c.value_streams)} changed)")
        for delta in moved:
            if delta.status in ("added", "removed"):
                lines.append(f"  {delta.label}: {delta.status}")
                continue
            lines.append(f"  {delta.label}")
            lines += [f"    {change}" for change in delta.changes]
        lines.append("")
    lines += _section("Capability maturity", [str(m) for m in c.maturity], limit)
    lines += _section("Elements added", [str(e.element) for e in d.added], limit)
    lines += _section("Elements removed", [str(e.element) for e in d.removed], limit)
    changed = [a.sentence for e in d.changed for a in e.attributes]
    lines += _section("Changes", changed, limit)
    lines += _section("Relationships added", [r.sentence for r in d.relationships_added], limit)
    lines += _section("Relationships removed", [r.sentence for r in d.relationships_removed], limit)
    gaps = []
    for gap in c.gaps:
        who = "; ".join(gap.initiatives) if gap.initiatives else "no initiative"
        gaps.append(f"{gap.action:<6} {gap.element}  [{who}]")
    lines += _section("Gap list (to reach the target)", gaps, limit)
    if len(lines) == 2:
        lines.append("No differences.")
    return "\n".join(lines).rstrip()


@scenario_group.command("diff")
@click.argument("base")
@click.argument("target")
@click.option("--all", "show_all", is_flag=True, help="List every item (default: 20 per section).")
@FORMAT
def scenario_diff(base: str, target: str, show_all: bool, fmt: str) -> None:
    """Compare scenario BASE with TARGET: changes in words, metric deltas, maturity, gap list."""
    with open_repository(create=False) as repo:
        comparison = compare_scenarios(repo.store, base, target)
    if fmt == "json":
        _echo_json(comparison)
        return
    click.echo(render_comparison(comparison, None if show_all else 20))


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
    for command in (metrics_command, kpi_command, scenario_group):
        group.add_command(command)
