"""Describe one element: label, types, definition, statements both ways, RDF description."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.browse import _run
from bizarch.browse._run import Store
from bizarch.browse.terms import curie, local_name
from bizarch.errors import NotFoundError
from bizarch.namespaces import BA
from bizarch.store.base import SelectResult, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
DEFINITIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)
INCOMING_CAP = 1000  # element-incoming.rq returns at most INCOMING_CAP + 1 rows


@dataclass(frozen=True)
class Ref:
    """A resource with the name to show for it."""

    term: ox.NamedNode | ox.BlankNode
    label: str

    @property
    def iri(self) -> str:
        return self.term.value


@dataclass
class Statement:
    """One property with all its values (resources as :class:`Ref`, literals as they are)."""

    property: Ref
    values: list[Ref | ox.Literal] = field(default_factory=list)


@dataclass
class ElementDescription:
    element: ox.NamedNode
    label: str
    types: list[Ref]
    definition: ox.Literal | None
    outgoing: list[Statement]
    incoming: list[Statement]
    incoming_truncated: bool
    scenario: str | None
    kinds: dict[str, str] = field(default_factory=dict)
    """Related resource IRI -> the local name of one of its types (for colouring the graph)."""


def _ref(term: Term, label: Term | None) -> Ref:
    assert isinstance(term, ox.NamedNode | ox.BlankNode)
    if label is not None:
        return Ref(term, label.value)
    return Ref(term, curie(term.value) if isinstance(term, ox.NamedNode) else "_:" + term.value)


def describe(store: Store, element: ox.NamedNode, scenario: str | None) -> ElementDescription:
    """Everything the element page shows; :class:`NotFoundError` when nothing mentions it."""
    params = {"element": element}
    out = _run.run(store, "web/element-outgoing", params, scenario=scenario)
    inc = _run.run(store, "web/element-incoming", params, scenario=scenario)
    assert isinstance(out, SelectResult) and isinstance(inc, SelectResult)
    if not out.rows and not inc.rows:
        where = f"scenario '{scenario}'" if scenario and scenario != "*" else "the store"
        raise NotFoundError(
            f"Nothing in {where} is about <{element.value}>.",
            hint="Check the IRI, or pick another scenario.",
        )
    outgoing: dict[str, Statement] = {}
    seen: set[tuple[str, str]] = set()
    labels: list[str] = []
    definitions: list[ox.Literal] = []
    types: dict[str, Ref] = {}
    kinds: dict[str, str] = {}
    for row in out.dicts():
        prop, value = row["property"], row["value"]
        assert isinstance(prop, ox.NamedNode) and value is not None
        if prop.value in LABELS and isinstance(value, ox.Literal):
            labels.append(value.value)
        if prop.value in DEFINITIONS and isinstance(value, ox.Literal):
            definitions.append(value)
        key = (prop.value, str(value))
        if key in seen:  # a second label of the same value: keep the first
            continue
        seen.add(key)
        statement = outgoing.setdefault(prop.value, Statement(_ref(prop, row["propertyLabel"])))
        if isinstance(value, ox.Literal):
            statement.values.append(value)
        else:
            ref = _ref(value, row["valueLabel"])
            statement.values.append(ref)
            if isinstance(row["valueType"], ox.NamedNode):
                kinds.setdefault(ref.iri, local_name(row["valueType"].value))
            if prop.value == RDF_TYPE:
                types.setdefault(ref.iri, ref)
    incoming: dict[str, Statement] = {}
    seen.clear()
    for row in inc.rows[:INCOMING_CAP]:
        values = dict(zip(inc.variables, row, strict=True))
        prop, subject = values["property"], values["subject"]
        assert isinstance(prop, ox.NamedNode) and subject is not None
        if isinstance(values["subjectType"], ox.NamedNode):
            kinds.setdefault(subject.value, local_name(values["subjectType"].value))
        key = (prop.value, str(subject))
        if key in seen:
            continue
        seen.add(key)
        statement = incoming.setdefault(prop.value, Statement(_ref(prop, values["propertyLabel"])))
        statement.values.append(_ref(subject, values["subjectLabel"]))
    return ElementDescription(
        element=element,
        label=labels[0] if labels else local_name(element.value),
        types=list(types.values()),
        definition=definitions[0] if definitions else None,
        outgoing=list(outgoing.values()),
        incoming=list(incoming.values()),
        incoming_truncated=len(inc.rows) > INCOMING_CAP,
        scenario=scenario,
        kinds=kinds,
    )


def description_triples(
    store: Store, element: ox.NamedNode, scenario: str | None
) -> list[ox.Triple]:
    """The element's RDF description (statements about it and pointing at it)."""
    triples = _run.run(store, "web/element-description", {"element": element}, scenario=scenario)
    assert isinstance(triples, list)
    if not triples:
        raise NotFoundError(f"Nothing in the store is about <{element.value}>.")
    return triples


GRAPH_LIMIT = 60  # neighbours drawn around an element; the tables below list all of them


def neighbourhood(description: ElementDescription) -> tuple[list[Ref], list[tuple[str, str, str]]]:
    """The element's related resources (both directions; types and code-list values left out) as
    nodes and labelled
    edges ``(source IRI, target IRI, property label)``, for the element page's graph."""
    nodes: dict[str, Ref] = {description.element.value: Ref(description.element, description.label)}
    edges: list[tuple[str, str, str]] = []
    for statements, outgoing in ((description.outgoing, True), (description.incoming, False)):
        for statement in statements:
            if statement.property.iri == RDF_TYPE:
                continue
            for value in statement.values:
                if not isinstance(value, Ref) or not isinstance(value.term, ox.NamedNode):
                    continue
                if value.iri.startswith(BA):  # code-list values (lifecycle, level): attributes
                    continue
                if value.iri not in nodes and len(nodes) > GRAPH_LIMIT:
                    continue
                nodes.setdefault(value.iri, value)
                pair = (description.element.value, value.iri)
                source, target = pair if outgoing else pair[::-1]
                edges.append((source, target, statement.property.label))
    return list(nodes.values()), edges
