"""Impact: everything that depends on an element, grouped by layer, with a path and a severity.

The ``impact/element`` query returns the edges of the dependency subgraph; this module walks them
breadth-first from the start, so every hit comes with the shortest path that explains it. Two small
fact queries feed the severity rules: ``impact/application`` (who else supports each capability,
process and activity that depends on an application) and ``impact/capability`` (every enabling
capability of each stage that depends on the element).

Severity rules (levels as ``ba:Level``: critical > high > medium > low):

* The *lost* applications are the start (when it is an application) and the applications that run
  on it (when it is technology). A capability, process or activity *loses support* when it had at
  least one supporting application that is not retired and every such supporter is lost.
* Capability: loses support -> critical at high or critical strategic importance, else high; hit
  otherwise -> high at high or critical importance, else medium.
* Process or activity: loses support -> high, else medium.
* Value-stream stage: every enabling capability loses support -> critical; some do, or every
  enabling capability is hit -> high; else medium.
* Value stream: one of its stages critical or high -> high, else medium.
* KPI: measures a hit value stream or stage -> high, else medium.
* Application: runs on lost technology -> high; receives data from a hit application -> medium.
* Objectives, strategies and application flows -> medium; initiatives and technology -> low.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.namespaces import BA
from bizarch.queries.catalogue import Catalogue, default_catalogue
from bizarch.repository import Repository
from bizarch.store.base import SelectResult
from bizarch.trace import LAYER_ORDER, Edge, breadth_first, describe, edges_from, layer_of

SEVERITIES = ("critical", "high", "medium", "low")
_RETIRED = BA + "Retired"


def _is(cls: str | None, *names: str) -> bool:
    return cls is not None and cls in {BA + n for n in names}


@dataclass(frozen=True)
class Hit:
    """An element hit by the change, why (``path`` from the start) and how badly."""

    element: str
    label: str
    cls: str | None
    severity: str
    reason: str
    path: list[Edge]

    @property
    def layer(self) -> str:
        return layer_of(self.cls)


@dataclass
class ImpactReport:
    """All hits of one change, ready to group by layer."""

    start: str
    start_label: str
    start_class: str | None
    hits: list[Hit] = field(default_factory=list)

    def by_layer(self) -> dict[str, list[Hit]]:
        """Hits per layer in layer order (strategy first), most severe first within a layer."""
        groups: dict[str, list[Hit]] = {}
        for layer in (*LAYER_ORDER, "other"):
            found = [h for h in self.hits if h.layer == layer]
            if found:
                groups[layer] = sorted(
                    found, key=lambda h: (SEVERITIES.index(h.severity), h.label, h.element)
                )
        return groups

    def get(self, element: str) -> Hit | None:
        return next((h for h in self.hits if h.element == element), None)


def _rows(result: object) -> Iterable[dict[str, object]]:
    assert isinstance(result, SelectResult)
    return result.dicts()


def _value(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None  # type: ignore[union-attr]


def impact(
    repo: Repository,
    reference: str | ox.NamedNode,
    *,
    scenario: str | None = None,
    catalogue: Catalogue | None = None,
) -> ImpactReport:
    """What depends on ``reference`` (an IRI, CURIE or exact label), with paths and severity."""
    catalogue = catalogue or default_catalogue()
    start = (
        reference
        if isinstance(reference, ox.NamedNode)
        else catalogue.resolve(repo, reference, scenario=scenario)
    )
    start_label, start_cls = describe(repo, start, catalogue=catalogue, scenario=scenario)
    edges = edges_from(catalogue.run(repo, "impact/element", {"element": start}, scenario=scenario))
    paths = breadth_first(start.value, edges)
    classes = {e.target: e.target_class for e in edges}
    labels = {e.target: e.target_label for e in edges}

    lost = {start.value} if _is(start_cls, "Application") else set()
    if layer_of(start_cls) == "technology":
        lost |= {
            e.target
            for e in edges
            if e.relation == BA + "runsOn" and _is(e.target_class, "Application")
        }

    supporters: dict[str, dict[str, str | None]] = {}
    importance: dict[str, int] = {}
    for app in sorted(lost):
        for row in _rows(
            catalogue.run(
                repo, "impact/application", {"application": ox.NamedNode(app)}, scenario=scenario
            )
        ):
            element, supporter = _value(row["element"]), _value(row["supporter"])
            if element and supporter:
                supporters.setdefault(element, {})[supporter] = _value(row.get("supporterStatus"))
            rank = _value(row.get("importanceRank"))
            if element and rank:
                importance[element] = int(rank)

    enablers: dict[str, set[str]] = {}
    for row in _rows(
        catalogue.run(repo, "impact/capability", {"capability": start}, scenario=scenario)
    ):
        stage, enabler = _value(row["stage"]), _value(row["enabler"])
        if stage and enabler:
            enablers.setdefault(stage, set()).add(enabler)
            rank = _value(row.get("importanceRank"))
            if rank:
                importance[enabler] = int(rank)

    def loses_support(element: str) -> bool:
        live = {a for a, status in supporters.get(element, {}).items() if status != _RETIRED}
        return bool(live) and live <= lost

    hits = set(paths) - {start.value}
    report = ImpactReport(start.value, start_label, start_cls)
    stage_severity: dict[str, str] = {}
    pending_streams: list[str] = []
    for element in sorted(hits):
        cls = classes.get(element)
        path = paths[element]
        via = path[-1]
        rank = importance.get(element, 0)
        if _is(cls, "Capability"):
            if loses_support(element):
                severity, reason = (
                    ("critical" if rank >= 3 else "high"),
                    "loses all application support",
                )
            else:
                severity = "high" if rank >= 3 else "medium"
                reason = "high strategic importance" if rank >= 3 else "depends on a hit element"
        elif _is(cls, "BusinessProcess", "Activity"):
            gone = loses_support(element)
            severity = "high" if gone else "medium"
            reason = "loses its only application" if gone else "depends on a hit element"
        elif _is(cls, "ValueStreamStage"):
            mine = enablers.get(element, set())
            dead = {c for c in mine if loses_support(c)}
            if mine and dead == mine:
                severity = "critical"
            elif dead or (mine and mine <= hits):
                severity = "high"
            else:
                severity = "medium"
            reason = (
                f"{len(dead)} of {len(mine)} enabling capabilities lose support, "
                f"{len(mine & hits)} hit"
            )
            stage_severity[element] = severity
        elif _is(cls, "ValueStream"):
            pending_streams.append(element)
            continue
        elif _is(cls, "KPI"):
            flow = _is(classes.get(via.source), "ValueStream", "ValueStreamStage")
            severity = "high" if flow else "medium"
            reason = "measures a hit value stream or stage" if flow else "measures a hit element"
        elif _is(cls, "Application"):
            hosted = element in lost
            severity = "high" if hosted else "medium"
            reason = "runs on the lost technology" if hosted else "loses a data feed"
        elif _is(cls, "Initiative"):
            severity, reason = "low", "changes a hit element"
        elif layer_of(cls) == "technology":
            severity, reason = "low", "depends on a hit element"
        else:
            severity, reason = "medium", "depends on a hit element"
        report.hits.append(Hit(element, labels.get(element, ""), cls, severity, reason, path))
    for element in pending_streams:
        stages = [
            s
            for s, edge_path in paths.items()
            if edge_path and edge_path[-1].target == s and s in stage_severity
        ]
        mine = [s for s in stages if any(e.source == s and e.target == element for e in edges)]
        bad = [s for s in mine if stage_severity[s] in ("critical", "high")]
        severity = "high" if bad else "medium"
        reason = f"{len(bad)} of its hit stages severely affected" if bad else "has a hit stage"
        report.hits.append(
            Hit(
                element,
                labels.get(element, ""),
                classes.get(element),
                severity,
                reason,
                paths[element],
            )
        )
    return report
