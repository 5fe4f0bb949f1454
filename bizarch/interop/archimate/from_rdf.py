"""bizarch RDF (one scenario graph) as an :class:`ExchangeModel`: the inverse mapping.

Imported concepts come back as they were read (identifiers, types, names, properties, folders,
views). Elements and triples made in bizarch go out through the mapping table: the class gives the
type, a relationship rule gives the relationship, literal attributes become properties named by the
attribute's label. What the type alone cannot carry travels in reserved properties (``bizarch:iri``,
``bizarch:class``, ``bizarch:property``) so that a bizarch model survives the trip through Archi.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import unquote

import pyoxigraph as ox

from bizarch.interop.archimate.mapping import load_mapping
from bizarch.interop.archimate.model import (
    NS,
    Element,
    ExchangeModel,
    Folder,
    LangText,
    Property,
    PropertyDefinition,
    Relationship,
    View,
)
from bizarch.interop.archimate.semantics import RelationshipInfo, assign_classes, mapped_triples
from bizarch.interop.archimate.to_rdf import concept_iri, model_base
from bizarch.interop.safety import parse_xml
from bizarch.interop.vocabulary import (
    DCTERMS_DESCRIPTION,
    EXCHANGE_TERMS,
    RDF_TYPE,
    RDFS_LABEL,
    XSD,
    load_vocabulary,
)
from bizarch.namespaces import BA, PREFIXES

_NCNAME = re.compile(r"[^\W\d][\w.\-]*")
_ARCHITECTURE_ELEMENT = BA + "ArchitectureElement"
_DATA_TYPES = {
    XSD + "decimal": "number",
    XSD + "integer": "number",
    XSD + "date": "date",
    XSD + "boolean": "boolean",
}
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _text(term: Term) -> LangText:
    if isinstance(term, ox.Literal):
        return LangText(term.value, term.language)
    return LangText(term.value if isinstance(term, ox.NamedNode) else str(term))


def _position(iri: str) -> tuple[int, ...]:
    tail = iri.rsplit("/", 1)[-1]
    try:
        return tuple(int(part) for part in tail.split("."))
    except ValueError:
        return (1 << 30,)


class _Exporter:
    def __init__(self, triples: Iterable[ox.Triple | ox.Quad], scenario: str) -> None:
        self.table = load_mapping()
        self.vocab = load_vocabulary()
        self.scenario = scenario
        self.warnings: list[str] = []
        self.s: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        blank = 0
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                self.s[t.subject.value][t.predicate.value].append(t.object)
            else:
                blank += 1
        if blank:
            self.warnings.append(f"{blank} triples about blank nodes were not exported.")
        self.used: set[str] = set()
        self.used_by_stored: set[str] = set()
        self.id_of: dict[str, str] = {}

    # --------------------------------------------------------------------------- helpers

    def values(self, subject: str, predicate: str) -> list[Term]:
        return self.s.get(subject, {}).get(predicate, [])

    def one(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return found[0].value if found and not isinstance(found[0], ox.Triple) else None

    def typed(self, cls: str) -> list[str]:
        return sorted(
            s
            for s, props in self.s.items()
            if any(t.value == cls for t in props.get(RDF_TYPE, []) if isinstance(t, ox.NamedNode))
        )

    def classes(self, subject: str) -> set[str]:
        return {t.value for t in self.values(subject, RDF_TYPE) if isinstance(t, ox.NamedNode)}

    def texts(self, subject: str, predicate: str) -> list[LangText]:
        return sorted(
            (_text(t) for t in self.values(subject, predicate)),
            key=lambda t: (t.lang or "", t.text),
        )

    def allocate(self, iri: str, preferred: str | None) -> str:
        """A unique xs:ID for the IRI: its imported identifier if free, else one derived from it."""
        candidates = []
        if preferred:
            candidates.append(preferred)
        if iri.startswith(self.base):
            candidates.append(unquote(iri[len(self.base) :]))
        local = re.split(r"[/#:]", iri.rstrip("/#:"))[-1]
        candidates.append("id-" + re.sub(r"[^\w.\-]", "-", unquote(local)))
        candidates.append("id-" + hashlib.sha1(iri.encode()).hexdigest()[:16])
        for candidate in candidates:
            taken = candidate in self.used or (
                candidate != preferred and candidate in self.used_by_stored
            )
            if _NCNAME.fullmatch(candidate) and not taken:
                self.used.add(candidate)
                self.id_of[iri] = candidate
                return candidate
        raise AssertionError(f"no identifier for {iri}")  # the hash is unique in practice

    # --------------------------------------------------------------------------- model

    def run(self) -> ExchangeModel:
        models = self.typed(BA + "ArchimateModel")
        if len(models) == 1:
            self.model_node: str | None = models[0]
            identifier = self.one(models[0], BA + "archimateId") or "id-bizarch-model"
        else:
            if len(models) > 1:
                self.warnings.append(
                    f"{len(models)} ArchiMate models in this scenario are exported as one."
                )
            self.model_node = None
            identifier = "id-bizarch-" + re.sub(r"[^\w.\-]", "-", self.scenario)
        if not _NCNAME.fullmatch(identifier):
            identifier = "id-" + hashlib.sha1(identifier.encode()).hexdigest()[:16]
        self.model_id = identifier
        self.base = model_base(identifier)
        self.used.add(identifier)
        model = ExchangeModel(identifier)
        if self.model_node:
            model.names = self.texts(self.model_node, RDFS_LABEL)
            model.documentation = self.texts(self.model_node, DCTERMS_DESCRIPTION)
            model.version = self.one(self.model_node, BA + "modelVersion")
            model.metadata_xml = self.one(self.model_node, BA + "modelMetadata")
        if not model.names:
            model.names = [LangText(f"bizarch scenario {self.scenario}")]
        self.reserve_stored_identifiers()
        self.definitions(model)
        elements = self.elements()
        relationships = self.relationships(elements)
        self.native_relationships(elements, relationships)
        self.finish_elements(elements, relationships)
        relationship_ids = {r.identifier for r in relationships}
        self.exported = set(elements) | {
            iri for iri, i in self.id_of.items() if i in relationship_ids
        }
        self.exported_ids = (
            {self.id_of[i] for i in self.exported}
            | {d.identifier for d in self.defs_by_iri.values()}
            | {d.identifier for d in self.new_defs}
        )
        view_list = self.views()
        view_ids = {v.identifier for v in view_list}
        self.exported |= {iri for iri, i in self.id_of.items() if i in view_ids}
        model.elements = [elements[iri] for iri in sorted(elements, key=lambda i: self.id_of[i])]
        model.relationships = relationships
        if self.model_node:
            model.properties = self.properties(self.model_node)
        model.property_definitions = list(self.defs_by_iri.values()) + self.new_defs
        model.organization = self.organization()
        model.views = view_list
        return model

    def reserve_stored_identifiers(self) -> None:
        """Identifiers that must not change: imported ones, and those inside stored view XML."""
        for subject in self.s:
            stored = self.one(subject, BA + "archimateId")
            if stored:
                self.used.add(stored)
            xml = self.one(subject, BA + "viewDefinition")
            if xml:
                self.used.update(re.findall(r'\bidentifier="([^"]+)"', xml))
        self.used_by_stored = set(self.used)
        self.used = {self.model_id}

    def definitions(self, model: ExchangeModel) -> None:
        self.defs_by_iri: dict[str, PropertyDefinition] = {}
        for node in self.typed(BA + "ArchimatePropertyDefinition"):
            identifier = self.allocate(node, self.one(node, BA + "archimateId"))
            self.defs_by_iri[node] = PropertyDefinition(
                identifier,
                self.texts(node, RDFS_LABEL),
                self.one(node, BA + "propertyDataType") or "string",
            )
        self.new_defs: list[PropertyDefinition] = []

    def definition_for(self, key: str, data_type: str = "string") -> str:
        for definition in [*self.defs_by_iri.values(), *self.new_defs]:
            if definition.name == key:
                return definition.identifier
        identifier = self.fresh("propid-bizarch-")
        self.new_defs.append(PropertyDefinition(identifier, [LangText(key)], data_type))
        return identifier

    def fresh(self, prefix: str) -> str:
        n = 1
        while f"{prefix}{n}" in self.used or f"{prefix}{n}" in self.used_by_stored:
            n += 1
        self.used.add(f"{prefix}{n}")
        return f"{prefix}{n}"

    # --------------------------------------------------------------------------- elements

    def elements(self) -> dict[str, Element]:
        found: dict[str, Element] = {}
        self.primary: dict[str, str] = {}
        self.asserted: dict[str, list[str]] = {}
        candidates = []
        for subject in self.s:
            classes = [
                c for c in self.classes(subject) if self.vocab.is_subclass(c, _ARCHITECTURE_ELEMENT)
            ]
            if not classes:
                continue
            specific = [
                c for c in self.vocab.most_specific(set(classes)) if c in self.table.export_types
            ]
            kind = self.one(subject, BA + "archimateType")
            if not specific and not kind:
                self.warnings.append(f"{subject}: no ArchiMate type for its classes; not exported.")
                continue
            primary = specific[0] if specific else self.table.default_class(kind or "")
            candidates.append((subject, kind or self.table.export_types[primary], primary))
            self.asserted[subject] = sorted(classes)
        # Imported identifiers first, so a native element never takes an imported one.
        candidates.sort(key=lambda c: (self.one(c[0], BA + "archimateId") is None, c[0]))
        for subject, kind, primary in candidates:
            identifier = self.allocate(subject, self.one(subject, BA + "archimateId"))
            found[subject] = Element(
                identifier,
                kind,
                self.texts(subject, RDFS_LABEL),
                self.texts(subject, DCTERMS_DESCRIPTION),
            )
            self.primary[subject] = primary
        return found

    def keys(self, subject: str, kind: str) -> frozenset[str]:
        return frozenset({kind, self.primary[subject], *self.asserted[subject]})

    def relationships(self, elements: dict[str, Element]) -> list[Relationship]:
        nodes = self.typed(BA + "ArchimateRelationship")
        for node in nodes:
            self.allocate(node, self.one(node, BA + "archimateId"))
        found = []
        for node in nodes:
            source, target = self.one(node, BA + "source"), self.one(node, BA + "target")
            if source not in self.id_of or target not in self.id_of:
                self.warnings.append(
                    f"relationship {self.id_of[node]}: an end is not in this scenario; "
                    "not exported."
                )
                continue
            directed = self.one(node, BA + "isDirected")
            rel = Relationship(
                self.id_of[node],
                self.one(node, BA + "relationshipType") or "Association",
                self.texts(node, RDFS_LABEL),
                self.texts(node, DCTERMS_DESCRIPTION),
                self.properties(node),
                source=self.id_of[source],
                target=self.id_of[target],
                access_type=self.one(node, BA + "accessType"),
                influence_strength=self.one(node, BA + "influenceStrength"),
                is_directed=None if directed is None else directed == "true",
            )
            found.append(rel)
        return found

    def infos(self, relationships: list[Relationship]) -> list[RelationshipInfo]:
        property_key = self.table.reserved["property"]
        names = {d.identifier: d.name for d in [*self.defs_by_iri.values(), *self.new_defs]}
        infos = []
        for rel in relationships:
            prop = next(
                (
                    p.values[0].text
                    for p in rel.properties
                    if names.get(p.definition) == property_key and p.values
                ),
                None,
            )
            prop_iri = BA + prop[3:] if prop and prop.startswith("ba:") else prop
            infos.append(
                RelationshipInfo(
                    rel.identifier, rel.type, rel.source, rel.target, rel.name or None, prop_iri
                )
            )
        return infos

    def native_relationships(
        self, elements: dict[str, Element], relationships: list[Relationship]
    ) -> None:
        iri_of_id = {identifier: iri for iri, identifier in self.id_of.items()}
        keys = {e.identifier: self.keys(iri, e.type) for iri, e in elements.items()}
        expected = {
            (iri_of_id[s], p, iri_of_id[o])
            for s, p, o in mapped_triples(keys, self.infos(relationships), self.table)
        }
        for subject in sorted(elements):
            for prop in sorted(self.vocab.relationship_properties & self.s[subject].keys()):
                for obj in sorted(
                    {o.value for o in self.s[subject][prop] if isinstance(o, ox.NamedNode)}
                ):
                    if obj not in elements or (subject, prop, obj) in expected:
                        continue
                    relationships.append(self.relationship_for(subject, prop, obj, elements, keys))

    def relationship_for(
        self,
        subject: str,
        prop: str,
        obj: str,
        elements: dict[str, Element],
        keys: dict[str, frozenset[str]],
    ) -> Relationship:
        identifier = "id-" + hashlib.sha1(f"{subject} {prop} {obj}".encode()).hexdigest()[:20]
        self.used.add(identifier)
        for rule in self.table.rules_for_property(prop):
            source, target = (subject, obj) if rule.subject == "source" else (obj, subject)
            sk, tk = keys[elements[source].identifier], keys[elements[target].identifier]
            if self.table.rule_for(rule.type, sk, tk, rule.name) is rule:
                names = [LangText(rule.name)] if rule.name else []
                return Relationship(
                    identifier,
                    rule.type,
                    names,
                    source=elements[source].identifier,
                    target=elements[target].identifier,
                )
        definition = self.definition_for(self.table.reserved["property"])
        return Relationship(
            identifier,
            "Association",
            [LangText(self.vocab.labels.get(prop, curie(prop)))],
            properties=[Property(definition, [LangText(curie(prop))])],
            source=elements[subject].identifier,
            target=elements[obj].identifier,
            is_directed=True,
        )

    def finish_elements(
        self, elements: dict[str, Element], relationships: list[Relationship]
    ) -> None:
        types = {e.identifier: e.type for e in elements.values()}
        assigned = assign_classes(types, self.infos(relationships), self.table)
        for iri, element in elements.items():
            element.properties = self.properties(iri)
            if iri != concept_iri(self.model_id, element.identifier):
                element.properties.append(
                    Property(self.definition_for(self.table.reserved["iri"]), [LangText(iri)])
                )
            primary, asserted = self.primary[iri], self.asserted[iri]
            if {assigned[element.identifier]} != {primary, *asserted}:
                named = [primary, *(c for c in asserted if c != primary)]
                element.properties.append(
                    Property(
                        self.definition_for(self.table.reserved["class"]),
                        [LangText(" ".join(curie(c) for c in named))],
                    )
                )
            element.properties.extend(self.attribute_properties(iri, element))

    def attribute_properties(self, iri: str, element: Element) -> list[Property]:
        names = {d.identifier: d.name for d in [*self.defs_by_iri.values(), *self.new_defs]}
        covered_iris = set()
        for prop in element.properties:
            attribute = self.vocab.attribute_for_key(names.get(prop.definition, ""))
            if attribute is not None:
                covered_iris.add(attribute.iri)
        found = []
        for predicate in sorted(self.s[iri]):
            if (
                predicate in (RDF_TYPE, RDFS_LABEL, DCTERMS_DESCRIPTION)
                or predicate in EXCHANGE_TERMS
            ):
                continue
            if predicate in self.vocab.relationship_properties or predicate in covered_iris:
                continue
            attribute = self.vocab.attributes.get(predicate)
            values = self.s[iri][predicate]
            if attribute is not None:
                key = attribute.label
                data_type = _DATA_TYPES.get(attribute.datatype or "", "string")
                texts = [
                    self.vocab.labels.get(v.value, v.value) if attribute.code_list else v.value
                    for v in values
                    if not isinstance(v, ox.Triple)
                ]
            elif predicate.startswith(BA):
                continue
            else:
                key, data_type = curie(predicate), "string"
                texts = [v.value for v in values if not isinstance(v, ox.Triple)]
            definition = self.definition_for(key, data_type)
            found.extend(Property(definition, [LangText(text)]) for text in sorted(texts))
        return found

    def properties(self, owner: str) -> list[Property]:
        nodes = sorted(
            (n.value for n in self.values(owner, BA + "hasArchimateProperty")), key=_position
        )
        found = []
        for node in nodes:
            definition = self.one(node, BA + "propertyDefinition")
            if definition not in self.defs_by_iri:
                continue
            found.append(
                Property(
                    self.defs_by_iri[definition].identifier, self.texts(node, BA + "propertyValue")
                )
            )
        return found

    # --------------------------------------------------------------------------- folders, views

    def organization(self) -> Folder | None:
        folders = self.typed(BA + "ArchimateFolder")
        if not folders:
            return None
        members = {m.value for f in folders for m in self.values(f, BA + "folderMember")}
        roots = [f for f in folders if f not in members]
        root = Folder()
        for node in roots:
            root.items.extend(self.folder(node, set(folders)).items)
        return root

    def folder(self, node: str, folders: set[str]) -> Folder:
        folder = Folder(self.texts(node, RDFS_LABEL), self.texts(node, DCTERMS_DESCRIPTION))
        members = [m.value for m in self.values(node, BA + "folderMember")]
        for child in sorted((m for m in members if m in folders), key=_position):
            folder.items.append(self.folder(child, folders))
        refs = sorted(
            self.id_of[m]
            for m in members
            if m not in folders and m in self.id_of and m in self.exported
        )
        folder.items.extend(refs)
        return folder

    def views(self) -> list[View]:
        found = []
        for node in self.typed(BA + "ArchimateView"):
            xml = self.one(node, BA + "viewDefinition")
            identifier = self.one(node, BA + "archimateId")
            if not xml or not identifier:
                continue
            root = parse_xml(xml.encode(), f"stored view {identifier}")
            refs = set()
            for child in root.iter():
                for attribute in ("elementRef", "relationshipRef", "propertyDefinitionRef"):
                    if child.get(attribute):
                        refs.add(child.get(attribute))
                if child.tag == f"{{{NS}}}viewRef" and child.get("ref"):
                    refs.add(child.get("ref"))
            found.append((node, identifier, xml, refs))
        known = {e for e in self.exported_ids} | {f[1] for f in found}
        views = []
        for node, identifier, xml, refs in found:
            missing = sorted(r for r in refs if r not in known)
            if missing or self.allocate(node, identifier) != identifier:
                self.warnings.append(
                    f"view {identifier}: refers to "
                    f"{', '.join(missing[:5]) or 'renamed concepts'} not exported; view left out."
                )
                continue
            views.append(View(identifier, self.texts(node, RDFS_LABEL), xml))
        return views


def graph_to_model(
    triples: Iterable[ox.Triple | ox.Quad], scenario: str
) -> tuple[ExchangeModel, list[str]]:
    """The exchange model of a scenario graph's triples, and warnings about what was left out."""
    exporter = _Exporter(triples, scenario)
    return exporter.run(), exporter.warnings
