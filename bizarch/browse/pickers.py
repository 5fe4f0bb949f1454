"""Elements of one class for the pickers of the trace and impact pages (``lookup/elements``)."""

from __future__ import annotations

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.element import Ref, _ref
from bizarch.namespaces import BA
from bizarch.store.base import SelectResult


def elements_of(store: Store, class_name: str, scenario: str) -> list[Ref]:
    """Every element of ``ba:<class_name>`` (or a subclass) in the scenario, sorted by label."""
    result = _run.run(
        store, "lookup/elements", {"class": ox.NamedNode(BA + class_name)}, scenario=scenario
    )
    assert isinstance(result, SelectResult)
    found: dict[str, Ref] = {}
    for row in result.dicts():
        element = row["element"]
        if isinstance(element, ox.NamedNode) and element.value not in found:
            found[element.value] = _ref(element, row["label"])
    return list(found.values())
