"""The mapping table (mapping.yaml) against the ontology, the XSD and the relationship table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bizarch.interop.archimate.mapping import ANY, load_mapping
from bizarch.interop.archimate.model import ELEMENT_TYPES, RELATIONSHIP_TYPES
from bizarch.interop.vocabulary import load_vocabulary
from bizarch.namespaces import BA
from tests.interop.conftest import shared_file

XS = "{http://www.w3.org/2001/XMLSchema}"
# Classes whose export type differs from their ba:archimateCounterpart annotation, and why:
# an application flow is an ArchiMate *relationship* (Flow) but a bizarch element with its own
# attributes, so it travels as an ApplicationInterface; ba:ArchimateElement has no type of its own.
EXPORT_EXCEPTIONS = {BA + "ApplicationFlow", BA + "ArchimateElement"}


def counterparts() -> dict[str, str]:
    import pyoxigraph as ox

    from bizarch import resources

    found = {}
    for quad in ox.parse(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == BA + "archimateCounterpart":
            found[quad.subject.value] = quad.object.value
    return found


def test_every_term_exists_in_the_ontology():
    mapping, vocab = load_mapping(), load_vocabulary()
    classes = set(mapping.element_classes.values()) | set(mapping.export_types)
    classes |= {r.cls for r in mapping.refinements}
    assert classes - vocab.classes == set()
    properties = {r.property for r in mapping.rules} | {d.property for d in mapping.derivations}
    assert properties - vocab.relationship_properties == set()
    names = set(ELEMENT_TYPES) | {ANY}
    for rule in mapping.rules:
        assert rule.type in RELATIONSHIP_TYPES
        for end in (*rule.source, *rule.target):
            assert end in names or end in vocab.classes, end
    assert set(mapping.element_classes) <= set(ELEMENT_TYPES)
    assert set(mapping.export_types.values()) <= set(ELEMENT_TYPES)


def test_export_types_agree_with_the_ontology_annotations():
    annotated = counterparts()
    for cls, kind in load_mapping().export_types.items():
        if cls not in EXPORT_EXCEPTIONS:
            assert annotated.get(cls) == kind, cls


def test_every_mapped_class_exports_back_to_its_type():
    mapping = load_mapping()
    for kind, cls in mapping.element_classes.items():
        exported = mapping.export_types[cls]
        assert exported == kind or mapping.element_classes.get(exported) == cls


def test_element_types_match_the_xsd():
    xsd = shared_file("reference", "archimate-exchange-xsd", "archimate3_Model.xsd")
    root = ET.parse(xsd).getroot()
    enum = next(t for t in root.iter(XS + "simpleType") if t.get("name") == "ElementTypeEnum")
    values = {e.get("value") for e in enum.iter(XS + "enumeration")}
    assert values == set(ELEMENT_TYPES)
    relationship = next(
        t for t in root.iter(XS + "simpleType") if t.get("name") == "RelationshipTypeEnum"
    )
    assert {e.get("value") for e in relationship.iter(XS + "enumeration")} == set(
        RELATIONSHIP_TYPES
    )


def _types_for(end: str) -> set[str]:
    """The exchange types an end of a rule can stand for."""
    mapping = load_mapping()
    if end == ANY:
        return set()
    if end.startswith(BA):
        kinds = {k for k, c in mapping.element_classes.items() if c == end}
        kinds |= {r.type for r in mapping.refinements if r.cls == end}
        return kinds
    return {end}


def test_rules_are_permitted_by_archimate_32():
    """Every relationship the mapping reads or writes is permitted between its ends."""
    table = ET.parse(shared_file("reference", "archi_relationships_3.2.xml")).getroot()
    letters = {(s.get("concept"), t.get("concept")): t.get("relations") for s in table for t in s}
    code = {
        "Access": "a",
        "Composition": "c",
        "Flow": "f",
        "Aggregation": "g",
        "Assignment": "i",
        "Influence": "n",
        "Association": "o",
        "Realization": "r",
        "Specialization": "s",
        "Triggering": "t",
        "Serving": "v",
    }
    mapping = load_mapping()
    checked = 0
    for rule in mapping.rules:
        for source in set().union(*(_types_for(e) for e in rule.source)):
            for target in set().union(*(_types_for(e) for e in rule.target)):
                assert code[rule.type] in letters.get((source, target), ""), (rule, source, target)
                checked += 1
    assert checked >= 30
