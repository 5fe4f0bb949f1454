"""A synthetic enterprise of a chosen size, for query benchmarks (N-Triples, deterministic).

Used by ``bench/bench_queries.py`` when ``bizarch generate`` is not available. The shape follows
what architecture repositories look like: the model is a set of business segments, each with a
strategy, objectives and KPIs, value streams of five stages, a three-tier capability map,
processes with activities, applications with flows that form a DAG inside the segment plus feeds
into a few enterprise hubs (a data warehouse, a CRM...), and a small technology stack. Some links
cross segments, as real models do. About 900 triples per segment.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

BA = "https://w3id.org/bizarch/ontology#"
EX = "https://data.example.org/synthetic/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"

TRIPLES_PER_SEGMENT = 905
HUBS = 20

_LEVELS = ("Low", "Medium", "High", "Critical")
_STATUS = ("Active",) * 8 + ("PhaseOut", "Planned", "Retired")


class _Writer:
    """Collects N-Triples lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def rel(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"<{EX}{s}> <{BA}{p}> <{EX}{o}> .")

    def enum(self, s: str, p: str, individual: str) -> None:
        self.lines.append(f"<{EX}{s}> <{BA}{p}> <{BA}{individual}> .")

    def type(self, s: str, cls: str, label: str) -> None:
        self.lines.append(f"<{EX}{s}> <{RDF_TYPE}> <{BA}{cls}> .")
        self.lines.append(f'<{EX}{s}> <{LABEL}> "{label}"@en .')

    def lit(self, s: str, p: str, value: object, datatype: str) -> None:
        self.lines.append(f'<{EX}{s}> <{BA}{p}> "{value}"^^<{XSD}{datatype}> .')


