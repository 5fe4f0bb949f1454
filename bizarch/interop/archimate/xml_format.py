"""Read and write the Open Group ArchiMate Model Exchange File Format 3.x (``model.py`` <-> XML).

Reading goes through :func:`bizarch.interop.safety.parse_xml` (size cap, no DTD, defusedxml).
Writing follows what Archi's exchange exporter writes: default namespace, ``xsi:type`` on elements,
relationships and views, property definitions after organisations, views last.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from copy import deepcopy

from bizarch.errors import UserInputError
from bizarch.interop.archimate.model import (
    ACCESS_TYPES,
    DC,
    NS,
    PROPERTY_DATA_TYPES,
    RELATIONSHIP_TYPES,
    XML_NS,
    XSI,
    Element,
    ExchangeModel,
    Folder,
    LangText,
    Property,
    PropertyDefinition,
    Relationship,
    View,
)
from bizarch.interop.safety import MAX_UPLOAD_BYTES, parse_xml

_TYPE = f"{{{XSI}}}type"
_LANG = f"{{{XML_NS}}}lang"
NAME_OPTIONAL = frozenset({"AndJunction", "OrJunction", "Grouping", "Location"})
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _register_namespaces() -> None:
    # Idempotent: gives the serialiser the prefixes Archi writes (default namespace, xsi, dc).
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    ET.register_namespace("dc", DC)


def _local_type(value: str | None) -> str | None:
    return value.split(":", 1)[-1] if value else value


# ----------------------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, where: str, what: str, hint: str | None = None) -> UserInputError:
        return UserInputError(f"{self.source}: {where}: {what}", hint=hint)

    def texts(self, parent: ET.Element, tag: str) -> list[LangText]:
        return [LangText(child.text or "", child.get(_LANG)) for child in parent.findall(_q(tag))]

    def properties(self, parent: ET.Element, where: str, known: set[str]) -> list[Property]:
        found = []
        container = parent.find(_q("properties"))
        for prop in [] if container is None else container.findall(_q("property")):
            ref = prop.get("propertyDefinitionRef")
            if ref not in known:
                raise self.error(
                    where,
                    f"property refers to undefined property definition '{ref}'.",
                    "Add it under <propertyDefinitions> or remove the property.",
                )
            found.append(Property(ref, self.texts(prop, "value")))
        return found

    def read(self, root: ET.Element) -> ExchangeModel:
        if root.tag != _q("model"):
            raise UserInputError(
                f"{self.source}: not an ArchiMate 3.x exchange file (root element is "
                f"'{root.tag}', expected 'model' in namespace {NS}).",
                hint="Export the model from your tool as 'Open Exchange Format' (ArchiMate 3).",
            )
        identifier = root.get("identifier")
        if not identifier:
            raise self.error("model", "the model has no identifier attribute.")
        definitions = self.definitions(root)
        known = {d.identifier for d in definitions}
        metadata = root.find(_q("metadata"))
        model = ExchangeModel(
            identifier=identifier,
            names=self.texts(root, "name"),
            documentation=self.texts(root, "documentation"),
            properties=self.properties(root, "model", known),
            version=root.get("version"),
            metadata_xml=to_xml_text(metadata) if metadata is not None else None,
            property_definitions=definitions,
        )
        seen: set[str] = {identifier, *known}
        container = root.find(_q("elements"))
        for node in [] if container is None else container.findall(_q("element")):
            model.elements.append(self.element(node, seen, known))
        container = root.find(_q("relationships"))
        for node in [] if container is None else container.findall(_q("relationship")):
            model.relationships.append(self.relationship(node, seen, known))
        self.check_ends(model)
        organizations = root.findall(_q("organizations"))
        if organizations:
            model.organization = Folder(
                items=[self.item(i) for orgs in organizations for i in orgs.findall(_q("item"))]
            )
        views = root.find(_q("views"))
        diagrams = views.find(_q("diagrams")) if views is not None else None
        for node in [] if diagrams is None else diagrams.findall(_q("view")):
            model.views.append(self.view(node, seen))
        return model

    def definitions(self, root: ET.Element) -> list[PropertyDefinition]:
        container = root.find(_q("propertyDefinitions"))
        found = []
        for node in [] if container is None else container.findall(_q("propertyDefinition")):
            identifier = node.get("identifier")
            if not identifier:
                raise self.error("propertyDefinition", "a property definition has no identifier.")
            data_type = node.get("type") or "string"
            if data_type not in PROPERTY_DATA_TYPES:
                raise self.error(
                    f"property definition {identifier}",
                    f"unknown data type '{data_type}' (one of {', '.join(PROPERTY_DATA_TYPES)}).",
                )
            found.append(PropertyDefinition(identifier, self.texts(node, "name"), data_type))
        return found

    def identifier(self, node: ET.Element, kind: str, seen: set[str]) -> str:
        identifier = node.get("identifier")
        if not identifier:
            raise self.error(kind, f"an {kind} has no identifier attribute.")
        if identifier in seen:
            raise self.error(
                f"{kind} {identifier}", "the identifier is used twice; identifiers must be unique."
            )
        seen.add(identifier)
        return identifier

    def element(self, node: ET.Element, seen: set[str], known: set[str]) -> Element:
        identifier = self.identifier(node, "element", seen)
        kind = _local_type(node.get(_TYPE))
        if not kind:
            raise self.error(f"element {identifier}", "it has no xsi:type (its ArchiMate type).")
        return Element(
            identifier,
            kind,
            self.texts(node, "name"),
            self.texts(node, "documentation"),
            self.properties(node, f"element {identifier}", known),
        )

    def relationship(self, node: ET.Element, seen: set[str], known: set[str]) -> Relationship:
        identifier = self.identifier(node, "relationship", seen)
        where = f"relationship {identifier}"
        kind = _local_type(node.get(_TYPE))
        if kind not in RELATIONSHIP_TYPES:
            raise self.error(
                where,
                f"unknown relationship type '{kind}' (one of {', '.join(RELATIONSHIP_TYPES)}).",
            )
        access = node.get("accessType")
        if access is not None and access not in ACCESS_TYPES:
            raise self.error(where, f"unknown accessType '{access}'.")
        directed = node.get("isDirected")
        return Relationship(
            identifier,
            kind,
            self.texts(node, "name"),
            self.texts(node, "documentation"),
            self.properties(node, where, known),
            source=node.get("source") or "",
            target=node.get("target") or "",
            access_type=access,
            influence_strength=node.get("modifier"),
            is_directed=None if directed is None else directed.strip() in ("true", "1"),
        )

    def check_ends(self, model: ExchangeModel) -> None:
        concepts = {c.identifier for c in [*model.elements, *model.relationships]}
        for rel in model.relationships:
            for end in ("source", "target"):
                ref = getattr(rel, end)
                if ref not in concepts:
                    raise self.error(
                        f"relationship {rel.identifier}",
                        f"its {end} '{ref}' is not an element or relationship of the model.",
                    )

    def item(self, node: ET.Element) -> str | Folder:
        ref = node.get("identifierRef")
        if ref and node.find(_q("item")) is None:
            return ref
        return Folder(
            labels=self.texts(node, "label"),
            documentation=self.texts(node, "documentation"),
            items=[self.item(child) for child in node.findall(_q("item"))],
        )

    def view(self, node: ET.Element, seen: set[str]) -> View:
        identifier = self.identifier(node, "view", seen)
        refs: list[str] = []
        view_refs: list[str] = []
        for child in node.iter():
            for attribute in ("elementRef", "relationshipRef"):
                if child.get(attribute):
                    refs.append(child.get(attribute, ""))
            if child.tag == _q("viewRef") and child.get("ref"):
                view_refs.append(child.get("ref", ""))
        return View(identifier, self.texts(node, "name"), to_xml_text(node), refs, view_refs)


def read_exchange(data: bytes, source: str, *, limit: int = MAX_UPLOAD_BYTES) -> ExchangeModel:
    """Parse an exchange file into an :class:`ExchangeModel`; user errors name the concept."""
    return _Reader(source).read(parse_xml(data, source, limit=limit))


def to_xml_text(node: ET.Element) -> str:
    """A subtree as canonical text: whitespace-only text dropped, default namespace."""
    _register_namespaces()
    copy = deepcopy(node)  # detach (tail) without touching the input
    for child in copy.iter():
        if child.text is not None and not child.text.strip() and len(child):
            child.text = None
        if child.tail is not None and not child.tail.strip():
            child.tail = None
    copy.tail = None
    return ET.tostring(copy, encoding="unicode")


# ----------------------------------------------------------------------------------------- writing


def _texts(parent: ET.Element, tag: str, texts: Iterable[LangText]) -> None:
    for text in texts:
        child = ET.SubElement(parent, _q(tag))
        child.text = text.text
        if text.lang:
            child.set(_LANG, text.lang)


def _properties(parent: ET.Element, properties: list[Property]) -> None:
    if not properties:
        return
    container = ET.SubElement(parent, _q("properties"))
    for prop in properties:
        node = ET.SubElement(container, _q("property"), {"propertyDefinitionRef": prop.definition})
        _texts(node, "value", prop.values or [LangText("")])


def _item(parent: ET.Element, item: str | Folder) -> None:
    if isinstance(item, str):
        ET.SubElement(parent, _q("item"), {"identifierRef": item})
        return
    node = ET.SubElement(parent, _q("item"))
    _texts(node, "label", item.labels)
    _texts(node, "documentation", item.documentation)
    for child in item.items:
        _item(node, child)


def write_exchange(model: ExchangeModel) -> bytes:
    """Serialise a model as an exchange file (UTF-8, indented)."""
    _register_namespaces()
    root = ET.Element(_q("model"), {"identifier": model.identifier})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    if model.version:
        root.set("version", model.version)
    _texts(root, "name", model.names or [LangText(model.identifier)])
    _texts(root, "documentation", model.documentation)
    _properties(root, model.properties)
    if model.metadata_xml:
        root.append(parse_xml(model.metadata_xml.encode(), "stored model metadata"))
    if model.elements:
        container = ET.SubElement(root, _q("elements"))
        for element in model.elements:
            node = ET.SubElement(container, _q("element"), {"identifier": element.identifier})
            node.set(_TYPE, element.type)
            # Junctions and composites may be nameless; every other element needs a name.
            optional = element.type in NAME_OPTIONAL
            _texts(node, "name", element.names or ([] if optional else [LangText("")]))
            _texts(node, "documentation", element.documentation)
            _properties(node, element.properties)
    if model.relationships:
        container = ET.SubElement(root, _q("relationships"))
        for rel in model.relationships:
            attributes = {"identifier": rel.identifier, "source": rel.source, "target": rel.target}
            node = ET.SubElement(container, _q("relationship"), attributes)
            node.set(_TYPE, rel.type)
            if rel.access_type is not None:
                node.set("accessType", rel.access_type)
            if rel.influence_strength is not None:
                node.set("modifier", rel.influence_strength)
            if rel.is_directed is not None:
                node.set("isDirected", "true" if rel.is_directed else "false")
            _texts(node, "name", rel.names)
            _texts(node, "documentation", rel.documentation)
            _properties(node, rel.properties)
    if model.organization is not None and model.organization.items:
        container = ET.SubElement(root, _q("organizations"))
        for item in model.organization.items:
            _item(container, item)
    if model.property_definitions:
        container = ET.SubElement(root, _q("propertyDefinitions"))
        for definition in model.property_definitions:
            attributes = {"identifier": definition.identifier, "type": definition.data_type}
            node = ET.SubElement(container, _q("propertyDefinition"), attributes)
            _texts(node, "name", definition.names or [LangText(definition.identifier)])
    if model.views:
        diagrams = ET.SubElement(ET.SubElement(root, _q("views")), _q("diagrams"))
        for view in model.views:
            diagrams.append(parse_xml(view.xml.encode(), f"stored view {view.identifier}"))
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
