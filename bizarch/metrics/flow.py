"""Lean flow metrics of value streams, per scenario (see ``docs/metrics.md`` for definitions).

Figures come from the stages and, where modelled, from the activities of the processes that
realise each stage (``ba:realizesStage``). All arithmetic is exact ``Decimal`` on seconds; units
are converted through ``ba:secondsPerUnit`` and every duration in a result carries its unit.

Results are plain dataclasses so the CLI, the web views and the scenario comparison can share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from bizarch.metrics import _catalogue
from bizarch.metrics.extract import (
    ActivityRecord,
    StageRecord,
    ValueStreamRecord,
    read_value_streams,
)
from bizarch.metrics.facts import MetricIssue, ba
from bizarch.metrics.units import DAY, Duration, TimeUnit, format_number, percent, readable_unit
from bizarch.store.base import GraphStore

DEFAULT_CURRENCY = "EUR"
VALUE_ADDING = ba("ValueAdding")
WASTE = ba("Waste")


@dataclass(frozen=True)
class Money:
    """An amount in one currency (ISO 4217 code)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{format_number(self.amount)} {self.currency}"


@dataclass(frozen=True)
class Handoff:
    """Work passing between parties after ``from_label`` (to ``to_label``, or out of the stream)."""

    from_activity: str
    from_label: str
    to_activity: str | None
    to_label: str | None
    reason: str
    from_performers: tuple[str, ...] = ()
    to_performers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityRef:
    """An activity named in a result (approval gates)."""

    iri: str
    label: str
    stage_label: str


@dataclass
class StageFlow:
    """One stage's figures, converted; ``*_source`` says where each figure came from
    (``"stage"``: the stage's own attribute; ``"activities"``: its processes' activities;
    ``"inventory"``: inventory divided by daily demand plus process time)."""

    iri: str
    label: str
    position: int | None
    lead: Duration | None = None
    lead_source: str | None = None
    process: Duration | None = None
    process_source: str | None = None
    pca: Decimal | None = None
    pca_source: str | None = None
    inventory: Decimal | None = None
    inventory_days: Decimal | None = None
    throughput: Decimal | None = None
    cost: Money | None = None
    activities: int = 0
    value_adding: Duration | None = None
    path_process: str | None = None
    alternatives: list[str] = field(default_factory=list)

    @property
    def wait(self) -> Duration | None:
        """Lead time minus process time, shown in the lead-time unit."""
        if self.lead is None or self.process is None:
            return None
        return Duration(self.lead.seconds - self.process.seconds, self.lead.unit)


