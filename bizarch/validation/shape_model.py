"""What a shapes graph says, read once: which shapes exist, their targets, rule ids and messages.

The SPARQL engine, the pySHACL fallback and incremental validation all need the same facts about
the rule library (which shape is a rule, its id, severity, targets); reading them in one place keeps
the engines from disagreeing about, say, which shape a nested property shape reports under.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH

from bizarch.validation.report import Severity


class Unsupported(Exception):
    """A shape uses a construct the SPARQL engine does not translate (pySHACL checks it)."""


TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class Targets:
    """The target declarations of one shape (SHACL 2.1.3)."""

    classes: tuple[rdflib.term.Node, ...] = ()
    nodes: tuple[rdflib.term.Node, ...] = ()
    subjects_of: tuple[rdflib.term.Node, ...] = ()
    objects_of: tuple[rdflib.term.Node, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.classes or self.nodes or self.subjects_of or self.objects_of)


@dataclass
class ShapesGraph:
    """A parsed shapes graph with the lookups every engine needs."""

    graph: rdflib.Graph
    rule_of: Mapping[rdflib.term.Node, str] | None = None
    """Rule id of each shape when a rule catalogue decides it (see :meth:`rule_id`)."""
    _rule_ids: dict[rdflib.term.Node, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, *sources: str | bytes, fmt: str = "turtle") -> ShapesGraph:
        """Parse Turtle text (never a URL: nothing is fetched)."""
        graph = rdflib.Graph()
        for source in sources:
            graph.parse(data=source, format=fmt)
        return cls(graph)

    # -- shapes ------------------------------------------------------------------------------

    def objects(self, node: rdflib.term.Node, predicate: rdflib.URIRef) -> list[rdflib.term.Node]:
        return list(self._objects.get((node, predicate), ()))

    @cached_property
    def _objects(
        self,
    ) -> dict[tuple[rdflib.term.Node, rdflib.term.Node], tuple[rdflib.term.Node, ...]]:
        """Every (subject, predicate)'s objects in a stable order, read once: compiling the
        rule library asks 16,000 times (0.2 s through rdflib's lookups; the graph is not
        changed once parsed)."""
        found: dict[tuple[rdflib.term.Node, rdflib.term.Node], list[rdflib.term.Node]] = {}
        for subject, predicate, obj in self.graph:
            found.setdefault((subject, predicate), []).append(obj)
        return {key: tuple(sorted(values, key=str)) for key, values in found.items()}

    def value(self, node: rdflib.term.Node, predicate: rdflib.URIRef) -> rdflib.term.Node | None:
        values = self.objects(node, predicate)
        return values[0] if values else None

    def items(self, list_node: rdflib.term.Node) -> list[rdflib.term.Node]:
        return list(Collection(self.graph, list_node))

    def is_property_shape(self, shape: rdflib.term.Node) -> bool:
        return (shape, SH.path, None) in self.graph

    def path(self, shape: rdflib.term.Node) -> rdflib.term.Node | None:
        return self.value(shape, SH.path)

    def targets(self, shape: rdflib.term.Node) -> Targets:
        classes = self.objects(shape, SH.targetClass)
        if self._is_class(shape):
            classes = sorted({*classes, shape}, key=str)
        return Targets(
            classes=tuple(classes),
            nodes=tuple(self.objects(shape, SH.targetNode)),
            subjects_of=tuple(self.objects(shape, SH.targetSubjectsOf)),
            objects_of=tuple(self.objects(shape, SH.targetObjectsOf)),
        )

    def _is_class(self, shape: rdflib.term.Node) -> bool:
        """Implicit class target: the shape is also a class (pySHACL: rdfs:Class or a subclass)."""
        class_types = {RDFS.Class, *self.graph.subjects(RDFS.subClassOf, RDFS.Class)}
        return any(t in class_types for t in self.graph.objects(shape, RDF.type))

    @cached_property
    def all_shapes(self) -> set[rdflib.term.Node]:
        """Every node the shapes graph uses as a shape (shape-expecting positions included)."""
        shapes: set[rdflib.term.Node] = set()
        shapes.update(self.graph.subjects(RDF.type, SH.NodeShape))
        shapes.update(self.graph.subjects(RDF.type, SH.PropertyShape))
        for predicate in TARGET_PREDICATES:
            shapes.update(self.graph.subjects(predicate, None))
        shapes.update(self.graph.subjects(SH.path, None))
        for predicate in (SH.node, SH["not"], SH.property, SH.qualifiedValueShape):
            shapes.update(self.graph.objects(None, predicate))
        for predicate in (SH["and"], SH["or"], SH.xone):
            for list_node in self.graph.objects(None, predicate):
                shapes.update(self.items(list_node))
        return shapes

    def top_level_shapes(self) -> list[rdflib.term.Node]:
        """Shapes that select their own focus nodes (have targets), in a stable order."""
        found = [s for s in self.all_shapes if self.targets(s)]
        return sorted(found, key=lambda s: (self.rule_id(s), str(s)))

    def is_deactivated(self, shape: rdflib.term.Node) -> bool:
        value = self.value(shape, SH.deactivated)
        return isinstance(value, rdflib.Literal) and bool(value.toPython()) is True

    def severity(self, shape: rdflib.term.Node) -> Severity:
        value = self.value(shape, SH.severity)
        if value is None:
            return Severity.VIOLATION
        try:
            return Severity.from_iri(str(value))
        except ValueError:
            return Severity.VIOLATION

    def messages(self, node: rdflib.term.Node) -> list[rdflib.Literal]:
        """``sh:message`` values, English or untagged first."""
        found = [m for m in self.objects(node, SH.message) if isinstance(m, rdflib.Literal)]
        return sorted(found, key=lambda m: (m.language not in (None, "en"), str(m)))

    def parents(self, shape: rdflib.term.Node) -> Iterator[rdflib.term.Node]:
        """Shapes that hold ``shape`` as an ``sh:property``."""
        return iter(sorted(self.graph.subjects(SH.property, shape), key=str))

    def rule_id(self, shape: rdflib.term.Node) -> str:
        """The rule id a finding of ``shape`` is filed under.

        ``dcterms:identifier`` on the shape; for a nested property shape without one, the id of the
        nearest node shape holding it that has one; otherwise the shape's IRI (blank node: its id).
        """
        if self.rule_of is not None and shape in self.rule_of:
            return self.rule_of[shape]
        if shape not in self._rule_ids:
            found = self._find_identifier(shape, set())
            if found is None:
                found = str(shape) if isinstance(shape, rdflib.URIRef) else f"_:{shape}"
            self._rule_ids[shape] = found
        return self._rule_ids[shape]

    def _find_identifier(self, shape: rdflib.term.Node, seen: set[rdflib.term.Node]) -> str | None:
        seen.add(shape)
        identifier = self.value(shape, DCTERMS.identifier)
        if identifier is not None:
            return str(identifier)
        for parent in self.parents(shape):
            if parent not in seen:
                found = self._find_identifier(parent, seen)
                if found is not None:
                    return found
        return None

    def is_ontology_class(self, node: rdflib.term.Node) -> bool:
        return (node, RDF.type, OWL.Class) in self.graph
