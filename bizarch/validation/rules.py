"""The rule library: the SHACL shapes in ``shapes/`` read as rules with ids, areas and severities.

Why a catalogue on top of the shapes: users select rules by area or id (``--rules value-stream`` or
``--rules VS-003,CAP-002``), reports show a rule's label and source, the rule table in
``shapes/README.md`` is generated from it, and every engine (pySHACL, the SPARQL engine) gets the
same selection as a :class:`RuleSet`.

Conventions the loader relies on (checked by tests):

- each ``shapes/<area>.ttl`` file holds the rules of one area; ``shapes/prefixes.ttl`` holds the
  ``sh:declare`` prefixes of SPARQL-based rules and is part of every selection;
- a rule is a top-level shape with ``dcterms:identifier`` (its IRI ends in the same id), a
  ``sh:severity``, an ``sh:message``, an ``rdfs:label`` and a ``dcterms:source``; the property
  shapes nested in it (``sh:property``) report under the rule's id;
- ``shapes/reference/<name>.ttl`` holds reference data a rule reads from the data graph (e.g. the
  ArchiMate relationship table); a rule names it with ``dcterms:requires
  <https://w3id.org/bizarch/shapes/<name>>``, and engines add it to the data graph.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS

from bizarch import resources
from bizarch.errors import RdfSyntaxError, UserInputError
from bizarch.namespaces import REFERENCE_BASE
from bizarch.validation.report import Severity
from bizarch.validation.terms import to_rdflib

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SHAPES_NS = "https://w3id.org/bizarch/shapes#"
PREFIXES_FILE = "prefixes.ttl"

#: Display order of the areas (files); areas not listed follow alphabetically.
AREA_ORDER = (
    "structure",
    "value-stream",
    "capability",
    "strategy",
    "operations",
    "technology",
    "archimate",
    "hygiene",
)

RULE_ID = re.compile(r"^[A-Z]{2,4}-\d{3}$")


@dataclass(frozen=True)
class Rule:
    """One modelling rule: a shape with an id, a severity and words for the architect."""

    id: str
    area: str
    severity: Severity
    label: str
    message: str
    source: str
    shape: str
    requires: tuple[str, ...] = ()


@dataclass
class RuleSet:
    """A selection of rules with everything an engine needs to run them.

    ``shapes`` holds the selected rule shapes (and what they reference: nested shapes, lists,
    prefix declarations); ``shape_rule`` maps every shape node of the selection (including nested
    blank-node property shapes) to its rule id; ``reference`` is the reference data the rules read
    from the data graph, read from ``reference_files`` on first use (the SPARQL engine never
    needs it in rdflib, and the ArchiMate table alone is 13,000 triples); ``digest`` names the
    shapes' content, so engines can keep what they compiled from it.
    """

    rules: list[Rule]
    shapes: rdflib.Graph
    shape_rule: dict[rdflib.term.Node, str]
    reference_files: tuple[Path, ...] = ()
    digest: str | None = None
    _reference: rdflib.Graph | None = field(default=None, init=False, repr=False)

    @property
    def reference(self) -> rdflib.Graph:
        if self._reference is None:
            graph = rdflib.Graph()
            for path in self.reference_files:
                graph.addN((s, p, o, graph) for s, p, o in _parse(path))
            self._reference = graph
        return self._reference

    @property
    def ids(self) -> list[str]:
        return [rule.id for rule in self.rules]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


class RuleLibrary:
    """All rules of a shapes folder (default: the packaged ``shapes/``)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or resources.shapes_dir()
        self.rules: dict[str, Rule] = {}
        self._graphs: dict[str, rdflib.Graph] = {}
        self._prefixes = rdflib.Graph()
        self._reference: dict[str, Path] = {}
        self._sources: dict[str, str] = {}
        self._load()

    # -- reading ---------------------------------------------------------------------------------

    def _load(self) -> None:
        files = sorted(self.directory.glob("*.ttl"), key=lambda p: _area_rank(p.stem))
        for path in files:
            graph = _parse(path)
            self._sources[path.stem] = _stamp(path)
            if path.name == PREFIXES_FILE:
                self._prefixes = graph
                continue
            self._graphs[path.stem] = graph
            for rule in _rules_of(graph, path.stem):
                if rule.id in self.rules:
                    raise ValueError(f"rule id {rule.id} is defined twice ({path.name})")
                self.rules[rule.id] = rule
        for path in sorted((self.directory / "reference").glob("*.ttl")):
            self._reference[REFERENCE_BASE + path.stem] = path

    @property
    def areas(self) -> list[str]:
        return list(self._graphs)

    def area_rules(self, area: str) -> list[Rule]:
        return [rule for rule in self.rules.values() if rule.area == area]

    # -- selecting -------------------------------------------------------------------------------

    def resolve(self, selection: str | Iterable[str] | None) -> list[Rule]:
        """Rules named by a selection: ``None``/``"all"``, areas, id prefixes or ids (any case).

        ``"value-stream"`` selects an area, ``"VS"`` every ``VS-*`` rule, ``"VS-003"`` one rule;
        tokens may be comma-separated. An unknown token is a user error naming what exists.
        """
        if selection is None:
            return list(self.rules.values())
        tokens = selection.split(",") if isinstance(selection, str) else list(selection)
        tokens = [t.strip() for t in tokens if t.strip()]
        if not tokens or any(t.lower() == "all" for t in tokens):
            return list(self.rules.values())
        chosen: dict[str, Rule] = {}
        for token in tokens:
            matched = self._match(token)
            if not matched:
                raise UserInputError(
                    f"No rule or area '{token}'.",
                    hint=f"Areas: {', '.join(self.areas)}; or give rule ids such as "
                    f"{next(iter(self.rules), 'VS-001')} (see shapes/README.md).",
                )
            for rule in matched:
                chosen[rule.id] = rule
        return [rule for rule in self.rules.values() if rule.id in chosen]

    def _match(self, token: str) -> list[Rule]:
        lowered = token.lower()
        if lowered in self._graphs:
            return self.area_rules(lowered)
        upper = token.upper()
        if upper in self.rules:
            return [self.rules[upper]]
        return [rule for rule in self.rules.values() if rule.id.split("-")[0] == upper]

    def select(self, selection: str | Iterable[str] | None = None) -> RuleSet:
        """The :class:`RuleSet` for a selection (see :meth:`resolve`)."""
        return self.ruleset(self.resolve(selection))

    def ruleset(self, rules: list[Rule]) -> RuleSet:
        shapes = rdflib.Graph()
        for prefix, namespace in self._prefixes.namespaces():
            shapes.bind(prefix, namespace)
        for triple in self._prefixes:
            shapes.add(triple)
        shape_rule: dict[rdflib.term.Node, str] = {}
        for rule in rules:
            source = self._graphs[rule.area]
            for node in _closure(source, rdflib.URIRef(rule.shape), shapes):
                shape_rule.setdefault(node, rule.id)
        reference: list[Path] = []
        for required in sorted({r for rule in rules for r in rule.requires}):
            if required not in self._reference:
                raise ValueError(f"rule needs reference data {required}, not in shapes/reference/")
            reference.append(self._reference[required])
        # the files read (as cached by _parse: same stamps, same graphs and blank nodes) and the
        # rules chosen from them determine the shapes graph
        stamps = [self._sources.get(PREFIXES_FILE[:-4], "")]
        stamps += sorted({self._sources[rule.area] for rule in rules})
        stamps += [rule.id for rule in rules]
        digest = hashlib.sha256("\n".join(stamps).encode("utf-8")).hexdigest()
        return RuleSet(
            rules=rules,
            shapes=shapes,
            shape_rule=shape_rule,
            reference_files=tuple(reference),
            digest=digest,
        )


