"""A synthetic business-architecture model of any size, for benchmarks.

Used by the validation benchmark while the project's generator (``bizarch generate``) is not
available; ``bench_validate.py`` prefers the generator when it exists. The model follows the
ontology: business units each with a strategy, objectives, KPIs, initiatives, a value stream with
stages, a three-tier capability map, processes with activities, applications on platforms and nodes,
organisation units and roles. A seeded random number generator puts a small share of typical
modelling mistakes in (missing owners, %C&A above 100, process time above lead time, retired
applications still in use, ...), so validation has something to report.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

BA = "https://w3id.org/bizarch/ontology#"
ID = "https://data.example.org/synthetic/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"

TRIPLES_PER_UNIT = 430
"""About how many triples one business unit adds (measured, used to size the model)."""


def _iri(local: str) -> str:
    return f"<{ID}{local}>"


def _ba(local: str) -> str:
    return f"<{BA}{local}>"


def _lit(value: object) -> str:
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    if isinstance(value, float):
        return f'"{value:.2f}"^^<{XSD}decimal>'
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f'"{text}"^^<{XSD}date>'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def typed(self, s: str, cls: str, label: str) -> None:
        self.t(s, f"<{RDF_TYPE}>", _ba(cls))
        self.t(s, f"<{LABEL}>", _lit(label))


def generate(triples: int, seed: int = 1, defect_rate: float = 0.01) -> str:
    """N-Triples text of a model of about ``triples`` triples."""
    return "\n".join(iter_lines(triples, seed, defect_rate)) + "\n"


def iter_lines(triples: int, seed: int = 1, defect_rate: float = 0.01) -> Iterator[str]:
    rng = random.Random(seed)
    units = max(1, round(triples / TRIPLES_PER_UNIT))
    for u in range(units):
        w = _Writer()
        _unit(w, u, rng, defect_rate)
        yield from w.lines


def _unit(w: _Writer, u: int, rng: random.Random, defect: float) -> None:
    def bad() -> bool:
        return rng.random() < defect

    ba = _ba
    org = _iri(f"u{u}/org")
    w.typed(org, "OrganizationUnit", f"Business unit {u}")
    roles = []
    for r in range(3):
        role = _iri(f"u{u}/role{r}")
        w.typed(role, "Role", f"Role {r} of unit {u}")
        w.t(role, ba("roleIn"), org)
        roles.append(role)
    owner = roles[0]

    customer = _iri(f"u{u}/customer")
    w.typed(customer, "CustomerSegment", f"Customer segment {u}")
    proposition = _iri(f"u{u}/proposition")
    w.typed(proposition, "ValueProposition", f"Value proposition {u}")
    w.t(proposition, ba("forStakeholder"), customer)

    # Strategy, objectives, KPIs, initiatives
    strategy = _iri(f"u{u}/strategy")
    w.typed(strategy, "Strategy", f"Strategy {u}")
    w.t(strategy, ba("startDate"), _lit("2025-01-01"))
    w.t(strategy, ba("endDate"), _lit("2027-12-31" if not bad() else "2024-12-31"))
    w.t(strategy, ba("ownedBy"), owner)
    objectives, kpis = [], []
    for o in range(2):
        objective = _iri(f"u{u}/objective{o}")
        w.typed(objective, "Objective", f"Objective {o} of unit {u}")
        w.t(strategy, ba("hasObjective"), objective)
        kpi = _iri(f"u{u}/kpi{o}")
        w.typed(kpi, "KPI", f"KPI {o} of unit {u}")
        w.t(objective, ba("measuredBy"), kpi)
        w.t(kpi, ba("unitOfMeasure"), _lit("days"))
        w.t(kpi, ba("direction"), ba("LowerIsBetter"))
        w.t(kpi, ba("baselineValue"), _lit(float(rng.randint(10, 40))))
        w.t(kpi, ba("baselineDate"), _lit("2024-12-31"))
        w.t(kpi, ba("targetValue"), _lit(float(rng.randint(2, 9))))
        w.t(kpi, ba("targetDate"), _lit("2027-12-31" if not bad() else "2023-01-01"))
        w.t(kpi, ba("ownedBy"), owner)
        objectives.append(objective)
        kpis.append(kpi)

    # Capability map: 1 tier-1, 2 tier-2, 4 tier-3
    caps = []
    top = _iri(f"u{u}/cap")
    w.typed(top, "Capability", f"Capability area {u}")
    w.t(top, ba("tier"), _lit(1))
    caps.append(top)
    leaves = []
    for a in range(2):
        mid = _iri(f"u{u}/cap{a}")
        w.typed(mid, "Capability", f"Capability {u}.{a}")
        w.t(mid, ba("tier"), _lit(2))
        w.t(mid, ba("parentCapability"), top)
        caps.append(mid)
        for b in range(2):
            leaf = _iri(f"u{u}/cap{a}{b}")
            w.typed(leaf, "Capability", f"Capability {u}.{a}.{b}")
            w.t(leaf, ba("tier"), _lit(3 if not bad() else 2))
            w.t(leaf, ba("parentCapability"), mid)
            caps.append(leaf)
            leaves.append(leaf)
    for cap in caps:
        if not bad():
            w.t(cap, ba("ownedBy"), owner)
        w.t(cap, ba("currentMaturity"), _lit(rng.randint(1, 5) if not bad() else 7))
        w.t(cap, ba("targetMaturity"), _lit(rng.randint(3, 5)))
        w.t(cap, ba("strategicImportance"), ba(rng.choice(["Low", "Medium", "High", "Critical"])))

    # Technology
    node = _iri(f"u{u}/node")
    w.typed(node, "Node", f"Cluster {u}")
    w.t(node, ba("lifecycleStatus"), ba("Active"))
    platform = _iri(f"u{u}/platform")
    w.typed(platform, "Platform", f"Platform {u}")
    w.t(platform, ba("runsOn"), node)
    w.t(platform, ba("lifecycleStatus"), ba("Active"))
    apps = []
    for a in range(3):
        app = _iri(f"u{u}/app{a}")
        w.typed(app, "Application", f"Application {u}.{a}")
        status = "Active" if not bad() else "Retired"
        w.t(app, ba("lifecycleStatus"), ba(status))
        if not bad():
            w.t(app, ba("ownedBy"), roles[1])
        w.t(app, ba("annualCost"), _lit(float(rng.randint(10_000, 900_000))))
        w.t(app, ba("goLiveDate"), _lit("2019-06-01"))
        w.t(app, ba("criticality"), ba(rng.choice(["Medium", "High"])))
        w.t(app, ba("runsOn"), platform)
        w.t(app, ba("supportsCapability"), leaves[a % len(leaves)])
        apps.append(app)
    w.t(apps[0], ba("flowsTo"), apps[1])

    # Value stream and stages
    vs = _iri(f"u{u}/vs")
    w.typed(vs, "ValueStream", f"Value stream {u}")
    w.t(vs, ba("triggeringStakeholder"), customer)
    w.t(vs, ba("deliversValueProposition"), proposition)
    if not bad():
        w.t(vs, ba("ownedBy"), owner)
    w.t(vs, ba("contributesTo"), objectives[0])
    w.t(vs, ba("triggeringEvent"), _lit(f"Customer {u} asks for service"))
    w.t(vs, ba("dailyDemand"), _lit(float(rng.randint(5, 500))))
    w.t(vs, ba("availableTimePerDay"), _lit(8.0))
    w.t(vs, ba("timeUnit"), ba("Hour"))
    w.t(vs, ba("measuredBy"), kpis[1])
    stages = []
    for s in range(4):
        stage = _iri(f"u{u}/stage{s}")
        w.typed(stage, "ValueStreamStage", f"Stage {s + 1} of value stream {u}")
        w.t(vs, ba("hasStage"), stage)
        w.t(stage, ba("position"), _lit(s + 1 if not bad() else s + 3))
        w.t(stage, ba("entranceCriterion"), _lit(f"Input of stage {s + 1} is complete"))
        w.t(stage, ba("exitCriterion"), _lit(f"Output of stage {s + 1} is accepted"))
        w.t(stage, ba("participatingStakeholder"), customer)
        w.t(stage, ba("enabledBy"), leaves[s % len(leaves)])
        lead = float(rng.randint(4, 40))
        w.t(stage, ba("leadTime"), _lit(lead))
        w.t(stage, ba("processTime"), _lit(lead / 4 if not bad() else lead * 2))
        pca = float(rng.randint(60, 100)) if not bad() else 140.0
        w.t(stage, ba("percentCompleteAccurate"), _lit(pca))
        w.t(stage, ba("timeUnit"), ba("Hour"))
        stages.append(stage)
    for a, b in itertools.pairwise(stages):
        w.t(a, ba("nextStage"), b)

    # Processes and activities
    for p, leaf in enumerate(leaves):
        proc = _iri(f"u{u}/proc{p}")
        w.typed(proc, "BusinessProcess", f"Process {u}.{p}")
        w.t(leaf, ba("realizedBy"), proc)
        w.t(proc, ba("realizesStage"), stages[p % len(stages)])
        w.t(proc, ba("ownedBy"), owner)
        w.t(proc, ba("supportedBy"), apps[p % len(apps)])
        previous = None
        for a in range(4):
            act = _iri(f"u{u}/proc{p}/act{a}")
            w.typed(act, "Activity", f"Activity {a + 1} of process {u}.{p}")
            w.t(proc, ba("hasActivity"), act)
            w.t(act, ba("position"), _lit(a + 1))
            kind = rng.choice(["ValueAdding", "BusinessNecessary", "Waste"])
            if not bad():
                w.t(act, ba("valueClassification"), ba(kind))
            w.t(act, ba("cycleTime"), _lit(float(rng.randint(5, 90))))
            w.t(act, ba("waitTime"), _lit(float(rng.randint(0, 300))))
            w.t(act, ba("timeUnit"), ba("Minute"))
            w.t(act, ba("percentCompleteAccurate"), _lit(float(rng.randint(70, 100))))
            w.t(act, ba("performedBy"), roles[a % len(roles)])
            w.t(act, ba("supportedBy"), apps[a % len(apps)])
            w.t(act, ba("isHandoff"), _lit(a % 2 == 1))
            if previous is not None:
                w.t(previous, ba("nextActivity"), act)
            previous = act

    # Initiatives
    for i in range(2):
        initiative = _iri(f"u{u}/initiative{i}")
        w.typed(initiative, "Initiative", f"Initiative {i} of unit {u}")
        w.t(initiative, ba("advances"), objectives[i])
        w.t(initiative, ba("changes"), leaves[i])
        w.t(initiative, ba("changes"), apps[i])
        w.t(initiative, ba("startDate"), _lit("2025-03-01"))
        w.t(initiative, ba("endDate"), _lit("2026-06-30"))
        w.t(initiative, ba("budget"), _lit(float(rng.randint(100_000, 2_000_000))))
        w.t(initiative, ba("workStatus"), ba("InProgress"))
        w.t(initiative, ba("ownedBy"), owner)
