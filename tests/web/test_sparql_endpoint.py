"""The /sparql endpoint through the Flask test client: protocol, formats, refusals."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

COUNT_VS = (
    "PREFIX ba: <https://w3id.org/bizarch/ontology#> "
    "SELECT ?vs ?label WHERE { GRAPH <urn:bizarch:scenario:current> "
    "{ ?vs a ba:ValueStream ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } } "
    "ORDER BY ?label"
)
VALUE_STREAMS = [
    "Acquire Policyholder",
    "Onboard Broker",
    "Renew Policy",
    "Service Policy Change",
    "Settle Claim",
]
CONSTRUCT = (
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:bizarch:scenario:current> { ?s ?p ?o "
    "FILTER (?s = <https://data.meridian-mutual.example/id/app-guidewire-claimcenter>) } }"
)


def labels_from_json(data: bytes) -> list[str]:
    return [b["label"]["value"] for b in json.loads(data)["results"]["bindings"]]


def test_get_select_returns_json_results(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT_VS})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert labels_from_json(response.data) == VALUE_STREAMS


def test_post_form_and_direct_post_give_the_same_rows(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": COUNT_VS})
    direct = client.post(
        "/sparql", data=COUNT_VS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert labels_from_json(form.data) == labels_from_json(direct.data) == VALUE_STREAMS


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client: FlaskClient, accept: str, media_type: str) -> None:
    response = client.get("/sparql", query_string={"query": COUNT_VS}, headers={"Accept": accept})
    assert response.mimetype == media_type
    body = response.get_data(as_text=True)
    if media_type.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ElementTree.fromstring(response.data)
        found = [e.text for e in root.findall(".//r:binding[@name='label']/r:literal", ns)]
        assert found == VALUE_STREAMS
    elif media_type == "text/csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        assert [r["label"] for r in rows] == VALUE_STREAMS
    elif media_type == "text/tab-separated-values":
        lines = body.strip().split("\n")
        assert lines[0] == "?vs\t?label"
        assert lines[-1].endswith('\t"Settle Claim"@en')
    else:
        assert labels_from_json(response.data) == VALUE_STREAMS


def test_format_parameters_win_and_unknown_parameters_are_ignored(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={
            "query": COUNT_VS,
            "format": "csv",
            "results": "csv",
            "timeout": "0",
            "debug": "on",
            "infer": "false",
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.mimetype == "text/csv"
    assert "Settle Claim" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_in_every_rdf_syntax(client: FlaskClient, accept: str, fmt: ox.RdfFormat) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.mimetype == accept
    triples = list(ox.parse(response.data, format=fmt))
    assert ox.Literal("Guidewire ClaimCenter", language="en") in {t.object for t in triples}
    assert len(triples) >= 10


def test_ask_and_describe(client: FlaskClient) -> None:
    ask = client.get(
        "/sparql",
        query_string={"query": "ASK { ?s a <https://w3id.org/bizarch/ontology#Strategy> }"},
    )
    assert json.loads(ask.data)["boolean"] is True
    describe = client.get(
        "/sparql",
        query_string={"query": "DESCRIBE <https://data.meridian-mutual.example/id/app-claimsone>"},
        headers={"Accept": "text/turtle"},
    )
    assert "ClaimsOne" in describe.get_data(as_text=True)


def test_default_graph_uri_and_named_graph_uri_are_honoured(client: FlaskClient) -> None:
    query = (
        "SELECT ?label WHERE { <urn:bizarch:scenario:target> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    )
    union = client.get("/sparql", query_string={"query": query})
    assert labels_from_json(union.data) == ["Target state 2027"]
    only_current = client.get(
        "/sparql",
        query_string={"query": query, "default-graph-uri": "urn:bizarch:scenario:current"},
    )
    assert labels_from_json(only_current.data) == []
    graphs = client.get(
        "/sparql",
        query_string={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": "urn:bizarch:scenario:target",
        },
    )
    found = [b["g"]["value"] for b in json.loads(graphs.data)["results"]["bindings"]]
    assert found == ["urn:bizarch:scenario:target"]


def test_plain_get_returns_the_service_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    triples = [q.triple for q in ox.parse(response.data, format=ox.RdfFormat.TURTLE)]
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode("http://localhost/sparql")
    assert ox.Triple(endpoint, ox.NamedNode(sd + "endpoint"), endpoint) in triples
    assert (
        ox.Triple(endpoint, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph"))
        in triples
    )
    names = {t.object for t in triples if t.predicate == ox.NamedNode(sd + "name")}
    assert ox.NamedNode("urn:bizarch:scenario:current") in names


def test_malformed_query_is_400_with_the_parsers_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "SPARQL syntax error: error at 1:" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "POST", "data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {
            "method": "POST",
            "data": b"CLEAR ALL",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"method": "GET", "query_string": {"query": "DROP ALL"}},
    ],
    ids=["update form field", "sparql-update body", "update as a query"],
)
def test_updates_are_refused_and_change_nothing(
    client: FlaskClient, demo_store, request_kwargs
) -> None:
    before = demo_store.count()
    response = client.open("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert demo_store.count() == before


def test_service_is_refused_with_a_clear_message(client: FlaskClient) -> None:
    query = "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "SERVICE (federated query) is not allowed" in response.get_data(as_text=True)


def test_deep_nesting_is_refused_and_the_app_survives(client: FlaskClient) -> None:
    query = "SELECT * WHERE " + "{" * 2600 + "}" * 2600  # kills pyoxigraph with SIGSEGV
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "nests brackets more than 200 levels" in response.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_truncated_results_say_so(demo_store) -> None:
    from bizarch.web import close_app
    from tests.web.conftest import make_app

    app = make_app(demo_store, sparql_max_rows=7)
    try:
        response = app.test_client().get(
            "/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"}
        )
        assert len(json.loads(response.data)["results"]["bindings"]) == 7
        assert response.headers["X-Bizarch-Truncated"] == "7"
    finally:
        close_app(app)


def test_errors_are_json_when_the_client_prefers_it(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "SELEC"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json["error"] == "QueryError"
    assert response.json["message"].startswith("SPARQL syntax error")


def test_browser_tools_on_other_origins_may_query(client: FlaskClient) -> None:
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://tools.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    page = client.get("/ontology")
    assert "Access-Control-Allow-Origin" not in page.headers  # pages stay same-origin
