"""The ontology parses, is OWL 2 DL-plausible, documents every term, and agrees with its README."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from bizarch import namespaces, resources
from bizarch.namespaces import ONTOLOGY_IRI

BA = Namespace(namespaces.BA)

DECLARATIONS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}
ENTITY_KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


def ba_terms(graph: Graph) -> set[URIRef]:
    """Every IRI of the ba: namespace that occurs anywhere in the graph."""
    terms = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(BA)):
                terms.add(term)
    return terms


def of_kind(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and s in BA}


def test_parses_with_rdflib_and_has_a_complete_header(ontology_graph: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology_graph
    version_iri = ontology_graph.value(onto, OWL.versionIRI)
    version = ontology_graph.value(onto, OWL.versionInfo)
    assert version_iri is not None and version is not None
    assert str(version_iri) == f"{ONTOLOGY_IRI}/{version}"
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.created,
        DCTERMS.modified,
    ):
        assert ontology_graph.value(onto, prop) is not None, f"ontology header lacks {prop}"
    assert not list(ontology_graph.objects(onto, OWL.imports)), "the ontology must not import"


def test_parses_with_pyoxigraph_to_the_same_triples(ontology_graph: Graph) -> None:
    data = resources.ontology_file().read_bytes()
    quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(ontology_graph)
    ox_iris = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    rdflib_iris = {str(s) for s in ontology_graph.subjects() if isinstance(s, URIRef)}
    assert ox_iris == rdflib_iris


def test_every_ba_term_is_declared_as_exactly_one_kind_of_entity(ontology_graph: Graph) -> None:
    problems = []
    for term in sorted(ba_terms(ontology_graph)):
        types = set(ontology_graph.objects(term, RDF.type))
        declared = types & DECLARATIONS
        kinds = types & ENTITY_KINDS
        if not declared:
            problems.append(f"{term} is used but not declared")
        elif len(kinds) > 1:
            problems.append(f"{term} is declared as {sorted(kinds)}")
        if OWL.NamedIndividual in types and not (types - DECLARATIONS):
            problems.append(f"individual {term} has no class")
    assert not problems, "\n".join(problems)


def test_the_main_kinds_are_present(ontology_graph: Graph) -> None:
    classes = of_kind(ontology_graph, OWL.Class)
    for name in (
        "Strategy",
        "Objective",
        "Initiative",
        "KPI",
        "Measurement",
        "ValueStream",
        "ValueStreamStage",
        "Capability",
        "BusinessProcess",
        "Activity",
        "Application",
        "TechnologyComponent",
        "OrganizationUnit",
        "Role",
        "Scenario",
    ):
        assert BA[name] in classes
    assert len(of_kind(ontology_graph, OWL.ObjectProperty)) >= 40
    assert len(of_kind(ontology_graph, OWL.DatatypeProperty)) >= 40


def _union_members(graph: Graph, node) -> list:
    if isinstance(node, URIRef):
        return [node]
    union = graph.value(node, OWL.unionOf)
    assert union is not None, "an anonymous domain or range must be an owl:unionOf"
    return list(graph.items(union))


def test_properties_are_owl2_dl_plausible(ontology_graph: Graph) -> None:
    """Object properties relate classes, datatype properties point at XSD datatypes, functional and
    inverse declarations only on the right kind of property."""
    g = ontology_graph
    classes = of_kind(g, OWL.Class) | {
        s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)
    }
    obj_props = of_kind(g, OWL.ObjectProperty)
    data_props = of_kind(g, OWL.DatatypeProperty)
    problems = []
    for prop in sorted(obj_props | data_props):
        for axiom in (RDFS.domain, RDFS.range):
            values = list(g.objects(prop, axiom))
            if len(values) != 1:
                problems.append(f"{prop} has {len(values)} {axiom}")
                continue
            if axiom == RDFS.range and prop in data_props:
                # rdf:PlainLiteral: OWL 2's datatype of strings with or without a language tag
                if not str(values[0]).startswith(str(XSD)) and values[0] != RDF.PlainLiteral:
                    problems.append(f"{prop} range {values[0]} is not an XSD datatype")
                continue
            for member in _union_members(g, values[0]):
                if member not in classes:
                    problems.append(f"{prop} {axiom} {member} is not a declared class")
    for prop in g.subjects(RDF.type, OWL.FunctionalProperty):
        if prop not in obj_props | data_props:
            problems.append(f"functional {prop} is neither object nor datatype property")
    for a, b in g.subject_objects(OWL.inverseOf):
        if a not in obj_props or b not in obj_props:
            problems.append(f"owl:inverseOf between non-object properties {a} {b}")
    for a, b in g.subject_objects(RDFS.subPropertyOf):
        same = (a in obj_props and (b, RDF.type, OWL.ObjectProperty) in g) or (
            a in data_props and (b, RDF.type, OWL.DatatypeProperty) in g
        )
        if not same:
            problems.append(f"{a} rdfs:subPropertyOf {b} mixes property kinds")
    assert not problems, "\n".join(problems)


def test_code_lists_are_closed_enumerations_of_named_individuals(ontology_graph: Graph) -> None:
    g = ontology_graph
    enums = [c for c in of_kind(g, OWL.Class) if g.value(c, OWL.equivalentClass) is not None]
    assert {BA.LifecycleStatus, BA.ValueClassification, BA.Direction, BA.TimeUnit} <= set(enums)
    for enum in enums:
        one_of = g.value(g.value(enum, OWL.equivalentClass), OWL.oneOf)
        members = list(g.items(one_of))
        assert members, f"{enum} has an empty enumeration"
        for member in members:
            assert (member, RDF.type, OWL.NamedIndividual) in g
            assert (member, RDF.type, enum) in g
    for unit in g.subjects(RDF.type, BA.TimeUnit):
        assert isinstance(g.value(unit, BA.secondsPerUnit), Literal)
    units = list(g.items(g.value(g.value(BA.TimeUnit, OWL.equivalentClass), OWL.oneOf)))
    seconds = {u: g.value(u, BA.secondsPerUnit).toPython() for u in units}  # type: ignore[union-attr]
    assert seconds == {BA.Second: 1, BA.Minute: 60, BA.Hour: 3600, BA.Day: 86400, BA.Week: 604800}


def test_disjointness_covers_capability_and_process(ontology_graph: Graph) -> None:
    g = ontology_graph
    groups = [
        list(g.items(g.value(n, OWL.members))) for n in g.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert any(BA.Capability in grp and BA.BusinessProcess in grp for grp in groups)
    assert any(BA.Application in grp and BA.TechnologyComponent in grp for grp in groups)


def test_every_class_property_and_individual_has_an_english_label_and_definition(
    ontology_graph: Graph,
) -> None:
    g = ontology_graph
    terms = set()
    for kind in DECLARATIONS:
        terms |= of_kind(g, kind)
    problems = []
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            values = [v for v in g.objects(term, prop) if isinstance(v, Literal)]
            english = [v for v in values if v.language == "en"]
            if len(english) != 1:
                problems.append(f"{term} has {len(english)} English {prop}")
            elif len(str(english[0]).strip()) < 3:
                problems.append(f"{term} has an empty {prop}")
    assert not problems, "\n".join(problems)
    # the definitions explain: a definition is not just the label again
    for term in terms:
        label = str(g.value(term, RDFS.label)).lower()
        assert str(g.value(term, SKOS.definition)).lower().rstrip(".") != label


# ------------------------------------------------------------------------------ README agreement

README = resources.ontology_dir() / "README.md"
ROW = re.compile(r"^\|\s*`ba:(\w+)`\s*\|(.*)\|\s*$")


def readme_table(heading: str) -> dict[str, list[str]]:
    """Rows of the README table under ``## heading``: term -> the remaining cells."""
    text = README.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = [c.strip() for c in match.group(2).split("|")]
    assert rows, f"no table rows under '{heading}' in {README}"
    return rows


