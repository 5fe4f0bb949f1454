"""Known-answer tests of the value-stream flow metrics (hand-computed, and one published map)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bizarch.errors import NotFoundError
from bizarch.metrics.flow import ValueStreamFlow, value_stream_flows

CLAIMS = "https://example.org/claims/HandleClaim"
ACME = "https://example.org/acme-stamping/Brackets"
ONBOARD = "https://example.org/onboarding/Onboard"
BROKEN = "https://example.org/broken/Broken"


def one(store, iri: str, scenario: str | None = None) -> ValueStreamFlow:
    flows = value_stream_flows(store, scenario, iri)
    assert [f.iri for f in flows] == [iri]
    return flows[0]


def close(value: D | None, expected: str, places: int = 12) -> bool:
    assert value is not None
    return abs(value - D(expected)) < D(10) ** -places


class TestClaims:
    """Stages in hours and days; one stage's activities in minutes (fixtures/claims.ttl)."""

    @pytest.fixture
    def flow(self, store, load) -> ValueStreamFlow:
        load("claims.ttl")
        return one(store, CLAIMS)

    def test_stages_in_order_with_converted_times(self, flow):
        assert [s.label for s in flow.stages] == ["Register Claim", "Assess Claim", "Pay Claim"]
        assert flow.lead_unit.label == "day" and flow.process_unit.label == "day"
        # Register: 48 h = 2 days lead, 4 h process, 44 h = 1.8333 days wait
        register = flow.stages[0]
        assert register.lead.seconds == 48 * 3600 and register.lead.value == 2
        assert register.process.seconds == 4 * 3600
        assert register.wait.seconds == 44 * 3600
        assert [s.lead_source for s in flow.stages] == ["stage", "stage", "stage"]

    def test_totals_and_ratios(self, flow):
        # lead: 2 + 10 + 3 = 15 days; process: 4 h + 1 d + 0.5 d = 40 h = 1.6667 days
        assert flow.lead_time.value == 15
        assert flow.process_time.seconds == 40 * 3600
        assert str(flow.lead_time) == "15 days"
        # activity ratio 40 h / 360 h = 11.11 %
        assert close(flow.activity_ratio, "11.111111111111")
        # value-adding time: review 120 min + calculate 45 min = 165 min;
        # flow efficiency 165 min / (15 * 1440 min) = 0.763888... %
        assert flow.value_adding_time.seconds == 165 * 60
        assert close(flow.flow_efficiency, "0.763888888889")
        # rolled %C&A: 0.90 * 0.80 * 0.95 = 0.684
        assert flow.rolled_pca == D("68.4")

    def test_handoffs_gates_and_waste(self, flow):
        # Review -> Request (same handler, not flagged): no handoff.
        # Request -> Approve: flagged AND performer changes: counted once.
        # Approve -> Calculate: team lead -> handler: performer change.
        assert [(h.from_label, h.to_label, h.reason) for h in flow.handoffs] == [
            ("Request missing information", "Approve payout", "flagged and performer change"),
            ("Approve payout", "Calculate settlement", "performer change"),
        ]
        assert flow.handoffs[1].from_performers == ("Team Lead",)
        assert [g.label for g in flow.approval_gates] == ["Approve payout"]
        # waste: request info 30 + 2880 min of 3150 min of activity time = 92.38 %
        assert flow.waste_time.seconds == 2910 * 60
        assert close(flow.waste_share, "92.380952380952")

    def test_bottleneck_takt_inventory_throughput_cost(self, flow):
        # waits: 1.83 d, 9 d, 2.5 d
        assert flow.bottleneck.label == "Assess Claim"
        # takt: 7.5 h / 40 claims = 0.1875 h = 11.25 min
        assert flow.takt_time.seconds == 675 and str(flow.takt_time) == "11.25 minutes"
        # inventory: 360 claims / 40 per day = 9 days of demand
        assert flow.stages[1].inventory_days == 9 and flow.inventory_days == 9
        assert (flow.throughput, flow.throughput_stage) == (38, "Assess Claim")
        assert [(m.amount, m.currency) for m in flow.cost_per_transaction] == [(105, "EUR")]

    def test_only_the_lower_bound_warning(self, flow):
        assert flow.errors == []
        assert len(flow.warnings) == 1
        assert "lower bound" in flow.warnings[0].message
        assert "Register Claim, Pay Claim" in flow.warnings[0].message


