"""Trace: the tree of elements below a strategy, or above any element, with the path to each.

Why Python assembles the tree: the named queries (``trace/down``, ``trace/up``) return only the
EDGES of the subgraph reachable from the start, found with one property path each. Walking those
edges breadth-first from the start here is cheap and keeps each query simple and fast on every
engine, where building all paths in SPARQL multiplies rows (one row per full path). Each element
appears once in the tree, at its shortest distance from the start; further edges to an element
already placed are kept in :attr:`TraceTree.edges` for whoever needs the whole graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.namespaces import BA
from bizarch.queries.catalogue import Catalogue, default_catalogue
from bizarch.repository import Repository
from bizarch.store.base import SelectResult

LAYERS: dict[str, str] = {
    **dict.fromkeys(("Strategy", "Objective", "KPI", "Initiative"), "strategy"),
    **dict.fromkeys(("ValueStream", "ValueStreamStage"), "value"),
    "Capability": "capability",
    **dict.fromkeys(("BusinessProcess", "Activity"), "operations"),
    **dict.fromkeys(("Application", "ApplicationFlow", "DataObject"), "application"),
    **dict.fromkeys(("TechnologyComponent", "Platform", "Node"), "technology"),
}
LAYER_ORDER = ("strategy", "value", "capability", "operations", "application", "technology")


def _local(iri: str | None) -> str:
    return iri[len(str(BA)) :] if iri and iri.startswith(str(BA)) else ""


def layer_of(cls: str | None) -> str:
    """The layer of a ``ba:`` class IRI (``other`` when not one of the layered classes)."""
    return LAYERS.get(_local(cls), "other")


@dataclass(frozen=True)
class Edge:
    """One step of a trace or impact walk; ``relation`` is the property as stated in the model."""

    source: str
    relation: str
    target: str
    target_label: str
    target_class: str | None


@dataclass
class TraceNode:
    """An element in a trace tree, reached from its parent through ``relation``."""

    element: str
    label: str
    cls: str | None
    relation: str | None = None
    children: list[TraceNode] = field(default_factory=list)

    @property
    def layer(self) -> str:
        return layer_of(self.cls)

    def walk(self) -> Iterator[TraceNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class TraceTree:
    """The tree from the start plus every edge found (the graph the tree spans)."""

    root: TraceNode
    edges: list[Edge]

    def elements(self) -> set[str]:
        return {node.element for node in self.root.walk()}


def edges_from(result: object) -> list[Edge]:
    """Edge rows ``(from relation to toLabel toClass)`` as :class:`Edge`, one per distinct edge."""
    assert isinstance(result, SelectResult)
    found: dict[tuple[str, str, str], Edge] = {}
    for row in result.dicts():
        source, relation, target = row["from"], row["relation"], row["to"]
        if not all(isinstance(t, ox.NamedNode) for t in (source, relation, target)):
            continue
        label, cls = row.get("toLabel"), row.get("toClass")
        key = (source.value, relation.value, target.value)  # type: ignore[union-attr]
        cls_iri = cls.value if isinstance(cls, ox.NamedNode) else None
        known = found.get(key)
        if known is not None and (known.target_class is None or layer_of(cls_iri) == "other"):
            continue
        found[key] = Edge(*key, label.value if label is not None else "", cls_iri)  # type: ignore[union-attr]
    return sorted(found.values(), key=lambda e: (e.source, e.relation, e.target))


def breadth_first(start: str, edges: list[Edge]) -> dict[str, list[Edge]]:
    """The shortest path (a list of edges) from ``start`` to every element reachable."""
    out: dict[str, list[Edge]] = {}
    for edge in edges:
        out.setdefault(edge.source, []).append(edge)
    paths: dict[str, list[Edge]] = {start: []}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for edge in out.get(here, ()):
            if edge.target not in paths:
                paths[edge.target] = [*paths[here], edge]
                queue.append(edge.target)
    return paths


def describe(
    repo: Repository, element: ox.NamedNode, *, catalogue: Catalogue, scenario: str | None
) -> tuple[str, str | None]:
    """Label and layered class of an element (``NotFoundError`` if absent)."""
    from bizarch.errors import NotFoundError
    from bizarch.results import compact

    result = catalogue.run(repo, "lookup/element", {"element": element}, scenario=scenario)
    assert isinstance(result, SelectResult)
    if not result.rows:
        raise NotFoundError(
            f"{compact(element.value)} is not in the scenario.",
            hint="Check the name with: bizarch query lookup/search -p text=WORD.",
        )
    label, cls = "", None
    for row in result.dicts():
        if row.get("label") is not None:
            label = row["label"].value  # type: ignore[union-attr]
        kind = row.get("class")
        if isinstance(kind, ox.NamedNode) and layer_of(kind.value) != "other":
            cls = kind.value
    return label, cls


def build_tree(start: str, label: str, cls: str | None, edges: list[Edge]) -> TraceNode:
    """The breadth-first tree from ``start`` (each element once, children sorted by label)."""
    paths = breadth_first(start, edges)
    nodes = {start: TraceNode(start, label, cls)}
    for element, path in sorted(paths.items(), key=lambda kv: len(kv[1])):
        if not path:
            continue
        last = path[-1]
        node = TraceNode(element, last.target_label, last.target_class, last.relation)
        nodes[element] = node
        nodes[last.source].children.append(node)
    for node in nodes.values():
        node.children.sort(
            key=lambda n: (
                LAYER_ORDER.index(n.layer) if n.layer in LAYER_ORDER else 9,
                n.label,
                n.element,
            )
        )
    return nodes[start]


def _trace(
    repo: Repository,
    query: str,
    param: str,
    reference: str | ox.NamedNode,
    *,
    cls: str | None,
    scenario: str | None,
    catalogue: Catalogue | None,
) -> TraceTree:
    catalogue = catalogue or default_catalogue()
    element = (
        reference
        if isinstance(reference, ox.NamedNode)
        else catalogue.resolve(repo, reference, cls=cls, scenario=scenario)
    )
    label, kind = describe(repo, element, catalogue=catalogue, scenario=scenario)
    edges = edges_from(catalogue.run(repo, query, {param: element}, scenario=scenario))
    return TraceTree(build_tree(element.value, label, kind, edges), edges)


def trace_down(
    repo: Repository,
    strategy: str | ox.NamedNode,
    *,
    scenario: str | None = None,
    catalogue: Catalogue | None = None,
) -> TraceTree:
    """Strategy -> objectives -> value streams -> stages -> capabilities -> ... -> technology."""
    return _trace(
        repo,
        "trace/down",
        "strategy",
        strategy,
        cls=str(BA) + "Strategy",
        scenario=scenario,
        catalogue=catalogue,
    )


def trace_up(
    repo: Repository,
    element: str | ox.NamedNode,
    *,
    scenario: str | None = None,
    catalogue: Catalogue | None = None,
) -> TraceTree:
    """Any element up to the objectives and strategies it serves."""
    return _trace(
        repo, "trace/up", "element", element, cls=None, scenario=scenario, catalogue=catalogue
    )


def trace_element(
    repo: Repository,
    reference: str | ox.NamedNode,
    *,
    up: bool | None = None,
    scenario: str | None = None,
    catalogue: Catalogue | None = None,
) -> TraceTree:
    """Trace up or down; without a direction, a strategy is traced down and anything else up."""
    catalogue = catalogue or default_catalogue()
    element = (
        reference
        if isinstance(reference, ox.NamedNode)
        else catalogue.resolve(repo, reference, scenario=scenario)
    )
    if up is None:
        _, cls = describe(repo, element, catalogue=catalogue, scenario=scenario)
        up = cls != BA + "Strategy"
    if up:
        return trace_up(repo, element, scenario=scenario, catalogue=catalogue)
    return trace_down(repo, element, scenario=scenario, catalogue=catalogue)
