"""The rule library keeps its conventions: ids, words, severities, SHACL every engine reads."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import DCTERMS, SH

from bizarch import resources
from bizarch.errors import UserInputError
from bizarch.validation import archimate_table, ontology_shapes, ruletable
from bizarch.validation.report import Severity
from bizarch.validation.rules import SHAPES_NS, RuleLibrary

AREA_PREFIX = {
    "structure": "STR",
    "value-stream": "VS",
    "capability": "CAP",
    "strategy": "STG",
    "operations": "OPS",
    "technology": "TEC",
    "archimate": "AM",
    "hygiene": "HYG",
}


def test_areas_are_the_documented_files(library: RuleLibrary) -> None:
    assert library.areas == list(AREA_PREFIX)
    assert len(library.rules) >= 40


def test_every_rule_has_id_words_severity_and_source(library: RuleLibrary) -> None:
    for rule in library.rules.values():
        assert re.fullmatch(rf"{AREA_PREFIX[rule.area]}-\d{{3}}", rule.id), rule.id
        assert rule.shape == SHAPES_NS + rule.id
        assert rule.label and rule.label[0].isupper() and not rule.label.endswith("."), rule.id
        assert len(rule.message) > 40 and rule.message.endswith("."), rule.id
        assert rule.source, rule.id
        graph = library.select(rule.id).shapes
        # the severity is chosen, not defaulted
        assert (rdflib.URIRef(rule.shape), SH.severity, rdflib.URIRef(rule.severity.iri)) in graph


def test_severities_are_all_used(library: RuleLibrary) -> None:
    assert {rule.severity for rule in library.rules.values()} == set(Severity)


def _sparql_constraints(graph: rdflib.Graph) -> list[tuple[rdflib.term.Node, str]]:
    found = []
    for shape, constraint in graph.subject_objects(SH.sparql):
        found.append((shape, str(graph.value(constraint, SH.select))))
        assert graph.value(constraint, SH.prefixes) == rdflib.URIRef(SHAPES_NS), shape
    return found


def test_sparql_rules_are_plain_select_queries_every_engine_can_run(library: RuleLibrary) -> None:
    graph = library.select(None).shapes
    constraints = _sparql_constraints(graph)
    assert len(constraints) >= 15
    for shape, text in constraints:
        words = set(re.findall(r"\b[A-Z]+\b", re.sub(r'"[^"]*"', "", text)))
        assert not words & {"VALUES", "MINUS", "SERVICE", "FROM", "GRAPH", "LOAD"}, shape
        assert text.lstrip().startswith("SELECT") and "$this" in text, shape
        # placeholders of the message are variables the query binds
        message = str(graph.value(shape, SH.message))
        for name in re.findall(r"{[?$](\w+)}", message):
            assert re.search(rf"[?$]{name}\b", text), (shape, name)


def test_messages_of_core_rules_have_no_placeholders(library: RuleLibrary) -> None:
    graph = library.select(None).shapes
    sparql_shapes = set(graph.subjects(SH.sparql, None))
    for rule in library.rules.values():
        if rdflib.URIRef(rule.shape) not in sparql_shapes:
            assert "{?" not in rule.message and "{$" not in rule.message, rule.id


def _drop(graph: rdflib.Graph, node: rdflib.term.Node) -> None:
    todo = [node]
    while todo:
        current = todo.pop()
        for p, o in list(graph.predicate_objects(current)):
            graph.remove((current, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)


def _with_sample_members(shapes: rdflib.Graph, keep: int = 3) -> rdflib.Graph:
    """The shapes with only ``keep`` members per generated part (each comes from one template).

    pySHACL checks RDF lists in quadratic time; the generated parts hold two hundred member shapes
    and a list of a hundred properties, which would cost most of a minute.
    """
    trimmed = rdflib.Graph()
    trimmed += shapes
    for rule in ontology_shapes.GENERATORS:
        node = rdflib.URIRef(SHAPES_NS + rule)
        for member in sorted(shapes.objects(node, SH.property), key=str)[keep:]:
            trimmed.remove((node, SH.property, member))
            _drop(trimmed, member)
        for ignored in list(trimmed.objects(node, SH.ignoredProperties)):
            items = list(rdflib.collection.Collection(trimmed, ignored))
            trimmed.remove((node, SH.ignoredProperties, ignored))
            _drop(trimmed, ignored)
            sample = rdflib.BNode()
            rdflib.collection.Collection(trimmed, sample, items[:keep])
            trimmed.add((node, SH.ignoredProperties, sample))
    return trimmed


def test_shapes_pass_shacl_shacl(library: RuleLibrary) -> None:
    """The shapes graph validated against the SHACL-SHACL shapes (W3C SHACL, appendix C).

    Generated members are sampled (three per rule): they come from one template each, and
    checking all two hundred costs pySHACL half a minute.
    """
    shacl_shacl = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    shapes = _with_sample_members(library.select(None).shapes)
    conforms, _, text = pyshacl.validate(
        shapes,
        shacl_graph=rdflib.Graph().parse(shacl_shacl),
        inference="none",
        advanced=False,
    )
    assert conforms, text


def test_shacl_shacl_catches_a_broken_shape(library: RuleLibrary) -> None:
    shacl_shacl = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    broken = library.select("VS-004").shapes
    broken.set((rdflib.URIRef(SHAPES_NS + "VS-004"), SH.minCount, rdflib.Literal("two")))
    conforms, _, _ = pyshacl.validate(
        broken, shacl_graph=rdflib.Graph().parse(shacl_shacl), inference="none"
    )
    assert not conforms


def test_rule_table_in_readme_is_generated_from_the_shapes(library: RuleLibrary) -> None:
    text = ruletable.readme_path().read_text(encoding="utf-8")
    assert ruletable.updated_readme(text, ruletable.generated_block(library)) == text
    for rule in library.rules.values():
        assert f"| {rule.id} | {rule.severity.label} | {rule.area} |" in text


def test_generated_members_follow_the_ontology() -> None:
    assert ontology_shapes.stale_files() == []


def test_a_stale_generated_block_is_detected(tmp_path: Path) -> None:
    text = (resources.shapes_dir() / "structure.ttl").read_text(encoding="utf-8")
    start = text.index("\n", text.index("# >>> generated: STR-015")) + 1
    end = text.index("# <<< generated: STR-015")
    stale = text[:start] + text[end:]  # the members are gone
    (tmp_path / "structure.ttl").write_text(stale, encoding="utf-8")
    assert ontology_shapes.stale_files(tmp_path) == [tmp_path / "structure.ttl"]
    ontology_shapes.stale_files(tmp_path, write=True)
    assert (tmp_path / "structure.ttl").read_text(encoding="utf-8") == text


def test_generated_members_cover_every_attribute_and_functional_property(
    library: RuleLibrary,
) -> None:
    ontology = rdflib.Graph().parse(resources.ontology_file())
    shapes = library.select("STR-015,STR-017").shapes
    ba = "https://w3id.org/bizarch/ontology#"

    def members(rule: str) -> set[str]:
        node = rdflib.URIRef(SHAPES_NS + rule)
        return {str(shapes.value(m, SH.path)) for m in shapes.objects(node, SH.property)}

    attributes = {
        str(p)
        for p in ontology.subjects(rdflib.RDF.type, rdflib.OWL.DatatypeProperty)
        if str(p).startswith(ba)
    }
    functional = {
        str(p)
        for p in ontology.subjects(rdflib.RDF.type, rdflib.OWL.FunctionalProperty)
        if str(p).startswith(ba)
    }
    assert members("STR-015") == attributes
    assert members("STR-017") == functional


# -- selecting rules ---------------------------------------------------------------------------


def test_select_by_area_prefix_id_and_list(library: RuleLibrary) -> None:
    assert {r.area for r in library.resolve("value-stream")} == {"value-stream"}
    assert [r.id for r in library.resolve("cap")] == [
        r.id for r in library.area_rules("capability")
    ]
    assert [r.id for r in library.resolve("vs-004")] == ["VS-004"]
    assert [r.id for r in library.resolve(" VS-004, CAP-002 ,VS-004")] == ["VS-004", "CAP-002"]
    assert len(library.resolve(None)) == len(library.resolve("all")) == len(library.rules)


def test_unknown_rule_or_area_names_what_exists(library: RuleLibrary) -> None:
    with pytest.raises(UserInputError) as caught:
        library.resolve("VS-004,value-streams")
    assert "value-streams" in str(caught.value) and "value-stream" in str(caught.value.hint)


def test_a_selection_holds_only_its_shapes(library: RuleLibrary) -> None:
    ruleset = library.select("VS-004,AM-001")
    identified = {str(o) for o in ruleset.shapes.objects(None, DCTERMS.identifier)}
    assert identified == {"VS-004", "AM-001"}
    assert set(ruleset.shape_rule.values()) == {"VS-004", "AM-001"}
    assert len(ruleset.reference) > 10_000  # AM-001 reads the relationship table
    assert len(library.select("VS-004").reference) == 0


def test_nested_shapes_report_under_their_rule(library: RuleLibrary) -> None:
    ruleset = library.select("STR-015")
    nested = [n for n, rule in ruleset.shape_rule.items() if isinstance(n, rdflib.BNode)]
    assert len(nested) > 30 and {ruleset.shape_rule[n] for n in nested} == {"STR-015"}


# -- the ArchiMate relationship table ---------------------------------------------------------


def _shared_reference() -> Path | None:
    for base in (resources.root().parent, resources.root().parent.parent):
        candidate = base / "shared" / "reference"
        if (candidate / "archi_relationships_3.2.xml").is_file():
            return candidate
    return None


def test_relationship_table_says_what_archimate_permits(library: RuleLibrary) -> None:
    table = library.select("AM-001").reference
    amr = rdflib.Namespace("https://w3id.org/bizarch/shapes/archimate-relationships#")
    bas = rdflib.Namespace(SHAPES_NS)

    def cell(source: str, target: str) -> tuple[str, str]:
        node = amr[f"{source}--{target}"]
        derived = table.value(node, bas.derivedOnlyRelationships)
        return str(table.value(node, bas.permittedRelationships)), str(derived or "")

    assert len(set(table.subjects(bas.permittedRelationships, None))) == 62 * 62
    # an actor is assigned to a role directly; a component serves a process only by derivation
    assert cell("BusinessActor", "BusinessRole")[0] == "fiotv"
    assert "i" not in cell("BusinessActor", "BusinessRole")[1]
    assert cell("ApplicationComponent", "BusinessProcess") == ("fortv", "frtv")
    assert table.value(amr.Serving, bas.relationshipLetter) == rdflib.Literal("v")


def test_relationship_table_is_generated_from_the_reference_tables() -> None:
    reference = _shared_reference()
    if reference is None:
        pytest.skip("../shared/reference is not beside this checkout")
    fresh = archimate_table.to_turtle(
        archimate_table.read_table(reference / "archi_relationships_3.2.xml"),
        archimate_table.read_table(reference / "mendoza_relationships_3.2_direct_vs_derived.xml"),
    )
    committed = resources.shapes_dir() / "reference" / "archimate-relationships.ttl"
    assert committed.read_text(encoding="utf-8") == fresh
