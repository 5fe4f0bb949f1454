"""What the SPARQL compiler produces: checks, and the context a constraint is compiled in.

Split from the compiler so the constraint-component builders (``sparql_components``) and the
compiler that walks the shapes (``sparql_compiler``) share these types without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from bizarch.validation.sparql_select import SparqlConstraint

if TYPE_CHECKING:
    from bizarch.validation.sparql_compiler import Compiler

TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
"""Instances of a class: typed with it or with one of its subclasses."""


@dataclass
class Check:
    """One constraint of one shape, as SPARQL.

    ``alternatives`` are group bodies that bind the other variables from ``focus_var`` (which
    the enclosing pattern binds: ``?this`` at the top level). A result row of alternative ``a``
    is one finding, reported on ``focus_var`` with ``value_var``/``path_var`` when set.
    """

    shape: rdflib.term.Node
    component: rdflib.URIRef
    focus_var: str
    alternatives: list[str]
    value_var: str | None = None
    path_var: str | None = None
    sparql: SparqlConstraint | None = None
    extra_vars: list[str] = field(default_factory=list)
    parameter: rdflib.term.Node | None = None
    test: str | None = None
    """For a check on the focus node itself: the expression that holds when it conforms."""
    path: str | None = None
    """SPARQL path from the focus to the values the check reads (None: the focus itself)."""
    bulk: str | None = None
    """A set-oriented body for runs over all focus nodes (``alternatives`` serve focus sets)."""
    gate: str | None = None
    """With ``bulk``: an ASK body that holds whenever the check can find anything; when it
    does not hold, the check is skipped (a cheap count before an expensive grouping)."""
    needs_value: bool = False
    """True when a violation implies the focus has a value on ``path``: then a target "subjects
    of that same property" adds nothing and the engine can leave it out."""

    @property
    def variables(self) -> list[str]:
        names = [self.focus_var, self.value_var, self.path_var, *self.extra_vars]
        return list(dict.fromkeys(v for v in names if v))


@dataclass
class Context:
    """Everything a component builder needs about the shape being compiled."""

    compiler: Compiler
    shape: rdflib.term.Node
    focus: str
    value: str
    path: str | None
    values: str
    prefix: str
    stack: tuple[rdflib.term.Node, ...]
    nested: bool

    def params(self, name: str) -> list[rdflib.term.Node]:
        return self.compiler.shapes.objects(self.shape, SH[name])

    def const(self, term: rdflib.term.Node) -> str:
        return self.compiler.const(term)

    def check(
        self,
        component: str,
        bodies: list[str],
        *,
        with_value: bool = True,
        needs_value: bool | None = None,
        **kw: object,
    ) -> Check:
        if needs_value is None:  # every body starts by reading a value on the path
            needs_value = bool(self.values) and all(b.startswith(self.values) for b in bodies)
        return Check(
            shape=self.shape,
            component=SH[component],
            focus_var=self.focus,
            alternatives=[f"{self.prefix} {b}".strip() for b in bodies],
            value_var=self.value if with_value else None,
            path=self.path,
            needs_value=needs_value and not self.prefix,
            **kw,  # type: ignore[arg-type]
        )

    def value_filter(
        self, component: str, ok: str, parameter: rdflib.term.Node | None = None
    ) -> Check:
        """A check failing every value node for which the expression ``ok`` is not true."""
        body = f"{self.values} FILTER(!COALESCE({ok}, false))"
        check = self.check(component, [body], parameter=parameter)
        if not self.values and not self.prefix:
            check.test = f"COALESCE({ok}, false)"
        return check