class TestOnboarding:
    """Weeks and minutes; order from ba:nextStage; a stage without a unit (fixtures/onboarding)."""

    @pytest.fixture
    def flow(self, store, load) -> ValueStreamFlow:
        load("onboarding.ttl")
        return one(store, ONBOARD)

    def test_order_from_next_stage(self, flow):
        assert [s.label for s in flow.stages] == [
            "Open Account",
            "Verify Identity",
            "Activate Services",
        ]

    def test_mixed_units_converted_not_added(self, flow):
        # 1 week + 2,880 min = 7 d + 2 d = 9 days, reported in the largest unit (week): 9/7
        assert flow.lead_unit.label == "week"
        assert flow.lead_time.seconds == 9 * 86400
        assert close(flow.lead_time.value, "1.285714285714")
        # 0.2 week + 45 min = 2,016 + 45 = 2,061 min
        assert flow.process_time.seconds == 2061 * 60
        assert close(flow.activity_ratio, "15.902777777778")
        assert flow.bottleneck.label == "Open Account"  # 5.6 d wait vs 1.97 d
        assert flow.rolled_pca == D(30)  # 0.6 * 0.5 over the two stages that have one
        assert flow.flow_efficiency is None  # no activities modelled

    def test_missing_unit_is_an_error_not_a_guess(self, flow):
        activate = flow.stages[2]
        assert activate.lead is None and activate.process is None
        assert len(flow.errors) == 1
        assert "'Activate Services' has durations but no ba:timeUnit" in flow.errors[0].message
        messages = " | ".join(w.message for w in flow.warnings)
        assert "covers 2 of 3 stages; without a lead time: Activate Services" in messages

    def test_currencies_are_not_added(self, flow):
        # Activate is in EUR; the others default to the value stream's GBP
        assert [(m.amount, m.currency) for m in flow.cost_per_transaction] == [
            (5, "EUR"),
            (30, "GBP"),
        ]
        assert any("2 currencies (EUR, GBP)" in w.message for w in flow.warnings)


class TestAcmeStampingPublishedMap:
    """Rother & Shook, "Learning to See" (LEI 1999), Acme Stamping current-state map:
    production lead time 23.6 days, processing time 188 seconds, takt time 60 seconds."""

    @pytest.fixture
    def flow(self, store, load) -> ValueStreamFlow:
        load("acme_stamping.ttl")
        return one(store, ACME)

    def test_published_totals(self, flow):
        assert flow.process_time.seconds == 188
        assert str(flow.process_time) == "188 seconds"
        assert flow.lead_unit.label == "day"
        assert round(flow.lead_time.value, 1) == D("23.6")
        assert flow.takt_time.seconds == 60

    def test_published_inventory_days(self, flow):
        days = [s.inventory_days and round(s.inventory_days, 1) for s in flow.stages]
        assert days == [None, D("7.6"), D("1.8"), D("2.7"), D("2.0"), D("4.5")]
        stamping = flow.stages[0]
        assert stamping.lead_source == "activities"
        assert stamping.lead.seconds == 5 * 86400 + 1  # 5 days of coils + 1 s stamping
        assert [s.lead_source for s in flow.stages[1:]] == ["inventory"] * 5
        assert flow.bottleneck.label == "S. Weld #1"


class TestDataProblems:
    def test_each_problem_reported_and_excluded(self, store, load):
        load("broken.ttl")
        flow = one(store, BROKEN)
        errors = [e.message for e in flow.errors]
        assert len(errors) == 5
        assert "Fortnight> has no ba:secondsPerUnit" in errors[0]
        assert "'ten days' is not a number" in errors[1]
        assert "'Two Lead Times' has 2 values for lead time (4, 5)" in errors[2]
        assert "%C&A 150 is outside 0..100" in errors[3]
        assert "process time 3 exceeds lead time 1" in errors[4]
        # only stages 4, 5, 6 have a usable lead time: 2 + 1 + 6 days
        assert flow.lead_time.value == 9
        assert flow.rolled_pca == D(90)

    def test_unknown_scenario_is_a_clear_error(self, store, load):
        load("claims.ttl")
        with pytest.raises(NotFoundError, match="No scenario 'future'"):
            value_stream_flows(store, "future")

    def test_scenarios_are_separate(self, store, load):
        load("claims.ttl")
        load("onboarding.ttl", scenario="target")
        assert [f.label for f in value_stream_flows(store)] == ["Handle Claim"]
        assert [f.label for f in value_stream_flows(store, "target")] == ["Onboard Customer"]
        assert value_stream_flows(store, "target")[0].scenario == "target"


def test_same_figures_on_the_remote_backend(store, load, remote_store):
    """The SPARQL-protocol backend (a real ``oxigraph serve``) gives the same figures."""
    from bizarch import resources
    from bizarch.namespaces import ONTOLOGY_GRAPH, scenario_graph
    from bizarch.store.base import RdfFormat, RdfSource

    from .conftest import FIXTURES

    ontology = resources.ontology_file()
    remote_store.load(
        [RdfSource(ontology.name, ontology.read_bytes(), RdfFormat.TURTLE)], ONTOLOGY_GRAPH
    )
    for name in ("claims.ttl", "acme_stamping.ttl"):
        load(name)
        data = (FIXTURES / name).read_bytes()
        remote_store.load([RdfSource(name, data, RdfFormat.TURTLE)], scenario_graph("current"))
    local = value_stream_flows(store)
    remote = value_stream_flows(remote_store)
    assert [f.label for f in remote] == ["Handle Claim", "Steering bracket LH/RH"]
    for mine, theirs in zip(local, remote, strict=True):
        assert theirs.lead_time == mine.lead_time
        assert theirs.process_time == mine.process_time
        assert theirs.flow_efficiency == mine.flow_efficiency
        assert theirs.handoffs == mine.handoffs
    one_remote = value_stream_flows(remote_store, value_stream=ACME)
    assert [f.takt_time.seconds for f in one_remote] == [60]


