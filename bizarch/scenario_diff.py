"""What differs between two scenario graphs, in an architect's words.

Two SPARQL queries give the triples only in A and only in B (``queries/scenarios/
triples-only-in.rq``, graph IRIs bound as terms); the engine's anti-join does the heavy work, so
only the differences (usually a small share of a model) cross into Python. Here they are grouped
by element and turned into sentences with labels:

* an element (a typed IRI) present in only one scenario is *added* or *removed*;
* a triple whose object is another element is a *relationship* (added or removed);
* any other differing triple of an element in both scenarios is an *attribute change*
  ("Application 'Legacy Claims' lifecycle status changed from active to phase-out").

Left out: the scenario descriptions, measurements (observations, not design) and triples with
blank nodes (they cannot be matched across graphs). Numerically equal literals written
differently (``10`` and ``10.0``) are not reported as changes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import Literal, NamedNode

from bizarch.metrics import _catalogue
from bizarch.metrics.facts import RDF_TYPE, best_label, local_name, to_decimal
from bizarch.metrics.units import format_number, signed
from bizarch.namespaces import BA
from bizarch.repository import ALL
from bizarch.store.base import GraphStore, Term

DURATION_PROPERTIES = {
    BA + p for p in ("leadTime", "processTime", "cycleTime", "waitTime", "availableTimePerDay")
}
MONEY_PROPERTIES = {BA + p for p in ("annualCost", "costPerTransaction", "budget")}
PERCENT_PROPERTIES = {BA + "percentCompleteAccurate"}
DEFAULT_CURRENCY = "EUR"
_ORDINAL = {BA + p for p in ("position", "tier", "currentMaturity", "targetMaturity")}


@dataclass(frozen=True)
class ElementRef:
    """An element as a reader knows it: its kind and label."""

    iri: str
    kind: str
    label: str

    def __str__(self) -> str:
        return f"{self.kind} '{self.label}'"


@dataclass(frozen=True)
class AttributeChange:
    """One property of an element whose values differ between the scenarios."""

    element: ElementRef
    property: str
    property_label: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class RelationshipChange:
    """A relationship (element to element) present in only one of the scenarios."""

    change: str
    source: ElementRef
    property: str
    property_label: str
    target: ElementRef
    sentence: str


@dataclass
class ElementChange:
    """An element added, removed, or changed (with its attribute changes)."""

    element: ElementRef
    change: str
    attributes: list[AttributeChange] = field(default_factory=list)


@dataclass
class TripleDiff:
    """The model differences between a base and a target scenario graph."""

    added: list[ElementChange] = field(default_factory=list)
    removed: list[ElementChange] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)
    relationships_added: list[RelationshipChange] = field(default_factory=list)
    relationships_removed: list[RelationshipChange] = field(default_factory=list)
    triples_added: int = 0
    triples_removed: int = 0


@dataclass
class _Element:
    types: set[str] = field(default_factory=set)
    labels: list[Term] = field(default_factory=list)
    unit_labels: list[Term] = field(default_factory=list)
    currency: str | None = None


@dataclass
class Vocabulary:
    """Labels and direct superclasses of the ontology's terms."""

    labels: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)
    supers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or local_name(iri)

    def property_label(self, iri: str) -> str:
        """Short label where the ontology gives one ("%C&A"), else the label."""
        return self.short.get(iri) or self.label(iri)

    def kind(self, types: set[str]) -> str:
        """Capitalised short label of the most specific known type ("Stage", "Application")."""
        known = [t for t in types if t in self.labels]
        if not known:
            return "Element"
        specific = [t for t in known if not any(t in self.supers.get(o, ()) for o in known)]
        chosen = sorted(specific or known, key=lambda t: (not t.startswith(BA), t))[0]
        text = self.short.get(chosen) or self.labels[chosen]
        return text[:1].upper() + text[1:]