@dataclass
class ValueStreamFlow:
    """Flow metrics of one value stream in one scenario. Percentages are in [0, 100]."""

    iri: str
    label: str
    scenario: str
    lead_unit: TimeUnit | None
    process_unit: TimeUnit | None
    stages: list[StageFlow] = field(default_factory=list)
    lead_time: Duration | None = None
    process_time: Duration | None = None
    activity_ratio: Decimal | None = None
    value_adding_time: Duration | None = None
    flow_efficiency: Decimal | None = None
    rolled_pca: Decimal | None = None
    handoffs: list[Handoff] = field(default_factory=list)
    approval_gates: list[ActivityRef] = field(default_factory=list)
    activity_count: int = 0
    waste_time: Duration | None = None
    waste_share: Decimal | None = None
    bottleneck: StageFlow | None = None
    takt_time: Duration | None = None
    daily_demand: Decimal | None = None
    inventory_days: Decimal | None = None
    throughput: Decimal | None = None
    throughput_stage: str | None = None
    cost_per_transaction: list[Money] = field(default_factory=list)
    issues: list[MetricIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[MetricIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[MetricIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def notes(self) -> list[MetricIssue]:
        return [i for i in self.issues if i.severity == "note"]


def value_stream_flows(
    store: GraphStore, scenario: str | None = None, value_stream: str | None = None
) -> list[ValueStreamFlow]:
    """Flow metrics of every value stream of a scenario (or of one, by IRI), sorted by label."""
    graph = _catalogue.require_scenario(store, scenario)
    name = _catalogue.scenario_name(graph)
    return [compute_flow(r, name) for r in read_value_streams(store, scenario, value_stream)]


# --------------------------------------------------------------------------------------------
# The arithmetic, on records (no store access below this line)
# --------------------------------------------------------------------------------------------


def _largest(units: list[TimeUnit]) -> TimeUnit | None:
    return max(units, key=lambda u: (u.seconds, u.iri)) if units else None


def _seconds(value: Decimal | None, unit: TimeUnit | None) -> Decimal | None:
    return None if value is None or unit is None else value * unit.seconds


@dataclass
class _StageTimes:
    lead: Decimal | None = None
    lead_source: str | None = None
    lead_unit: TimeUnit | None = None
    process: Decimal | None = None
    process_source: str | None = None
    process_unit: TimeUnit | None = None


def _activity_times(
    stage: StageRecord,
) -> tuple[Decimal | None, Decimal | None, list[TimeUnit], list[TimeUnit]]:
    """Sum of cycle times and of (wait + cycle) times over a stage's activities, in seconds,
    with the units cycle and wait times were stated in; ``None`` when no activity has one."""
    cycle_total = wait_total = None
    cycle_units, lead_units = [], []
    for activity in stage.activities:
        cycle = _seconds(activity.cycle, activity.unit)
        wait = _seconds(activity.wait, activity.unit)
        if cycle is not None:
            cycle_total = (cycle_total or Decimal(0)) + cycle
            cycle_units.append(activity.unit)
        if cycle is not None or wait is not None:
            wait_total = (wait_total or Decimal(0)) + (wait or 0)
            lead_units.append(activity.unit)
    lead_total = None
    if cycle_total is not None or wait_total is not None:
        lead_total = (cycle_total or Decimal(0)) + (wait_total or Decimal(0))
    return cycle_total, lead_total, cycle_units, lead_units  # type: ignore[return-value]


def _stage_times(stage: StageRecord, vs: ValueStreamRecord, issues: list[MetricIssue]):
    times = _StageTimes()
    act_process, act_lead, cycle_units, lead_units = _activity_times(stage)

    if stage.process is not None:
        times.process, times.process_source = stage.process * stage.unit.seconds, "stage"
        times.process_unit = stage.unit
    elif act_process is not None:
        times.process, times.process_source = act_process, "activities"
        times.process_unit = _largest(cycle_units)

    if stage.lead is not None:
        times.lead, times.lead_source, times.lead_unit = (
            stage.lead * stage.unit.seconds,
            "stage",
            stage.unit,
        )
        if act_lead is not None and act_lead > times.lead:
            issues.append(
                MetricIssue(
                    "warning",
                    stage.iri,
                    stage.label,
                    f"The activities of stage '{stage.label}' take "
                    f"{Duration(act_lead, stage.unit)} (wait + cycle), more than the stage's "
                    f"lead time {Duration(times.lead, stage.unit)}; the stage figure is used.",
                )
            )
    elif act_lead is not None:
        times.lead, times.lead_source = act_lead, "activities"
        times.lead_unit = _largest(lead_units)
    elif stage.inventory is not None and vs.daily_demand:
        wait = stage.inventory / vs.daily_demand * DAY.seconds
        times.lead, times.lead_source, times.lead_unit = (
            wait + (times.process or 0),
            "inventory",
            DAY,
        )
        if times.process is None:
            issues.append(
                MetricIssue(
                    "warning",
                    stage.iri,
                    stage.label,
                    f"Stage '{stage.label}' has no process time; its lead time is its "
                    "inventory days alone.",
                )
            )
    return times


def _stage_pca(stage: StageRecord, issues: list[MetricIssue]) -> tuple[Decimal | None, str | None]:
    if stage.pca is not None:
        return stage.pca, "stage"
    known = [a.pca for a in stage.activities if a.pca is not None]
    if not known:
        return None, None
    if len(known) < len(stage.activities):
        issues.append(
            MetricIssue(
                "warning",
                stage.iri,
                stage.label,
                f"Stage '{stage.label}' has no %C&A of its own; it is rolled from "
                f"{len(known)} of its {len(stage.activities)} activities (the others have none).",
            )
        )
    product = Decimal(1)
    for value in known:
        product *= value / 100
    return product * 100, "activities"


def _handoffs(stages: list[StageRecord]) -> list[Handoff]:
    """Transitions between consecutive activities in stream order that hand work over.

    A transition after activity *i* counts once when *i* is flagged ``ba:isHandoff true`` or
    when *i* and *i+1* both have performers and share none; the flag on the last activity
    counts the hand-over out of the stream."""
    flat: list[ActivityRecord] = [a for s in stages for a in s.activities]
    result = []
    for index, activity in enumerate(flat):
        following = flat[index + 1] if index + 1 < len(flat) else None
        flagged = activity.is_handoff is True
        changed = (
            following is not None
            and bool(activity.performers)
            and bool(following.performers)
            and not set(activity.performers) & set(following.performers)
        )
        if not (flagged or changed):
            continue
        reason = (
            "flagged and performer change"
            if flagged and changed
            else ("flagged" if flagged else "performer change")
        )
        result.append(
            Handoff(
                from_activity=activity.iri,
                from_label=activity.label,
                to_activity=following.iri if following else None,
                to_label=following.label if following else None,
                reason=reason,
                from_performers=tuple(sorted(activity.performers.values())),
                to_performers=tuple(sorted(following.performers.values())) if following else (),
            )
        )
    return result


def _on_path(stage: StageRecord) -> tuple[StageRecord, str | None, list[str]]:
    """The stage seen along one path: the activities of the process that takes longest.

    The ontology has no order between the processes that realise a stage; in practice they are
    alternatives (motor or home claims) or run side by side, so adding them up would overstate
    the stage. Activity figures follow the process with the largest total wait + cycle time (the
    critical path through the stage); ties go to the process with more activities, then label."""
    if len(stage.processes) <= 1:
        return stage, stage.processes[0][1] if stage.processes else None, []

    def weight(process: tuple[str, str]) -> tuple[Decimal, int]:
        acts = [a for a in stage.activities if a.process == process[0]]
        total = sum(
            ((_seconds(a.cycle, a.unit) or 0) + (_seconds(a.wait, a.unit) or 0) for a in acts),
            Decimal(0),
        )
        return total, len(acts)

    best = max(stage.processes, key=weight)  # processes are sorted by label: first wins a tie
    path = [a for a in stage.activities if a.process == best[0]]
    others = [label for iri, label in stage.processes if iri != best[0]]
    return replace(stage, activities=path), best[1], others


def _activities(count: int) -> str:
    return f"{count} activit{'y' if count == 1 else 'ies'}"


def compute_flow(vs: ValueStreamRecord, scenario: str) -> ValueStreamFlow:
    """All flow metrics of one value stream from its records (pure arithmetic)."""
    issues = list(vs.issues)
    paths = [_on_path(s) for s in vs.stages]
    vs = replace(vs, stages=[stage for stage, _, _ in paths])
    for stage, chosen, others in paths:
        if others:
            issues.append(
                MetricIssue(
                    "note",
                    stage.iri,
                    stage.label,
                    f"Stage '{stage.label}' is realised by {len(others) + 1} processes; its "
                    f"activity figures follow '{chosen}', the longest (not added to "
                    f"{', '.join(repr(o) for o in others)}: they are read as alternative or "
                    "parallel ways of carrying out the stage).",
                )
            )
    stage_times = [(s, _stage_times(s, vs, issues)) for s in vs.stages]
    lead_unit = _largest([t.lead_unit for _, t in stage_times if t.lead_unit])
    process_unit = _largest([t.process_unit for _, t in stage_times if t.process_unit])
    flow = ValueStreamFlow(vs.iri, vs.label, scenario, lead_unit, process_unit)
    flow.daily_demand = vs.daily_demand
    if not vs.stages:
        issues.append(
            MetricIssue("warning", vs.iri, vs.label, f"Value stream '{vs.label}' has no stages.")
        )

    va_total: Decimal | None = None
    all_act_time = waste_act_time = Decimal(0)
    act_time_units: list[TimeUnit] = []
    for stage, times in stage_times:
        sf = StageFlow(stage.iri, stage.label, stage.position)
        if times.lead is not None:
            sf.lead, sf.lead_source = Duration(times.lead, lead_unit), times.lead_source
        if times.process is not None:
            sf.process = Duration(times.process, process_unit)
            sf.process_source = times.process_source
        sf.pca, sf.pca_source = _stage_pca(stage, issues)
        sf.inventory, sf.throughput = stage.inventory, stage.throughput
        if stage.inventory is not None and vs.daily_demand:
            sf.inventory_days = stage.inventory / vs.daily_demand
        if stage.cost is not None:
            sf.cost = Money(stage.cost, stage.currency or vs.currency or DEFAULT_CURRENCY)
        sf.activities = len(stage.activities)
        sf.path_process = paths[len(flow.stages)][1]
        sf.alternatives = paths[len(flow.stages)][2]
        for activity in stage.activities:
            cycle = _seconds(activity.cycle, activity.unit) or Decimal(0)
            spent = cycle + (_seconds(activity.wait, activity.unit) or Decimal(0))
            all_act_time += spent
            if activity.unit is not None:
                act_time_units.append(activity.unit)
            if activity.classification == WASTE:
                waste_act_time += spent
            if activity.classification == VALUE_ADDING and activity.cycle is not None:
                va_total = (va_total or Decimal(0)) + cycle
                sf.value_adding = Duration(
                    (sf.value_adding.seconds if sf.value_adding else 0) + cycle,
                    process_unit or activity.unit,
                )
        flow.stages.append(sf)

    _totals(flow, issues)
    flow.activity_count = sum(s.activities for s in flow.stages)
    unclassified = [a.label for s in vs.stages for a in s.activities if not a.classification]
    if unclassified:
        issues.append(
            MetricIssue(
                "warning",
                vs.iri,
                vs.label,
                f"{_activities(len(unclassified))} of '{vs.label}' "
                f"{'has' if len(unclassified) == 1 else 'have'} no ba:valueClassification "
                f"({', '.join(unclassified[:5])}); "
                "they count as neither value-adding nor waste.",
            )
        )
    if va_total is not None:
        flow.value_adding_time = Duration(va_total, process_unit or _largest(act_time_units))
        if flow.lead_time is not None and flow.lead_time.seconds > 0:
            flow.flow_efficiency = percent(va_total, flow.lead_time.seconds)
        without = [s.label for s in flow.stages if s.activities == 0 and s.lead is not None]
        if without and flow.flow_efficiency is not None:
            issues.append(
                MetricIssue(
                    "warning",
                    vs.iri,
                    vs.label,
                    f"Flow efficiency of '{vs.label}' counts value-adding time only where "
                    f"activities are modelled; stages {', '.join(without)} have none, so it is "
                    "a lower bound.",
                )
            )
    if all_act_time > 0:
        flow.waste_time = Duration(waste_act_time, _largest(act_time_units))
        flow.waste_share = percent(waste_act_time, all_act_time)

    flow.handoffs = _handoffs(vs.stages)
    flow.approval_gates = [
        ActivityRef(a.iri, a.label, s.label) for s in vs.stages for a in s.activities if a.is_gate
    ]
    missing_performer = [a.label for s in vs.stages for a in s.activities if not a.performers]
    if missing_performer:
        issues.append(
            MetricIssue(
                "warning",
                vs.iri,
                vs.label,
                f"{_activities(len(missing_performer))} of '{vs.label}' "
                f"{'has' if len(missing_performer) == 1 else 'have'} no ba:performedBy "
                f"({', '.join(missing_performer[:5])}); handoffs next to them are counted only "
                "where flagged.",
            )
        )
    _demand_figures(flow, vs, issues)
    flow.issues = issues
    return flow


def _totals(flow: ValueStreamFlow, issues: list[MetricIssue]) -> None:
    with_lead = [s for s in flow.stages if s.lead is not None]
    with_process = [s for s in flow.stages if s.process is not None]
    if with_lead:
        flow.lead_time = Duration(sum(s.lead.seconds for s in with_lead), flow.lead_unit)
    if with_process:
        flow.process_time = Duration(
            sum(s.process.seconds for s in with_process), flow.process_unit
        )
    for name, have in (("lead time", with_lead), ("process time", with_process)):
        missing = [s.label for s in flow.stages if s not in have]
        if missing and have:
            issues.append(
                MetricIssue(
                    "warning",
                    flow.iri,
                    flow.label,
                    f"Total {name} of '{flow.label}' covers {len(have)} of {len(flow.stages)} "
                    f"stages; without a {name}: {', '.join(missing)}.",
                )
            )
    if flow.lead_time is not None and flow.process_time is not None:
        flow.activity_ratio = percent(flow.process_time.seconds, flow.lead_time.seconds)
    waits = [(s.wait.seconds, -i, s) for i, s in enumerate(flow.stages) if s.wait is not None]
    if waits:
        flow.bottleneck = max(waits, key=lambda w: (w[0], w[1]))[2]
    pcas = [s.pca for s in flow.stages if s.pca is not None]
    if pcas:
        product = Decimal(1)
        for value in pcas:
            product *= value / 100
        flow.rolled_pca = product * 100
        if len(pcas) < len(flow.stages):
            missing = [s.label for s in flow.stages if s.pca is None]
            issues.append(
                MetricIssue(
                    "warning",
                    flow.iri,
                    flow.label,
                    f"Rolled %C&A of '{flow.label}' covers {len(pcas)} of {len(flow.stages)} "
                    f"stages; without %C&A: {', '.join(missing)}.",
                )
            )


def _demand_figures(flow: ValueStreamFlow, vs: ValueStreamRecord, issues) -> None:
    if vs.available_time is not None and vs.unit is not None:
        if vs.daily_demand:
            takt = vs.available_time * vs.unit.seconds / vs.daily_demand
            flow.takt_time = Duration(takt, readable_unit(takt, vs.known_units) or vs.unit)
        else:
            issues.append(
                MetricIssue(
                    "warning",
                    vs.iri,
                    vs.label,
                    f"Value stream '{vs.label}' has an available time per day but no (or zero) "
                    "ba:dailyDemand: no takt time.",
                )
            )
    inventories = [s.inventory_days for s in flow.stages if s.inventory_days is not None]
    if inventories:
        flow.inventory_days = sum(inventories, Decimal(0))
    elif any(s.inventory is not None for s in flow.stages):
        issues.append(
            MetricIssue(
                "warning",
                vs.iri,
                vs.label,
                f"Stages of '{vs.label}' give inventory quantities but the value stream has no "
                "ba:dailyDemand: no inventory days.",
            )
        )
    throughputs = [(s.throughput, s.label) for s in flow.stages if s.throughput is not None]
    if throughputs:
        flow.throughput, flow.throughput_stage = min(throughputs, key=lambda t: t[0])
    costs: dict[str, Decimal] = {}
    for stage in flow.stages:
        if stage.cost is not None:
            costs[stage.cost.currency] = costs.get(stage.cost.currency, Decimal(0)) + (
                stage.cost.amount
            )
    flow.cost_per_transaction = [Money(amount, cur) for cur, amount in sorted(costs.items())]
    if len(costs) > 1:
        issues.append(
            MetricIssue(
                "warning",
                vs.iri,
                vs.label,
                f"Costs per transaction of '{vs.label}' are in {len(costs)} currencies "
                f"({', '.join(sorted(costs))}); they are totalled per currency, not added.",
            )
        )
