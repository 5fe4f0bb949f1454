"""EXISTS in SPARQL-based constraints, as the engine rewrites it: the same findings as pySHACL.

The engine turns ``FILTER [NOT] EXISTS`` groups into per-solution witnesses (``LATERAL``) and
chains the standalone ones so that a focus node one filter has already rejected is not looked at
again. These cases pin down the meaning: variables that only the EXISTS groups share stay local to
each group, and a chain keeps every filter in force.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.sparql_engine import SparqlEngine

EX = "https://example.org/"
GRAPH = "urn:test:data"


def _shapes(where: str) -> str:
    return f"""
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    @prefix ex: <{EX}> .
    ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
        sh:sparql [ sh:select \"\"\"
            PREFIX ex: <{EX}>
            SELECT $this WHERE {{ {where} }}\"\"\" ] .
    """


DATA = f"""
@prefix ex: <{EX}> .
ex:a a ex:Thing ; ex:p ex:x1 ; ex:r ex:x2 .
ex:x1 ex:q 1 .
ex:x2 ex:s 1 .
ex:b a ex:Thing ; ex:p ex:x1 .
ex:c a ex:Thing ; ex:r ex:x2 .
ex:d a ex:Thing .
ex:e a ex:Thing ; ex:p ex:x3 ; ex:r ex:x3 .
ex:x3 ex:q 1 ; ex:s 1 .
"""


def _ours(shapes: str) -> set[str]:
    store = OxigraphStore(None)
    store.engine.load(DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH))
    report = SparqlEngine.from_turtle(shapes).validate(store, data_graphs=[GRAPH])
    return {f.focus_node for f in report.findings}


def _reference(shapes: str) -> set[str]:
    data = rdflib.Graph().parse(data=DATA, format="turtle")
    shapes_graph = rdflib.Graph().parse(data=shapes, format="turtle")
    _conforms, results, _text = pyshacl_validate(data, shacl_graph=shapes_graph)
    return {str(node) for node in results.objects(None, SH.focusNode)}


CASES = {
    # ?x is shared by the two groups only: each EXISTS has its own ?x (a: x1 for one, x2 for
    # the other). A witness of the first group must not pin ?x for the second.
    "both": (
        "FILTER(EXISTS { $this ex:p ?x . ?x ex:q 1 } && EXISTS { $this ex:r ?x . ?x ex:s 1 })",
        {"a", "e"},
    ),
    "neither": (
        "FILTER NOT EXISTS { $this ex:p ?x . ?x ex:q 1 } "
        "FILTER NOT EXISTS { $this ex:r ?x . ?x ex:s 1 }",
        {"d"},
    ),
    "one but not the other": (
        "FILTER EXISTS { $this ex:p ?x . ?x ex:q 1 } "
        "FILTER NOT EXISTS { $this ex:r ?x . ?x ex:s 1 }",
        {"b"},
    ),
    "either": (
        "FILTER(EXISTS { $this ex:p ?x . ?x ex:q 1 } || EXISTS { $this ex:r ?y . ?y ex:s 1 })",
        {"a", "b", "c", "e"},
    ),
    "chain and other filters": (
        "$this ex:p ?v . FILTER (?v != ex:none) "
        "FILTER NOT EXISTS { $this ex:r ?x . ?x ex:s 1 } "
        "FILTER EXISTS { ?v ex:q ?n . FILTER (?n = 1) }",
        {"b"},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_findings_as_pyshacl(case: str) -> None:
    where, expected = CASES[case]
    shapes = _shapes(where)
    nodes = {f"{EX}{n}" for n in expected}
    assert _reference(shapes) == nodes  # the meaning, as the reference reads it
    assert _ours(shapes) == nodes
