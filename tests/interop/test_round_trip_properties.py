"""Property-based round trips: random small models survive export and import unchanged."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizarch.interop import service
from bizarch.interop.archimate import csv_format, xml_format
from bizarch.interop.archimate.model import (
    ACCESS_TYPES,
    ELEMENT_TYPES,
    RELATIONSHIP_TYPES,
    Element,
    ExchangeModel,
    LangText,
    Property,
    PropertyDefinition,
    Relationship,
)
from bizarch.interop.archimate.xml_format import NAME_OPTIONAL
from bizarch.store import OxigraphStore, RdfFormat, RdfSource
from tests.interop.conftest import quad_set

# XML 1.0 text without carriage returns (parsers turn them into line feeds).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
    max_size=12,
)
LANGS = st.sampled_from([None, "en", "de", "fr-CH"])
NAMES = st.lists(
    st.builds(LangText, TEXT, LANGS), min_size=1, max_size=2, unique_by=lambda t: t.lang
)
OPTIONAL_NAMES = st.lists(st.builds(LangText, TEXT, LANGS), max_size=2, unique_by=lambda t: t.lang)


@st.composite
def models(draw: st.DrawFn) -> ExchangeModel:
    definitions = [
        PropertyDefinition(
            f"pd-{i}", [LangText(f"Key {i}")], draw(st.sampled_from(["string", "number"]))
        )
        for i in range(draw(st.integers(0, 3)))
    ]

    def properties() -> list[Property]:
        if not definitions:
            return []
        chosen = draw(st.lists(st.sampled_from(definitions), max_size=3))
        return [
            Property(
                d.identifier,
                draw(st.lists(st.builds(LangText, TEXT, LANGS), min_size=1, max_size=2)),
            )
            for d in chosen
        ]

    identifiers = draw(
        st.lists(
            st.from_regex(r"[A-Za-z_][A-Za-z0-9._-]{0,8}", fullmatch=True),
            min_size=16,
            max_size=16,
            unique=True,
        )
    )
    taken = {d.identifier for d in definitions}
    identifiers = [i for i in identifiers if i not in taken]
    elements = []
    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(ELEMENT_TYPES))
        names = draw(OPTIONAL_NAMES if kind in NAME_OPTIONAL else NAMES)
        documentation = draw(st.lists(st.builds(LangText, TEXT, LANGS), max_size=1))
        elements.append(Element(identifiers.pop(), kind, names, documentation, properties()))
    relationships: list[Relationship] = []
    for i in range(draw(st.integers(0, 8))):
        ends = [e.identifier for e in elements] + [r.identifier for r in relationships]
        kind = draw(st.sampled_from(RELATIONSHIP_TYPES))
        relationships.append(
            Relationship(
                identifiers.pop() if len(identifiers) > 1 else f"r-{i}",
                kind,
                draw(st.lists(st.builds(LangText, TEXT, LANGS), max_size=1)),
                [],
                properties(),
                source=draw(st.sampled_from(ends)),
                target=draw(st.sampled_from(ends)),
                access_type=draw(st.sampled_from([None, *ACCESS_TYPES]))
                if kind == "Access"
                else None,
                influence_strength=draw(st.sampled_from([None, "+", "--", "7"]))
                if kind == "Influence"
                else None,
                is_directed=draw(st.sampled_from([None, True, False]))
                if kind == "Association"
                else None,
            )
        )
    return ExchangeModel(
        draw(st.sampled_from(["m-1", "id-x.y"])),
        draw(NAMES),
        elements=elements,
        relationships=relationships,
        property_definitions=definitions,
    )


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(models())
def test_exchange_file_round_trip(exchange_schema, model: ExchangeModel):
    xml = xml_format.write_exchange(model)
    assert exchange_schema.errors(xml) == []
    first, second = OxigraphStore(), OxigraphStore()
    service.import_archimate(first, xml)
    exported = service.export_archimate(first).files["model.xml"]
    assert exchange_schema.errors(exported) == []
    service.import_archimate(second, exported)
    assert quad_set(second) == quad_set(first)


@SETTINGS
@given(models())
def test_archi_csv_round_trip(model: ExchangeModel):
    for element in model.elements:  # CSV carries one name and no languages
        element.names = [LangText(" ".join(t.text.split())) for t in element.names[:1]]
        element.documentation = element.documentation[:1] and [
            LangText(element.documentation[0].text)
        ]
        for prop in element.properties:
            prop.values = [LangText(" ".join(prop.values[0].text.split()))]
    files, _ = csv_format.write_archi_csv(model)
    first, second = OxigraphStore(), OxigraphStore()
    service.import_archi_csv(first, {k.removesuffix(".csv"): v for k, v in files.items()})
    again = service.export_archi_csv(first).files
    service.import_archi_csv(second, {k.removesuffix(".csv"): v for k, v in again.items()})
    assert quad_set(second) == quad_set(first)


CLASSES = [
    "Capability",
    "BusinessProcess",
    "Application",
    "ValueStream",
    "OrganizationUnit",
    "Role",
    "DataObject",
    "Objective",
    "KPI",
    "Initiative",
]
RELATIONS = [
    "parentCapability",
    "realizedBy",
    "supportedBy",
    "flowsTo",
    "performedBy",
    "ownedBy",
    "measuredBy",
    "changes",
    "advances",
    "accessesData",
    "usesInformation",
]


@st.composite
def native_models(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 8))
    lines = [
        "@prefix ba: <https://w3id.org/bizarch/ontology#> .",
        "@prefix mm: <https://data.meridian-mutual.example/id/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    for i in range(n):
        label = draw(TEXT).replace("\\", "").replace('"', "").replace("\n", " ")
        lines.append(f'mm:e{i} a ba:{draw(st.sampled_from(CLASSES))} ; rdfs:label "{label}"@en .')
    for _ in range(draw(st.integers(0, 10))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        lines.append(f"mm:e{a} ba:{draw(st.sampled_from(RELATIONS))} mm:e{b} .")
    return "\n".join(lines)


@SETTINGS
@given(native_models())
def test_native_models_keep_every_fact(exchange_schema, turtle: str):
    store = OxigraphStore()
    store.load(
        [RdfSource("native.ttl", turtle.encode(), RdfFormat.TURTLE)], "urn:bizarch:scenario:current"
    )
    native = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.engine.quads_for_pattern(None, None, None)
    }
    xml = service.export_archimate(store).files["model.xml"]
    assert exchange_schema.errors(xml) == []
    service.import_archimate(store, xml, scenario="target")
    back = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.engine.quads_for_pattern(
            None, None, None, ox.NamedNode("urn:bizarch:scenario:target")
        )
    }
    assert native - back == set()
