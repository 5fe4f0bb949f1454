"""Messages of findings from the SPARQL engine: the rule's own words, else a generic sentence.

Rules in ``shapes/`` carry an ``sh:message`` written for architects; the generic sentences only
show for shapes without one (e.g. the W3C test shapes). ``{$this}``, ``{?value}`` and friends in
messages of SPARQL constraints are replaced by the bound values, as pySHACL does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import rdflib

from bizarch.validation.terms import RdfTerm, to_rdflib

_PLACEHOLDER = re.compile(r"{[?$]([A-Za-z0-9_]+)}")

_GENERIC = {
    "ClassConstraintComponent": "Value does not have class {param}",
    "DatatypeConstraintComponent": "Value is not a literal with datatype {param}",
    "NodeKindConstraintComponent": "Value is not of the expected node kind",
    "MinCountConstraintComponent": "Less than the required number of values on {path}",
    "MaxCountConstraintComponent": "More than the allowed number of values on {path}",
    "MinExclusiveConstraintComponent": "Value is not > {param}",
    "MinInclusiveConstraintComponent": "Value is not >= {param}",
    "MaxExclusiveConstraintComponent": "Value is not < {param}",
    "MaxInclusiveConstraintComponent": "Value is not <= {param}",
    "MinLengthConstraintComponent": "String length not >= {param}",
    "MaxLengthConstraintComponent": "String length not <= {param}",
    "PatternConstraintComponent": "Value does not match pattern '{param}'",
    "LanguageInConstraintComponent": "Language tag not in the allowed list",
    "UniqueLangConstraintComponent": "More than one string shares the same language",
    "EqualsConstraintComponent": "Value sets of {path} and {param} differ",
    "DisjointConstraintComponent": "Value of {path} is also a value of {param}",
    "LessThanConstraintComponent": "Value is not < value of {param}",
    "LessThanOrEqualsConstraintComponent": "Value is not <= value of {param}",
    "NodeConstraintComponent": "Value does not conform to shape {param}",
    "NotConstraintComponent": "Value conforms to shape {param}, which it must not",
    "AndConstraintComponent": "Value does not conform to every shape of sh:and",
    "OrConstraintComponent": "Value does not conform to any shape of sh:or",
    "XoneConstraintComponent": "Value does not conform to exactly one shape of sh:xone",
    "QualifiedMinCountConstraintComponent": "Too few values conform to the qualified shape",
    "QualifiedMaxCountConstraintComponent": "Too many values conform to the qualified shape",
    "ClosedConstraintComponent": "Node is closed: property {path} is not allowed",
    "HasValueConstraintComponent": "Required value {param} is missing",
    "InConstraintComponent": "Value is not one of the allowed values",
    "SPARQLConstraintComponent": "The SPARQL constraint reports a violation",
}


def generic_message(component: str, path: str | None, parameter: str | None) -> str:
    """A plain sentence for a component without an ``sh:message``."""
    name = component.rsplit("#", 1)[-1]
    template = _GENERIC.get(name, "Constraint {name} is not met")
    return template.format(path=path or "the node", param=parameter or "", name=name)


def fill_placeholders(template: str, bindings: Mapping[str, RdfTerm | None]) -> str:
    """Replace ``{?var}``/``{$var}`` by the bound value's text; unknown names stay as they are."""

    def replace(match: re.Match[str]) -> str:
        term = bindings.get(match.group(1))
        if term is None:
            return match.group(0)
        node = to_rdflib(term)
        return str(node) if not isinstance(node, rdflib.BNode) else f"_:{node}"

    return _PLACEHOLDER.sub(replace, template)
