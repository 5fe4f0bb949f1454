"""Model size per scenario (for the dashboard).

The scenarios themselves are listed by :func:`bizarch.scenarios.list_scenarios`, the one listing
the command line and the web UI share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.terms import local_name
from bizarch.store.base import SelectResult

if TYPE_CHECKING:
    from bizarch.scenarios import ScenarioInfo


@dataclass(frozen=True)
class ClassCount:
    iri: str
    label: str
    counts: dict[str, int]
    """Elements per scenario name."""


def model_size(store: Store, scenarios: Sequence[ScenarioInfo]) -> list[ClassCount]:
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
