"""Archi CSV (elements.csv, relations.csv, properties.csv): import, export, errors."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from bizarch.errors import UserInputError
from bizarch.interop import service
from bizarch.interop.archimate.csv_format import files_by_role
from bizarch.interop.archimate.to_rdf import concept_iri
from tests.interop.conftest import BA, DATA, RDF_TYPE, RDFS_LABEL, objects, quad_set

FILES = {
    name: (DATA / "archi-csv" / f"{name}.csv").read_bytes()
    for name in ("elements", "relations", "properties")
}
XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(identifier: str) -> str:
    return concept_iri("m-csv", identifier)


def test_import_archi_csv(store):
    report = service.import_archi_csv(store, FILES, source="claims")
    assert (report.elements, report.relationships) == (6, 5)
    app = iri("app-1")
    assert objects(store, app, RDF_TYPE) == [ox.NamedNode(BA + "Application")]
    assert objects(store, app, "http://purl.org/dc/terms/description") == [
        ox.Literal("Core system\r\nfor claims")
    ]
    assert objects(store, iri("proc-1"), BA + "supportedBy") == [ox.NamedNode(app)]
    assert objects(store, app, BA + "accessesData") == [ox.NamedNode(iri("do-1"))]
    assert objects(store, app, BA + "ownedBy") == [ox.NamedNode(iri("act-1"))]
    assert objects(store, iri("r-3"), BA + "accessType") == [ox.Literal("Read")]
    assert objects(store, iri("r-4"), BA + "isDirected") == [ox.Literal(True)]
    assert objects(store, iri("j-1"), BA + "archimateType") == [ox.Literal("OrJunction")]
    assert objects(store, app, BA + "annualCost") == [
        ox.Literal("125000", datatype=ox.NamedNode(XSD + "decimal"))
    ]
    assert objects(store, app, BA + "lifecycleStatus") == [ox.NamedNode(BA + "PhaseOut")]
    model = "urn:bizarch:archimate:m-csv"
    assert objects(store, model, RDFS_LABEL) == [ox.Literal("Claims model")]
    assert len(objects(store, model, BA + "hasArchimateProperty")) == 1
    assert len(objects(store, iri("svc-1"), BA + "hasArchimateProperty")) == 1  # Specialization


def test_export_is_archi_format_and_round_trips(store):
    service.import_archi_csv(store, FILES)
    exported = service.export_archi_csv(store)
    elements = exported.files["elements.csv"].decode("utf-8")
    assert elements.startswith('"ID","Type","Name","Documentation","Specialization"\r\n')
    assert '"m-csv","ArchimateModel","Claims model","Made in Archi",""' in elements
    assert '"j-1","Junction","","",""' in elements
    assert '"svc-1","ApplicationService","Claim Service","","Core service"' in elements
    relations = list(csv.reader(io.StringIO(exported.files["relations.csv"].decode())))
    assert ["r-1", "ServingRelationship", "", "", "app-1", "proc-1", ""] in relations
    properties = list(csv.reader(io.StringIO(exported.files["properties.csv"].decode())))
    assert ["r-3", "Access_Type", "Read"] in properties
    assert ["j-1", "Junction_Type", "Or"] in properties
    assert ["app-1", "Lifecycle status", "phase-out"] in properties
    copy = type(store)()
    service.import_archi_csv(copy, {k.removesuffix(".csv"): v for k, v in exported.files.items()})
    assert quad_set(copy) == quad_set(store)


def test_exchange_file_to_csv_keeps_identity(store, archisurance):
    """A model imported from XML and re-imported from Archi CSV lands on the same IRIs."""
    service.import_archimate(store, archisurance)
    exported = service.export_archi_csv(store)
    assert "CSV has no views: 17 views were left out." in exported.warnings
    copy = type(store)()
    service.import_archi_csv(copy, {k.removesuffix(".csv"): v for k, v in exported.files.items()})
    elements = {
        q.subject
        for q in copy.engine.quads_for_pattern(None, ox.NamedNode(BA + "archimateType"), None)
    }
    originals = {
        q.subject
        for q in store.engine.quads_for_pattern(None, ox.NamedNode(BA + "archimateType"), None)
    }
    assert len(elements) == 120 and elements == originals
    supported = set(copy.engine.quads_for_pattern(None, ox.NamedNode(BA + "supportedBy"), None))
    assert len(supported) == 4


@pytest.mark.parametrize(
    ("role", "old", "new", "message"),
    [
        (
            "elements",
            b'"ApplicationService"',
            b'"AppService"',
            "elements.csv, line 6, column B (Type): 'AppService' is not an ArchiMate element type",
        ),
        (
            "relations",
            b'"app-1";"proc-1"',
            b'"app-9";"proc-1"',
            "relations.csv, line 2, column E (Source): 'app-9'",
        ),
        (
            "relations",
            b'"ServingRelationship"',
            b'"Serving"',
            "relations.csv, line 2, column B (Type): 'Serving'",
        ),
        (
            "properties",
            b'"r-3";"Access_Type";"Read"',
            b'"r-3";"Access_Type";"Peek"',
            "properties.csv, line 5, column C (Value): Access_Type must be one of",
        ),
        (
            "properties",
            b'"m-csv";"Owner"',
            b'"nobody";"Owner"',
            "properties.csv, line 2, column A (ID): 'nobody'",
        ),
        (
            "elements",
            b'"ID";"Type"',
            b'"Id";"Kind"',
            "elements.csv, line 1: the header must be ID,Type,Name",
        ),
        ("elements", b'"app-1"', b'"app 1"', "elements.csv, line 3: ID 'app 1' may only contain"),
        ("elements", b"Claims Core", b"Claims \xff Core", "elements.csv, line 3: not UTF-8"),
    ],
)
def test_errors_name_file_line_and_column(store, role, old, new, message):
    files = dict(FILES)
    assert old in files[role]
    files[role] = files[role].replace(old, new, 1)
    with pytest.raises(UserInputError) as err:
        service.import_archi_csv(store, files)
    assert message in str(err.value)
    assert store.count() == 0


def test_files_by_role():
    roles = files_by_role(
        {"x-elements.csv": b"a", "x-relations.csv": b"b", "x-properties.csv": b"c"}
    )
    assert roles == {"elements": b"a", "relations": b"b", "properties": b"c"}
    with pytest.raises(UserInputError, match=r"must end in elements\.csv"):
        files_by_role({"model.xml": b""})


def test_upload_service(store):
    report = service.import_upload(
        store, "archi-csv", {"elements.csv": FILES["elements"], "relations.csv": FILES["relations"]}
    )
    assert report.elements == 6 and report.format == "archi-csv"