def read_vocabulary(store: GraphStore) -> Vocabulary:
    vocab = Vocabulary()
    labels: dict[str, list[Term]] = defaultdict(list)
    short: dict[str, list[Term]] = defaultdict(list)
    for term, label, alt, sup in _catalogue.run_select(
        store, "scenarios/vocabulary-labels", scenario=ALL
    ).rows:
        labels[term.value].append(label)
        if alt is not None:
            short[term.value].append(alt)
        if sup is not None:
            vocab.supers[term.value].add(sup.value)
    vocab.labels = {k: best_label(v, local_name(k)) for k, v in labels.items()}
    vocab.short = {k: best_label(v, "") for k, v in short.items() if best_label(v, "")}
    return vocab


def read_elements(store: GraphStore, graph: str) -> dict[str, _Element]:
    elements: dict[str, _Element] = {}
    rows = _catalogue.run_select(
        store, "scenarios/elements", {"graph": NamedNode(graph)}, scenario=ALL
    ).rows
    for _g, type_, element, label, _unit, unit_label, currency in rows:
        info = elements.setdefault(element.value, _Element())
        info.types.add(type_.value)
        if label is not None and label not in info.labels:
            info.labels.append(label)
        if unit_label is not None and unit_label not in info.unit_labels:
            info.unit_labels.append(unit_label)
        if isinstance(currency, Literal):
            info.currency = currency.value.strip().upper()
    return elements


def _measurements(store: GraphStore, graph: str) -> set[str]:
    params = {"graph": NamedNode(graph)}
    rows = _catalogue.run_select(store, "scenarios/measurements-in", params, scenario=ALL).rows
    return {m.value for _g, m in rows}


def _only_in(store: GraphStore, graph: str, other: str) -> list[tuple[str, str, Term]]:
    """Triples of ``graph`` missing from ``other``, without those of measurements."""
    params = {"inGraph": NamedNode(graph), "notInGraph": NamedNode(other)}
    rows = _catalogue.run_select(store, "scenarios/triples-only-in", params, scenario=ALL).rows
    skip = _measurements(store, graph)
    return [(s.value, p.value, o) for _a, _b, s, p, o in rows if s.value not in skip]


class _Renderer:
    """Turns terms into words, knowing both scenarios' element catalogues."""

    def __init__(self, vocab: Vocabulary, before: dict, after: dict) -> None:
        self.vocab, self.before, self.after = vocab, before, after

    def ref(self, iri: str, prefer_after: bool = True) -> ElementRef:
        order = (self.after, self.before) if prefer_after else (self.before, self.after)
        info = next((side[iri] for side in order if iri in side), _Element())
        return ElementRef(
            iri, self.vocab.kind(info.types), best_label(info.labels, local_name(iri))
        )

    def is_element(self, term: Term) -> bool:
        return isinstance(term, NamedNode) and (
            term.value in self.before or term.value in self.after
        )

    def value(self, element: str, prop: str, term: Term, side: dict) -> str:
        if isinstance(term, NamedNode):
            return self.vocab.label(term.value)
        if not isinstance(term, Literal):
            return str(term)
        info = side.get(element, _Element())
        try:
            number = to_decimal(term)
        except ValueError:
            number = None
        if number is None:
            textual = term.language or term.datatype.value.endswith(("#string", "#langString"))
            return f"'{term.value}'" if textual else term.value
        shown = format_number(number)
        if prop in DURATION_PROPERTIES:
            unit = best_label(info.unit_labels, "")
            if unit:
                plural = unit if number == 1 or unit.endswith("s") else unit + "s"
                return f"{shown} {plural}"
            return f"{shown} (no time unit)"
        if prop in MONEY_PROPERTIES:
            return f"{shown} {info.currency or DEFAULT_CURRENCY}"
        if prop in PERCENT_PROPERTIES:
            return f"{shown} %"
        return shown


def _same_value(a: Term, b: Term) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        try:
            return to_decimal(a) == to_decimal(b)
        except ValueError:
            return a.value == b.value and a.language == b.language and a.datatype == b.datatype
    return a == b


def _numbers(terms: list[Term]) -> Decimal | None:
    if len(terms) != 1:
        return None
    try:
        return to_decimal(terms[0])
    except ValueError:
        return None


