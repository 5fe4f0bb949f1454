"""What the importers and exporters need to know about the bizarch ontology, read from the ontology.

Attribute names in spreadsheets and ArchiMate property keys are matched against the ontology's own
labels, so a new attribute in ``ontology/bizarch.ttl`` is understood without touching this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from bizarch import resources
from bizarch.namespaces import BA, PREFIXES

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDFS_RANGE = PREFIXES["rdfs"] + "range"
RDFS_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
DCTERMS_DESCRIPTION = PREFIXES["dcterms"] + "description"

EXCHANGE_TERMS = frozenset(
    BA + name
    for name in (
        "archimateType",
        "archimateId",
        "relationshipType",
        "accessType",
        "influenceStrength",
        "isDirected",
        "propertyValue",
        "propertyDataType",
        "viewDefinition",
        "modelVersion",
        "modelMetadata",
        "source",
        "target",
        "inArchimateModel",
        "hasArchimateProperty",
        "propertyDefinition",
        "folderMember",
        "showsConcept",
    )
)
"""The ArchiMate-exchange terms: bookkeeping of the import, never exported as properties."""


@dataclass
class Attribute:
    """A datatype property, or an object property whose range is a code list (e.g. ba:Level)."""

    iri: str
    label: str
    datatype: str | None = None
    code_list: str | None = None
    functional: bool = False

    @property
    def curie(self) -> str:
        return "ba:" + self.iri[len(BA) :]


@dataclass
class Vocabulary:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    relationship_properties: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    superclasses: dict[str, set[str]] = field(default_factory=dict)
    members: dict[str, dict[str, str]] = field(default_factory=dict)
    """Code list class -> {individual IRI: label}."""
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    _by_key: dict[str, Attribute] = field(default_factory=dict, repr=False)

    def attribute_for_key(self, key: str) -> Attribute | None:
        """The attribute a property key or column header names (label, local name or CURIE)."""
        return self._by_key.get(key.strip().lower())

    def index(self) -> None:
        """Build the key index once the attributes are known."""
        self._by_key.clear()
        for attribute in self.attributes.values():
            for name in (attribute.label, attribute.curie, attribute.curie[3:]):
                self._by_key.setdefault(name.lower(), attribute)

    def member_for(self, code_list: str, text: str) -> str | None:
        """The individual of a code list a text names (its label or local name, any case)."""
        wanted = text.strip().lower().replace(" ", "").replace("-", "")
        for iri, label in self.members.get(code_list, {}).items():
            local = iri[len(BA) :].lower()
            if wanted in (local, label.lower().replace(" ", "").replace("-", "")):
                return iri
        return None

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        return cls == ancestor or ancestor in self.superclasses.get(cls, set())

    def most_specific(self, classes: set[str]) -> list[str]:
        """The classes of a set that no other class of the set specialises, sorted."""
        return sorted(
            c for c in classes if not any(o != c and self.is_subclass(o, c) for o in classes)
        )


@cache
def load_vocabulary() -> Vocabulary:
    """Index the packaged ontology (read once per process; it is a trusted local file)."""
    quads = ox.parse(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE)
    by_subject: dict[str, dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]] = {}
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode):
            by_subject.setdefault(quad.subject.value, {}).setdefault(
                quad.predicate.value, []
            ).append(quad.object)
    vocab = Vocabulary()
    for subject, props in by_subject.items():
        types = {t.value for t in props.get(RDF_TYPE, [])}
        labels = [lab.value for lab in props.get(RDFS_LABEL, []) if isinstance(lab, ox.Literal)]
        if labels:
            vocab.labels[subject] = labels[0]
        definitions = props.get(PREFIXES["skos"] + "definition", [])
        if definitions:
            vocab.definitions[subject] = definitions[0].value
        if OWL + "Class" in types:
            vocab.classes.add(subject)
            vocab.superclasses[subject] = {
                s.value for s in props.get(RDFS_SUBCLASS, []) if isinstance(s, ox.NamedNode)
            }
        if OWL + "NamedIndividual" in types:
            for cls in types - {OWL + "NamedIndividual"}:
                vocab.members.setdefault(cls, {})[subject] = labels[0] if labels else subject
    _close_superclasses(vocab)
    for subject, props in by_subject.items():
        if not subject.startswith(BA) or subject in EXCHANGE_TERMS:
            continue
        types = {t.value for t in props.get(RDF_TYPE, [])}
        ranges = [r.value for r in props.get(RDFS_RANGE, []) if isinstance(r, ox.NamedNode)]
        label = vocab.labels.get(subject, subject[len(BA) :])
        functional = OWL + "FunctionalProperty" in types
        if OWL + "DatatypeProperty" in types:
            datatype = ranges[0] if ranges else XSD + "string"
            vocab.attributes[subject] = Attribute(
                subject, label, datatype=datatype, functional=functional
            )
        elif OWL + "ObjectProperty" in types:
            if ranges and ranges[0] in vocab.members:
                vocab.attributes[subject] = Attribute(
                    subject, label, code_list=ranges[0], functional=functional
                )
            else:
                vocab.relationship_properties.add(subject)
    vocab.index()
    return vocab


def _close_superclasses(vocab: Vocabulary) -> None:
    changed = True
    while changed:
        changed = False
        for supers in vocab.superclasses.values():
            extra = set().union(*(vocab.superclasses.get(s, set()) for s in supers)) - supers
            if extra:
                supers |= extra
                changed = True
