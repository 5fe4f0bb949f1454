"""ONE contract for every backend: the same calls give the same results on each.

Backends: embedded on disk, embedded in memory, the disk-backed serving store, and a real
``oxigraph serve`` process reached over HTTP (SPARQL 1.1 Protocol + Graph Store Protocol).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.errors import QueryError, RdfSyntaxError
from bizarch.store.base import GraphStore, RdfFormat, RdfSource, SelectResult
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.serving import ServingStore
from bizarch.store.sparql_store import SparqlStore

EX = "http://example.org/"
G1 = "urn:bizarch:scenario:current"
G2 = "urn:bizarch:scenario:target"
XSD = "http://www.w3.org/2001/XMLSchema#"

TTL = b"""@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:sales a ex:Capability ; rdfs:label "Sales"@en , "Vertrieb"@de ; ex:tier 1 .
ex:billing a ex:Capability ; rdfs:label "Billing" ; ex:tier 2 ; ex:parent ex:sales .
ex:crm a ex:Application ; ex:supports ex:sales ; ex:note [ ex:text "bnode" ] .
"""

TRIG = b"""@prefix ex: <http://example.org/> .
<urn:bizarch:scenario:current> { ex:a ex:p ex:b . ex:b ex:p ex:c . }
<urn:bizarch:scenario:target> { ex:a ex:p ex:c . }
"""


def ttl(data: bytes = TTL, name: str = "model.ttl") -> RdfSource:
    return RdfSource(name, data, RdfFormat.TURTLE)


@pytest.fixture(params=["disk", "memory", "serving", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    kind = request.param
    if kind == "remote":
        backend: GraphStore = request.getfixturevalue("remote_store")
        yield backend
        return
    if kind == "disk":
        backend = OxigraphStore(tmp_path / "store")
    elif kind == "memory":
        backend = OxigraphStore(None)
    else:
        backend = ServingStore(tmp_path / "served")
    yield backend
    backend.close()


def names(result: object, var: str) -> set[str]:
    assert isinstance(result, SelectResult)
    return {row[var].value for row in result.dicts() if row[var] is not None}


def test_load_reports_quads_and_graphs_with_counts(store: GraphStore) -> None:
    assert store.load([ttl()], G1) == 12
    assert store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None) == 3
    assert [(g.name, g.triples) for g in store.graphs()] == [(G1, 14), (G2, 1)]
    assert store.count(G1) == 14
    assert store.count(G2) == 1
    assert store.count() == 15


def test_graph_argument_rehomes_dataset_quads(store: GraphStore) -> None:
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], G2)
    assert [(g.name, g.triples) for g in store.graphs()] == [(G2, 3)]


def test_keep_named_graphs_sends_only_default_triples_to_the_graph(store: GraphStore) -> None:
    trig = TRIG + b"<http://example.org/loose> <http://example.org/p> 1 .\n"
    added = store.load([RdfSource("m.trig", trig, RdfFormat.TRIG)], G2, keep_named_graphs=True)
    assert added == 4
    assert [(g.name, g.triples) for g in store.graphs()] == [(G1, 2), (G2, 2)]


def test_select_default_graphs_and_union(store: GraphStore) -> None:
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None)
    q = "SELECT ?o WHERE { <http://example.org/a> ?p ?o }"
    assert names(store.query(q, default_graphs=[G1]), "o") == {EX + "b"}
    assert names(store.query(q, default_graphs=[G2]), "o") == {EX + "c"}
    assert names(store.query(q), "o") == {EX + "b", EX + "c"}
    assert names(store.query(q, default_graphs=[G1, G2]), "o") == {EX + "b", EX + "c"}
    assert names(store.query(q, default_graphs=[]), "o") == set()


def test_graph_patterns_still_see_every_scenario(store: GraphStore) -> None:
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None)
    q = (
        "SELECT ?o ?other WHERE { <http://example.org/a> ?p ?o . "
        "GRAPH <urn:bizarch:scenario:target> { <http://example.org/a> ?p ?other } }"
    )
    result = store.query(q, default_graphs=[G1])
    assert isinstance(result, SelectResult)
    assert [(r[0].value, r[1].value) for r in result.rows] == [(EX + "b", EX + "c")]


def test_select_returns_pyoxigraph_terms_of_every_kind(store: GraphStore) -> None:
    store.load([ttl()], G1)
    result = store.query(
        "SELECT ?label ?tier ?note WHERE { <http://example.org/sales> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label ; <http://example.org/tier> ?tier "
        "OPTIONAL { ?x <http://example.org/note> ?note } } ORDER BY ?label",
        default_graphs=[G1],
    )
    assert isinstance(result, SelectResult)
    assert result.variables == ["label", "tier", "note"]
    labels = [row[0] for row in result.rows]
    assert labels == [ox.Literal("Sales", language="en"), ox.Literal("Vertrieb", language="de")]
    assert result.rows[0][1] == ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))
    assert isinstance(result.rows[0][2], ox.BlankNode)


def test_bindings_projected_and_not_projected(store: GraphStore) -> None:
    store.load([ttl()], G1)
    q = "SELECT ?c ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    bound = store.query(q, default_graphs=[G1], bindings={"c": ox.NamedNode(EX + "billing")})
    assert names(bound, "label") == {"Billing"}
    # ?tier is not projected: engines without substitutions get a VALUES block either way.
    q2 = "SELECT ?c WHERE { ?c <http://example.org/tier> ?tier }"
    two = ox.Literal("2", datatype=ox.NamedNode(XSD + "integer"))
    assert names(store.query(q2, default_graphs=[G1], bindings={"tier": two}), "c") == {
        EX + "billing"
    }
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    assert names(store.query(q, default_graphs=[G1], bindings={"label": hostile}), "c") == set()
    assert store.count(G1) == 12


def test_ask_and_construct(store: GraphStore) -> None:
    store.load([ttl()], G1)
    assert store.query("ASK { ?a <http://example.org/supports> ?c }", default_graphs=[G1]) is True
    assert store.query("ASK { ?a <http://example.org/supports> ?c }", default_graphs=[G2]) is False
    bound = store.query(
        "ASK { ?a <http://example.org/supports> ?c }",
        default_graphs=[G1],
        bindings={"c": ox.NamedNode(EX + "billing")},
    )
    assert bound is False
    triples = store.query(
        "CONSTRUCT { ?c <http://example.org/childOf> ?p } "
        "WHERE { ?c <http://example.org/parent> ?p }",
        default_graphs=[G1],
    )
    assert triples == [
        ox.Triple(
            ox.NamedNode(EX + "billing"), ox.NamedNode(EX + "childOf"), ox.NamedNode(EX + "sales")
        )
    ]


def test_update_is_atomic(store: GraphStore) -> None:
    store.load([ttl()], G1)
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}x> <{EX}p> <{EX}y> }} }}")
    assert store.count(G2) == 1
    with pytest.raises(QueryError):
        # the second operation fails at run time (the graph exists): the first must not stick
        store.update(
            f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}z> <{EX}p> <{EX}y> }} }} ; CREATE GRAPH <{G1}>"
        )
    assert store.count(G2) == 1
    with pytest.raises(QueryError):
        store.update("INSERT DATA { this is not sparql }")
    assert store.count() == 13


def test_failed_load_leaves_store_unchanged_and_names_line_and_column(store: GraphStore) -> None:
    store.load([ttl()], G1)
    bad = b'@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:c ex:p "unterminated .\n'
    with pytest.raises(RdfSyntaxError) as caught:
        store.load(
            [ttl(b"<http://example.org/ok> <http://example.org/p> 1 ."), ttl(bad, "bad.ttl")], G2
        )
    assert caught.value.source == "bad.ttl"
    assert caught.value.line == 3
    assert caught.value.column is not None
    assert "bad.ttl, line 3" in str(caught.value)
    assert store.count() == 12
    assert [g.name for g in store.graphs()] == [G1]


def test_export_is_stable_and_round_trips(store: GraphStore, tmp_path: Path) -> None:
    store.load([ttl()], G1)
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None)
    first, second = io.BytesIO(), io.BytesIO()
    store.export(first, RdfFormat.TURTLE, G1)
    store.export(second, RdfFormat.TURTLE, G1)
    assert first.getvalue() == second.getvalue()
    text = first.getvalue().decode()
    assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ." in text
    subjects = [line.split()[0] for line in text.splitlines() if line.startswith("<")]
    assert subjects == sorted(subjects)
    exported = set(ox.parse(first.getvalue(), format=ox.RdfFormat.TURTLE))
    assert len(exported) == 14
    dataset = io.BytesIO()
    store.export(dataset, RdfFormat.NQUADS)
    quads = list(ox.parse(dataset.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 15
    assert {str(q.graph_name.value) for q in quads} == {G1, G2}


def test_export_of_missing_graph_is_empty(store: GraphStore) -> None:
    out = io.BytesIO()
    store.export(out, RdfFormat.NTRIPLES, "urn:bizarch:scenario:nothing")
    assert out.getvalue().strip() == b""


def test_clear_one_graph_then_everything(store: GraphStore) -> None:
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None)
    store.clear(G2)
    assert [(g.name, g.triples) for g in store.graphs()] == [(G1, 2)]
    store.clear()
    assert store.graphs() == []
    assert store.count() == 0


def test_has_graph_agrees_with_the_graph_list(store: GraphStore) -> None:
    # Repository checks a query's scenario with has_graph (no counting): it must agree with
    # graphs().
    assert not store.has_graph(G1)
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None)
    listed = {g.name for g in store.graphs()}
    assert listed == {G1, G2}
    assert all(store.has_graph(name) for name in listed)
    assert not store.has_graph("urn:bizarch:scenario:nothing")
    store.clear(G2)
    assert store.has_graph(G1) and not store.has_graph(G2)
    assert {g.name for g in store.graphs()} == {G1}


def test_add_quads_is_one_change(store: GraphStore) -> None:
    quads = [
        ox.Quad(
            ox.NamedNode(EX + f"e{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)), ox.NamedNode(G1)
        )
        for i in range(50)
    ]
    store.add_quads(quads)
    assert store.count(G1) == 50
    result = store.query("SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[G1])
    assert isinstance(result, SelectResult)
    assert result.rows[0][0] == ox.Literal("50", datatype=ox.NamedNode(XSD + "integer"))


def test_query_syntax_error_is_a_query_error(store: GraphStore) -> None:
    with pytest.raises(QueryError):
        store.query("SELECT ?x WHERE { ?x ")


def test_remote_without_graph_store_protocol_still_loads_and_exports(
    oxigraph_server: object, remote_store: SparqlStore
) -> None:
    plain = SparqlStore(remote_store.query_endpoint, gsp_endpoint="")
    assert plain.gsp_endpoint == ""
    plain.load([ttl()], G1)
    assert plain.count(G1) == 12
    out = io.BytesIO()
    plain.export(out, RdfFormat.NTRIPLES, G1)
    assert len(out.getvalue().splitlines()) == 12


def test_has_graph_is_true_only_for_graphs_holding_triples(store: GraphStore) -> None:
    store.load([RdfSource("m.trig", TRIG, RdfFormat.TRIG)], None)
    assert store.has_graph(G1) and store.has_graph(G2)
    assert not store.has_graph("urn:bizarch:scenario:nothing")
    store.clear(G2)
    assert not store.has_graph(G2)
    assert store.has_graph(G1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a comment after a prologue line, naming another form
        (
            "PREFIX ex: <http://example.org/> # SELECT the parents\n"
            "CONSTRUCT { ?c ex:childOf ?p } WHERE { ?c ex:parent ?p }",
            "triples",
        ),
        (
            "PREFIX ex: <http://example.org/> # CONSTRUCT later\n"
            "SELECT ?c WHERE { ?c ex:parent ?p }",
            "rows",
        ),
        # keywords inside IRIs, strings and prefixed names, lower case, BASE
        (
            "BASE <http://example.org/select/> PREFIX ask: <http://example.org/>\n"
            'construct { ?c ask:label "SELECT" } where { ?c ask:parent ?p }',
            "triples",
        ),
        ("#+ summary: SELECT nothing\nASK { ?c <http://example.org/parent> ?p }", True),
        ("PREFIX describe: <http://example.org/> DESCRIBE describe:billing", "triples"),
    ],
)
def test_the_query_form_is_read_from_the_query_not_its_comments(
    store: GraphStore, query: str, expected: object
) -> None:
    store.load([ttl()], G1)
    result = store.query(query, default_graphs=[G1])
    if expected == "triples":
        assert isinstance(result, list) and result
        assert all(isinstance(t, ox.Triple) for t in result)
    elif expected == "rows":
        assert isinstance(result, SelectResult)
        assert [row[0] for row in result.rows] == [ox.NamedNode(EX + "billing")]
    else:
        assert result is expected


def test_an_update_is_sent_as_an_update_whatever_its_comments_say(store: GraphStore) -> None:
    store.update(
        "PREFIX ex: <http://example.org/> # SELECT nothing: this is an update\n"
        "INSERT DATA { GRAPH <urn:bizarch:scenario:current> { ex:a ex:p ex:b } }"
    )
    assert store.count(G1) == 1
