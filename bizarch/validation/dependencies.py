"""Which focus nodes can a changed triple affect? Answered by running the check queries backwards.

A check query (a compiled constraint or an ``sh:sparql`` query, with the shape's targets) reports a
focus node ``?this`` from a solution made of triples. If a triple ``t`` is added or removed, a
result can only change for a focus node whose solution, in the old or the new state, matched ``t``
with one of the query's triple patterns — in its positive part, or inside a negation (NOT EXISTS,
MINUS, OPTIONAL + !BOUND) that held or failed because of ``t``.

For each triple pattern ``e`` of a query this module builds a *skeleton*: the positive conditions
every such solution must meet, with ``e`` itself kept and its terms bound to the changed triple
(a VALUES block). FILTERs and BINDs are dropped, other OPTIONAL/MINUS/NOT EXISTS parts dropped,
the part holding ``e`` kept as a positive pattern, UNION branches without ``e`` kept as UNIONs:
every step only removes conditions, so the skeleton's ``?this`` values are a superset of the focus
nodes whose result may change (conservative: when unsure, more nodes). A property path is split at
the changed triple: ``a p1/p2* b`` matched by ``t`` on ``p2`` becomes ``a p1/p2* s . o p2* b``.

Evaluated in the union of the old and new states (added triples are in the store, removed ones in
a temporary graph), these skeletons give the nodes to re-check.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.paths import (
    AlternativePath,
    InvPath,
    MulPath,
    NegatedPath,
    Path,
    SequencePath,
)
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.term import Variable

from bizarch.validation import compile_cache
from bizarch.validation.terms import to_rdflib

EDGE = "<<bizarch-edge>>"
_EPSILON = "(<urn:bizarch:no-predicate>)?"
"""A path that only links a node to itself (zero steps of a predicate nobody uses)."""


class NotAnalysable(Exception):
    """The query uses a construct whose dependencies we cannot state (re-check everything)."""


@dataclass
class Edge:
    """One triple pattern of a check query, and its skeleton (see the module docstring)."""

    subject: object
    predicate: object
    object: object
    skeleton: str = ""
    """The skeleton, with the placeholder :data:`EDGE` where this pattern stands."""
    rendered: tuple[str, str, str] = ("", "", "")
    """Subject, predicate, object as written in the skeleton (subquery variables renamed)."""
    focus: str = "this"

    def predicates(self) -> set[str] | None:
        """IRIs a matching triple may have as predicate (None: any)."""
        if isinstance(self.predicate, Variable):
            return None
        if isinstance(self.predicate, Path):
            return _path_predicates(self.predicate)
        return {str(self.predicate)}


@dataclass
class QueryDependencies:
    """All edges of one check query."""

    edges: list[Edge] = field(default_factory=list)

    def affected(
        self, quads: Sequence[ox.Quad], query: QueryRunner
    ) -> set[ox.NamedNode | ox.Literal] | None:
        """Focus nodes the triples of ``quads`` may affect; None when any node may be."""
        found: set[ox.NamedNode | ox.Literal] = set()
        for edge in self.edges:
            allowed = edge.predicates()
            matching = [q for q in quads if allowed is None or q.predicate.value in allowed]
            if not matching:
                continue
            if any(isinstance(t, ox.BlankNode) for q in matching for t in (q.subject, q.object)):
                return None  # blank nodes cannot be bound in a VALUES block
            text = _bound_query(edge, matching)
            if text is None:
                continue
            for row in query(text):
                if row is not None and not isinstance(row, ox.BlankNode):
                    found.add(row)
        return found


class QueryRunner:
    """Runs a dependency query, returning the values of its one projected variable."""

    def __call__(self, text: str) -> Iterable[ox.NamedNode | ox.Literal | ox.BlankNode | None]:
        raise NotImplementedError


@lru_cache(maxsize=4096)
def analyse(query_text: str, focus: str = "this") -> QueryDependencies:
    """The edges of a check query; raises :class:`NotAnalysable` when it cannot be read.

    Cached by text, in memory and in the compile cache (as JSON): rdflib needs ~25 ms to parse
    a query, and a rule library has hundreds.
    """
    key = compile_cache.text_key(query_text, focus)
    stored = compile_cache.lookup("analyse", key)
    if stored is not None:
        try:
            return _decode_dependencies(stored)
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # an entry we cannot read: analyse again
    try:
        result = _analyse(query_text, focus)
    except NotAnalysable as exc:
        compile_cache.store("analyse", key, {"error": str(exc)})
        raise
    try:
        encoded = _encode_dependencies(result)
    except ValueError:
        return result  # a term we do not serialise: not cached on disk
    compile_cache.store("analyse", key, encoded)
    return result


def _analyse(query_text: str, focus: str) -> QueryDependencies:
    try:
        algebra = prepareQuery(query_text).algebra.p
    except Exception as exc:  # rdflib's parser raises many types: nothing to analyse then
        raise NotAnalysable(str(exc)) from None
    builder = _Builder()
    edges: list[Edge] = []
    for triple in builder.triples(algebra):
        builder.target = triple
        skeleton = builder.around(algebra, triple, {})
        s, p, o = triple
        edges.append(Edge(s, p, o, skeleton, builder.rendered, focus))
    return QueryDependencies(edges)


# -- skeletons ----------------------------------------------------------------------------------


class _Builder:
    """Writes the positive skeleton of an rdflib algebra tree as SPARQL group text."""

    def __init__(self) -> None:
        self._fresh = itertools.count(1)
        self.target: tuple | None = None
        self.rendered: tuple[str, str, str] = ("", "", "")

    def triples(self, node) -> list[tuple]:
        """Every triple pattern under ``node`` (EXISTS groups included); tuples are compared by
        identity, so two equal patterns in different places stay two edges."""
        if getattr(node, "name", None) == "BGP":
            return list(node.triples)
        found: list[tuple] = []
        for child in self._children(node):
            found.extend(self.triples(child))
        return found

    def _children(self, node) -> list:
        if not hasattr(node, "name"):
            return []
        kids = [node[k] for k in ("p", "p1", "p2") if k in node and node[k] is not None]
        for key in ("expr",):
            if key in node and node[key] is not None:
                kids.extend(self._exists_groups(node[key]))
        return kids

    def _exists_groups(self, expr) -> list:
        """Translated graph patterns of the EXISTS calls in an expression (cached on the node)."""
        found = []
        stack = [expr]
        while stack:
            item = stack.pop()
            if isinstance(item, list | tuple):
                stack.extend(item)
                continue
            if not hasattr(item, "name"):
                continue
            if item.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                if "_translated" not in item:
                    item["_translated"] = translateGroupGraphPattern(item.graph)
                found.append(item["_translated"])
                continue
            stack.extend(v for k, v in item.items() if not k.startswith("_"))
        return found

    # -- text ------------------------------------------------------------------------------

    def around(self, node, edge: tuple, scope: dict[str, str]) -> str:
        """Skeleton of ``node``, which contains ``edge``."""
        name = node.name
        if name == "BGP":
            return " ".join(self._triple(t, scope) for t in node.triples)
        if name == "LeftJoin" and not (self._has(node.p1, edge) or self._has(node.p2, edge)):
            raise NotAnalysable("a pattern inside an OPTIONAL's filter")
        if name in ("Join",):
            first, second = (node.p1, node.p2) if self._has(node.p1, edge) else (node.p2, node.p1)
            return f"{{ {self.around(first, edge, scope)} }} {{ {self.positive(second, scope)} }}"
        if name in ("LeftJoin", "Minus"):
            if self._has(node.p1, edge):
                return self.around(node.p1, edge, scope)
            left = self.positive(node.p1, scope)
            return f"{{ {left} }} {{ {self.around(node.p2, edge, scope)} }}"
        if name == "Union":
            branch = node.p1 if self._has(node.p1, edge) else node.p2
            return self.around(branch, edge, scope)
        if name in ("Filter", "Extend"):
            if self._has(node.p, edge):
                return self.around(node.p, edge, scope)
            for group in self._exists_groups(node.expr):
                if self._has(group, edge):
                    outer = self.positive(node.p, scope)
                    return f"{{ {outer} }} {{ {self.around(group, edge, scope)} }}"
            raise NotAnalysable("edge not found")
        if name == "Project":
            return self.around(node.p, edge, self._subscope(node, scope))
        if name in ("Distinct", "Reduced", "Slice", "OrderBy", "Group", "AggregateJoin"):
            return self.around(node.p, edge, scope)
        if name == "ToMultiSet":
            return self.around(node.p, edge, scope)
        raise NotAnalysable(f"cannot follow {name}")

    def positive(self, node, scope: dict[str, str]) -> str:
        """A pattern every solution of ``node`` matches (possibly empty: no condition)."""
        name = getattr(node, "name", None)
        if name == "BGP":
            return " ".join(self._triple(t, scope) for t in node.triples)
        if name == "Join":
            return f"{{ {self.positive(node.p1, scope)} }} {{ {self.positive(node.p2, scope)} }}"
        if name in ("LeftJoin", "Minus", "Filter", "Extend"):
            return self.positive(node.p1 if name in ("LeftJoin", "Minus") else node.p, scope)
        if name == "Union":
            left, right = self.positive(node.p1, scope), self.positive(node.p2, scope)
            if not left.strip() or not right.strip():
                return ""
            return f"{{ {left} }} UNION {{ {right} }}"
        if name == "Project":
            return self.positive(node.p, self._subscope(node, scope))
        if name in ("Distinct", "Reduced", "Slice", "OrderBy", "Group", "AggregateJoin"):
            return self.positive(node.p, scope)
        if name == "ToMultiSet":
            return self.positive(node.p, scope)
        return ""  # VALUES, GRAPH, SERVICE...: no condition kept

    def _has(self, node, edge: tuple) -> bool:
        return any(t is edge for t in self.triples(node))

    def _subscope(self, node, scope: dict[str, str]) -> dict[str, str]:
        """Variables of a subquery: projected ones are the outer ones, the rest renamed."""
        inner = {str(v): scope.get(str(v), str(v)) for v in node.PV}
        return _Scope(inner, self._fresh)

    def _triple(self, triple: tuple, scope: dict[str, str]) -> str:
        s, p, o = triple
        texts = (self._term(s, scope), self._predicate(p, scope), self._term(o, scope))
        if triple is self.target:
            self.rendered = texts
            return EDGE
        return " ".join(texts) + " ."

    def _predicate(self, p, scope: dict[str, str]) -> str:
        if isinstance(p, Path):
            return _path_text(p)
        return self._term(p, scope)

    def _term(self, term, scope: dict[str, str]) -> str:
        if isinstance(term, Variable):
            return f"?{scope.get(str(term), str(term))}"
        if isinstance(term, rdflib.BNode):  # a [] in the query: an anonymous variable
            return f"?bz_anon_{term}"
        return term.n3()


class _Scope(dict):
    """A variable scope that renames every variable it was not told about."""

    def __init__(self, known: dict[str, str], counter: itertools.count) -> None:
        super().__init__(known)
        self._counter = counter

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        if key not in self:
            self[key] = f"bz_sub{next(self._counter)}_{key}"
        return self[key]


# -- binding the changed triples ---------------------------------------------------------------


def _bound_query(edge: Edge, quads: Sequence[ox.Quad]) -> str | None:
    """The skeleton of ``edge`` with the edge bound to each of ``quads`` (a VALUES block)."""
    subject, predicate, obj = edge.rendered
    if isinstance(edge.predicate, Path):
        forms = _decompose(edge.predicate, {q.predicate.value for q in quads})
        if not forms:
            return None
        branches = [
            f"{{ {subject} {left or _EPSILON} ?bz_d{first} . "
            f"?bz_d{second} {right or _EPSILON} {obj} . }}"
            for left, first, second, right in forms
        ]
        values = " ".join(f"({_nt(q.subject)} {_nt(q.object)})" for q in quads)
        body = edge.skeleton.replace(EDGE, "{ " + " UNION ".join(branches) + " }", 1)
        return (
            f"SELECT DISTINCT ?{edge.focus} WHERE {{ VALUES (?bz_ds ?bz_do) {{ {values} }} "
            f"{body} }}"
        )
    names: list[str] = []
    rows: list[list[str]] = []
    for quad in quads:
        bound: dict[str, str] = {}
        ok = True
        pattern = (edge.subject, edge.predicate, edge.object)
        terms = (quad.subject, quad.predicate, quad.object)
        for original, written, term in zip(pattern, edge.rendered, terms, strict=True):
            if written.startswith("?"):
                if bound.setdefault(written, _nt(term)) != _nt(term):
                    ok = False
            elif to_rdflib(term) != original:
                ok = False
        if ok:
            names = names or list(bound)
            rows.append([bound[n] for n in names])
    if not rows:
        return None
    body = edge.skeleton.replace(EDGE, f"{subject} {predicate} {obj} .", 1)
    if not names:  # a ground pattern: its presence is all we know
        return f"SELECT DISTINCT ?{edge.focus} WHERE {{ {body} }}"
    values = " ".join("(" + " ".join(r) + ")" for r in rows)
    head = " ".join(names)
    return f"SELECT DISTINCT ?{edge.focus} WHERE {{ VALUES ({head}) {{ {values} }} {body} }}"


def _path_text(path: object) -> str:
    """SPARQL text of an rdflib path, parenthesised so precedence never matters."""
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    if isinstance(path, InvPath):
        return f"^({_path_text(path.arg)})"
    if isinstance(path, SequencePath):
        return "(" + "/".join(f"({_path_text(a)})" for a in path.args) + ")"
    if isinstance(path, AlternativePath):
        return "(" + "|".join(f"({_path_text(a)})" for a in path.args) + ")"
    if isinstance(path, MulPath):
        return f"({_path_text(path.path)}){path.mod}"
    if isinstance(path, NegatedPath):
        return path.n3()
    raise NotAnalysable(f"unknown path {path!r}")


def _nt(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    return str(term)


def _path_predicates(path: Path) -> set[str] | None:
    if isinstance(path, rdflib.URIRef):
        return {str(path)}
    if isinstance(path, InvPath):
        return _path_predicates(path.arg)
    if isinstance(path, MulPath):
        return _path_predicates(path.path)
    if isinstance(path, SequencePath | AlternativePath):
        found: set[str] = set()
        for arg in path.args:
            inner = _path_predicates(arg)
            if inner is None:
                return None
            found |= inner
        return found
    return None  # negated property sets match (almost) any predicate


Form = tuple[str, str, str, str]
"""(left path, 's' or 'o', 's' or 'o', right path): ``a left m1 . m2 right b``."""


def _decompose(path: object, predicates: set[str]) -> list[Form]:
    """Ways a path can use one triple whose predicate is in ``predicates``."""
    if isinstance(path, rdflib.URIRef):
        return [("", "s", "o", "")] if str(path) in predicates else []
    if isinstance(path, InvPath):
        inner = _decompose(path.arg, predicates)
        return [(_inv(right), second, first, _inv(left)) for left, first, second, right in inner]
    if isinstance(path, SequencePath):
        forms: list[Form] = []
        args = list(path.args)
        for i, arg in enumerate(args):
            before = _seq(args[:i])
            after = _seq(args[i + 1 :])
            for left, first, second, right in _decompose(arg, predicates):
                forms.append((_join(before, left), first, second, _join(right, after)))
        return forms
    if isinstance(path, AlternativePath):
        return [form for arg in path.args for form in _decompose(arg, predicates)]
    if isinstance(path, MulPath):
        star = f"({_path_text(path.path)})*"
        repeat = star if path.mod in ("*", "+") else ""
        return [
            (_join(repeat, left), first, second, _join(right, repeat))
            for left, first, second, right in _decompose(path.path, predicates)
        ]
    if isinstance(path, NegatedPath):
        raise NotAnalysable("negated property sets are not split")
    return []


def _inv(text: str) -> str:
    return f"^({text})" if text else ""


def _seq(args: list) -> str:
    return "/".join(f"({_path_text(a)})" for a in args)


def _join(a: str, b: str) -> str:
    if a and b:
        return f"{a}/{b}"
    return a or b


# -- the compile cache's JSON form ------------------------------------------------------------


def _encode_dependencies(deps: QueryDependencies) -> dict[str, object]:
    return {
        "edges": [
            {
                "s": _encode_term(e.subject),
                "p": _encode_term(e.predicate),
                "o": _encode_term(e.object),
                "skeleton": e.skeleton,
                "rendered": list(e.rendered),
                "focus": e.focus,
            }
            for e in deps.edges
        ]
    }


def _decode_dependencies(data: dict) -> QueryDependencies:
    if "error" in data:
        raise NotAnalysable(str(data["error"]))
    edges = []
    for e in data["edges"]:
        rendered = tuple(str(r) for r in e["rendered"])
        if len(rendered) != 3:
            raise ValueError("an edge renders three terms")
        edges.append(
            Edge(
                _decode_term(e["s"]),
                _decode_term(e["p"]),
                _decode_term(e["o"]),
                str(e["skeleton"]),
                (rendered[0], rendered[1], rendered[2]),
                str(e["focus"]),
            )
        )
    return QueryDependencies(edges)


def _encode_term(term: object) -> list:
    """A JSON form of an rdflib term or path (ValueError for anything else)."""
    if isinstance(term, Variable):
        return ["var", str(term)]
    if isinstance(term, rdflib.URIRef):
        return ["iri", str(term)]
    if isinstance(term, rdflib.BNode):
        return ["bnode", str(term)]
    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return ["lit", str(term), datatype, term.language]
    if isinstance(term, InvPath):
        return ["inv", _encode_term(term.arg)]
    if isinstance(term, SequencePath):
        return ["seq", [_encode_term(a) for a in term.args]]
    if isinstance(term, AlternativePath):
        return ["alt", [_encode_term(a) for a in term.args]]
    if isinstance(term, MulPath):
        return ["mul", _encode_term(term.path), term.mod]
    if isinstance(term, NegatedPath):
        return ["neg", [_encode_term(a) for a in term.args]]
    raise ValueError(f"cannot store {term!r}")


def _decode_term(data: list) -> object:
    kind = data[0]
    if kind == "var":
        return Variable(data[1])
    if kind == "iri":
        return rdflib.URIRef(data[1])
    if kind == "bnode":
        return rdflib.BNode(data[1])
    if kind == "lit":
        datatype = rdflib.URIRef(data[2]) if data[2] is not None else None
        return rdflib.Literal(data[1], datatype=datatype, lang=data[3])
    if kind == "inv":
        return InvPath(_decode_term(data[1]))
    if kind == "seq":
        return SequencePath(*[_decode_term(a) for a in data[1]])
    if kind == "alt":
        return AlternativePath(*[_decode_term(a) for a in data[1]])
    if kind == "mul":
        return MulPath(_decode_term(data[1]), data[2])
    if kind == "neg":
        args = [_decode_term(a) for a in data[1]]
        return NegatedPath(args[0] if len(args) == 1 else AlternativePath(*args))
    raise ValueError(f"unknown stored term {kind!r}")
