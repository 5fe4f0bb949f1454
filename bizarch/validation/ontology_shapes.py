"""Generate the ontology-derived parts of the rule library from ``ontology/bizarch.ttl``.

Three rules restate, for every property, what the ontology declares: the datatype of each attribute
(STR-015), the kind of element each relationship points to (STR-016), and that single-valued
properties have one value (STR-017); and HYG-004 lists the properties elements may use. Their words
(label, message, severity, source) are hand-written in ``shapes/*.ttl``; only the per-property
constraints are generated, between marker comments, so the rules follow the ontology as it grows.

Why generated SHACL Core rather than one generic SPARQL query per rule: a SPARQL constraint runs
once per focus node, and on rdflib (pySHACL's engine) that cost minutes on the demo enterprise.
Each generated member is a property shape targeting the subjects of its own property, so it is
checked only where the property is used; each finding names its property and value.

``python -m bizarch.validation.ontology_shapes`` rewrites the blocks; ``--check`` exits 1 when a
block is stale (a test runs the same check).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from bizarch import resources
from bizarch.namespaces import BA

BLOCK = re.compile(
    r"(?P<head># >>> generated: (?P<name>[A-Z]+-\d{3})[^\n]*\n)"
    r"(?P<body>.*?)"
    r"(?P<tail># <<< generated: (?P=name)\n)",
    re.S,
)

RDF_LANGSTRING = RDF.langString
SCENARIO = rdflib.URIRef(BA + "Scenario")


def _curie(node: rdflib.term.Node) -> str:
    text = str(node)
    for prefix, namespace in (
        ("ba", BA),
        ("xsd", str(XSD)),
        ("rdf", str(RDF)),
        ("rdfs", str(RDFS)),
        ("owl", str(OWL)),
        ("skos", str(SKOS)),
        ("dcterms", str(DCTERMS)),
        ("org", "http://www.w3.org/ns/org#"),
    ):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def _label(ontology: rdflib.Graph, node: rdflib.term.Node) -> str:
    for label in ontology.objects(node, RDFS.label):
        if isinstance(label, rdflib.Literal) and label.language in (None, "en"):
            return str(label)
    return str(node).rsplit("#", 1)[-1]


def _ba_properties(ontology: rdflib.Graph, kind: rdflib.URIRef) -> list[rdflib.URIRef]:
    return sorted(
        p
        for p in ontology.subjects(RDF.type, kind)
        if isinstance(p, rdflib.URIRef) and p.startswith(BA)
    )


def _is_code_list(ontology: rdflib.Graph, cls: rdflib.term.Node) -> bool:
    return any(
        (eq, OWL.oneOf, None) in ontology for eq in ontology.objects(cls, OWL.equivalentClass)
    )


def _classes_of(ontology: rdflib.Graph, range_node: rdflib.term.Node) -> list[rdflib.term.Node]:
    """The named classes a range allows: the class itself, or the members of an owl:unionOf."""
    union = ontology.value(range_node, OWL.unionOf)
    if union is not None:
        return list(rdflib.collection.Collection(ontology, union))
    return [range_node]


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def _or(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return "sh:or ( " + " ".join(f"[ {p} ]" for p in parts) + " )"


_DATATYPE_WORDS = {
    XSD.decimal: ("a number", "write it unquoted, e.g. 5 or 2.5"),
    XSD.integer: ("a whole number", "write it unquoted, e.g. 3"),
    XSD.date: ("a date", 'write it as "2025-01-31"^^xsd:date'),
    XSD.boolean: ("true or false", "write it unquoted"),
    XSD.string: ("text", "write it in quotes"),
}


def datatype_block(ontology: rdflib.Graph) -> str:
    """STR-015: one nested property shape per attribute, allowing what its range means."""
    shapes = []
    for prop in _ba_properties(ontology, OWL.DatatypeProperty):
        datatype = ontology.value(prop, RDFS.range)
        if datatype is None:
            continue
        allowed = [datatype]
        if datatype == XSD.decimal:
            allowed.append(XSD.integer)  # 5 is a decimal number too
        if datatype in (XSD.string, RDF.PlainLiteral):
            allowed = [XSD.string, RDF_LANGSTRING]  # "text"@en is text
        what, how = _DATATYPE_WORDS.get(datatype, (_curie(datatype), "use that datatype"))
        if datatype == RDF.PlainLiteral:
            what, how = _DATATYPE_WORDS[XSD.string]
        message = f"The {_label(ontology, prop)} must be {what} ({_curie(datatype)}): {how}."
        if datatype == RDFS.Literal:
            constraint = "sh:nodeKind sh:Literal"
        else:
            constraint = _or([f"sh:datatype {_curie(d)}" for d in allowed])
        shapes.append(_member(prop, constraint, message))
    return _statement("bas:STR-015", "sh:property", shapes)


def range_block(ontology: rdflib.Graph) -> str:
    """STR-016: one nested property shape per relationship whose range is not a code list."""
    shapes = []
    for prop in _ba_properties(ontology, OWL.ObjectProperty):
        range_node = ontology.value(prop, RDFS.range)
        if range_node is None or _is_code_list(ontology, range_node):
            continue
        if range_node == SCENARIO:
            # Scenarios refer to each other across graphs (the target is derived from the current
            # state, described in the current graph): the target is not in this scenario's data.
            continue
        classes = _classes_of(ontology, range_node)
        names = " or ".join(_article(_label(ontology, c)) for c in classes)
        message = (
            f"'{_label(ontology, prop)}' must point to {names}; this target is of another kind "
            "or has no type."
        )
        constraint = _or([f"sh:class {_curie(c)}" for c in classes])
        shapes.append(_member(prop, constraint, message))
    return _statement("bas:STR-016", "sh:property", shapes)


def functional_block(ontology: rdflib.Graph) -> str:
    """STR-017: at most one value for every functional property."""
    shapes = []
    for prop in sorted(
        p
        for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)
        if isinstance(p, rdflib.URIRef) and p.startswith(BA)
    ):
        message = f"An element has one {_label(ontology, prop)} at most; remove the extra values."
        shapes.append(_member(prop, "sh:maxCount 1", message))
    return _statement("bas:STR-017", "sh:property", shapes)


#: Properties every element may carry besides those the ontology declares.
BASIC_PROPERTIES = (
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.sameAs,
    SKOS.prefLabel,
)


def known_properties_block(ontology: rdflib.Graph) -> str:
    """HYG-004: the properties a closed element shape allows: all the ontology declares."""
    declared = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for p in ontology.subjects(RDF.type, kind)
        if isinstance(p, rdflib.URIRef)
    }
    allowed = sorted(declared | set(BASIC_PROPERTIES), key=str)
    body = "\n    ".join(_curie(p) for p in allowed)
    return f"bas:HYG-004 sh:ignoredProperties (\n    {body}\n) .\n"


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _member(prop: rdflib.URIRef, constraint: str, message: str) -> str:
    """A property shape that targets the subjects of its own property.

    The rule shape only groups these members (it has no target of its own), so each member is
    checked on the elements that actually use its property, not on every element of the model.
    """
    return (
        f"[ sh:targetSubjectsOf {_curie(prop)} ; sh:path {_curie(prop)} ; {constraint} ;\n"
        f"      sh:message {_literal(message)} ]"
    )


def _statement(subject: str, predicate: str, objects: list[str]) -> str:
    return f"{subject} {predicate}\n    " + " ,\n    ".join(objects) + " .\n"


GENERATORS: dict[str, Callable[[rdflib.Graph], str]] = {
    "STR-015": datatype_block,
    "STR-016": range_block,
    "STR-017": functional_block,
    "HYG-004": known_properties_block,
}


def regenerate(text: str, ontology: rdflib.Graph) -> str:
    """``text`` (a shapes file) with every generated block rewritten from ``ontology``."""

    def replace(match: re.Match[str]) -> str:
        generator = GENERATORS.get(match["name"])
        if generator is None:
            raise ValueError(f"no generator for block {match['name']}")
        return match["head"] + generator(ontology) + match["tail"]

    return BLOCK.sub(replace, text)


def stale_files(shapes_dir: Path | None = None, *, write: bool = False) -> list[Path]:
    """Shapes files whose generated blocks differ from the ontology; rewrites them if ``write``."""
    ontology = rdflib.Graph().parse(resources.ontology_file(), format="turtle")
    stale = []
    for path in sorted((shapes_dir or resources.shapes_dir()).glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        fresh = regenerate(text, ontology)
        if fresh != text:
            stale.append(path)
            if write:
                path.write_text(fresh, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = stale_files(write=not check)
    for path in stale:
        print(f"{'stale' if check else 'rewrote'}: {path.name}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
