"""The endpoint as SPARQL clients see it: SPARQLWrapper against ``bizarch serve`` on loopback."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    QueryBadFormed,
)

from tests.web.live import LiveServer

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
STRATEGIES = (
    "PREFIX ba: <https://w3id.org/bizarch/ontology#> SELECT ?s ?label WHERE { "
    f"GRAPH <urn:bizarch:scenario:current> {{ ?s a ba:Strategy ; {LABEL} ?label }} }} "
    "ORDER BY ?label"
)
# ~7.7 million combinations (labels x labels x tier-1 capabilities), counted before the first row
# exists: about ten seconds of engine time that nothing can interrupt.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:bizarch:scenario:current> { "
    f"?a {LABEL} ?x . ?b {LABEL} ?y . ?c <https://w3id.org/bizarch/ontology#tier> 1 "
    "FILTER (STRLEN(?x) + STRLEN(?y) < 0) } }"
)


def client(server: LiveServer, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(method)
    return sparql


def test_select_as_json_with_get_and_post(live_server: LiveServer) -> None:
    for method in (None, POST):
        result = client(live_server, STRATEGIES, JSON, method).queryAndConvert()
        labels = [b["label"]["value"] for b in result["results"]["bindings"]]
        assert labels == [
            "Broker partnership growth",
            "Customers for life",
            "Digital-first claims",
            "Lean and modern operations",
        ], method


def test_select_as_xml_and_csv(live_server: LiveServer) -> None:
    xml = client(live_server, STRATEGIES, XML).queryAndConvert()
    literals = [n.firstChild.data for n in xml.getElementsByTagName("literal")]
    assert "Digital-first claims" in literals
    csv_text = client(live_server, STRATEGIES, CSV).queryAndConvert().decode()
    assert csv_text.splitlines()[0] == "s,label"
    assert "Customers for life" in csv_text


def test_construct_as_turtle_and_jsonld(live_server: LiveServer) -> None:
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:bizarch:scenario:current> { ?s ?p ?o "
        "FILTER (?s = <https://data.meridian-mutual.example/id/app-claimsone>) } }"
    )
    graph = client(live_server, query, TURTLE).queryAndConvert()
    assert b"ClaimsOne" in graph
    jsonld = client(live_server, query, JSONLD).queryAndConvert()  # an rdflib Graph
    labels = {str(o) for _, p, o in jsonld if str(p).endswith("#label")}
    assert labels == {"ClaimsOne"}


def test_ask(live_server: LiveServer) -> None:
    result = client(live_server, "ASK { ?s a <https://w3id.org/bizarch/ontology#KPI> }", JSON)
    assert result.queryAndConvert()["boolean"] is True


def test_malformed_query_reports_the_parser_message(live_server: LiveServer) -> None:
    with pytest.raises(QueryBadFormed, match="SPARQL syntax error"):
        client(live_server, "SELECT * WHERE { ?s ?p", JSON).queryAndConvert()


def test_service_is_refused(live_server: LiveServer) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryBadFormed, match="SERVICE"):
        client(live_server, query, JSON).queryAndConvert()


def test_crashing_query_is_refused_and_the_server_stays_up(live_server: LiveServer) -> None:
    query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    with pytest.raises(QueryBadFormed, match="nests brackets"):
        client(live_server, query, JSON, POST).queryAndConvert()
    assert live_server.process.poll() is None
    assert client(live_server, "ASK {}", JSON).queryAndConvert()["boolean"] is True


def test_a_slow_query_gets_503_while_others_are_served(live_server: LiveServer) -> None:
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            client(live_server, SLOW, JSON).queryAndConvert()
        except BaseException as exc:  # collected for the assertions below
            errors.append(exc)

    worker = threading.Thread(target=slow)
    started = time.monotonic()
    worker.start()
    time.sleep(0.2)
    # while the engine is still busy with the runaway, pages are served
    with urllib.request.urlopen(live_server.base + "/ontology", timeout=30) as page:
        assert b"value-stream stage" in page.read()
    assert time.monotonic() - started < 4.0
    worker.join(timeout=60)
    assert not worker.is_alive(), "the slow query got no answer within 60 s"
    assert len(errors) == 1
    assert isinstance(errors[0], urllib.error.HTTPError)  # SPARQLWrapper passes 503 through
    assert errors[0].code == 503
    assert "longer than 0.5 s" in errors[0].read().decode()
    assert time.monotonic() - started < 8.0  # answered at the deadline, not when the engine ends


def test_rows_are_capped_and_flagged(live_server: LiveServer) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    request = urllib.request.Request(
        live_server.endpoint + "?query=" + urllib.parse.quote(query),
        headers={"Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        assert response.headers["X-Bizarch-Truncated"] == "500"
    assert len(body.strip().splitlines()) == 501  # header + 500 rows


def test_updates_are_forbidden(live_server: LiveServer) -> None:
    request = urllib.request.Request(
        live_server.endpoint,
        data=b"update=DROP+ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 403
    still = client(live_server, STRATEGIES, JSON).queryAndConvert()
    assert len(still["results"]["bindings"]) == 4


def test_a_remote_store_says_the_servers_endpoint_takes_no_writes(live_server: LiveServer) -> None:
    from bizarch.errors import StoreError
    from bizarch.store.sparql_store import SparqlStore

    with pytest.raises(StoreError) as refused:
        SparqlStore(live_server.endpoint).update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    said = str(refused.value)
    assert "refused the update (HTTP 403): This SPARQL endpoint is read-only" in said
    assert "stop that server and write to its store folder" in said


def test_the_locked_store_hint_leads_to_the_servers_endpoint(live_server: LiveServer) -> None:
    """A second process on the served folder is told to read through ``/sparql``; doing what the
    hint says works (the scenario list through the server), and a write is refused."""

    def bizarch(store: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bizarch", "--store", store, *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    locked = bizarch(str(live_server.store), "scenario", "list")
    assert locked.returncode == 1
    hint = re.search(r"--store (http://HOST:PORT(/\w+))", locked.stderr)
    assert hint is not None and hint.group(2) == "/sparql", locked.stderr
    address = hint.group(1).replace("http://HOST:PORT", live_server.base)
    listed = bizarch(address, "scenario", "list")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()[2:]]
    assert names == ["current", "target"]
    assert "Current state 2026" in listed.stdout
    demo = Path(__file__).parents[2] / "data" / "demo" / "current" / "scenario.ttl"
    write = bizarch(address, "load", "--scenario", "extra", str(demo))
    assert write.returncode == 1
    # The load first compares the stored ontology (more than this endpoint's 500 rows) with the
    # packaged one: a cut answer is an error, not an "outdated" ontology to rewrite, and the hint
    # still leads to the store folder. Nothing was written.
    assert "cut the result of a query to its first 500 rows" in write.stderr
    assert "stop that server and use its store folder" in write.stderr
    relisted = bizarch(address, "scenario", "list")
    assert [line.split()[0] for line in relisted.stdout.splitlines()[2:]] == ["current", "target"]
