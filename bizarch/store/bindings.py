"""Binding RDF terms into queries without ever pasting user text into SPARQL.

Remote engines have no "substitutions", so values travel in a trailing ``VALUES`` block built
from each term's own N-Triples serialisation (pyoxigraph has already validated the IRI or
escaped the literal; nothing the user typed becomes syntax).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from bizarch.errors import QueryError

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def check_variable(name: str) -> str:
    """A variable name without ``?``, validated."""
    if not _VARIABLE.match(name):
        raise QueryError(f"'{name}' is not a valid SPARQL variable name.")
    return name


def term_to_sparql(term: object) -> str:
    """The SPARQL form of an IRI or literal (its N-Triples form); blank nodes are refused."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    if isinstance(term, ox.BlankNode):
        raise QueryError("A blank node cannot be bound to a query variable.")
    raise QueryError(f"Cannot bind {type(term).__name__} values to a query variable.")


def values_clause(bindings: Mapping[str, object]) -> str:
    """A trailing ``VALUES (?a ?b) { (<x> "y") }`` block for ``bindings``."""
    names = [check_variable(name) for name in bindings]
    terms = [term_to_sparql(bindings[name]) for name in names]
    head = " ".join(f"?{n}" for n in names)
    return f"\nVALUES ({head}) {{ ({' '.join(terms)}) }}\n"
