"""The metrics on the demo enterprise (data/demo, documented in data/demo/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from bizarch.demo import load_demo
from bizarch.metrics.flow import value_stream_flows
from bizarch.metrics.kpi import kpi_reports
from bizarch.metrics.spc import NORMAL, SIGNIFICANT
from bizarch.namespaces import DEMO
from bizarch.scenarios import compare_scenarios, list_scenarios
from bizarch.store.oxigraph_store import OxigraphStore


@pytest.fixture(scope="module")
def demo() -> Iterator[OxigraphStore]:
    store = OxigraphStore(None)
    load_demo(store)
    yield store
    store.close()


# data/demo/README.md, table "Value streams": lead time, process time, rolled %C&A per scenario
README_TABLE = {
    "Acquire Policyholder": ("hour", "82.0", "10.0", "2.25", "1.3", "41.6", "73.9"),
    "Settle Claim": ("day", "17.4", "9.6", "0.33", "0.23", "40.3", "71.6"),
    "Renew Policy": ("day", "44.0", "27.0", "0.5", "0.25", "50.1", "79.8"),
    "Onboard Broker": ("day", "60.0", "23.0", "4.8", "3.4", "31.4", "68.0"),
    "Service Policy Change": ("hour", "88.0", "4.5", "1.2", "0.5", "43.6", "81.4"),
}


@pytest.mark.parametrize("scenario", ["current", "target"])
def test_value_streams_match_the_documented_figures(demo, scenario):
    flows = {f.label: f for f in value_stream_flows(demo, scenario)}
    assert sorted(flows) == sorted(README_TABLE)
    offset = 0 if scenario == "current" else 1
    for label, row in README_TABLE.items():
        flow = flows[label]
        unit = row[0]
        lead, process, pca = (Decimal(row[1 + offset]), Decimal(row[3 + offset]), row[5 + offset])
        assert flow.lead_unit.label == unit and flow.process_unit.label == unit
        assert flow.lead_time.value == lead, label
        assert flow.process_time.value == process, label
        assert round(flow.rolled_pca, 1) == Decimal(pca), label
        assert flow.errors == [] and flow.warnings == [], (label, flow.issues)


def test_settle_claim_activity_figures(demo):
    (flow,) = value_stream_flows(demo, "current", DEMO + "vs-settle-claim")
    assert [s.label for s in flow.stages] == [
        "Report Loss",
        "Verify Cover",
        "Assess Claim",
        "Agree Settlement",
        "Pay Claim",
    ]
    assert flow.bottleneck.label == "Assess Claim"
    # one process per stage: the longest of the alternatives (motor, home, fraud, liability)
    assert [(s.path_process, len(s.alternatives)) for s in flow.stages] == [
        ("First Notice of Loss", 1),
        ("Coverage Verification", 1),
        ("Home Claim Assessment", 3),
        ("Settlement Agreement", 0),
        ("Claim Payment", 0),
    ]
    assert (flow.activity_count, len(flow.handoffs), len(flow.approval_gates)) == (23, 9, 3)
    assert 0 < flow.flow_efficiency < flow.activity_ratio
    assert flow.takt_time is not None and flow.inventory_days > 0


# data/demo/README.md, "KPI measurement series: signal and noise" (current scenario)
SIGNALS = ["claim-lead-time", "claims-stp-rate", "net-promoter-score", "legacy-policy-share"]
NOISE = [
    "claims-leakage-rate",
    "broker-quote-turnaround",
    "broker-satisfaction",
    "broker-onboarding-lead-time",
    "broker-new-business-premium",
    "expense-ratio",
    "policy-change-first-time-right",
    "renewal-retention-rate",
    "digital-sales-share",
]


@pytest.fixture(scope="module")
def kpis(demo):
    return {r.iri.removeprefix(DEMO + "kpi-"): r for r in kpi_reports(demo)}


def test_the_shifted_kpi_is_flagged(kpis):
    lead = kpis["claim-lead-time"]
    assert len(lead.points) == 18 and lead.verdict == SIGNIFICANT
    # "8 months around 21 days, then 10 months around 17.7 days (a run of 10 below the centre line)"
    runs = [(s.start, s.end, s.side) for s in lead.chart.signals if s.rule == 2]
    assert (8, 17, "below") in runs
    assert lead.chart.revised.first == 8
    assert lead.chart.revised.centre == pytest.approx(17.7, abs=0.3)


def test_the_noise_kpis_are_not_flagged(kpis):
    assert kpis["broker-satisfaction"].verdict == NORMAL
    assert kpis["broker-satisfaction"].chart.signals == []
    assert {k: kpis[k].verdict for k in NOISE} == dict.fromkeys(NOISE, NORMAL)
    assert {k: kpis[k].verdict for k in SIGNALS} == dict.fromkeys(SIGNALS, SIGNIFICANT)
    assert [(s.rule, s.start) for s in kpis["net-promoter-score"].chart.signals] == [(1, 13)]


def test_kpi_status_honours_direction(kpis):
    lead = kpis["claim-lead-time"]
    assert lead.direction_label == "lower is better" and lead.unit == "days"
    # baseline 21.4 (2024-12-31), target 10.0 (2027-12-31); the latest value is lower than the
    # baseline, so progress is positive although the value fell
    assert lead.status.progress > 0 and lead.trend is not None
    assert all(r.status.status != "unknown" for r in kpis.values())


def test_target_scenario_series_are_projections(demo):
    reports = {r.iri.removeprefix(DEMO + "kpi-"): r for r in kpi_reports(demo, "target")}
    assert all(len(r.points) == 12 for r in reports.values())
    assert reports["legacy-policy-share"].verdict == SIGNIFICANT
    others = {k: r.verdict for k, r in reports.items() if k != "legacy-policy-share"}
    assert set(others.values()) == {NORMAL}


def test_current_versus_target(demo):
    assert [(s.name, s.kind) for s in list_scenarios(demo)] == [
        ("current", "baseline"),
        ("target", "target"),
    ]
    comparison = compare_scenarios(demo, "current", "target")
    settle = next(d for d in comparison.value_streams if d.label == "Settle Claim")
    assert str(settle.changes[0]) == "lead time 17.4 days → 9.6 days (-44.8 %)"
    assert any(str(c).startswith("rolled %C&A 40.33 % → 71.57 %") for c in settle.changes)
    added = [str(c.element) for c in comparison.diff.added]
    assert "Business process 'Straight-Through Claim Settlement'" in added
    sentences = [a.sentence for c in comparison.diff.changed for a in c.attributes]
    assert any("lifecycle status changed from active to retired" in s for s in sentences)
    assert comparison.maturity and all(
        m.before != m.after or m.target_before != m.target_after for m in comparison.maturity
    )
    assert {g.action for g in comparison.gaps} == {"add", "change", "remove"}
    assert any(g.covered for g in comparison.gaps)