HANDOFF_EDGES = """
@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix ex: <https://example.org/h/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:V a ba:ValueStream ; rdfs:label "Handoffs" ; ba:hasStage ex:S1 , ex:S2 .
ex:S1 a ba:ValueStreamStage ; rdfs:label "First" ; ba:position 1 .
ex:S2 a ba:ValueStreamStage ; rdfs:label "Second" ; ba:position 2 .
ex:P1 a ba:BusinessProcess ; ba:realizesStage ex:S1 ; ba:hasActivity ex:A1 , ex:A2 .
ex:P2 a ba:BusinessProcess ; ba:realizesStage ex:S2 ; ba:hasActivity ex:A3 , ex:A4 .
ex:A1 a ba:Activity ; rdfs:label "a1" ; ba:position 1 ; ba:performedBy ex:Sales , ex:Ops .
ex:A2 a ba:Activity ; rdfs:label "a2" ; ba:position 2 ; ba:performedBy ex:Ops ; ba:isHandoff false .
ex:A3 a ba:Activity ; rdfs:label "a3" ; ba:position 1 ; ba:performedBy ex:Risk .
ex:A4 a ba:Activity ; rdfs:label "a4" ; ba:isHandoff true ; ba:isApprovalGate true .
"""


def test_handoff_rules_across_stages(store, load):
    load(text=HANDOFF_EDGES)
    (flow,) = value_stream_flows(store)
    # a1 -> a2: performers {Sales, Ops} and {Ops} share Ops: no handoff
    # a2 -> a3 (across the stage boundary): Ops -> Risk although a2 says isHandoff false
    # a3 -> a4: a4 has no performer: not counted; a4 flagged: hands work out of the stream
    assert [(h.from_label, h.to_label, h.reason) for h in flow.handoffs] == [
        ("a2", "a3", "performer change"),
        ("a4", None, "flagged"),
    ]
    assert [g.label for g in flow.approval_gates] == ["a4"]
    assert flow.activity_count == 4
    messages = " | ".join(w.message for w in flow.warnings)
    assert "1 activity of 'Handoffs' has no ba:performedBy (a4)" in messages
    assert "4 activities of 'Handoffs' have no ba:valueClassification" in messages
    assert flow.lead_time is None and flow.flow_efficiency is None and flow.waste_share is None


ALTERNATIVES = """
@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix ex: <https://example.org/alt/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:V a ba:ValueStream ; rdfs:label "Quote" ; ba:hasStage ex:S .
ex:S a ba:ValueStreamStage ; rdfs:label "Price Quote" .
ex:Motor a ba:BusinessProcess ; rdfs:label "Motor quotation" ; ba:realizesStage ex:S ;
    ba:hasActivity ex:M1 , ex:M2 .
ex:Home a ba:BusinessProcess ; rdfs:label "Home quotation" ; ba:realizesStage ex:S ;
    ba:hasActivity ex:H1 .
ex:M1 a ba:Activity ; rdfs:label "rate" ; ba:position 1 ; ba:valueClassification ba:ValueAdding ;
    ba:cycleTime 40 ; ba:waitTime 20 ; ba:timeUnit ba:Minute .
ex:M2 a ba:Activity ; rdfs:label "present" ; ba:position 2 ; ba:valueClassification ba:ValueAdding ;
    ba:cycleTime 10 ; ba:waitTime 30 ; ba:timeUnit ba:Minute .
ex:H1 a ba:Activity ; rdfs:label "rate home" ; ba:valueClassification ba:ValueAdding ;
    ba:cycleTime 1 ; ba:waitTime 1 ; ba:timeUnit ba:Hour .
"""


def test_alternative_processes_follow_the_longest(store, load):
    # motor: 40 + 20 + 10 + 30 = 100 min; home: 60 + 60 = 120 min: the path is home quotation
    load(text=ALTERNATIVES)
    (flow,) = value_stream_flows(store)
    (stage,) = flow.stages
    assert (stage.path_process, stage.alternatives) == ("Home quotation", ["Motor quotation"])
    assert stage.lead_source == "activities" and stage.lead.seconds == 120 * 60
    assert stage.process.seconds == 3600 and flow.value_adding_time.seconds == 3600
    assert flow.flow_efficiency == 50 and flow.activity_count == 1
    assert len(flow.notes) == 1 and "follow 'Home quotation', the longest" in flow.notes[0].message
