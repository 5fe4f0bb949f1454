"""The ontology's classes and properties, for the ontology page."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.element import Ref, _ref
from bizarch.store.base import SelectResult

OWL = "http://www.w3.org/2002/07/owl#"
KIND_LABELS = {
    OWL + "ObjectProperty": "relationship",
    OWL + "DatatypeProperty": "attribute",
    OWL + "AnnotationProperty": "annotation",
}


@dataclass
class ClassDoc:
    ref: Ref
    definition: str | None
    superclasses: list[Ref] = field(default_factory=list)
    archimate: str | None = None
    bizbok: str | None = None


@dataclass
class PropertyDoc:
    ref: Ref
    kind: str
    definition: str | None
    domains: list[Ref] = field(default_factory=list)
    ranges: list[Ref] = field(default_factory=list)
    inverse: ox.NamedNode | None = None
    unit_note: str | None = None


def _text(term: object) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def classes(store: Store) -> list[ClassDoc]:
    result = _run.run(store, "ontology/classes", scenario="*")
    assert isinstance(result, SelectResult)
    docs: dict[str, ClassDoc] = {}
    for row in result.dicts():
        term = row["class"]
        assert isinstance(term, ox.NamedNode)
        doc = docs.get(term.value)
        if doc is None:
            doc = docs[term.value] = ClassDoc(
                _ref(term, row["label"]),
                _text(row["definition"]),
                archimate=_text(row["archimate"]),
                bizbok=_text(row["bizbok"]),
            )
        sup = row["superclass"]
        if sup is not None and all(s.iri != sup.value for s in doc.superclasses):
            doc.superclasses.append(_ref(sup, row["superclassLabel"]))
    return list(docs.values())


def properties(store: Store) -> list[PropertyDoc]:
    result = _run.run(store, "ontology/properties", scenario="*")
    assert isinstance(result, SelectResult)
    docs: dict[str, PropertyDoc] = {}
    for row in result.dicts():
        term, kind = row["property"], row["kind"]
        assert isinstance(term, ox.NamedNode) and isinstance(kind, ox.NamedNode)
        doc = docs.get(term.value)
        if doc is None:
            inverse = row["inverse"]
            doc = docs[term.value] = PropertyDoc(
                _ref(term, row["label"]),
                KIND_LABELS.get(kind.value, kind.value),
                _text(row["definition"]),
                inverse=inverse if isinstance(inverse, ox.NamedNode) else None,
                unit_note=_text(row["unitNote"]),
            )
        for key, bucket in (("domain", doc.domains), ("range", doc.ranges)):
            term_ = row[key]
            if term_ is not None and all(r.iri != term_.value for r in bucket):
                bucket.append(_ref(term_, row[key + "Label"]))
    return list(docs.values())