def _counterpart(g: Graph, term: URIRef) -> str | None:
    values = [str(v) for v in g.objects(term, BA.archimateCounterpart)]
    assert len(values) <= 1, f"{term} has several ArchiMate counterparts"
    return values[0] if values else None


def test_classes_carry_the_archimate_counterpart_the_readme_gives(ontology_graph: Graph) -> None:
    rows = readme_table("Classes and their counterparts in ArchiMate 3.2 and BIZBOK")
    problems = []
    for name, (label, archimate, _bizbok) in rows.items():
        term = BA[name]
        if (term, RDF.type, OWL.Class) not in ontology_graph:
            problems.append(f"README lists ba:{name}, which is not a class")
            continue
        if str(ontology_graph.value(term, RDFS.label)) != label:
            problems.append(f"ba:{name}: README label '{label}' differs from rdfs:label")
        expected = None if archimate in ("", "—", "-") else archimate
        if _counterpart(ontology_graph, term) != expected:
            problems.append(
                f"ba:{name}: archimateCounterpart {_counterpart(ontology_graph, term)!r}, "
                f"README says {expected!r}"
            )
    code_lists = readme_table("Code lists")
    documented = set(rows) | set(code_lists)
    for cls in of_kind(ontology_graph, OWL.Class):
        if cls.fragment not in documented:
            problems.append(f"class ba:{cls.fragment} is missing from the README tables")
    assert not problems, "\n".join(problems)


def test_relationships_carry_the_archimate_counterpart_the_readme_gives(
    ontology_graph: Graph,
) -> None:
    g = ontology_graph
    rows = readme_table("Relationships")
    problems = []
    for name, cells in rows.items():
        term = BA[name]
        if (term, RDF.type, OWL.ObjectProperty) not in g:
            problems.append(f"README lists ba:{name}, which is not an object property")
            continue
        inverse_cell, archimate = cells[2], cells[3]
        expected = archimate or None
        if _counterpart(g, term) != expected:
            problems.append(
                f"ba:{name}: archimateCounterpart {_counterpart(g, term)!r}, "
                f"README says {expected!r}"
            )
        inverse = g.value(term, OWL.inverseOf)
        documented_inverse = inverse_cell.strip("`") or None
        actual_inverse = f"ba:{inverse.fragment}" if inverse is not None else None
        if documented_inverse != actual_inverse:
            problems.append(
                f"ba:{name}: inverse {actual_inverse}, README says {documented_inverse}"
            )
    inverses = {b for _, b in g.subject_objects(OWL.inverseOf)}
    for prop in of_kind(g, OWL.ObjectProperty):
        if prop.fragment not in rows and prop not in inverses:
            problems.append(f"object property ba:{prop.fragment} is missing from the README")
    attributes = readme_table("Attributes")
    for prop in of_kind(g, OWL.DatatypeProperty):
        if prop.fragment not in attributes:
            problems.append(f"datatype property ba:{prop.fragment} is missing from the README")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("term", ["Capability", "ValueStream", "Application", "hasStage"])
def test_readme_table_parser_reads_known_rows(term: str) -> None:
    """Guards the README checks above against a parser that silently reads nothing."""
    tables = {
        **readme_table("Classes and their counterparts in ArchiMate 3.2 and BIZBOK"),
        **readme_table("Relationships"),
    }
    assert term in tables


def test_no_blank_node_is_typed_as_a_named_entity(ontology_graph: Graph) -> None:
    for kind in DECLARATIONS - {OWL.Class}:
        assert not [s for s in ontology_graph.subjects(RDF.type, kind) if isinstance(s, BNode)]
