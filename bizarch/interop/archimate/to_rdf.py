"""An :class:`ExchangeModel` as bizarch RDF: every concept kept, mapped classes and triples added.

Identity: the model's identifier and each concept's identifier give the IRI
``urn:bizarch:archimate:<model>/<identifier>`` (percent-encoded), stable across re-imports; an
element exported from bizarch carries its own IRI back in the reserved property ``bizarch:iri``.
Structural nodes use ``/`` (never part of an xs:ID): ``<model>/folder/0.2``,
``<model>/<owner>/property/1``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import pyoxigraph as ox

from bizarch.errors import UserInputError
from bizarch.interop.archimate.mapping import Mapping as Table
from bizarch.interop.archimate.mapping import expand, load_mapping
from bizarch.interop.archimate.model import (
    Concept,
    ExchangeModel,
    Folder,
    LangText,
    Property,
    Relationship,
)
from bizarch.interop.archimate.semantics import RelationshipInfo, assign_classes, mapped_triples
from bizarch.interop.report import ImportReport
from bizarch.interop.vocabulary import (
    DCTERMS_DESCRIPTION,
    RDF_TYPE,
    RDFS_LABEL,
    XSD,
    Attribute,
    Vocabulary,
    load_vocabulary,
)
from bizarch.namespaces import BA

BASE = "urn:bizarch:archimate:"


def model_base(model_id: str) -> str:
    """Prefix of every IRI minted for the model with this identifier."""
    return BASE + quote(model_id, safe="-._~") + "/"


def concept_iri(model_id: str, identifier: str) -> str:
    return model_base(model_id) + quote(identifier, safe="-._~")


def model_iri(model_id: str) -> str:
    return BASE + quote(model_id, safe="-._~")


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def text_literal(text: LangText, where: str) -> ox.Literal:
    """A language-tagged literal, or a plain string without xml:lang."""
    if not text.lang:
        return ox.Literal(text.text)
    try:
        return ox.Literal(text.text, language=text.lang)
    except ValueError:
        raise UserInputError(
            f"{where}: xml:lang '{text.lang}' is not a valid language tag.",
            hint="Use a BCP 47 tag such as 'en' or 'de-CH'.",
        ) from None


def convert_value(attribute: Attribute, text: str, vocab: Vocabulary) -> ox.NamedNode | ox.Literal:
    """A property value as the attribute's datatype or code-list member; ValueError if it is not."""
    value = text.strip()
    if attribute.code_list:
        member = vocab.member_for(attribute.code_list, value)
        if member is None:
            names = ", ".join(sorted(vocab.members[attribute.code_list].values()))
            raise ValueError(f"must be one of {names}")
        return ox.NamedNode(member)
    datatype = attribute.datatype or XSD + "string"
    if datatype == XSD + "decimal":
        try:
            number = Decimal(value.replace(",", "")) if value else Decimal("nan")
        except InvalidOperation:
            number = Decimal("nan")
        if not number.is_finite():
            raise ValueError("must be a number")
        return ox.Literal(str(number), datatype=ox.NamedNode(datatype))
    if datatype == XSD + "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(datatype))
        except ValueError:
            raise ValueError("must be a whole number") from None
    if datatype == XSD + "date":
        try:
            return ox.Literal(
                dt.date.fromisoformat(value[:10]).isoformat(), datatype=ox.NamedNode(datatype)
            )
        except ValueError:
            raise ValueError("must be a date written YYYY-MM-DD") from None
    if datatype == XSD + "boolean":
        lowered = value.lower()
        if lowered in ("true", "yes", "1"):
            return ox.Literal("true", datatype=ox.NamedNode(datatype))
        if lowered in ("false", "no", "0"):
            return ox.Literal("false", datatype=ox.NamedNode(datatype))
        raise ValueError("must be true or false")
    return ox.Literal(value)


