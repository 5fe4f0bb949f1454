"""Compile SHACL shapes into SPARQL graph patterns that match violations.

Every constraint of a shape becomes a :class:`Check`: one or more *alternatives*, each a SPARQL
group body that assumes the focus variable is already bound (by the shape's targets, or by an
enclosing pattern) and has a solution exactly when the constraint reports a result there. The same
body serves two purposes:

- at the top level, the engine prefixes it with the shape's target pattern and asks for all
  violations of all focus nodes in one query (set-oriented, not one query per node);
- inside ``sh:node``/``sh:not``/``sh:and``/``sh:or``/``sh:xone``/``sh:qualifiedValueShape``,
  ``NOT EXISTS { body }`` over all checks of a shape is the SPARQL test "this node conforms".

The semantics follow pySHACL 0.40 (the reference engine) where the SHACL spec leaves room: which
results carry a value, how strings and IRIs compare in ``sh:lessThan``, which regex flags count,
``sh:minLength 0``. A construct this module cannot translate raises :class:`Unsupported`; the engine
then validates that shape with pySHACL instead.
"""

from __future__ import annotations

import itertools

import rdflib
from rdflib.namespace import SH

from bizarch.validation.shape_model import ShapesGraph, Unsupported
from bizarch.validation.sparql_checks import TYPE_PATH, Check, Context
from bizarch.validation.sparql_components import BUILDERS
from bizarch.validation.terms import UnsupportedPath, sparql_path, sparql_term

__all__ = ["Check", "Compiler", "Unsupported"]

_SH = str(SH)
_KNOWN = {
    rdflib.URIRef(_SH + name)
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minExclusive",
        "minInclusive",
        "maxExclusive",
        "maxInclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "not",
        "and",
        "or",
        "xone",
        "node",
        "property",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "qualifiedValueShapesDisjoint",
        "closed",
        "ignoredProperties",
        "hasValue",
        "in",
        "sparql",
        "path",
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "severity",
        "message",
        "deactivated",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
    ]
}
_UNSUPPORTED = {
    rdflib.URIRef(_SH + name)
    for name in ("target", "rule", "expression", "js", "condition", "values")
}