def diff_graphs(store: GraphStore, base: str, target: str) -> TripleDiff:
    """The differences between two scenario graphs (graph IRIs), grouped and worded."""
    vocab = read_vocabulary(store)
    before, after = read_elements(store, base), read_elements(store, target)
    removed_triples = _only_in(store, base, target)
    added_triples = _only_in(store, target, base)
    words = _Renderer(vocab, before, after)
    diff = TripleDiff(triples_added=len(added_triples), triples_removed=len(removed_triples))

    added_elements = sorted(set(after) - set(before))
    removed_elements = sorted(set(before) - set(after))
    diff.added = [ElementChange(words.ref(e), "added") for e in added_elements]
    diff.removed = [ElementChange(words.ref(e, False), "removed") for e in removed_elements]

    attributes: dict[tuple[str, str], dict[str, list[Term]]] = defaultdict(
        lambda: {"before": [], "after": []}
    )
    for triples, side, bucket in (
        (removed_triples, "before", diff.relationships_removed),
        (added_triples, "after", diff.relationships_added),
    ):
        for s, p, o in triples:
            if p != RDF_TYPE and words.is_element(o):
                source = words.ref(s, side == "after")
                target_ref = words.ref(o.value, side == "after")
                label = vocab.property_label(p)
                verb = "added" if side == "after" else "removed"
                bucket.append(
                    RelationshipChange(
                        verb,
                        source,
                        p,
                        label,
                        target_ref,
                        f"{source} {label} {target_ref} ({verb})",
                    )
                )
            elif s in before and s in after:
                attributes[(s, p)][side].append(o)
    for bucket in (diff.relationships_added, diff.relationships_removed):
        bucket.sort(key=lambda r: (r.source.kind, r.source.label, r.property_label, r.target.label))

    changed: dict[str, ElementChange] = {}
    for (s, p), values in sorted(attributes.items()):
        old, new = values["before"], values["after"]
        old = [o for o in old if not any(_same_value(o, n) for n in new)]
        new = [n for n in new if not any(_same_value(o, n) for o in values["before"])]
        if not old and not new:
            continue
        element = words.ref(s)
        prop_label = "type" if p == RDF_TYPE else vocab.property_label(p)
        old_words = tuple(words.value(s, p, o, before) for o in old)
        new_words = tuple(words.value(s, p, n, after) for n in new)
        if len(old_words) == 1 and len(new_words) == 1:
            sentence = f"{element} {prop_label} changed from {old_words[0]} to {new_words[0]}"
            a, b = _numbers(old), _numbers(new)
            same_unit = p not in DURATION_PROPERTIES or (
                best_label(before[s].unit_labels, "") == best_label(after[s].unit_labels, "")
            )
            if a is not None and b is not None and p in PERCENT_PROPERTIES:
                sentence += f" ({signed(b - a)} points)"
            elif a is not None and b is not None and a != 0 and same_unit and p not in _ORDINAL:
                sentence += f" ({signed((b - a) / a * 100, 1)} %)"
        elif not old_words:
            sentence = f"{element} {prop_label} set to {', '.join(new_words)}"
        elif not new_words:
            sentence = f"{element} {prop_label} {', '.join(old_words)} removed"
        else:
            sentence = (
                f"{element} {prop_label}: {', '.join(new_words)} added; "
                f"{', '.join(old_words)} removed"
            )
        entry = changed.setdefault(s, ElementChange(element, "changed"))
        entry.attributes.append(
            AttributeChange(element, p, prop_label, old_words, new_words, sentence)
        )
    for rel in diff.relationships_added + diff.relationships_removed:
        s = rel.source.iri
        if s in before and s in after:
            changed.setdefault(s, ElementChange(rel.source, "changed"))
    diff.changed = sorted(changed.values(), key=lambda c: (c.element.kind, c.element.label))
    diff.added.sort(key=lambda c: (c.element.kind, c.element.label))
    diff.removed.sort(key=lambda c: (c.element.kind, c.element.label))
    return diff