def _segment(w: _Writer, n: int, segments: int, rnd: random.Random) -> None:
    """One business segment: strategy to technology, with a few links to other segments."""
    seg = f"s{n}"
    other = f"s{rnd.randrange(segments)}"
    w.type(f"{seg}-unit", "OrganizationUnit", f"Division {n}")
    for r in range(2):
        w.type(f"{seg}-role{r}", "Role", f"Role {r} of division {n}")
        w.rel(f"{seg}-role{r}", "roleIn", f"{seg}-unit")

    # Strategy, objectives, KPIs.
    w.type(f"{seg}-strategy", "Strategy", f"Strategy {n}")
    for o in range(3):
        obj, kpi = f"{seg}-obj{o}", f"{seg}-kpi{o}"
        w.type(obj, "Objective", f"Objective {o} of strategy {n}")
        w.rel(f"{seg}-strategy", "hasObjective", obj)
        w.type(kpi, "KPI", f"KPI {o} of strategy {n}")
        w.rel(obj, "measuredBy", kpi)
        w.enum(kpi, "direction", "LowerIsBetter")

    # Capability map: 1 tier-1, 4 tier-2, 3 tier-3 under each tier-2.
    caps: list[str] = []
    w.type(f"{seg}-cap", "Capability", f"Capability {n}")
    w.lit(f"{seg}-cap", "tier", 1, "integer")
    leaves: list[str] = []
    for a in range(4):
        c2 = f"{seg}-cap{a}"
        w.type(c2, "Capability", f"Capability {n}.{a}")
        w.lit(c2, "tier", 2, "integer")
        w.rel(c2, "parentCapability", f"{seg}-cap")
        caps.append(c2)
        for b in range(3):
            c3 = f"{seg}-cap{a}-{b}"
            w.type(c3, "Capability", f"Capability {n}.{a}.{b}")
            w.lit(c3, "tier", 3, "integer")
            w.rel(c3, "parentCapability", c2)
            leaves.append(c3)
    for c in [f"{seg}-cap", *caps, *leaves]:
        w.enum(c, "strategicImportance", rnd.choice(_LEVELS))
        cur = rnd.randint(1, 4)
        w.lit(c, "currentMaturity", cur, "integer")
        w.lit(c, "targetMaturity", min(5, cur + rnd.randint(0, 2)), "integer")
        w.rel(c, "ownedBy", f"{seg}-unit")

    # Technology: one node, two platforms on it.
    w.type(f"{seg}-node", "Node", f"Node {n}")
    for p in range(2):
        w.type(f"{seg}-plat{p}", "Platform", f"Platform {n}.{p}")
        w.rel(f"{seg}-plat{p}", "runsOn", f"{seg}-node")

    # Applications: a flow DAG inside the segment plus feeds to enterprise hubs.
    apps = [f"{seg}-app{i}" for i in range(10)]
    for i, app in enumerate(apps):
        w.type(app, "Application", f"Application {n}.{i}")
        w.enum(app, "lifecycleStatus", rnd.choice(_STATUS))
        w.enum(app, "criticality", rnd.choice(_LEVELS))
        w.lit(app, "annualCost", rnd.randrange(20, 2000) * 1000, "decimal")
        if rnd.random() < 0.9:
            w.rel(app, "ownedBy", f"{seg}-unit")
        w.rel(app, "runsOn", f"{seg}-plat{i % 2}")
        for later in apps[i + 1 : i + 4]:
            if rnd.random() < 0.35:
                w.rel(app, "flowsTo", later)
        if rnd.random() < 0.3:
            w.rel(app, "flowsTo", f"hub{rnd.randrange(HUBS)}")
        for c in rnd.sample(leaves, 2):
            w.rel(app, "supportsCapability", c)

    # Processes (one per leaf capability) with four activities each.
    for k, leaf in enumerate(leaves):
        proc = f"{seg}-proc{k}"
        w.type(proc, "BusinessProcess", f"Process {n}.{k}")
        w.rel(leaf, "realizedBy", proc)
        w.rel(proc, "supportedBy", rnd.choice(apps))
        prev = None
        for a in range(4):
            act = f"{proc}-act{a}"
            w.type(act, "Activity", f"Activity {n}.{k}.{a}")
            w.rel(proc, "hasActivity", act)
            w.lit(act, "position", a + 1, "integer")
            w.rel(act, "supportedBy", rnd.choice(apps))
            w.rel(act, "performedBy", f"{seg}-role{a % 2}")
            w.enum(act, "valueClassification", rnd.choice(("ValueAdding", "BusinessNecessary")))
            w.lit(act, "cycleTime", rnd.randrange(5, 120), "decimal")
            w.enum(act, "timeUnit", "Minute")
            if prev:
                w.rel(prev, "nextActivity", act)
            prev = act

    # Value streams: two per segment, five stages each, enabled by tier-2/3 capabilities.
    for v in range(2):
        vs = f"{seg}-vs{v}"
        w.type(vs, "ValueStream", f"Value stream {n}.{v}")
        w.rel(vs, "contributesTo", f"{seg}-obj{rnd.randrange(3)}")
        if rnd.random() < 0.3:
            w.rel(vs, "contributesTo", f"{other}-obj{rnd.randrange(3)}")
        w.type(f"{vs}-kpi", "KPI", f"Lead time of value stream {n}.{v}")
        w.rel(vs, "measuredBy", f"{vs}-kpi")
        prev = None
        for st in range(5):
            stage = f"{vs}-st{st}"
            w.type(stage, "ValueStreamStage", f"Stage {n}.{v}.{st}")
            w.rel(vs, "hasStage", stage)
            w.lit(stage, "position", st + 1, "integer")
            w.lit(stage, "leadTime", rnd.randrange(2, 40), "decimal")
            w.lit(stage, "processTime", 1, "decimal")
            w.enum(stage, "timeUnit", "Day")
            for c in rnd.sample(caps + leaves, rnd.randint(1, 2)):
                w.rel(stage, "enabledBy", c)
            if prev:
                w.rel(prev, "nextStage", stage)
            prev = stage

    # One initiative advancing an objective and changing a few elements.
    ini = f"{seg}-ini"
    w.type(ini, "Initiative", f"Initiative {n}")
    w.rel(ini, "advances", f"{seg}-obj{rnd.randrange(3)}")
    for target in (rnd.choice(leaves), rnd.choice(apps), f"{seg}-vs0-st{rnd.randrange(5)}"):
        w.rel(ini, "changes", target)
    w.lit(ini, "budget", rnd.randrange(100, 5000) * 1000, "decimal")


def generate(triples: int, seed: int = 1) -> Iterator[str]:
    """N-Triples lines of a model of about ``triples`` triples."""
    rnd = random.Random(seed)
    segments = max(1, round(triples / TRIPLES_PER_SEGMENT))
    w = _Writer()
    for h in range(HUBS):
        w.type(f"hub{h}", "Application", f"Enterprise hub {h}")
        w.enum(f"hub{h}", "lifecycleStatus", "Active")
        w.enum(f"hub{h}", "criticality", "High")
    yield from w.lines
    for n in range(segments):
        w = _Writer()
        _segment(w, n, segments, rnd)
        yield from w.lines


def typical(triples: int) -> dict[str, str]:
    """IRIs of typical elements to bind parameters to (a segment in the middle of the model)."""
    seg = f"s{max(1, round(triples / TRIPLES_PER_SEGMENT)) // 2}"
    return {
        "strategy": f"{EX}{seg}-strategy",
        "application": f"{EX}{seg}-app3",
        "capability": f"{EX}{seg}-cap1",
        "element": f"{EX}{seg}-app3",
        "stage": f"{EX}{seg}-vs0-st2",
        "class": f"{BA}Application",
        "text": "Capability 4",
        "label": f"Application {seg[1:]}.3",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for line in generate(args.triples, args.seed):
            out.write(line + "\n")


if __name__ == "__main__":
    main()
