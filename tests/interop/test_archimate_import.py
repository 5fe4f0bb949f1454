"""Import of Open Group exchange files: counts, types, relationships, properties, folders, views."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bizarch.errors import UserInputError
from bizarch.interop import service
from bizarch.interop.archimate.to_rdf import concept_iri
from bizarch.validation.gate import LoadRefusedError
from tests.interop.conftest import (
    BA,
    DATA,
    RDF_TYPE,
    RDFS_LABEL,
    label,
    objects,
    quad_set,
    subjects,
)

GRAPH = "urn:bizarch:scenario:current"
MODEL = "id-11f5304f"


def iri(identifier: str) -> str:
    return concept_iri(MODEL, identifier)


def lit(text: str) -> ox.Literal:
    return ox.Literal(text)


def test_archisurance_counts(store, archisurance):
    report = service.import_archimate(store, archisurance, source="Archisurance.xml")
    assert (report.elements, report.relationships, report.views) == (120, 178, 17)
    assert len(objects(store, None, BA + "archimateType")) == 120
    assert len(subjects(store, RDF_TYPE, ox.NamedNode(BA + "ArchimateRelationship"))) == 178
    assert len(subjects(store, RDF_TYPE, ox.NamedNode(BA + "ArchimateView"))) == 17
    assert report.quads == store.count(GRAPH)
    assert report.by_class[BA + "Application"] == 10
    assert report.unmapped_types["BusinessService"] == 6
    assert "Kept with their ArchiMate type" in report.summary()


def test_archisurance_types_and_names(store, archisurance):
    service.import_archimate(store, archisurance)
    crm = iri("id-1393")
    assert label(store, crm) == "CRM System"
    assert objects(store, crm, RDFS_LABEL) == [ox.Literal("CRM System", language="en")]
    assert ox.NamedNode(BA + "Application") in objects(store, crm, RDF_TYPE)
    assert objects(store, crm, BA + "archimateType") == [lit("ApplicationComponent")]
    assert objects(store, crm, BA + "archimateId") == [lit("id-1393")]
    expected = {
        "id-275": ("OrganizationUnit", "BusinessActor"),  # Archisurance
        "id-514": ("Role", "BusinessRole"),  # Insurer
        "id-564": ("BusinessProcess", "BusinessProcess"),  # Register
        "id-946": ("DataObject", "DataObject"),
        "id-673": ("InformationConcept", "BusinessObject"),
        "id-1220": ("ArchimateElement", "BusinessService"),
        "id-1414": ("ArchimateElement", "ApplicationService"),
        "id-495": ("ArchimateElement", "BusinessFunction"),
        "id-1250": ("ValueProposition", "Value"),
    }
    for identifier, (cls, kind) in expected.items():
        assert objects(store, iri(identifier), RDF_TYPE) == [ox.NamedNode(BA + cls)], identifier
        assert objects(store, iri(identifier), BA + "archimateType") == [lit(kind)]


def test_archisurance_relationships_are_reified_with_attributes(store, archisurance):
    service.import_archimate(store, archisurance)
    access = iri("id-693")
    assert objects(store, access, BA + "relationshipType") == [lit("Access")]
    assert objects(store, access, BA + "source") == [ox.NamedNode(iri("id-564"))]
    assert objects(store, access, BA + "target") == [ox.NamedNode(iri("id-674"))]
    assert objects(store, access, BA + "accessType") == [lit("Write")]
    assert objects(store, access, RDFS_LABEL) == [ox.Literal("create/ update", language="en")]
    # Register (process) accesses a business object -> usesInformation
    assert ox.NamedNode(iri("id-674")) in objects(store, iri("id-564"), BA + "usesInformation")
    # Assignment Insurer (role) -> Handle Claim (process) -> performedBy
    performers = {label(store, p.value) for p in objects(store, None, BA + "performedBy")}
    assert performers == {"Insurer"}
    # Realization Device -> ApplicationComponent -> runsOn
    hosts = {label(store, q) for q in subjects(store, BA + "runsOn", ox.NamedNode(iri("id-1399")))}
    assert hosts == set()  # nothing runs on an application...
    assert [label(store, h.value) for h in objects(store, iri("id-1399"), BA + "runsOn")] == [
        "Financial Software"
    ]


def test_impact_of_an_application_reaches_the_processes_it_serves(store, archisurance):
    """CRM System realizes services serving Register and Create Contract: supportedBy is derived."""
    service.import_archimate(store, archisurance)
    served = {
        label(store, p) for p in subjects(store, BA + "supportedBy", ox.NamedNode(iri("id-1393")))
    }
    assert served == {"Register", "Create Contract"}
    financial = subjects(store, BA + "supportedBy", ox.NamedNode(iri("id-1399")))
    assert [label(store, p) for p in financial] == ["Pay"]
    # and the chain goes on: the process is performed by a role, realizes a business service
    assert objects(store, iri("id-612"), BA + "performedBy") == [ox.NamedNode(iri("id-514"))]


def test_properties_and_property_definitions(store, archisurance):
    service.import_archimate(store, archisurance)
    definition = iri("propid-1")
    assert objects(store, definition, RDF_TYPE) == [
        ox.NamedNode(BA + "ArchimatePropertyDefinition")
    ]
    assert objects(store, definition, RDFS_LABEL) == [lit("Property1")]
    props = objects(store, iri("id-275"), BA + "hasArchimateProperty")
    assert len(props) == 3
    first = concept_iri(MODEL, "id-275") + "/property/1"
    assert objects(store, first, BA + "propertyDefinition") == [ox.NamedNode(definition)]
    assert objects(store, first, BA + "propertyValue") == [
        ox.Literal("Another Value of Property 1", language="en")
    ]
    model = "urn:bizarch:archimate:" + MODEL
    assert len(objects(store, model, BA + "hasArchimateProperty")) == 2
    assert objects(store, model, RDFS_LABEL) == [ox.Literal("Archisurance", language="en")]
    assert "Phil Beauvoir" in objects(store, model, BA + "modelMetadata")[0].value


def test_folders_and_views(store, archisurance):
    service.import_archimate(store, archisurance)
    folders = subjects(store, RDF_TYPE, ox.NamedNode(BA + "ArchimateFolder"))
    labels = {label(store, f) for f in folders if objects(store, f, RDFS_LABEL)}
    assert {"Business", "Actors", "Functions", "Information", "Views"} <= labels
    business = next(
        f for f in folders if objects(store, f, RDFS_LABEL) and label(store, f) == "Business"
    )
    children = [m.value for m in objects(store, business, BA + "folderMember")]
    actors = next(c for c in children if label(store, c) == "Actors")
    assert ox.NamedNode(iri("id-1544")) in objects(store, actors, BA + "folderMember")
    view = iri("id-4056")
    assert objects(store, view, RDFS_LABEL) == [ox.Literal("Layered View", language="en")]
    assert ox.NamedNode(iri("id-1220")) in objects(store, view, BA + "showsConcept")
    xml = objects(store, view, BA + "viewDefinition")[0].value
    assert 'elementRef="id-1220"' in xml and xml.startswith("<view ")


def test_reimport_is_stable(store, archisurance):
    service.import_archimate(store, archisurance)
    first = quad_set(store)
    service.import_archimate(store, archisurance)
    assert quad_set(store) == first


def test_sample1(store, sample1):
    report = service.import_archimate(store, sample1, source="Sample1.xml", scenario="target")
    assert (report.elements, report.relationships, report.mapped_triples) == (2, 1, 1)
    role, process = (
        concept_iri("id-11f5304f", "id-37d5bc4b"),
        concept_iri("id-11f5304f", "id-89c22226"),
    )
    assert objects(store, process, BA + "performedBy") == [ox.NamedNode(role)]
    assert objects(store, role, "http://purl.org/dc/terms/description") == [
        lit("A description of a sales person")
    ]
    assert store.count("urn:bizarch:scenario:target") == report.quads
    assert store.count("urn:bizarch:scenario:current") == 0


MULTI = (DATA / "multi.xml").read_bytes()


def test_languages_refinements_attributes(store):
    report = service.import_archimate(store, MULTI, source="multi.xml")
    cap = concept_iri("m-1", "cap-1")
    assert set(objects(store, cap, RDFS_LABEL)) == {
        ox.Literal("Claims Handling", language="en"),
        ox.Literal("Schadenbearbeitung", language="de"),
    }
    assert objects(store, concept_iri("m-1", "cap-2"), BA + "parentCapability") == [
        ox.NamedNode(cap)
    ]
    # properties whose names match bizarch attributes also set them, typed
    assert objects(store, cap, BA + "tier") == [
        ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    ]
    assert objects(store, cap, BA + "strategicImportance") == [ox.NamedNode(BA + "High")]
    assert objects(store, cap, BA + "currentMaturity") == []
    assert any("current maturity" in w and "whole number" in w for w in report.warnings)
    stage1, stage2 = concept_iri("m-1", "st-1"), concept_iri("m-1", "st-2")
    assert objects(store, stage1, RDF_TYPE) == [ox.NamedNode(BA + "ValueStreamStage")]
    assert objects(store, concept_iri("m-1", "vs-1"), RDF_TYPE) == [
        ox.NamedNode(BA + "ValueStream")
    ]
    assert set(objects(store, concept_iri("m-1", "vs-1"), BA + "hasStage")) == {
        ox.NamedNode(stage1),
        ox.NamedNode(stage2),
    }
    assert objects(store, stage1, BA + "nextStage") == [ox.NamedNode(stage2)]
    assert objects(store, stage1, BA + "enabledBy") == [ox.NamedNode(concept_iri("m-1", "cap-2"))]
    junction = concept_iri("m-1", "j-1")
    assert objects(store, junction, BA + "archimateType") == [lit("OrJunction")]
    assert objects(store, concept_iri("m-1", "r-6"), BA + "isDirected") == [ox.Literal(True)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (b'target="cap-2" xsi:type="Composition"', "relationship r-1: its target 'nowhere'"),
        (b'xsi:type="Serving"', "relationship r-5: unknown relationship type 'Servin'"),
        (b'identifier="cap-2"', "element cap-1: the identifier is used twice"),
        (b'<name xml:lang="de">Schaden</name>', "xml:lang 'de de' is not a valid language tag"),
        (b'propertyDefinitionRef="pd-tier"', "undefined property definition 'pd-nope'"),
    ],
)
def test_bad_input_names_the_concept_and_changes_nothing(store, sample1, change, message):
    store.add_quads(
        [
            ox.Quad(
                ox.NamedNode("urn:x"),
                ox.NamedNode("urn:p"),
                ox.Literal("keep"),
                ox.NamedNode(GRAPH),
            )
        ]
    )
    before = quad_set(store)
    replacement = {
        b'target="cap-2" xsi:type="Composition"': b'target="nowhere" xsi:type="Composition"',
        b'xsi:type="Serving"': b'xsi:type="Servin"',
        b'identifier="cap-2"': b'identifier="cap-1"',
        b'<name xml:lang="de">Schaden</name>': b'<name xml:lang="de de">Schaden</name>',
        b'propertyDefinitionRef="pd-tier"': b'propertyDefinitionRef="pd-nope"',
    }[change]
    with pytest.raises(UserInputError) as err:
        service.import_archimate(store, MULTI.replace(change, replacement, 1), source="bad.xml")
    assert message in str(err.value)
    assert str(err.value).startswith("bad.xml")
    assert quad_set(store) == before


def test_not_an_exchange_file(store):
    with pytest.raises(UserInputError, match=r"not an ArchiMate 3\.x exchange file"):
        service.import_archimate(
            store, b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>"
        )
    with pytest.raises(UserInputError, match=r"x.xml, line 1, column \d+: not well-formed XML"):
        service.import_archimate(store, b"<model", source="x.xml")


def test_validate_flag_imports_through_the_validation_gate(store, sample1):
    report = service.import_archimate(store, sample1, validate=True)
    assert report.validated and report.quads > 0
    assert store.count() == report.quads


def test_validate_flag_refuses_a_relationship_archimate_does_not_permit(store, sample1):
    reversed_assignment = sample1.replace(
        b'source="id-37d5bc4b" target="id-89c22226"', b'source="id-89c22226" target="id-37d5bc4b"'
    )
    with pytest.raises(LoadRefusedError, match="AM-001") as caught:
        service.import_archimate(store, reversed_assignment, validate=True)
    assert "nothing was written" in str(caught.value)
    assert store.count() == 0


def test_validate_flag_runs_a_gate_before_writing(store, sample1):
    seen = []

    def gate(s, graph, quads):
        seen.append((graph, len(quads)))

    report = service.import_archimate(store, sample1, validate=True, gate=gate)
    assert seen == [(GRAPH, report.quads)] and report.validated
    assert store.count() == report.quads