class Compiler:
    """Translates the shapes of one shapes graph; keeps fresh-variable numbering unique."""

    def __init__(self, shapes: ShapesGraph) -> None:
        self.shapes = shapes
        self.graph = shapes.graph
        self._counter = itertools.count(1)
        self._custom_parameters = {
            p
            for param in self.graph.objects(None, SH.parameter)
            for p in self.graph.objects(param, SH.path)
        }

    def fresh(self, stem: str = "v") -> str:
        return f"bz_{stem}{next(self._counter)}"

    # -- entry points ------------------------------------------------------------------------

    def checks(self, shape: rdflib.term.Node, focus_var: str = "this") -> list[Check]:
        """All checks of a top-level shape, including its nested property shapes."""
        return self._checks(shape, focus_var, "", (), nested=False)

    def any_target_pattern(self, shape: rdflib.term.Node) -> str:
        """A group body that has a solution when ``shape`` has at least one focus node.

        For an ASK: the plain patterns, without the grouping :meth:`targets_pattern` uses to
        give each node once (grouping reads every statement before the first answer).
        """
        targets = self.shapes.targets(shape)
        parts = [f"?this {TYPE_PATH} {self.const(c)} ." for c in targets.classes]
        parts += [f"VALUES ?this {{ {self.const(n)} }}" for n in targets.nodes]
        parts += [f"?this {self.const(p)} [] ." for p in targets.subjects_of]
        parts += [f"[] {self.const(p)} ?this ." for p in targets.objects_of]
        if not parts:
            raise Unsupported("shape has no targets")
        return " UNION ".join(f"{{ {part} }}" for part in parts)

    def targets_pattern(self, shape: rdflib.term.Node, focus: str | None = None) -> str:
        """A group body binding ``?this`` to each focus node of ``shape``.

        ``focus`` (a VALUES body) restricts ``?this`` to given nodes: then every target becomes
        a test on those nodes, so nothing is enumerated (an incremental re-check of one element
        must not list the 100k elements of a class).
        """
        targets = self.shapes.targets(shape)
        this = "?this"
        parts: list[str] = []
        for cls in targets.classes:
            parts.append(f"{this} {TYPE_PATH} {self.const(cls)} .")
        if targets.nodes:
            values = " ".join(self.const(n) for n in targets.nodes)
            parts.append(f"VALUES {this} {{ {values} }}")
        # Subjects/objects of a property once each: a node with five values of the property
        # would otherwise be checked five times. GROUP BY rather than DISTINCT: Oxigraph moves
        # a check's FILTER into a DISTINCT subquery, so it ran once per statement instead of
        # once per node (types used in 1M triples: 111k checks for 34 classes, 368 ms -> 71 ms).
        for p in targets.subjects_of:
            if focus is None:
                parts.append(_distinct(this, f"{this} {self.const(p)} []"))
            else:
                parts.append(f"FILTER EXISTS {{ {this} {self.const(p)} [] }}")
        for p in targets.objects_of:
            if focus is None:
                parts.append(_distinct(this, f"[] {self.const(p)} {this}"))
            else:
                parts.append(f"FILTER EXISTS {{ [] {self.const(p)} {this} }}")
        if not parts:
            raise Unsupported("shape has no targets")
        if focus is not None:
            bound = f"VALUES {this} {{ {focus} }}"
            if len(parts) == 1:
                return f"{bound} {parts[0]}"
            return " UNION ".join(f"{{ {bound} {p} }}" for p in parts)
        if len(parts) == 1:
            return parts[0]
        # Several targets: one node set. Joining a bare UNION of class targets with the rest of
        # a check made Oxigraph re-walk the class hierarchy per triple (1.1 s -> 7 ms).
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return _distinct(this, union)

    # -- shapes ------------------------------------------------------------------------------

    def _checks(
        self,
        shape: rdflib.term.Node,
        focus: str,
        prefix: str,
        stack: tuple[rdflib.term.Node, ...],
        *,
        nested: bool = True,
    ) -> list[Check]:
        """Checks of ``shape`` on the node in ``?focus``.

        ``nested`` is False for the checks of a top-level shape (run as queries of their own)
        and True inside a conformance test, where Oxigraph evaluates every pattern once per
        outer solution: there, set operations (MINUS) would re-read the store each time.
        """
        if shape in stack:
            raise Unsupported("recursive shapes")
        if self.shapes.is_deactivated(shape):
            return []
        stack = (*stack, shape)
        self._refuse_unknown(shape)
        path_node = self.shapes.path(shape)
        if path_node is not None:
            path = self._path(path_node)
            value = self.fresh("v")
            values = f"?{focus} {path} ?{value} ."
        else:
            path, value, values = None, focus, ""
        ctx = Context(self, shape, focus, value, path, values, prefix, stack, nested)
        found: list[Check] = []
        for builder in BUILDERS:
            found.extend(builder(ctx))
        for child in self.shapes.objects(shape, SH.property):
            if not self.shapes.is_property_shape(child):
                raise Unsupported("sh:property value without sh:path")
            found.extend(self._checks(child, value, prefix + values, stack, nested=nested))
        return found

    def conforms(
        self, shape: rdflib.term.Node, var: str, stack: tuple[rdflib.term.Node, ...]
    ) -> str:
        """A SPARQL expression that is true when the node in ``?var`` conforms to ``shape``."""
        checks = self._checks(shape, var, "", stack)
        tests = []
        for check in checks:
            if check.test is not None:  # a plain expression on the node: no group needed
                tests.append(check.test)
            else:
                tests.extend(f"NOT EXISTS {{ {alt} }}" for alt in check.alternatives)
        return "(" + " && ".join(tests) + ")" if tests else "true"

    def _refuse_unknown(self, shape: rdflib.term.Node) -> None:
        for predicate in set(self.graph.predicates(shape, None)):
            if predicate in _UNSUPPORTED:
                raise Unsupported(f"{predicate} is not compiled")
            if predicate in self._custom_parameters and predicate not in _KNOWN:
                raise Unsupported(f"custom constraint component parameter {predicate}")

    # -- helpers -----------------------------------------------------------------------------

    def _path(self, node: rdflib.term.Node) -> str:
        try:
            return sparql_path(self.graph, node)
        except UnsupportedPath as exc:
            raise Unsupported(str(exc)) from None

    def const(self, term: rdflib.term.Node) -> str:
        try:
            return sparql_term(term)
        except UnsupportedPath as exc:
            raise Unsupported(str(exc)) from None

    def items(self, node: rdflib.term.Node) -> list[rdflib.term.Node]:
        try:
            return self.shapes.items(node)
        except Exception as exc:  # a malformed RDF list in the shapes graph
            raise Unsupported(f"malformed list: {exc}") from None


def _distinct(variable: str, body: str) -> str:
    """A subquery giving each value of ``variable`` in ``body`` once, which Oxigraph evaluates
    before the filters around it (it moves filters into a ``SELECT DISTINCT`` subquery)."""
    return f"{{ SELECT {variable} WHERE {{ {body} }} GROUP BY {variable} }}"