def _area_rank(stem: str) -> tuple[int, str]:
    return (AREA_ORDER.index(stem) if stem in AREA_ORDER else len(AREA_ORDER), stem)


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{path.resolve()} {stat.st_mtime_ns} {stat.st_size}"


def _parse(path: Path) -> rdflib.Graph:
    return _parse_cached(path, path.stat().st_mtime_ns)


@cache
def _parse_cached(path: Path, _mtime: int) -> rdflib.Graph:
    """The Turtle file as an rdflib graph, read by Oxigraph's parser.

    rdflib's own Turtle parser needed 2 s for the shapes folder in every new process; Oxigraph
    reads it in milliseconds and the triples are converted in bulk (same terms, same prefixes).
    """
    graph = rdflib.Graph()
    try:
        parser = ox.parse(
            path=path,
            format=ox.RdfFormat.TURTLE,
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
        )
        blank: dict[str, rdflib.BNode] = {}
        stem = f"n{uuid.uuid4().hex}b"

        def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
            # ids as rdflib's parser makes them (one random stem per file, then a counter in
            # reading order): code that sorts blank nodes by id sees the same order in every
            # process, so compiled queries, and the compile cache's keys, are the same
            if isinstance(node, ox.BlankNode):
                found = blank.get(node.value)
                if found is None:
                    found = blank[node.value] = rdflib.BNode(f"{stem}{len(blank) + 1}")
                return found
            return to_rdflib(node)

        triples = [(term(q.subject), term(q.predicate), term(q.object), graph) for q in parser]
    except (SyntaxError, ValueError, OSError) as exc:  # name the file
        raise RdfSyntaxError(str(path.name), str(exc)) from None
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace)
    graph.addN(triples)
    return graph


def _text(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> str:
    values = sorted(str(v) for v in graph.objects(node, predicate))
    return values[0] if values else ""


def _rules_of(graph: rdflib.Graph, area: str) -> list[Rule]:
    rules = []
    for shape, identifier in graph.subject_objects(DCTERMS.identifier):
        if not isinstance(shape, rdflib.URIRef):
            continue
        types = set(graph.objects(shape, RDF.type))
        if not types & {SH.NodeShape, SH.PropertyShape}:
            continue
        severity_iri = graph.value(shape, SH.severity)
        rules.append(
            Rule(
                id=str(identifier),
                area=area,
                severity=Severity.from_iri(str(severity_iri or SH.Violation)),
                label=_text(graph, shape, RDFS.label),
                message=_text(graph, shape, SH.message),
                source=_text(graph, shape, DCTERMS.source),
                shape=str(shape),
                requires=tuple(sorted(str(r) for r in graph.objects(shape, DCTERMS.requires))),
            )
        )
    return sorted(rules, key=lambda r: r.id)


def _closure(
    source: rdflib.Graph, start: rdflib.URIRef, into: rdflib.Graph
) -> list[rdflib.term.Node]:
    """Copy ``start`` and everything it references (blank nodes, nested shapes) into ``into``.

    Returns the shape nodes met on the way (``start`` first), which report under start's rule id.
    """
    shapes: list[rdflib.term.Node] = [start]
    seen = {start}
    stack: list[rdflib.term.Node] = [start]
    while stack:
        node = stack.pop()
        for predicate, obj in source.predicate_objects(node):
            into.add((node, predicate, obj))
            if obj in seen or predicate == RDF.type:
                continue
            if isinstance(obj, rdflib.BNode) or (
                isinstance(obj, rdflib.URIRef) and (obj, None, None) in source
            ):
                seen.add(obj)
                stack.append(obj)
                if predicate in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
                    shapes.append(obj)
    return shapes
