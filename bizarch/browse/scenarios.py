"""The scenarios held in the store (for the scenario picker and the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.terms import local_name
from bizarch.namespaces import SCENARIO_BASE, scenario_graph
from bizarch.store.base import SelectResult


@dataclass(frozen=True)
class ScenarioInfo:
    iri: str
    name: str
    """Short name used in URLs (``current``) when the IRI is under the default base."""
    label: str
    kind: str | None
    date: str | None
    status: str | None


def scenario_exists(store: Store, name: str) -> bool:
    """Whether the scenario's graph holds anything (``*``, the union, always exists)."""
    if name == "*":
        return True
    graph = ox.NamedNode(scenario_graph(name))
    return bool(_run.run(store, "web/scenario-exists", {"scenario": graph}, scenario="*"))


def list_scenarios(store: Store) -> list[ScenarioInfo]:
    result = _run.run(store, "web/scenarios", scenario="*")
    assert isinstance(result, SelectResult)
    found: dict[str, ScenarioInfo] = {}
    for row in result.dicts():
        iri = row["scenario"]
        assert isinstance(iri, ox.NamedNode)
        if iri.value in found:
            continue
        name = iri.value.removeprefix(SCENARIO_BASE)
        label, kind, date, status = (row[k] for k in ("label", "kindLabel", "date", "statusLabel"))
        found[iri.value] = ScenarioInfo(
            iri=iri.value,
            name=name,
            label=label.value if label else local_name(name),
            kind=kind.value if kind else None,
            date=date.value if date else None,
            status=status.value if status else None,
        )
    return list(found.values())


@dataclass(frozen=True)
class ClassCount:
    iri: str
    label: str
    counts: dict[str, int]
    """Elements per scenario name."""


def model_size(store: Store, scenarios: list[ScenarioInfo]) -> list[ClassCount]:
    """Elements per ba: class in each scenario (rows ordered by the first scenario's counts)."""
    table: dict[str, ClassCount] = {}
    for scenario in scenarios:
        result = _run.run(store, "web/class-counts", scenario=scenario.name)
        assert isinstance(result, SelectResult)
        for row in result.dicts():
            cls, label, n = row["class"], row["label"], row["elements"]
            assert isinstance(cls, ox.NamedNode) and isinstance(n, ox.Literal)
            name = label.value if label else local_name(cls.value)
            entry = table.setdefault(cls.value, ClassCount(cls.value, name, {}))
            entry.counts[scenario.name] = int(n.value)
    return list(table.values())
