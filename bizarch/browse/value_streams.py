"""A value stream's stages, for the value-stream view (one scenario at a time)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.element import Ref, _ref
from bizarch.store.base import SelectResult


@dataclass
class Stage:
    ref: Ref
    position: int | None
    entrance: list[str] = field(default_factory=list)
    exit: list[str] = field(default_factory=list)
    lead_time: ox.Literal | None = None
    process_time: ox.Literal | None = None
    percent_complete_accurate: ox.Literal | None = None
    unit: str | None = None
    value_items: list[Ref] = field(default_factory=list)
    capabilities: list[Ref] = field(default_factory=list)


def list_value_streams(store: Store, scenario: str) -> list[Ref]:
    result = _run.run(store, "web/value-streams", scenario=scenario)
    assert isinstance(result, SelectResult)
    return [_ref(row["valueStream"], row["label"]) for row in result.dicts()]  # type: ignore[arg-type]


def stages(store: Store, value_stream: ox.NamedNode, scenario: str) -> list[Stage]:
    """Stages in order of ``ba:position`` (empty when the stream is not in the scenario)."""
    result = _run.run(
        store, "web/value-stream-stages", {"valueStream": value_stream}, scenario=scenario
    )
    assert isinstance(result, SelectResult)
    found: dict[str, Stage] = {}
    for row in result.dicts():
        term = row["stage"]
        assert isinstance(term, ox.NamedNode)
        stage = found.get(term.value)
        if stage is None:
            position = row["position"]
            stage = found[term.value] = Stage(
                _ref(term, row["label"]),
                int(position.value) if isinstance(position, ox.Literal) else None,
                lead_time=row["leadTime"],  # type: ignore[arg-type]
                process_time=row["processTime"],  # type: ignore[arg-type]
                percent_complete_accurate=row["percentCompleteAccurate"],  # type: ignore[arg-type]
                unit=row["unitLabel"].value if row["unitLabel"] else None,
            )
        for key, bucket in (("entrance", stage.entrance), ("exit", stage.exit)):
            text = row[key]
            if isinstance(text, ox.Literal) and text.value not in bucket:
                bucket.append(text.value)
        for key, refs in (("valueItem", stage.value_items), ("capability", stage.capabilities)):
            term_ = row[key]
            if term_ is not None and all(r.iri != term_.value for r in refs):
                refs.append(_ref(term_, row[key + "Label"]))
    return sorted(found.values(), key=lambda s: (s.position is None, s.position or 0))
