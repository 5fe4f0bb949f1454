"""Integrity of the demo enterprise, Meridian Mutual: it parses, meets the issue's minimums, matches
its README, is internally consistent (units, orders, dates, references) and tells its story: every
strategy reaches technology, the target improves every value stream, the KPI series show the
documented signals and noise, and the only weaknesses are the documented ones."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from bizarch import namespaces, resources
from bizarch.store.oxigraph_store import OxigraphStore

BA = Namespace(namespaces.BA)
MM = Namespace(namespaces.DEMO)
SCENARIOS = ("current", "target")
README = resources.demo_dir() / "README.md"
SECONDS_PER = {BA.Second: 1, BA.Minute: 60, BA.Hour: 3600, BA.Day: 86400, BA.Week: 604800}
MINIMUMS = {
    "Strategy": 3,
    "Objective": 8,
    "ValueStream": 4,
    "Capability": 60,
    "BusinessProcess": 30,
    "Application": 25,
    "Initiative": 10,
    "OrganizationUnit": 8,
}


# ------------------------------------------------------------------------------ helpers


def one(g: Graph, s, p):
    """The single value of a functional property (fails loudly when absent or repeated)."""
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} has {len(values)} values of {p}"
    return values[0]


def num(g: Graph, s, p) -> float:
    return float(one(g, s, p).toPython())


def typed(g: Graph, cls) -> set:
    return set(g.subjects(RDF.type, cls))


def label(g: Graph, s) -> str:
    return str(g.value(s, RDFS.label))


def seconds(g: Graph, s, p) -> float:
    return num(g, s, p) * SECONDS_PER[one(g, s, BA.timeUnit)]


def ordered_stages(g: Graph, vs) -> list:
    return sorted(g.objects(vs, BA.hasStage), key=lambda s: one(g, s, BA.position).toPython())


def ordered_activities(g: Graph, proc) -> list:
    return sorted(g.objects(proc, BA.hasActivity), key=lambda a: one(g, a, BA.position).toPython())


def scenario_iri(name: str) -> URIRef:
    return URIRef(namespaces.scenario_graph(name))


def readme_rows(heading: str) -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    assert len(rows) > 1, f"no table under '{heading}' in {README}"
    return rows[1:]  # without the header row


def xmr(values: list[float], baseline: list[float] | None = None) -> dict:
    """Individuals chart: centre line = mean, limits = mean +/- 2.66 x mean moving range, signals =
    points beyond the limits and the longest run on one side of the centre line."""
    base = values if baseline is None else baseline
    mean = statistics.fmean(base)
    mr = statistics.fmean(abs(a - b) for a, b in zip(base[1:], base[:-1], strict=True))
    upper, lower = mean + 2.66 * mr, mean - 2.66 * mr
    beyond = [i for i, v in enumerate(values) if v > upper or v < lower]
    longest = run = side = 0
    for v in values:
        s = (v > mean) - (v < mean)
        run = run + 1 if s != 0 and s == side else (1 if s != 0 else 0)
        side = s
        longest = max(longest, run)
    trend = best = 1
    for prev, nxt, after in zip(values, values[1:], values[2:], strict=False):
        same_way = (nxt - prev) * (after - nxt) > 0
        trend = trend + 1 if same_way else 1
        best = max(best, trend + 1)
    return {"beyond": beyond, "run": longest, "trend_points": best}


def series(g: Graph, kpi) -> list[float]:
    measurements = sorted(
        g.subjects(BA.ofKPI, kpi), key=lambda m: one(g, m, BA.periodStart).toPython()
    )
    return [num(g, m, BA.measuredValue) for m in measurements]


# ------------------------------------------------------------------------------ parsing and layout


def test_layout_has_shared_and_one_folder_per_scenario() -> None:
    demo = resources.demo_dir()
    for folder in ("shared", *SCENARIOS):
        assert sorted((demo / folder).glob("*.ttl")), f"{folder}/ holds no Turtle file"
    for name in SCENARIOS:
        assert (demo / name / "scenario.ttl").is_file()


@pytest.mark.parametrize(
    "path",
    sorted(resources.demo_dir().glob("*/*.ttl")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_each_file_parses_with_rdflib_and_pyoxigraph_alike(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(graph) > 0
    assert len(quads) == len(graph)


def test_the_demo_loader_makes_one_named_graph_per_scenario(
    demo_store: OxigraphStore, demo_graphs: dict[str, Graph]
) -> None:
    counts = {info.name: info.triples for info in demo_store.graphs()}
    expected = {str(scenario_iri(n)): len(demo_graphs[n]) for n in SCENARIOS}
    assert {k: v for k, v in counts.items() if k != namespaces.ONTOLOGY_GRAPH} == expected
    assert counts[namespaces.ONTOLOGY_GRAPH] > 1000


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_scenario_describes_itself(name: str, demo_graphs: dict[str, Graph]) -> None:
    g = demo_graphs[name]
    assert typed(g, BA.Scenario) == {scenario_iri(name)}
    me = scenario_iri(name)
    expected_kind = {"current": BA.Baseline, "target": BA.Target}[name]
    assert one(g, me, BA.scenarioKind) == expected_kind
    assert one(g, me, RDFS.label).language == "en"
    assert isinstance(one(g, me, BA.scenarioDate).toPython(), date)
    assert one(g, me, BA.workStatus) in {BA.Approved, BA.InProgress, BA.Completed}
    if name == "target":
        assert one(g, me, BA.derivedFrom) == scenario_iri("current")
        current_date = one(demo_graphs["current"], scenario_iri("current"), BA.scenarioDate)
        assert one(g, me, BA.scenarioDate).toPython() > current_date.toPython()


# ------------------------------------------------------------------------------ counts


def readme_counts() -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for row in readme_rows("Counts per class"):
        match = re.fullmatch(r"`ba:(\w+)`", row[0])
        assert match, f"unexpected count row {row}"
        counts[match.group(1)] = {"current": int(row[1]), "target": int(row[2])}
    return counts


def test_counts_per_class_match_the_readme(demo_graphs: dict[str, Graph]) -> None:
    counts = readme_counts()
    assert set(MINIMUMS) <= set(counts)
    mismatches = []
    for cls, per_scenario in counts.items():
        for name in SCENARIOS:
            actual = len(typed(demo_graphs[name], BA[cls]))
            if actual != per_scenario[name]:
                mismatches.append(f"ba:{cls} in {name}: data {actual}, README {per_scenario[name]}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("name", SCENARIOS)
def test_counts_meet_the_issue_minimums(name: str, demo_graphs: dict[str, Graph]) -> None:
    g = demo_graphs[name]
    for cls, minimum in MINIMUMS.items():
        assert len(typed(g, BA[cls])) >= minimum, f"fewer than {minimum} ba:{cls} in {name}"
    assert len(typed(g, BA.Role)) >= 8
    assert typed(g, BA.CustomerSegment) and typed(g, BA.ValueProposition)
    assert typed(g, BA.Outcome) and typed(g, BA.InformationConcept) and typed(g, BA.DataObject)


# ------------------------------------------------------------------------- references and terms


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_referenced_element_exists_in_the_scenario(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    """A misspelt IRI, or an element that exists only in the other scenario, shows up here."""
    g = demo_graphs[name]
    known = set(g.subjects(RDF.type, None))
    problems = []
    for s, p, o in g:
        for term in (s, o):
            if isinstance(term, URIRef) and term in MM and term not in known:
                problems.append(f"{s} {p} {o}: {term} has no rdf:type in {name}")
    assert not problems, "\n".join(sorted(set(problems))[:40])


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_element_has_one_english_label_unique_within_its_class(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    problems = []
    by_class: dict[URIRef, Counter] = defaultdict(Counter)
    for s, cls in g.subject_objects(RDF.type):
        labels = list(g.objects(s, RDFS.label))
        if len(labels) != 1 or labels[0].language != "en":
            problems.append(f"{s} has labels {labels}")
            continue
        by_class[cls][str(labels[0])] += 1
    for cls, counter in by_class.items():
        problems += [
            f"{n} x ba:{cls.fragment} labelled {lab!r}" for lab, n in counter.items() if n > 1
        ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", SCENARIOS)
def test_labels_are_unique_among_elements_exported_as_one_archimate_type(
    name: str, demo_graphs: dict[str, Graph], ontology_graph: Graph
) -> None:
    """Activities and processes both become ArchiMate BusinessProcess, stages and value streams
    ValueStream, and so on: Archi reports two elements of one type and name as duplicates."""
    g = demo_graphs[name]
    counterpart = {
        cls: str(v) for cls, v in ontology_graph.subject_objects(BA.archimateCounterpart)
    }
    elements: dict[tuple[str, str], set] = defaultdict(set)
    for s, cls in g.subject_objects(RDF.type):
        if cls in counterpart:
            elements[(counterpart[cls], label(g, s).casefold())].add(s)
    duplicates = {key: sorted(v) for key, v in elements.items() if len(v) > 1}
    assert not duplicates


@pytest.mark.parametrize("name", SCENARIOS)
def test_literals_use_the_datatype_the_ontology_declares(
    name: str, demo_graphs: dict[str, Graph], ontology_graph: Graph
) -> None:
    """SHACL's sh:datatype compares datatypes exactly: 12 (xsd:integer) is not an xsd:decimal and
    "text"@en is not an xsd:string."""
    g = demo_graphs[name]
    ranges = {
        p: ontology_graph.value(p, RDFS.range)
        for p in ontology_graph.subjects(RDF.type, OWL.DatatypeProperty)
    }
    problems = []
    for s, p, o in g:
        if p in ranges:
            actual = o.datatype if isinstance(o, Literal) else None
            if isinstance(o, Literal) and o.datatype is None and o.language is None:
                actual = XSD.string
            if actual != ranges[p]:
                problems.append(f"{s} {p.fragment} {o!r}: expected {ranges[p]}")
    assert not problems, "\n".join(problems[:40])


def _members(onto: Graph, node) -> set:
    if isinstance(node, URIRef):
        return {node}
    return set(onto.items(onto.value(node, OWL.unionOf)))


@pytest.mark.parametrize("name", SCENARIOS)
def test_object_properties_connect_elements_of_their_domain_and_range(
    name: str, demo_graphs: dict[str, Graph], ontology_graph: Graph
) -> None:
    """A plain-Python check of rdfs:domain / rdfs:range over asserted types and the subclass
    hierarchy, so a wrong link fails fast even where no Java runtime is available."""
    g, onto = demo_graphs[name], ontology_graph
    parents: dict[URIRef, set] = defaultdict(set)
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        parents[sub].add(sup)

    def closure(types: set) -> set:
        out, todo = set(types), list(types)
        while todo:
            for sup in parents[todo.pop()]:
                if sup not in out:
                    out.add(sup)
                    todo.append(sup)
        return out

    types = {s: closure(set(g.objects(s, RDF.type))) for s in set(g.subjects())}
    problems = []
    for p in onto.subjects(RDF.type, OWL.ObjectProperty):
        domain = _members(onto, onto.value(p, RDFS.domain))
        range_ = _members(onto, onto.value(p, RDFS.range))
        for s, o in g.subject_objects(p):
            if not types.get(s, set()) & domain:
                problems.append(f"{s} {p.fragment}: subject outside {sorted(domain)}")
            o_types = types.get(o) or closure(set(onto.objects(o, RDF.type)))
            if str(o).startswith(namespaces.SCENARIO_BASE):  # names another scenario's graph
                o_types = o_types | {BA.Scenario}
            if not o_types & range_:
                problems.append(f"{s} {p.fragment} {o}: object outside {sorted(range_)}")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("name", SCENARIOS)
def test_functional_properties_have_one_value(
    name: str, demo_graphs: dict[str, Graph], ontology_graph: Graph
) -> None:
    """A value given in shared/ and again in a scenario file would break this (and OWL
    consistency)."""
    g = demo_graphs[name]
    problems = []
    for p in ontology_graph.subjects(RDF.type, OWL.FunctionalProperty):
        counts = Counter(s for s, _ in g.subject_objects(p))
        problems += [f"{s} has {n} values of {p.fragment}" for s, n in counts.items() if n > 1]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------ strategy and KPIs


@pytest.mark.parametrize("name", SCENARIOS)
def test_strategies_objectives_and_kpis_are_complete(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    for strategy in typed(g, BA.Strategy):
        assert list(g.objects(strategy, BA.hasObjective)), f"{strategy} has no objective"
        assert one(g, strategy, BA.startDate).toPython() < one(g, strategy, BA.endDate).toPython()
        one(g, strategy, BA.ownedBy)
    objectives = typed(g, BA.Objective)
    assert objectives == set(g.objects(None, BA.hasObjective))
    for objective in objectives:
        assert list(g.objects(objective, BA.measuredBy)), f"{objective} has no KPI"
        one(g, objective, BA.ownedBy)
    for kpi in typed(g, BA.KPI):
        assert str(one(g, kpi, BA.unitOfMeasure))
        assert one(g, kpi, BA.direction) in {BA.HigherIsBetter, BA.LowerIsBetter}
        num(g, kpi, BA.baselineValue)
        num(g, kpi, BA.targetValue)
        assert one(g, kpi, BA.baselineDate).toPython() < one(g, kpi, BA.targetDate).toPython()
        better = num(g, kpi, BA.targetValue) - num(g, kpi, BA.baselineValue)
        expected = BA.HigherIsBetter if better > 0 else BA.LowerIsBetter
        assert one(g, kpi, BA.direction) == expected, f"{kpi}: target is not an improvement"


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_kpi_has_a_monthly_series_of_at_least_twelve_periods(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    scenario_date = one(g, scenario_iri(name), BA.scenarioDate).toPython()
    for kpi in typed(g, BA.KPI):
        measurements = list(g.subjects(BA.ofKPI, kpi))
        assert len(measurements) >= 12, f"{kpi} has {len(measurements)} measurements in {name}"
        periods = set()
        for m in measurements:
            start, end = one(g, m, BA.periodStart).toPython(), one(g, m, BA.periodEnd).toPython()
            assert start.day == 1 and start <= end and (end - start).days < 31
            assert one(g, m, BA.measurementDate).toPython() == end <= scenario_date
            assert one(g, m, BA.inScenario) == scenario_iri(name)
            assert one(g, m, BA.measurementSubject) in set(g.subjects(RDF.type, None))
            num(g, m, BA.measuredValue)
            periods.add(start)
        assert len(periods) == len(measurements), f"{kpi} measures a month twice"
        baseline = one(g, kpi, BA.baselineDate).toPython()
        assert min(periods) > baseline, f"{kpi}: measurements before the baseline"


def kpi_behaviour_from_readme() -> dict[str, str]:
    behaviour = {}
    for row in readme_rows("KPI measurement series: signal and noise"):
        kpi = re.fullmatch(r"`mm:([\w-]+)`", row[0]).group(1)
        behaviour[kpi] = "signal" if "signal" in row[1] else "noise"
    return behaviour


def test_current_kpi_series_show_the_documented_signals_and_noise(
    demo_graphs: dict[str, Graph],
) -> None:
    g = demo_graphs["current"]
    behaviour = kpi_behaviour_from_readme()
    assert {MM[k] for k in behaviour} == typed(g, BA.KPI), "README must classify every KPI"
    assert "signal" in behaviour.values() and "noise" in behaviour.values()
    for kpi, kind in behaviour.items():
        values = series(g, MM[kpi])
        chart = xmr(values)
        flagged = bool(chart["beyond"]) or chart["run"] >= 8
        if kind == "signal":
            assert flagged, f"{kpi} is documented as a signal but the XmR chart flags nothing"
        else:
            assert not flagged, f"{kpi} is documented as noise but flags {chart}"
            assert chart["run"] < 7 and chart["trend_points"] < 6
            baseline_chart = xmr(values, values[:12])
            assert not baseline_chart["beyond"] and baseline_chart["run"] < 8


def test_claim_lead_time_shifts_after_digital_fnol_went_live(demo_graphs: dict[str, Graph]) -> None:
    g = demo_graphs["current"]
    kpi = MM["kpi-claim-lead-time"]
    go_live = one(g, MM["app-claims-self-service"], BA.goLiveDate).toPython()
    before, after = [], []
    for m in g.subjects(BA.ofKPI, kpi):
        (before if one(g, m, BA.periodStart).toPython() < go_live else after).append(
            num(g, m, BA.measuredValue)
        )
    assert len(after) >= 8 and len(before) >= 8
    assert max(after) < min(before), "every month after go-live is faster than every month before"
    nps = xmr(series(g, MM["kpi-net-promoter-score"]))
    assert len(nps["beyond"]) == 1 and nps["run"] < 8


def test_target_series_are_noise_except_the_planned_migration(
    demo_graphs: dict[str, Graph],
) -> None:
    g = demo_graphs["target"]
    for kpi in typed(g, BA.KPI):
        chart = xmr(series(g, kpi))
        flagged = bool(chart["beyond"]) or chart["run"] >= 8
        assert flagged == (kpi == MM["kpi-legacy-policy-share"]), f"{kpi}: {chart}"


# ------------------------------------------------------------------------------ value streams


@pytest.mark.parametrize("name", SCENARIOS)
def test_value_streams_have_four_to_seven_ordered_complete_stages(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    for vs in typed(g, BA.ValueStream):
        for prop in (
            BA.triggeringStakeholder,
            BA.triggeringEvent,
            BA.deliversValueProposition,
            BA.ownedBy,
        ):
            one(g, vs, prop)
        assert list(g.objects(vs, BA.contributesTo)), f"{vs} contributes to no objective"
        assert num(g, vs, BA.dailyDemand) > 0 and num(g, vs, BA.availableTimePerDay) > 0
        stages = ordered_stages(g, vs)
        assert 4 <= len(stages) <= 7, f"{vs} has {len(stages)} stages"
        assert [one(g, s, BA.position).toPython() for s in stages] == list(
            range(1, len(stages) + 1)
        )
        for here, there in itertools.pairwise(stages):
            assert list(g.objects(here, BA.nextStage)) == [there]
        assert not list(g.objects(stages[-1], BA.nextStage))
        units = {one(g, s, BA.timeUnit) for s in stages}
        assert len(units) == 1, f"{vs}: stages in mixed units {units}"
        for stage in stages:
            for prop in (
                BA.entranceCriterion,
                BA.exitCriterion,
                BA.producesValueItem,
                BA.participatingStakeholder,
                BA.enabledBy,
            ):
                assert list(g.objects(stage, prop)), f"{stage} lacks {prop.fragment}"
            lead, process = num(g, stage, BA.leadTime), num(g, stage, BA.processTime)
            assert 0 <= process <= lead, f"{stage}: process time {process} > lead time {lead}"
            assert 0 <= num(g, stage, BA.percentCompleteAccurate) <= 100


def vs_totals(g: Graph, vs) -> tuple[float, float]:
    """Lead time in seconds and rolled %C&A (product of the stages' %C&A)."""
    stages = ordered_stages(g, vs)
    lead = sum(seconds(g, s, BA.leadTime) for s in stages)
    rolled = 1.0
    for s in stages:
        rolled *= num(g, s, BA.percentCompleteAccurate) / 100
    return lead, rolled


def test_target_improves_every_value_stream(demo_graphs: dict[str, Graph]) -> None:
    current, target = demo_graphs["current"], demo_graphs["target"]
    streams = typed(current, BA.ValueStream)
    assert streams == typed(target, BA.ValueStream)
    for vs in streams:
        lead_now, pca_now = vs_totals(current, vs)
        lead_then, pca_then = vs_totals(target, vs)
        assert lead_then < lead_now, f"{vs}: lead time does not improve"
        assert pca_then > pca_now, f"{vs}: rolled %C&A does not improve"
        for stage in ordered_stages(current, vs):
            assert seconds(target, stage, BA.leadTime) <= seconds(current, stage, BA.leadTime)


def test_readme_value_stream_table_matches_the_data(demo_graphs: dict[str, Graph]) -> None:
    rows = readme_rows("Scenarios and layout")
    vs_rows = [r for r in rows if r[0].startswith("`mm:vs-")]
    assert len(vs_rows) == len(typed(demo_graphs["current"], BA.ValueStream))
    for row in vs_rows:
        vs = MM[re.match(r"`mm:([\w-]+)`", row[0]).group(1)]
        for name, column in (("current", 2), ("target", 3)):
            g = demo_graphs[name]
            total = sum(num(g, s, BA.leadTime) for s in ordered_stages(g, vs))
            assert total == pytest.approx(float(row[column])), f"{vs} lead time in {name}"


# ------------------------------------------------------------------------------ capabilities


@pytest.mark.parametrize("name", SCENARIOS)
def test_capability_map_has_three_consistent_tiers(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    caps = typed(g, BA.Capability)
    tiers = Counter()
    for cap in caps:
        tier = one(g, cap, BA.tier).toPython()
        tiers[tier] += 1
        parents = list(g.objects(cap, BA.parentCapability))
        if tier == 1:
            assert not parents
        else:
            assert len(parents) == 1 and one(g, parents[0], BA.tier).toPython() == tier - 1
        one(g, cap, BA.ownedBy)
        one(g, cap, BA.strategicImportance)
        for prop in (BA.currentMaturity, BA.targetMaturity):
            assert 1 <= one(g, cap, prop).toPython() <= 5
        assert (
            one(g, cap, BA.currentMaturity).toPython() <= one(g, cap, BA.targetMaturity).toPython()
        )
    assert set(tiers) == {1, 2, 3} and all(n >= 5 for n in tiers.values())


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_leaf_capability_is_realized_or_supported(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    parents = set(g.objects(None, BA.parentCapability))
    for leaf in typed(g, BA.Capability) - parents:
        realized = list(g.objects(leaf, BA.realizedBy))
        supported = list(g.subjects(BA.supportsCapability, leaf))
        assert realized or supported, f"leaf capability {leaf} is neither realized nor supported"


def test_maturity_does_not_fall_in_the_target(demo_graphs: dict[str, Graph]) -> None:
    current, target = demo_graphs["current"], demo_graphs["target"]
    raised = 0
    for cap in typed(current, BA.Capability):
        now = one(current, cap, BA.currentMaturity).toPython()
        then = one(target, cap, BA.currentMaturity).toPython()
        assert then >= now
        raised += then > now
    assert raised >= 20


# ------------------------------------------------------------------------------ processes


@pytest.mark.parametrize("name", SCENARIOS)
def test_processes_have_complete_ordered_activities(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    performers = typed(g, BA.OrganizationUnit) | typed(g, BA.Role)
    handoffs = gates = 0
    for proc in typed(g, BA.BusinessProcess):
        assert list(g.subjects(BA.realizedBy, proc)), f"{proc} realizes no capability"
        one(g, proc, BA.ownedBy)
        acts = ordered_activities(g, proc)
        assert acts, f"{proc} has no activities"
        assert [one(g, a, BA.position).toPython() for a in acts] == list(range(1, len(acts) + 1))
        used = set()
        for i, act in enumerate(acts):
            nxt = acts[i + 1] if i + 1 < len(acts) else None
            assert list(g.objects(act, BA.nextActivity)) == ([nxt] if nxt else [])
            one(g, act, BA.valueClassification)
            assert num(g, act, BA.cycleTime) >= 0 and num(g, act, BA.waitTime) >= 0
            one(g, act, BA.timeUnit)
            assert 0 <= num(g, act, BA.percentCompleteAccurate) <= 100
            performer = one(g, act, BA.performedBy)
            assert performer in performers
            changes = nxt is not None and one(g, nxt, BA.performedBy) != performer
            assert one(g, act, BA.isHandoff).toPython() == changes, f"{act}: isHandoff"
            handoffs += changes
            gates += one(g, act, BA.isApprovalGate).toPython()
            one(g, act, BA.isDecisionPoint)
            used |= set(g.objects(act, BA.supportedBy))
        assert set(g.objects(proc, BA.supportedBy)) == used, f"{proc}: supportedBy != activities'"
    assert handoffs >= 30 and gates >= 10
    assert len(set(g.subjects(BA.valueClassification, BA.ValueAdding))) >= 30
    assert set(g.subjects(BA.realizesStage, None)), "no process realizes a stage"


@pytest.mark.parametrize("name", SCENARIOS)
def test_processes_fit_into_the_stage_they_realize(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    """Summed cycle time of a stage's process <= the stage's process time, summed cycle + wait time
    <= its lead time, in seconds (activities and stages use different units)."""
    g = demo_graphs[name]
    for proc, stage in g.subject_objects(BA.realizesStage):
        acts = ordered_activities(g, proc)
        cycle = sum(seconds(g, a, BA.cycleTime) for a in acts)
        wait = sum(seconds(g, a, BA.waitTime) for a in acts)
        assert cycle <= seconds(g, stage, BA.processTime) + 1e-6, f"{proc} in {stage}: cycle"
        assert cycle + wait <= seconds(g, stage, BA.leadTime) + 1e-6, f"{proc} in {stage}: lead"


def test_the_target_removes_waste_and_handoffs(demo_graphs: dict[str, Graph]) -> None:
    def counts(g: Graph) -> tuple[int, int]:
        waste = len(set(g.subjects(BA.valueClassification, BA.Waste)))
        handoffs = sum(1 for a in typed(g, BA.Activity) if one(g, a, BA.isHandoff).toPython())
        return waste, handoffs

    (waste_now, handoffs_now), (waste_then, handoffs_then) = map(
        counts, (demo_graphs["current"], demo_graphs["target"])
    )
    assert waste_then < waste_now and handoffs_then < handoffs_now


# ------------------------------------------------------------------------------ applications


ACTIVE_USERS = (BA.supportedBy,)


@pytest.mark.parametrize("name", SCENARIOS)
def test_applications_are_complete_and_run_on_technology(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    nodes = typed(g, BA.Node)
    for app in typed(g, BA.Application):
        status = one(g, app, BA.lifecycleStatus)
        for prop in (BA.goLiveDate, BA.ownedBy, BA.annualCost, BA.criticality):
            one(g, app, prop)
        assert list(g.objects(app, BA.vendor))
        if status == BA.PhaseOut:
            assert one(g, app, BA.phaseOutDate).toPython() > one(g, app, BA.goLiveDate).toPython()
        if status == BA.Retired:
            retired = one(g, app, BA.retirementDate).toPython()
            assert retired <= one(g, scenario_iri(name), BA.scenarioDate).toPython()
        # every hosting chain ends on a node
        todo, seen = list(g.objects(app, BA.runsOn)), set()
        assert todo, f"{app} runs on nothing"
        while todo:
            tech = todo.pop()
            seen.add(tech)
            todo += [t for t in g.objects(tech, BA.runsOn) if t not in seen]
        assert seen & nodes, f"{app} does not reach a node"
    for flow in typed(g, BA.ApplicationFlow):
        src, dst = one(g, flow, BA.flowSource), one(g, flow, BA.flowTarget)
        assert (src, BA.flowsTo, dst) in g
        assert list(g.objects(flow, BA.carriesData))


def test_lifecycle_mix_across_the_scenarios(demo_graphs: dict[str, Graph]) -> None:
    current, target = demo_graphs["current"], demo_graphs["target"]
    assert len(set(current.subjects(BA.lifecycleStatus, BA.PhaseOut))) >= 3
    assert set(current.subjects(BA.lifecycleStatus, BA.Planned))
    assert (
        len(set(target.subjects(BA.lifecycleStatus, BA.Retired)) & typed(target, BA.Application))
        >= 1
    )


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_retired_application_is_still_used(name: str, demo_graphs: dict[str, Graph]) -> None:
    """A retired application supporting a process, activity or capability is a violation in the
    validation rules; the demo has none."""
    g = demo_graphs[name]
    for app in set(g.subjects(BA.lifecycleStatus, BA.Retired)) & typed(g, BA.Application):
        assert not list(g.subjects(BA.supportedBy, app)), f"{app} still supports work"
        assert not list(g.objects(app, BA.supportsCapability)), f"{app} still supports capabilities"
        assert not list(g.subjects(BA.flowsTo, app)) and not list(g.objects(app, BA.flowsTo))
        for tech in g.objects(app, BA.runsOn):
            assert one(g, tech, BA.lifecycleStatus) in {BA.PhaseOut, BA.Retired, BA.Active}
    for app in set(g.subjects(BA.lifecycleStatus, BA.Planned)):
        assert not list(g.subjects(BA.supportedBy, app)), f"planned {app} already supports work"
    for tech in set(g.subjects(BA.lifecycleStatus, BA.Retired)) & typed(g, BA.TechnologyComponent):
        for user in g.subjects(BA.runsOn, tech):
            assert one(g, user, BA.lifecycleStatus) == BA.Retired, f"{user} runs on retired {tech}"


VERBS = ("Manage", "Process", "Handle", "Perform", "Do", "Create", "Run", "Execute", "Maintain")


def documented_weaknesses() -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {"phase-out": set(), "verb": set()}
    for row in readme_rows("Deliberate modelling weaknesses (expected validation warnings)"):
        element = re.match(r"`mm:([\w-]+)`", row[2]).group(1)
        kind = "phase-out" if "phase-out application" in row[4] else "verb"
        for scenario in re.split(r",\s*", row[1]):
            found[kind].add((scenario, element))
    return found


def test_weaknesses_are_exactly_the_documented_ones(demo_graphs: dict[str, Graph]) -> None:
    expected = documented_weaknesses()
    phase_out, verbs = set(), set()
    for name, g in demo_graphs.items():
        for app in set(g.subjects(BA.lifecycleStatus, BA.PhaseOut)) & typed(g, BA.Application):
            for cap in g.objects(app, BA.supportsCapability):
                if one(g, cap, BA.strategicImportance) in {BA.High, BA.Critical}:
                    phase_out.add((name, app.removeprefix(namespaces.DEMO)))
        for cap in typed(g, BA.Capability):
            if label(g, cap).split()[0] in VERBS:
                verbs.add((name, cap.removeprefix(namespaces.DEMO)))
    assert phase_out == expected["phase-out"]
    assert verbs == expected["verb"]
    assert phase_out and verbs


# --------------------------------------------------------------------- initiatives, organisation


@pytest.mark.parametrize("name", SCENARIOS)
def test_initiatives_link_objectives_to_the_elements_they_change(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    changed_kinds = set()
    earliest_start = min(one(g, i, BA.startDate).toPython() for i in typed(g, BA.Initiative))
    for ini in typed(g, BA.Initiative):
        start, end = one(g, ini, BA.startDate).toPython(), one(g, ini, BA.endDate).toPython()
        assert date(2024, 1, 1) <= start < end <= date(2027, 12, 31)
        assert num(g, ini, BA.budget) > 0
        one(g, ini, BA.workStatus)
        one(g, ini, BA.ownedBy)
        objectives = list(g.objects(ini, BA.advances))
        assert objectives, f"{ini} advances no objective"
        changed = list(g.objects(ini, BA.changes))
        assert changed, f"{ini} changes nothing"
        for element in changed:
            changed_kinds |= set(g.objects(element, RDF.type))
        for objective in objectives:
            for kpi in g.objects(objective, BA.measuredBy):
                assert one(g, kpi, BA.baselineDate).toPython() < start
    assert {BA.Capability, BA.ValueStreamStage, BA.Application} <= changed_kinds
    for kpi in typed(g, BA.KPI):
        assert one(g, kpi, BA.baselineDate).toPython() < earliest_start
    if name == "target":
        assert set(g.objects(None, BA.workStatus)) - {BA.InProgress} == {BA.Completed}


@pytest.mark.parametrize("name", SCENARIOS)
def test_organisation_is_one_tree_with_roles(name: str, demo_graphs: dict[str, Graph]) -> None:
    g = demo_graphs[name]
    units = typed(g, BA.OrganizationUnit)
    roots = [u for u in units if not list(g.objects(u, BA.parentUnit))]
    assert roots == [MM["org-meridian-mutual"]]
    for unit in units:
        seen, here = set(), unit
        while here != roots[0]:
            assert here not in seen, f"cycle through {unit}"
            seen.add(here)
            here = one(g, here, BA.parentUnit)
    for role in typed(g, BA.Role):
        assert one(g, role, BA.roleIn) in units
    owners = set(g.objects(None, BA.ownedBy))
    assert owners <= units | typed(g, BA.Role)


# ------------------------------------------------------------------------------ traceability


def trace_down(g: Graph, strategy) -> dict[str, set]:
    """Follow strategy -> objective <- value stream -> stage -> capability (and its
    sub-capabilities) -> process -> application -> technology, collecting each layer."""
    layers: dict[str, set] = defaultdict(set)
    layers["objective"] = set(g.objects(strategy, BA.hasObjective))
    layers["value stream"] = {
        vs for o in layers["objective"] for vs in g.subjects(BA.contributesTo, o)
    }
    layers["stage"] = {s for vs in layers["value stream"] for s in g.objects(vs, BA.hasStage)}
    caps = {c for s in layers["stage"] for c in g.objects(s, BA.enabledBy)}
    todo = list(caps)
    while todo:
        for child in g.subjects(BA.parentCapability, todo.pop()):
            if child not in caps:
                caps.add(child)
                todo.append(child)
    layers["capability"] = caps
    layers["process"] = {p for c in caps for p in g.objects(c, BA.realizedBy)}
    layers["application"] = {a for p in layers["process"] for a in g.objects(p, BA.supportedBy)}
    layers["technology"] = {t for a in layers["application"] for t in g.objects(a, BA.runsOn)}
    return layers


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_strategy_traces_down_to_applications_and_technology(
    name: str, demo_graphs: dict[str, Graph]
) -> None:
    g = demo_graphs[name]
    for strategy in typed(g, BA.Strategy):
        layers = trace_down(g, strategy)
        empty = [layer for layer, found in layers.items() if not found]
        assert not empty, f"{label(g, strategy)} does not reach: {empty}"
        assert layers["application"] <= typed(g, BA.Application)
        statuses = {one(g, a, BA.lifecycleStatus) for a in layers["application"]}
        assert BA.Retired not in statuses


def test_trace_of_digital_claims_reaches_the_claims_platform(demo_graphs: dict[str, Graph]) -> None:
    current = trace_down(demo_graphs["current"], MM["strat-digital-claims"])
    target = trace_down(demo_graphs["target"], MM["strat-digital-claims"])
    assert MM["app-claimsone"] in current["application"]
    assert MM["app-claimsone"] not in target["application"]
    assert MM["app-guidewire-claimcenter"] in current["application"] & target["application"]
    assert MM["plat-guidewire-cloud"] in target["technology"]


def test_money_and_numbers_are_decimals_not_floats(demo_graphs: dict[str, Graph]) -> None:
    for g in demo_graphs.values():
        for cost in g.objects(None, BA.annualCost):
            assert isinstance(cost.toPython(), Decimal)
