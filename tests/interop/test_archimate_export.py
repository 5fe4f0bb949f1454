"""Export as an exchange file: XSD-valid, lossless round trips, native bizarch models."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pyoxigraph as ox
import pytest

from bizarch.errors import NotFoundError
from bizarch.interop import service
from bizarch.interop.archimate.model import NS
from bizarch.interop.vocabulary import load_vocabulary
from bizarch.store import RdfFormat, RdfSource
from tests.interop.conftest import BA, DATA, RDF_TYPE, objects, quad_set

CURRENT, TARGET = "urn:bizarch:scenario:current", "urn:bizarch:scenario:target"
DEMO = "https://data.meridian-mutual.example/id/"


XSD = "http://www.w3.org/2001/XMLSchema#"


def _value(term):
    """Numbers compared by value: 40 (integer) and 40 (decimal) are the same amount."""
    if isinstance(term, ox.Literal) and term.datatype.value in (XSD + "integer", XSD + "decimal"):
        return ("number", Decimal(term.value))
    return term


def graph_quads(store, graph: str) -> set[tuple]:
    return {
        (q.subject, q.predicate, _value(q.object))
        for q in store.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    }


def test_archisurance_round_trip_loses_nothing(store, archisurance, exchange_schema):
    service.import_archimate(store, archisurance)
    exported = service.export_archimate(store)
    assert exported.warnings == []
    xml = exported.files["model.xml"]
    assert exchange_schema.errors(xml) == []
    root = ET.fromstring(xml)
    assert root.tag == f"{{{NS}}}model" and root.get("identifier") == "id-11f5304f"
    assert len(root.find(f"{{{NS}}}elements")) == 120
    assert len(root.find(f"{{{NS}}}relationships")) == 178
    assert len(root.find(f"{{{NS}}}views").find(f"{{{NS}}}diagrams")) == 17
    again = type(store)()
    service.import_archimate(again, xml, source="exported.xml")
    assert quad_set(again) == quad_set(store)


def test_export_of_a_scenario_that_does_not_exist(store):
    with pytest.raises(NotFoundError, match="Scenario 'nowhere' does not exist"):
        service.export_archimate(store, scenario="nowhere")


def load_native(store) -> None:
    source = RdfSource("native.ttl", (DATA / "native.ttl").read_bytes(), RdfFormat.TURTLE)
    store.load([source], CURRENT)


def native_facts(store) -> set[tuple]:
    """The triples an exchange file must carry: types, names, descriptions, attributes and
    relationships of elements (measurements and the scenario's description are not ArchiMate)."""
    vocab = load_vocabulary()
    keep = {
        RDF_TYPE,
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/description",
    }
    keep |= set(vocab.attributes) | vocab.relationship_properties
    return {
        t
        for t in graph_quads(store, CURRENT)
        if t[1].value in keep and t[0].value.startswith(DEMO) and "/m-" not in t[0].value
    }


def test_native_model_exports_valid_and_comes_back(store, exchange_schema):
    load_native(store)
    exported = service.export_archimate(store)
    xml = exported.files["model.xml"]
    assert exchange_schema.errors(xml) == []
    root = ET.fromstring(xml)
    types = {
        e.find(f"{{{NS}}}name").text: e.get("{http://www.w3.org/2001/XMLSchema-instance}type")
        for e in root.iter(f"{{{NS}}}element")
    }
    assert types["Claims Portal"] == "ApplicationComponent"
    assert types["Report loss"] == "ValueStream"
    assert types["Claim lead time"] == "Outcome"
    assert types["Digital claims"] == "CourseOfAction"
    assert types["Kubernetes"] == "SystemSoftware"
    relationship_types = {
        r.get("{http://www.w3.org/2001/XMLSchema-instance}type")
        for r in root.iter(f"{{{NS}}}relationship")
    }
    assert {
        "Serving",
        "Realization",
        "Composition",
        "Triggering",
        "Flow",
        "Assignment",
        "Access",
    } <= relationship_types
    service.import_archimate(store, xml, source="native.xml", scenario="target")
    facts = native_facts(store)
    back = graph_quads(store, TARGET)
    assert facts - back == set()
    # what the file adds is bookkeeping, never a bizarch fact about the elements that was not there
    extra = {t for t in back - facts if t[0].value.startswith(DEMO)}
    assert {t[1].value for t in extra} <= {
        BA + "archimateType",
        BA + "archimateId",
        BA + "inArchimateModel",
        BA + "hasArchimateProperty",
    }
    assert objects(store, DEMO + "kpi-lead", RDF_TYPE)  # KPI kept its class through "bizarch:class"
    assert ox.NamedNode(BA + "KPI") in objects(store, DEMO + "kpi-lead", RDF_TYPE)


def test_native_round_trip_reaches_a_fixed_point(store):
    load_native(store)
    first = service.export_archimate(store).files["model.xml"]
    service.import_archimate(store, first, scenario="target")
    second = service.export_archimate(store, scenario="target").files["model.xml"]
    copy = type(store)()
    service.import_archimate(copy, second, scenario="target")
    assert graph_quads(copy, TARGET) == graph_quads(store, TARGET)


def test_views_with_missing_concepts_are_left_out(store, archisurance):
    service.import_archimate(store, archisurance)
    element = "urn:bizarch:archimate:id-11f5304f/id-1220"
    store.update(
        "DELETE WHERE { GRAPH <urn:bizarch:scenario:current> { <" + element + "> ?p ?o } }"
    )
    exported = service.export_archimate(store)
    assert any("view id-4056" in w and "id-1220" in w for w in exported.warnings)
    root = ET.fromstring(exported.files["model.xml"])
    views = {v.get("identifier") for v in root.iter(f"{{{NS}}}view")}
    assert "id-4056" not in views and "id-3641" in views


def test_the_schema_check_can_fail(exchange_schema, sample1):
    """The validator of these tests rejects what Archi would: bad IDs, dangling references."""
    assert exchange_schema.errors(sample1) == []
    assert exchange_schema.errors(
        sample1.replace(b'identifier="id-37d5bc4b"', b'identifier="37 d"')
    )
    assert any(
        "key-sequence" in e
        for e in exchange_schema.errors(
            sample1.replace(b'source="id-37d5bc4b"', b'source="id-nope"')
        )
    )


def test_demo_enterprise_exports_through_the_inverse_mapping(store, exchange_schema):
    """Meridian Mutual's current state: XSD-valid, and every fact about its elements comes back
    (KPI measurements and the scenario's description are not ArchiMate content)."""
    from bizarch.demo import load_demo

    load_demo(store)
    exported = service.export_archimate(store)
    xml = exported.files["model.xml"]
    assert exchange_schema.errors(xml) == []
    assert len(exported.model.elements) > 500 and len(exported.model.relationships) > 2000
    service.import_archimate(store, xml, scenario="roundtrip")
    before = graph_quads(store, CURRENT)
    after = graph_quads(store, "urn:bizarch:scenario:roundtrip")
    measurements = {
        t[0] for t in before if t[1].value == RDF_TYPE and t[2] == ox.NamedNode(BA + "Measurement")
    }
    lost = {t for t in before - after if t[0] not in measurements and t[0].value != CURRENT}
    assert lost == set()
