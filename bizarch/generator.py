"""Deterministic generator of large, realistic business-architecture models.

Why: tests and benchmarks need models of 10k to 1M+ triples that look like a real enterprise (the
ratios architects see, names people recognise, every strategy tracing down to applications) and
that are byte-for-byte reproducible from a seed, so a benchmark figure can be re-measured.

Shape at 1M triples (everything scales linearly with ``--triples``): about 2,000 capabilities in
3 tiers, 300 value streams of 4-7 stages, 20,000 business processes (a quarter of them detailed
into activities), 5,000 applications on technology components and nodes, organisation units and
roles, strategies with objectives, KPIs and monthly measurement series, and initiatives. The
model is written twice, as the ``current`` scenario and as the ``target`` scenario derived from it
(applications retired and introduced, maturity raised, stages faster, waste removed), each in its
own named graph, as TriG or N-Quads. Only terms declared in ``ontology/bizarch.ttl`` are used.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import pyoxigraph as ox

from bizarch.errors import UserInputError
from bizarch.namespaces import BA, PREFIXES, SCENARIO_BASE

GEN = "https://data.generated.example/id/"
"""Namespace of generated elements."""

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"
DECIMAL, INTEGER, DATE, BOOLEAN = (
    ox.NamedNode(XSD + t) for t in ("decimal", "integer", "date", "boolean")
)
CURRENT = SCENARIO_BASE + "current"
TARGET = SCENARIO_BASE + "target"
MIN_TRIPLES = 2_000
MAX_TRIPLES = 50_000_000

DOMAINS = (
    "Customer",
    "Product",
    "Sales",
    "Marketing",
    "Claims",
    "Underwriting",
    "Policy",
    "Billing",
    "Payments",
    "Finance",
    "Risk",
    "Compliance",
    "Human Resources",
    "Procurement",
    "Partner",
    "Channel",
    "Service",
    "Asset",
    "Investment",
    "Legal",
    "Data",
    "Technology",
    "Security",
    "Facilities",
    "Strategy",
    "Communication",
)
OBJECTS = (
    "Account",
    "Agreement",
    "Application",
    "Assessment",
    "Budget",
    "Campaign",
    "Case",
    "Catalogue",
    "Channel",
    "Claim",
    "Complaint",
    "Contract",
    "Correspondence",
    "Credit",
    "Document",
    "Event",
    "Forecast",
    "Incident",
    "Information",
    "Inquiry",
    "Invoice",
    "Lead",
    "Ledger",
    "Licence",
    "Offer",
    "Order",
    "Payment",
    "Portfolio",
    "Price",
    "Profile",
    "Quote",
    "Rating",
    "Record",
    "Relationship",
    "Report",
    "Request",
    "Reserve",
    "Schedule",
    "Settlement",
    "Supplier",
    "Tax",
    "Training",
    "Treasury",
    "Vendor",
    "Workforce",
)
FUNCTIONS = (
    "Management",
    "Analysis",
    "Administration",
    "Capture",
    "Validation",
    "Planning",
    "Monitoring",
    "Reporting",
    "Fulfilment",
    "Design",
    "Servicing",
    "Reconciliation",
    "Optimisation",
    "Governance",
    "Onboarding",
    "Scoring",
    "Routing",
    "Archiving",
)
VERBS = (
    "Receive",
    "Register",
    "Verify",
    "Assess",
    "Approve",
    "Calculate",
    "Prepare",
    "Review",
    "Notify",
    "Issue",
    "Reconcile",
    "Archive",
    "Escalate",
    "Investigate",
    "Schedule",
    "Publish",
    "Collect",
    "Dispatch",
    "Update",
    "Close",
)
VALUE_STREAMS = (
    "Acquire Customer",
    "Onboard Customer",
    "Settle Claim",
    "Issue Policy",
    "Renew Policy",
    "Resolve Complaint",
    "Collect Premium",
    "Launch Product",
    "Hire Employee",
    "Procure Goods",
    "Close Books",
    "Manage Incident",
    "Deliver Order",
    "Onboard Partner",
    "Assess Risk",
    "Change Policy",
    "Pay Supplier",
    "Report to Regulator",
    "Develop Product",
    "Retain Customer",
)
STAGES = (
    "Initiate",
    "Qualify",
    "Capture",
    "Assess",
    "Decide",
    "Agree",
    "Fulfil",
    "Confirm",
    "Review",
    "Close",
)
VENDORS = (
    "Acme Software",
    "Northwind Systems",
    "Contoso",
    "Globex",
    "Initech",
    "Umbrella IT",
    "Stark Digital",
    "Wayne Data",
    "Tyrell Cloud",
    "Cyberdyne",
    "In-house",
)
APP_SUFFIXES = ("Hub", "Portal", "Engine", "Suite", "Manager", "Desk", "Gateway", "Platform", "360")
PLATFORMS = (
    "PostgreSQL",
    "Oracle Database",
    "Kafka",
    "Kubernetes",
    "SAP NetWeaver",
    "JBoss",
    "Tomcat",
    "Windows Server",
    "RHEL",
    "MongoDB",
    "Redis",
    "Elasticsearch",
    "Azure App Service",
    "IBM MQ",
    "Nginx",
)
UNITS = (
    "Operations",
    "Customer Service",
    "Finance",
    "IT",
    "Claims",
    "Underwriting",
    "Sales",
    "Marketing",
    "Risk Office",
    "Compliance",
    "HR",
    "Procurement",
    "Legal",
    "Data Office",
    "Product Management",
    "Partner Management",
)
ROLES = (
    "Handler",
    "Specialist",
    "Analyst",
    "Manager",
    "Officer",
    "Clerk",
    "Lead",
    "Administrator",
    "Advisor",
    "Controller",
)
STRATEGY_THEMES = (
    "Digital First",
    "Customer Intimacy",
    "Operational Excellence",
    "Profitable Growth",
    "Trusted Compliance",
    "Data-Driven Decisions",
    "Sustainable Operations",
    "Partner Ecosystem",
    "Simplify the Estate",
    "Talent and Culture",
)
KPI_NAMES = (
    ("Net Promoter Score", "points", "HigherIsBetter"),
    ("Average Handling Time", "minutes", "LowerIsBetter"),
    ("First Contact Resolution", "percent", "HigherIsBetter"),
    ("Cost per Transaction", "EUR", "LowerIsBetter"),
    ("Straight-Through Processing Rate", "percent", "HigherIsBetter"),
    ("Claims Cycle Time", "days", "LowerIsBetter"),
    ("Customer Churn", "percent", "LowerIsBetter"),
    ("Application Availability", "percent", "HigherIsBetter"),
    ("Time to Market", "days", "LowerIsBetter"),
    ("Employee Engagement", "points", "HigherIsBetter"),
)


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(BA + name)


def _dec(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.2f}", datatype=DECIMAL)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=INTEGER)


def _date(year: int, month: int, day: int = 1) -> ox.Literal:
    return ox.Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=DATE)


def _bool(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=BOOLEAN)


@dataclass
class _Model:
    """The generated enterprise before it is written, shared by both scenarios."""

    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = field(
        default_factory=list
    )
    current_only: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = field(
        default_factory=list
    )
    target_only: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = field(
        default_factory=list
    )


class _Builder:
    """Builds the model deterministically from one ``random.Random``."""

    def __init__(self, triples: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.scale = triples / 1_000_000
        self.model = _Model()
        self.labels: set[str] = set()
        self.retired_in_target: set[ox.NamedNode] = set()

    # helpers --------------------------------------------------------------------------------

    def count(self, at_1m: int, minimum: int = 1) -> int:
        return max(minimum, round(at_1m * self.scale))

    def node(self, kind: str, index: int) -> ox.NamedNode:
        return ox.NamedNode(f"{GEN}{kind}-{index:06d}")

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.model.triples.append((s, p, o))

    def unique(self, label: str) -> str:
        candidate, n = label, 2
        while candidate in self.labels:
            candidate, n = f"{label} {n}", n + 1
        self.labels.add(candidate)
        return candidate

    def replacement(self, apps: list[ox.NamedNode], app: ox.NamedNode) -> ox.NamedNode:
        """The next application after ``app`` that the target state keeps (deterministic)."""
        start = apps.index(app)
        for step in range(1, len(apps)):
            candidate = apps[(start + step) % len(apps)]
            if candidate not in self.retired_in_target:
                return candidate
        return app

    def element(self, kind: str, index: int, cls: str, label: str) -> ox.NamedNode:
        node = self.node(kind, index)
        self.add(node, RDF_TYPE, _n(cls))
        self.add(node, LABEL, ox.Literal(self.unique(label), language="en"))
        return node

    # the enterprise -------------------------------------------------------------------------

    def build(self) -> _Model:
        units = self.organisation()
        roles = self.roles(units)
        caps, leaves = self.capabilities(units)
        techs = self.technology(units)
        apps = self.applications(units, caps, techs)
        stages = self.value_streams(units, leaves)
        objectives = self.strategies(units, stages)
        self.processes(units, roles, leaves, stages, apps)
        self.initiatives(units, objectives, caps, apps)
        return self.model

    def organisation(self) -> list[ox.NamedNode]:
        units = []
        n = self.count(150, 3)
        for i in range(n):
            base = UNITS[i % len(UNITS)]
            region = (
                "" if i < len(UNITS) else f" {('North', 'South', 'East', 'West', 'Central')[i % 5]}"
            )
            unit = self.element("unit", i, "OrganizationUnit", f"{base}{region}")
            if i >= len(UNITS):
                self.add(unit, _n("parentUnit"), units[i % len(UNITS)])
            units.append(unit)
        return units

    def roles(self, units: list[ox.NamedNode]) -> list[ox.NamedNode]:
        roles = []
        for i in range(self.count(300, 3)):
            unit = units[i % len(units)]
            role = self.element(
                "role", i, "Role", f"{DOMAINS[i % len(DOMAINS)]} {ROLES[i % len(ROLES)]}"
            )
            self.add(role, _n("roleIn"), unit)
            roles.append(role)
        return roles

    def capabilities(
        self, units: list[ox.NamedNode]
    ) -> tuple[list[ox.NamedNode], list[ox.NamedNode]]:
        rng = self.rng
        total = self.count(2000, 6)
        n1 = max(1, round(total * 0.012))
        n2 = max(1, round(total * 0.11))
        caps: list[ox.NamedNode] = []
        tier1: list[tuple[ox.NamedNode, str]] = []
        tier2: list[tuple[ox.NamedNode, str]] = []
        leaves: list[ox.NamedNode] = []
        levels = ("Low", "Medium", "High", "Critical")
        for i in range(total):
            if i < n1:
                domain = DOMAINS[i % len(DOMAINS)]
                label, tier, parent = f"{domain} Management", 1, None
                name = domain
            elif i < n1 + n2:
                parent_node, domain = tier1[(i - n1) % len(tier1)]
                obj = OBJECTS[rng.randrange(len(OBJECTS))]
                label, tier, parent, name = (
                    f"{domain} {obj} Management",
                    2,
                    parent_node,
                    f"{domain} {obj}",
                )
            else:
                parent_node, name = tier2[rng.randrange(len(tier2))]
                fn = FUNCTIONS[rng.randrange(len(FUNCTIONS))]
                label, tier, parent = f"{name} {fn}", 3, parent_node
            cap = self.element("cap", i, "Capability", label)
            self.add(cap, _n("tier"), _int(tier))
            if parent is not None:
                self.add(cap, _n("parentCapability"), parent)
            self.add(cap, _n("ownedBy"), units[rng.randrange(len(units))])
            maturity = rng.randint(1, 4)
            self.add(cap, _n("currentMaturity"), _int(maturity))
            self.add(cap, _n("targetMaturity"), _int(min(5, maturity + rng.randint(0, 2))))
            self.add(cap, _n("strategicImportance"), _n(levels[rng.randrange(4)]))
            caps.append(cap)
            if tier == 1:
                tier1.append((cap, name))
            elif tier == 2:
                tier2.append((cap, name))
            else:
                leaves.append(cap)
        return caps, leaves or [c for c, _ in tier2]

    def technology(self, units: list[ox.NamedNode]) -> list[ox.NamedNode]:
        rng = self.rng
        nodes = []
        for i in range(self.count(100, 2)):
            node = self.element("node", i, "Node", f"Node {('dc1', 'dc2', 'cloud')[i % 3]}-{i:03d}")
            self.add(node, _n("lifecycleStatus"), _n("Active"))
            nodes.append(node)
        techs = []
        for i in range(self.count(500, 2)):
            platform = PLATFORMS[i % len(PLATFORMS)]
            tech = self.element("tech", i, "Platform", f"{platform} {i // len(PLATFORMS) + 1}")
            self.add(tech, _n("vendor"), ox.Literal(platform.split()[0]))
            self.add(tech, _n("version"), ox.Literal(f"{rng.randint(1, 19)}.{rng.randint(0, 9)}"))
            self.add(tech, _n("runsOn"), nodes[rng.randrange(len(nodes))])
            self.add(tech, _n("lifecycleStatus"), _n("Active"))
            self.add(tech, _n("ownedBy"), units[rng.randrange(len(units))])
            techs.append(tech)
        return techs

    def applications(
        self, units: list[ox.NamedNode], caps: list[ox.NamedNode], techs: list[ox.NamedNode]
    ) -> list[ox.NamedNode]:
        rng, m = self.rng, self.model
        apps = []
        levels = ("Low", "Medium", "High", "Critical")
        for i in range(self.count(5000, 3)):
            domain = DOMAINS[rng.randrange(len(DOMAINS))]
            suffix = APP_SUFFIXES[rng.randrange(len(APP_SUFFIXES))]
            app = self.element(
                "app", i, "Application", f"{domain} {OBJECTS[i % len(OBJECTS)]} {suffix}"
            )
            vendor = VENDORS[rng.randrange(len(VENDORS))]
            self.add(app, _n("vendor"), ox.Literal(vendor))
            self.add(app, _n("annualCost"), _dec(rng.randint(5, 900) * 1000.0))
            self.add(app, _n("criticality"), _n(levels[rng.randrange(4)]))
            self.add(app, _n("ownedBy"), units[rng.randrange(len(units))])
            self.add(app, _n("goLiveDate"), _date(rng.randint(2003, 2024), rng.randint(1, 12)))
            for _ in range(rng.randint(1, 2)):
                self.add(app, _n("runsOn"), techs[rng.randrange(len(techs))])
            supported = [caps[rng.randrange(len(caps))] for _ in range(rng.randint(1, 2))]
            # target state: 8 % retired, 10 % phasing out, 4 % new (planned today)
            roll = rng.random()
            retired = roll < 0.08
            for cap in supported:
                # a retired application supports nothing any more (validation rule TEC-001)
                if retired:
                    m.current_only.append((app, _n("supportsCapability"), cap))
                else:
                    self.add(app, _n("supportsCapability"), cap)
            if retired:
                self.retired_in_target.add(app)
                m.current_only.append((app, _n("lifecycleStatus"), _n("Active")))
                m.target_only.append((app, _n("lifecycleStatus"), _n("Retired")))
                m.target_only.append((app, _n("retirementDate"), _date(2026, rng.randint(1, 12))))
            elif roll < 0.18:
                m.current_only.append((app, _n("lifecycleStatus"), _n("Active")))
                m.target_only.append((app, _n("lifecycleStatus"), _n("PhaseOut")))
                m.target_only.append((app, _n("retirementDate"), _date(2028, rng.randint(1, 12))))
            elif roll < 0.22:
                m.current_only.append((app, _n("lifecycleStatus"), _n("Planned")))
                m.target_only.append((app, _n("lifecycleStatus"), _n("Active")))
            else:
                self.add(app, _n("lifecycleStatus"), _n("Active"))
            apps.append(app)
        return apps

    def value_streams(
        self, units: list[ox.NamedNode], leaves: list[ox.NamedNode]
    ) -> list[ox.NamedNode]:
        rng, m = self.rng, self.model
        stages: list[ox.NamedNode] = []
        stage_index = 0
        # Value streams are told from a stakeholder's point of view (BIZBOK): each is triggered by
        # a customer segment, who takes part in its stages and receives its value proposition.
        segments = [
            self.element("segment", j, "CustomerSegment", f"{DOMAINS[j % len(DOMAINS)]} customers")
            for j in range(self.count(40, 2))
        ]
        for segment_node in segments:
            self.add(segment_node, RDF_TYPE, _n("Stakeholder"))
        for i in range(self.count(300, 1)):
            name = VALUE_STREAMS[i % len(VALUE_STREAMS)]
            segment = (
                f" ({DOMAINS[i // len(VALUE_STREAMS) % len(DOMAINS)]})"
                if i >= len(VALUE_STREAMS)
                else ""
            )
            vs = self.element("vs", i, "ValueStream", f"{name}{segment}")
            customer = segments[i % len(segments)]
            proposition = self.element("vp", i, "ValueProposition", f"{name}{segment}, done well")
            self.add(vs, _n("triggeringStakeholder"), customer)
            self.add(vs, _n("deliversValueProposition"), proposition)
            self.add(vs, _n("ownedBy"), units[rng.randrange(len(units))])
            self.add(vs, _n("triggeringEvent"), ox.Literal(f"Request to {name.lower()}"))
            self.add(vs, _n("timeUnit"), _n("Day"))
            self.add(vs, _n("dailyDemand"), _dec(rng.randint(5, 5000)))
            previous = None
            for position in range(1, rng.randint(4, 7) + 1):
                stage = self.element(
                    "stage",
                    stage_index,
                    "ValueStreamStage",
                    f"{name}{segment}: {STAGES[(position - 1) % len(STAGES)]}",
                )
                stage_index += 1
                self.add(vs, _n("hasStage"), stage)
                self.add(stage, _n("position"), _int(position))
                self.add(
                    stage,
                    _n("entranceCriterion"),
                    ox.Literal(f"{STAGES[(position - 1) % len(STAGES)]} requested"),
                )
                self.add(
                    stage,
                    _n("exitCriterion"),
                    ox.Literal(f"{STAGES[(position - 1) % len(STAGES)]} done"),
                )
                self.add(stage, _n("timeUnit"), _n("Day"))
                self.add(stage, _n("participatingStakeholder"), customer)
                process_time = rng.randint(1, 40) / 10
                lead_time = process_time * rng.uniform(1.5, 12)
                pca = rng.uniform(60, 99.5)
                m.current_only.append((stage, _n("processTime"), _dec(process_time)))
                m.current_only.append((stage, _n("leadTime"), _dec(lead_time)))
                m.current_only.append((stage, _n("percentCompleteAccurate"), _dec(pca)))
                faster = rng.uniform(0.5, 0.95)
                m.target_only.append((stage, _n("processTime"), _dec(process_time * faster)))
                m.target_only.append(
                    (
                        stage,
                        _n("leadTime"),
                        _dec(max(process_time * faster, lead_time * faster * 0.8)),
                    )
                )
                m.target_only.append(
                    (
                        stage,
                        _n("percentCompleteAccurate"),
                        _dec(min(100.0, pca + rng.uniform(0, 8))),
                    )
                )
                for _ in range(rng.randint(1, 3)):
                    self.add(stage, _n("enabledBy"), leaves[rng.randrange(len(leaves))])
                if previous is not None:
                    self.add(previous, _n("nextStage"), stage)
                previous = stage
                stages.append(stage)
        return stages

    def strategies(
        self, units: list[ox.NamedNode], stages: list[ox.NamedNode]
    ) -> list[ox.NamedNode]:
        rng = self.rng
        objectives: list[ox.NamedNode] = []
        kpi_index = measurement_index = 0
        del stages  # stages are reached through their value streams
        value_streams = [self.node("vs", i) for i in range(self.count(300, 1))]
        for i in range(self.count(12, 1)):
            theme = STRATEGY_THEMES[i % len(STRATEGY_THEMES)]
            strategy = self.element(
                "strategy", i, "Strategy", f"{theme} {2025 + i // len(STRATEGY_THEMES)}"
            )
            self.add(strategy, _n("ownedBy"), units[rng.randrange(len(units))])
            for j in range(rng.randint(3, 5)):
                index = len(objectives)
                objective = self.element(
                    "objective", index, "Objective", f"{theme}: objective {j + 1}"
                )
                self.add(strategy, _n("hasObjective"), objective)
                self.add(objective, _n("ownedBy"), units[rng.randrange(len(units))])
                objectives.append(objective)
                for _ in range(rng.randint(2, 3)):
                    name, unit, direction = KPI_NAMES[rng.randrange(len(KPI_NAMES))]
                    kpi = self.element("kpi", kpi_index, "KPI", f"{name} ({theme}, {kpi_index})")
                    kpi_index += 1
                    self.add(objective, _n("measuredBy"), kpi)
                    self.add(kpi, _n("unitOfMeasure"), ox.Literal(unit))
                    self.add(kpi, _n("direction"), _n(direction))
                    base = rng.uniform(20, 80)
                    better = 1 if direction == "HigherIsBetter" else -1
                    goal = base * (1 + better * rng.uniform(0.1, 0.3))
                    self.add(kpi, _n("baselineValue"), _dec(base))
                    self.add(kpi, _n("baselineDate"), _date(2023, 1))
                    self.add(kpi, _n("targetValue"), _dec(goal))
                    self.add(kpi, _n("targetDate"), _date(2027, 12, 31))
                    for month in range(24):
                        value = base + (goal - base) * month / 48 + rng.gauss(0, base * 0.03)
                        measurement = self.node("measurement", measurement_index)
                        measurement_index += 1
                        self.add(measurement, RDF_TYPE, _n("Measurement"))
                        self.add(measurement, _n("ofKPI"), kpi)
                        self.add(measurement, _n("measuredValue"), _dec(value))
                        self.add(
                            measurement,
                            _n("measurementDate"),
                            _date(2023 + month // 12, month % 12 + 1),
                        )
                        self.add(measurement, _n("measurementSubject"), objective)
                        self.add(measurement, _n("inScenario"), ox.NamedNode(CURRENT))
        # every objective is served by at least one value stream, so every strategy traces down
        for index, objective in enumerate(objectives):
            self.add(value_streams[index % len(value_streams)], _n("contributesTo"), objective)
            extra = value_streams[rng.randrange(len(value_streams))]
            self.add(extra, _n("contributesTo"), objective)
        return objectives

    def processes(
        self,
        units: list[ox.NamedNode],
        roles: list[ox.NamedNode],
        leaves: list[ox.NamedNode],
        stages: list[ox.NamedNode],
        apps: list[ox.NamedNode],
    ) -> None:
        rng, m = self.rng, self.model
        activity_index = 0
        classes = ("ValueAdding", "ValueAdding", "BusinessNecessary", "BusinessNecessary", "Waste")
        n = self.count(20000, len(leaves))
        for i in range(n):
            cap = leaves[i % len(leaves)]  # every leaf capability is realised by processes
            verb = VERBS[rng.randrange(len(VERBS))]
            obj = OBJECTS[rng.randrange(len(OBJECTS))]
            process = self.element("process", i, "BusinessProcess", f"{verb} {obj} ({i})")
            self.add(cap, _n("realizedBy"), process)
            self.add(process, _n("ownedBy"), units[rng.randrange(len(units))])
            self.add(process, _n("performedBy"), units[rng.randrange(len(units))])
            self.add(process, _n("realizesStage"), stages[rng.randrange(len(stages))])
            for _ in range(rng.randint(1, 2)):
                app = apps[rng.randrange(len(apps))]
                if app in self.retired_in_target:
                    # the target state has moved the process to the replacing application
                    m.current_only.append((process, _n("supportedBy"), app))
                    m.target_only.append((process, _n("supportedBy"), self.replacement(apps, app)))
                else:
                    self.add(process, _n("supportedBy"), app)
            if rng.random() >= 0.25:
                continue
            previous = None
            for position in range(1, rng.randint(3, 6) + 1):
                activity = self.element(
                    "activity",
                    activity_index,
                    "Activity",
                    f"{VERBS[(i + position) % len(VERBS)]} {obj} step {position} ({i})",
                )
                activity_index += 1
                self.add(process, _n("hasActivity"), activity)
                self.add(activity, _n("position"), _int(position))
                kind = classes[rng.randrange(len(classes))]
                self.add(activity, _n("timeUnit"), _n("Minute"))
                self.add(activity, _n("cycleTime"), _dec(rng.randint(2, 240)))
                self.add(activity, _n("performedBy"), roles[rng.randrange(len(roles))])
                if rng.random() < 0.3:
                    self.add(activity, _n("isHandoff"), _bool(True))
                if kind == "Waste":
                    # the target state has removed waste: re-classified as necessary, no waiting
                    m.current_only.append((activity, _n("valueClassification"), _n("Waste")))
                    m.current_only.append((activity, _n("waitTime"), _dec(rng.randint(30, 2880))))
                    m.target_only.append(
                        (activity, _n("valueClassification"), _n("BusinessNecessary"))
                    )
                    m.target_only.append((activity, _n("waitTime"), _dec(0)))
                else:
                    self.add(activity, _n("valueClassification"), _n(kind))
                    self.add(activity, _n("waitTime"), _dec(rng.randint(0, 600)))
                if previous is not None:
                    self.add(previous, _n("nextActivity"), activity)
                previous = activity

    def initiatives(
        self,
        units: list[ox.NamedNode],
        objectives: list[ox.NamedNode],
        caps: list[ox.NamedNode],
        apps: list[ox.NamedNode],
    ) -> None:
        rng = self.rng
        statuses = ("Proposed", "Approved", "InProgress", "InProgress", "Completed")
        for i in range(self.count(60, 1)):
            obj = OBJECTS[rng.randrange(len(OBJECTS))]
            initiative = self.element("initiative", i, "Initiative", f"{obj} Modernisation {i + 1}")
            self.add(initiative, _n("ownedBy"), units[rng.randrange(len(units))])
            self.add(initiative, _n("workStatus"), _n(statuses[rng.randrange(len(statuses))]))
            self.add(initiative, _n("budget"), _dec(rng.randint(2, 120) * 50_000.0))
            self.add(initiative, _n("startDate"), _date(2025, rng.randint(1, 12)))
            self.add(initiative, _n("endDate"), _date(2027, rng.randint(1, 12)))
            for _ in range(rng.randint(1, 2)):
                self.add(initiative, _n("advances"), objectives[rng.randrange(len(objectives))])
            for _ in range(rng.randint(3, 10)):
                pool = caps if rng.random() < 0.5 else apps
                self.add(initiative, _n("changes"), pool[rng.randrange(len(pool))])


def _scenario_description(
    graph: str,
) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    node = ox.NamedNode(graph)
    if graph == CURRENT:
        return [
            (node, RDF_TYPE, _n("Scenario")),
            (node, LABEL, ox.Literal("Current state (generated)", language="en")),
            (node, _n("scenarioKind"), _n("Baseline")),
            (node, _n("scenarioDate"), _date(2025, 1, 1)),
            (node, _n("workStatus"), _n("Approved")),
        ]
    return [
        (node, RDF_TYPE, _n("Scenario")),
        (node, LABEL, ox.Literal("Target state 2027 (generated)", language="en")),
        (node, _n("scenarioKind"), _n("Target")),
        (node, _n("scenarioDate"), _date(2027, 12, 31)),
        (node, _n("workStatus"), _n("Proposed")),
        (node, _n("derivedFrom"), ox.NamedNode(CURRENT)),
    ]


def generate_quads(triples: int, seed: int) -> Iterator[ox.Quad]:
    """The quads of a generated model of about ``triples`` triples (both scenarios together)."""
    if not MIN_TRIPLES <= triples <= MAX_TRIPLES:
        raise UserInputError(
            f"--triples must be between {MIN_TRIPLES} and {MAX_TRIPLES}, not {triples}."
        )
    # Counts are calibrated so that both scenarios together hold about ``triples`` triples.
    model = _Builder(triples, seed).build()
    for graph, own in ((CURRENT, model.current_only), (TARGET, model.target_only)):
        g = ox.NamedNode(graph)
        for s, p, o in _scenario_description(graph):
            yield ox.Quad(s, p, o, g)
        for s, p, o in model.triples:
            yield ox.Quad(s, p, o, g)
        for s, p, o in own:
            yield ox.Quad(s, p, o, g)


def write_model(out: IO[bytes], triples: int, seed: int, *, nquads: bool = False) -> None:
    """Write a generated model as TriG (default) or N-Quads; same arguments, same bytes."""
    fmt = ox.RdfFormat.N_QUADS if nquads else ox.RdfFormat.TRIG
    prefixes = {
        "ba": BA,
        "gen": GEN,
        "rdfs": PREFIXES["rdfs"],
        "xsd": XSD,
        "dcterms": PREFIXES["dcterms"],
    }
    ox.serialize(generate_quads(triples, seed), out, format=fmt, prefixes=prefixes)