class _Builder:
    def __init__(self, model: ExchangeModel, graph: str, source: str, report: ImportReport) -> None:
        self.model = model
        self.graph = ox.NamedNode(graph)
        self.source = source
        self.report = report
        self.table: Table = load_mapping()
        self.vocab = load_vocabulary()
        self.quads: list[ox.Quad] = []
        self.base = model_base(model.identifier)
        self.model_node = _node(model_iri(model.identifier))
        self.definitions = model.definition_names()
        self.reserved = set(self.table.reserved.values())
        # bizarch:iri and bizarch:class are re-derived from the RDF on export, so they are applied
        # and not stored; bizarch:property stays on its relationship, where export reads it back.
        self.consumed = {self.table.reserved["iri"], self.table.reserved["class"]}
        self.iri_of: dict[str, str] = {}

    def add(self, subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(subject, ox.NamedNode(predicate), obj, self.graph))

    def texts(
        self, subject: ox.NamedNode, predicate: str, texts: list[LangText], where: str
    ) -> None:
        for text in texts:
            self.add(subject, predicate, text_literal(text, f"{self.source}: {where}"))

    def reserved_value(self, concept: Concept, key: str) -> str | None:
        name = self.table.reserved[key]
        for prop in concept.properties:
            if self.definitions.get(prop.definition) == name and prop.values:
                return prop.values[0].text.strip()
        return None

    def properties(
        self, owner: ox.NamedNode, owner_id: str, props: list[Property], where: str
    ) -> None:
        position = 0
        for prop in props:
            if self.definitions.get(prop.definition) in self.consumed:
                continue
            position += 1
            node = _node(f"{self.base}{quote(owner_id, safe='-._~')}/property/{position}")
            self.add(owner, BA + "hasArchimateProperty", node)
            self.add(node, RDF_TYPE, _node(BA + "ArchimateProperty"))
            self.add(
                node,
                BA + "propertyDefinition",
                _node(concept_iri(self.model.identifier, prop.definition)),
            )
            self.texts(node, BA + "propertyValue", prop.values, where)
            self.report.properties += 1

    def attributes(self, subject: ox.NamedNode, props: list[Property], where: str) -> None:
        for prop in props:
            name = self.definitions.get(prop.definition, "")
            attribute = self.vocab.attribute_for_key(name) if name not in self.reserved else None
            if attribute is None or not prop.values:
                continue
            try:
                value = convert_value(attribute, prop.values[0].text, self.vocab)
            except ValueError as exc:
                self.report.warnings.append(
                    f"{self.source}: {where}: property '{name}' {exc}, got "
                    f"'{prop.values[0].text}'; kept as a property only, {attribute.curie} not set."
                )
                continue
            self.add(subject, attribute.iri, value)

    def build(self) -> list[ox.Quad]:
        model = self.model
        self.add(self.model_node, RDF_TYPE, _node(BA + "ArchimateModel"))
        self.add(self.model_node, BA + "archimateId", ox.Literal(model.identifier))
        self.texts(self.model_node, RDFS_LABEL, model.names, "model")
        self.texts(self.model_node, DCTERMS_DESCRIPTION, model.documentation, "model")
        if model.version:
            self.add(self.model_node, BA + "modelVersion", ox.Literal(model.version))
        if model.metadata_xml:
            self.add(self.model_node, BA + "modelMetadata", ox.Literal(model.metadata_xml))
        self.properties(self.model_node, model.identifier, model.properties, "model")
        for definition in model.property_definitions:
            node = _node(concept_iri(model.identifier, definition.identifier))
            self.add(node, RDF_TYPE, _node(BA + "ArchimatePropertyDefinition"))
            self.add(node, BA + "archimateId", ox.Literal(definition.identifier))
            self.add(node, BA + "propertyDataType", ox.Literal(definition.data_type))
            self.add(node, BA + "inArchimateModel", self.model_node)
            self.texts(
                node, RDFS_LABEL, definition.names, f"property definition {definition.identifier}"
            )
        self.elements_and_relationships()
        if model.organization is not None:
            self.folder(model.organization, "organizations", None)
        for view in model.views:
            node = _node(concept_iri(model.identifier, view.identifier))
            self.iri_of[view.identifier] = node.value
            self.add(node, RDF_TYPE, _node(BA + "ArchimateView"))
            self.add(node, BA + "archimateId", ox.Literal(view.identifier))
            self.add(node, BA + "inArchimateModel", self.model_node)
            self.texts(node, RDFS_LABEL, view.names, f"view {view.identifier}")
            self.add(node, BA + "viewDefinition", ox.Literal(view.xml))
            for ref in dict.fromkeys(view.refs):
                if ref in self.iri_of:
                    self.add(node, BA + "showsConcept", _node(self.iri_of[ref]))
            self.report.views += 1
        return self.quads

    def elements_and_relationships(self) -> None:
        model, table = self.model, self.table
        overrides: dict[str, str] = {}
        extra: dict[str, list[str]] = {}  # further classes named by bizarch:class
        for element in model.elements:
            where = f"element {element.identifier}"
            iri = self.reserved_value(element, "iri")
            if iri:
                try:
                    ox.NamedNode(iri)
                except ValueError:
                    raise UserInputError(
                        f"{self.source}: {where}: bizarch:iri '{iri}' is not an IRI."
                    ) from None
            self.iri_of[element.identifier] = iri or concept_iri(
                model.identifier, element.identifier
            )
            named = (self.reserved_value(element, "class") or "").split()
            for cls in named:
                if expand(cls) not in self.vocab.classes:
                    raise UserInputError(
                        f"{self.source}: {where}: bizarch:class '{cls}' is not a bizarch class."
                    )
            if named:
                overrides[element.identifier] = expand(named[0])
                extra[element.identifier] = [expand(c) for c in named[1:]]
        if len(set(self.iri_of.values())) != len(self.iri_of):
            raise UserInputError(f"{self.source}: two elements carry the same bizarch:iri.")
        for rel in model.relationships:
            self.iri_of[rel.identifier] = concept_iri(model.identifier, rel.identifier)
        infos = [self.info(rel) for rel in model.relationships]
        types = {e.identifier: e.type for e in model.elements}
        classes = assign_classes(types, infos, table, overrides)
        for element in model.elements:
            where = f"element {element.identifier}"
            node = _node(self.iri_of[element.identifier])
            for cls in [classes[element.identifier], *extra.get(element.identifier, [])]:
                self.add(node, RDF_TYPE, _node(cls))
            self.add(node, BA + "archimateType", ox.Literal(element.type))
            self.add(node, BA + "archimateId", ox.Literal(element.identifier))
            self.add(node, BA + "inArchimateModel", self.model_node)
            self.texts(node, RDFS_LABEL, element.names, where)
            self.texts(node, DCTERMS_DESCRIPTION, element.documentation, where)
            self.properties(node, element.identifier, element.properties, where)
            self.attributes(node, element.properties, where)
            self.report.elements += 1
            self.report.by_class[classes[element.identifier]] += 1
            if classes[element.identifier] == BA + "ArchimateElement":
                self.report.unmapped_types[element.type] += 1
        for rel in model.relationships:
            where = f"relationship {rel.identifier}"
            node = _node(self.iri_of[rel.identifier])
            self.add(node, RDF_TYPE, _node(BA + "ArchimateRelationship"))
            self.add(node, BA + "relationshipType", ox.Literal(rel.type))
            self.add(node, BA + "source", _node(self.iri_of[rel.source]))
            self.add(node, BA + "target", _node(self.iri_of[rel.target]))
            self.add(node, BA + "archimateId", ox.Literal(rel.identifier))
            self.add(node, BA + "inArchimateModel", self.model_node)
            self.texts(node, RDFS_LABEL, rel.names, where)
            self.texts(node, DCTERMS_DESCRIPTION, rel.documentation, where)
            if rel.access_type is not None:
                self.add(node, BA + "accessType", ox.Literal(rel.access_type))
            if rel.influence_strength is not None:
                self.add(node, BA + "influenceStrength", ox.Literal(rel.influence_strength))
            if rel.is_directed is not None:
                self.add(node, BA + "isDirected", ox.Literal(rel.is_directed))
            self.properties(node, rel.identifier, rel.properties, where)
            self.report.relationships += 1
        keys = {
            e.identifier: frozenset({e.type, classes[e.identifier], *extra.get(e.identifier, [])})
            for e in model.elements
        }
        for subject, prop, obj in mapped_triples(keys, infos, table):
            self.add(_node(self.iri_of[subject]), prop, _node(self.iri_of[obj]))
            self.report.mapped_triples += 1

    def info(self, rel: Relationship) -> RelationshipInfo:
        prop = self.reserved_value(rel, "property")
        if prop:
            prop = expand(prop)
            if prop not in self.vocab.relationship_properties:
                self.report.warnings.append(
                    f"relationship {rel.identifier}: bizarch:property '{prop}' is not a bizarch "
                    "relationship; the relationship is kept without it."
                )
                prop = None
        return RelationshipInfo(
            rel.identifier,
            rel.type,
            rel.source,
            rel.target,
            rel.name or None,
            prop,
        )

    def folder(self, folder: Folder, path: str, parent: ox.NamedNode | None) -> None:
        node = _node(f"{self.base}folder/{path}")
        self.add(node, RDF_TYPE, _node(BA + "ArchimateFolder"))
        self.add(node, BA + "inArchimateModel", self.model_node)
        if parent is not None:
            self.add(parent, BA + "folderMember", node)
        self.texts(node, RDFS_LABEL, folder.labels, f"folder {path}")
        self.texts(node, DCTERMS_DESCRIPTION, folder.documentation, f"folder {path}")
        index = 0
        for item in folder.items:
            if isinstance(item, Folder):
                self.folder(item, f"{path}.{index}" if parent is not None else str(index), node)
                index += 1
            elif item in self.iri_of or item in {v.identifier for v in self.model.views}:
                target = self.iri_of.get(item) or concept_iri(self.model.identifier, item)
                self.add(node, BA + "folderMember", _node(target))
            else:
                self.report.warnings.append(
                    f"folder {path}: item '{item}' refers to nothing; skipped."
                )


def model_to_quads(
    model: ExchangeModel, graph: str, source: str, report: ImportReport
) -> list[ox.Quad]:
    """All quads of the model in ``graph``; fills ``report``. Raises UserInputError on bad input."""
    return _Builder(model, graph, source, report).build()
